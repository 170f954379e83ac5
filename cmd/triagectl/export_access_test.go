package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
)

// On a database with personal logins bulk export is the integration
// role's duty: a physician's login is refused before the password is
// asked for, and an integration login exports with every exported
// patient named in the audit log (records.export). The outbox list takes
// the integration role too.
func TestExportUnderAccessControlIsTheIntegrationRolesAndNamesThePatients(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	dir := t.TempDir()
	db := filepath.Join(dir, "day.db")
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "3", "--monitors", "0"}, nil, &out, &errb), errb.String())
	cfg := writeRecordsConfig(t, dir, "http://127.0.0.1:9/fhir")
	code, _, errs := usersRun(t, "admin passord 1\nadmin passord 1\n", "add", "admin", "--db", db, "--role", "administrator")
	require.Equal(t, 0, code, errs)
	code, _, errs = usersRun(t, "admin passord 1\nintegrator 1\nintegrator 1\n", "add", "ola.integrator", "--db", db,
		"--user", "admin", "--role", "integration")
	require.Equal(t, 0, code, errs)
	code, _, errs = usersRun(t, "admin passord 1\nlege passord 1\nlege passord 1\n", "add", "lege", "--db", db,
		"--user", "admin", "--role", "physician")
	require.Equal(t, 0, code, errs)
	export := func(answers, out string, extra ...string) (int, string, string) {
		var o, e bytes.Buffer
		args := append([]string{"export", "--fhir", "--from", "2000-01-01", "--to", "2100-01-01", "-o", filepath.Join(dir, out), "--db", db, "--config", cfg}, extra...)
		code := run(args, strings.NewReader(answers), &o, &e)
		return code, o.String(), e.String()
	}

	code, _, msg := export("lege passord 1\n", "lege", "--user", "lege", "--role", "physician")
	assert.Equal(t, 1, code, msg)
	assert.Contains(t, msg, "--role (integration")
	assert.NotContains(t, msg, "Password for", "refused before the password is asked for")

	code, stdout, msg := export("integrator 1\n", "out", "--user", "ola.integrator", "--role", "integration")
	require.Equal(t, 0, code, msg)
	assert.Contains(t, stdout, "Patient.ndjson\t3")

	st, err := store.Open(context.Background(), db, store.WithoutCreate())
	require.NoError(t, err)
	defer st.Close()
	admin := store.Actor{User: "admin", Workstation: "kontor", Role: store.RoleAdmin}
	log, err := st.AuditLog(context.Background(), admin, 0, 10000)
	require.NoError(t, err)
	var entries int
	for _, e := range log {
		if e.Action == "records.export" {
			entries++
			assert.Equal(t, "ola.integrator", e.Actor)
			assert.Equal(t, string(store.RoleIntegration), e.Role)
			assert.Contains(t, e.Detail, "count=3 patients=")
			_, list, _ := strings.Cut(e.Detail, "patients=")
			assert.Len(t, strings.Split(list, ","), 3, "every exported patient named")
		}
	}
	assert.Equal(t, 1, entries, "one records.export entry, by the integrator")

	// The exported patient's access log says so, in bokmål, and log
	// review lists the export for follow-up.
	var pid ids.Patient
	for _, e := range log {
		if e.Action == "records.export" {
			_, list, _ := strings.Cut(e.Detail, "patients=")
			first, _, _ := strings.Cut(list, ",")
			pid, err = ids.ParsePatient(first)
			require.NoError(t, err)
		}
	}
	p, err := st.GetPatient(context.Background(), store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, pid)
	require.NoError(t, err)
	require.NotEmpty(t, p.NID, "seeded patients have identity numbers")
	code, acc, errs := runAs(t, "admin passord 1\n", "audit", "access", "--db", db, "--nid", p.NID, "--user", "admin")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, acc, "hentet ut opplysningene dine i en samlet eksport")
	assert.Contains(t, acc, "ola.integrator")
	code, rev, errs := runAs(t, "admin passord 1\n", "audit", "review", "--db", db, "--user", "admin")
	require.Equal(t, 0, code, errs)
	var exportRows int
	for _, line := range strings.Split(rev, "\n") {
		if f := strings.Fields(line); len(f) > 2 && slices.Contains(f, "records.export") {
			exportRows++
			assert.Equal(t, "export", f[len(f)-1], "the row's reason: %s", line)
		}
	}
	assert.Equal(t, 1, exportRows, "log review lists the export: %s", rev)

	// The integrator lists the outbox (its duty); the list is audited.
	var o, e bytes.Buffer
	code = run([]string{"outbox", "list", "--db", db, "--user", "ola.integrator", "--role", "integration"}, strings.NewReader("integrator 1\n"), &o, &e)
	assert.Equal(t, 0, code, e.String())
}
