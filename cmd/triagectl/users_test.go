package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usersRun runs "triagectl users ..." with the answers to its prompts on
// stdin, one per line.
func usersRun(t *testing.T, answers string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"users"}, args...), strings.NewReader(answers), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsersCommandsNeedAnAdministratorsLogin(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	db := filepath.Join(t.TempDir(), "triage.db")

	code, _, errs := usersRun(t, "et godt passord\net godt passord\n", "add", "kari", "--db", db, "--role", "reception_nurse")
	assert.Equal(t, 1, code, "the first account must be an administrator's")
	assert.Contains(t, errs, "first account must be an administrator")

	code, out, errs := usersRun(t, "admin passord 1\nadmin passord 1\n", "add", "admin", "--db", db, "--role", "administrator")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "added admin")

	// From now on every command asks for an administrator's password;
	// --user only pre-fills the name.
	code, _, errs = usersRun(t, "feil passord\n", "list", "--db", db, "--user", "admin")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "wrong user name or password")

	code, out, errs = usersRun(t, "admin passord 1\nsykepleier passord\nsykepleier passord\n", "add", "kari", "--db", db, "--user", "admin",
		"--role", "reception_nurse", "--service", "reception", "--totp")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "otpauth://totp/")
	assert.NotContains(t, errs+out, "sykepleier passord", "passwords are never echoed")

	code, _, errs = usersRun(t, "admin\nadmin passord 1\n", "disable", "kari", "--db", db)
	require.Equal(t, 0, code, errs)
	code, out, errs = usersRun(t, "admin passord 1\n", "list", "--db", db, "--user", "admin")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `kari\s+reception_nurse\s+reception\s+password\+totp\s+disabled`, out)

	// A nurse is not an administrator, even with the right password.
	code, _, _ = usersRun(t, "admin passord 1\nnytt passord 12\nnytt passord 12\n", "reset", "kari", "--db", db, "--user", "admin", "--no-totp")
	require.Equal(t, 0, code)
	code, _, _ = usersRun(t, "admin passord 1\n", "enable", "kari", "--db", db, "--user", "admin")
	require.Equal(t, 0, code)
	code, _, errs = usersRun(t, "nytt passord 12\n", "list", "--db", db, "--user", "kari")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "no role")

	for _, bad := range [][]string{{"add", "x", "--db", db}, {"add", "x", "--db", db, "--role", "root"}, {"frobnicate"}, {"list", "extra", "--db", db}} {
		code, _, _ := usersRun(t, "", bad...)
		assert.Equal(t, 2, code, "%v", bad)
	}
}
