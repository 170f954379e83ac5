package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

// ecgActions lists the ECG audit entries as "action actor".
func ecgActions(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	defer st.Close()
	log, err := st.AuditLog(context.Background(), store.Actor{User: "admin", Role: store.RoleAdmin}, 0, 1000)
	require.NoError(t, err)
	var out []string
	for _, e := range log {
		if len(e.Action) > 4 && e.Action[:4] == "ecg." {
			out = append(out, e.Action+" "+e.Actor)
		}
	}
	return out
}

func TestECG12CommandsLogInPersonallyOnceTheDatabaseHasAccounts(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	h, err := identity.HashPassword("riktig passord 1")
	require.NoError(t, err)
	admin := store.Actor{User: "admin", Role: store.RoleAdmin}
	_, err = st.CreateUser(ctx, admin, store.NewUser{Username: "admin", Roles: []store.Role{store.RoleAdmin}, PasswordHash: h})
	require.NoError(t, err)
	for _, u := range []store.NewUser{
		{Username: "kari", Roles: []store.Role{store.RoleReception}, Service: store.ServiceReception, PasswordHash: h},
		{Username: "lege", Roles: []store.Role{store.RolePhysician}, PasswordHash: h},
	} {
		_, err = st.CreateUser(ctx, admin, u)
		require.NoError(t, err)
	}
	kari := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception, Service: store.ServiceReception}
	r, err := st.Register(ctx, kari, store.Registration{Patient: store.NewPatient{Name: "Per Pasient"}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	file := filepath.Join(t.TempDir(), "cart.xml")
	require.NoError(t, os.WriteFile(file, aecgFor("x"), 0o600))
	enc := r.Encounter.ID.String()

	code, _, errs := runAs(t, "feil\n", "ecg12", "attach", file, "--db", db, "--encounter", enc, "--user", "kari")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "wrong user name or password")
	code, out, errs := runAs(t, "riktig passord 1\n", "ecg12", "attach", file, "--db", db, "--encounter", enc, "--user", "kari")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "ECG 1 attached")
	code, out, errs = runAs(t, "riktig passord 1\n", "ecg12", "review", "--db", db, "--user", "lege")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "hl7-aecg")

	// A nurse's login is no physician's: sign asks for the role physician.
	code, _, errs = runAs(t, "riktig passord 1\n", "ecg12", "sign", "1", "--db", db, "--user", "kari", "--findings", "sinusrytme")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "no role")
	code, out, errs = runAs(t, "riktig passord 1\n", "ecg12", "sign", "1", "--db", db, "--user", "lege",
		"--text", "ST-elevasjon V2-V4", "--findings", "st_elevasjon,mistenkt_stemi")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "ECG 1 signed by lege")
	assert.Contains(t, out, "suspected STEMI: contact "+enc+" raised to red")
	code, _, errs = runAs(t, "riktig passord 1\n", "ecg12", "sign", "1", "--db", db, "--user", "lege", "--text", "endret")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "immutable")

	assert.Equal(t, []string{"ecg.attach kari", "ecg.list lege", "ecg.sign lege"}, ecgActions(t, db),
		"each step in the name of the person who logged in")

	for _, c := range []struct {
		args []string
		rc   int
	}{
		{[]string{"ecg12", "sign", "--db", db}, 2},
		{[]string{"ecg12", "sign", "x", "--db", db, "--text", "a"}, 2},
		{[]string{"ecg12", "sign", "1", "--db", db}, 2},
		{[]string{"ecg12", "review", "--db", db, "--role", "sjef"}, 1},
	} {
		rc, _, stderr := runAs(t, "", c.args...)
		assert.Equal(t, c.rc, rc, "%v: %s", c.args, stderr)
	}
}

func TestWithoutAccountsTheECGCommandsNeverActAsUserAndNobodySigns(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "mottak-1"}
	r, err := st.Register(ctx, nurse, store.Registration{Patient: store.NewPatient{Name: "Per Pasient"}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	file := filepath.Join(t.TempDir(), "cart.xml")
	require.NoError(t, os.WriteFile(file, aecgFor("x"), 0o600))
	me, err := store.CurrentActor("")
	require.NoError(t, err)
	require.NotEqual(t, "overlege", me.User)

	code, _, errs := runAs(t, "", "ecg12", "attach", file, "--db", db, "--encounter", r.Encounter.ID.String(), "--user", "overlege")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "acting as the operating-system user "+me.User+", not as --user overlege")
	code, _, errs = runAs(t, "", "ecg12", "sign", "1", "--db", db, "--user", "overlege", "--findings", "normalt_ekg")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "physicians only")
	assert.Contains(t, errs, "triagectl users add")

	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	list, err := st.ECGsForReview(ctx, nurse, time.Now())
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, me.User, list[0].AttachedBy, "attached as the OS user, never as --user")
	assert.Equal(t, store.ECGUnconfirmed, list[0].Status)
}

func TestECG12AttachRefusesAFileOfAnotherPatient(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "mottak-1"}
	nid := someNID(t)
	r, err := st.Register(ctx, nurse, store.Registration{Patient: store.NewPatient{Name: "Per Pasient", NID: nid}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	require.NoError(t, st.Close())
	other := testNID(t)
	require.NotEqual(t, nid, other)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.xml"), aecgFor(other), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.xml"), aecgFor(nid), 0o600))
	enc := r.Encounter.ID.String()
	code, _, errs := runAs(t, "", "ecg12", "attach", filepath.Join(dir, "other.xml"), "--db", db, "--encounter", enc)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "names another patient")
	assert.NotContains(t, errs, other)
	code, _, errs = runAs(t, "", "ecg12", "attach", filepath.Join(dir, "mine.xml"), "--db", db, "--encounter", enc)
	assert.Equal(t, 0, code, errs)
}
