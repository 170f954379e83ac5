package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhirtest"
)

// On a database with personal logins the sender runs as the service
// identity an administrator made (role integration), its password read
// from the owner-only file named in records.toml; nobody can make it run
// as someone else, and a disabled service account no longer sends.
func TestOutboxSendAsTheServiceIdentity(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	srv := fhirtest.StartServer(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "day.db")
	var out, errb bytes.Buffer
	cfg := writeRecordsConfig(t, dir, srv.URL)
	send := func(extra ...string) (int, string) {
		out.Reset()
		errb.Reset()
		code := run(append([]string{"outbox", "send", "--db", db, "--config", cfg, "--once"}, extra...), nil, &out, &errb)
		return code, out.String() + errb.String()
	}
	// Routes first, then a day, then the accounts (access control on).
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "1", "--monitors", "0"}, nil, &out, &errb), errb.String())
	code, msg := send()
	require.Equal(t, 0, code, msg)
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "2", "--monitors", "0", "--seed", "2", "--add"}, nil, &out, &errb), errb.String())
	code, _, errs := usersRun(t, "admin passord 1\nadmin passord 1\n", "add", "admin", "--db", db, "--role", "administrator")
	require.Equal(t, 0, code, errs)
	code, _, errs = usersRun(t, "admin passord 1\nsender passord 1\nsender passord 1\n", "add", "records-sender", "--db", db,
		"--user", "admin", "--role", "integration")
	require.Equal(t, 0, code, errs)
	code, _, errs = usersRun(t, "admin passord 1\nsykepleier 1\nsykepleier 1\n", "add", "kari", "--db", db,
		"--user", "admin", "--role", "reception_nurse", "--service", "reception")
	require.Equal(t, 0, code, errs)

	// Without [sender]: refused, naming what is missing.
	code, msg = send()
	assert.Equal(t, 1, code)
	assert.Contains(t, msg, "[sender] needs user and password_file")

	pwFile := filepath.Join(dir, "sender.pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("sender passord 1\n"), 0o600))
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\n[sender]\nuser = \"records-sender\"\npassword_file = \"" + pwFile + "\"\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	// A nurse cannot run the sender as herself or as the service.
	code, msg = send("--user", "kari", "--role", "reception_nurse")
	assert.Equal(t, 2, code, msg)
	assert.Contains(t, msg, "--user and --role are not taken")

	// A password file others can read is refused.
	require.NoError(t, os.Chmod(pwFile, 0o644))
	code, msg = send()
	assert.Equal(t, 1, code, msg)
	require.NoError(t, os.Chmod(pwFile, 0o600))

	// The service identity delivers.
	code, msg = send()
	require.Equal(t, 0, code, msg)
	assert.Contains(t, msg, "rec.fhir: ")
	assert.NotContains(t, msg, "sender passord 1", "the password is never printed")
	assert.Len(t, srv.All(t)["Patient"], 2, "the two patients after the routes, once each")

	// A person's account named in [sender] is refused: it does not hold
	// the integration role.
	require.NoError(t, os.WriteFile(pwFile, []byte("sykepleier 1\n"), 0o600))
	cfgNurse := filepath.Join(dir, "nurse.toml")
	b, err := os.ReadFile(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfgNurse, bytes.Replace(b, []byte(`user = "records-sender"`), []byte(`user = "kari"`), 1), 0o600))
	out.Reset()
	errb.Reset()
	assert.Equal(t, 1, run([]string{"outbox", "send", "--db", db, "--config", cfgNurse, "--once"}, nil, &out, &errb), errb.String())
	require.NoError(t, os.WriteFile(pwFile, []byte("sender passord 1\n"), 0o600))

	// Disabled: no more sending.
	code, _, errs = usersRun(t, "admin passord 1\n", "disable", "records-sender", "--db", db, "--user", "admin")
	require.Equal(t, 0, code, errs)
	code, msg = send()
	assert.Equal(t, 1, code, msg)
}
