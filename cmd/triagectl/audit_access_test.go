package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

// testNID is a valid fødselsnummer for the test (control digits right).
func testNID(t *testing.T) string {
	for i := 200; i < 1000; i++ {
		s := fmt.Sprintf("150385%03d", i)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatal("no valid number")
	return ""
}

// "audit access --nid" and "audit review" need an administrator's login
// and print the patient's log in bokmål (text, JSON, PDF to an owner-only
// file).
func TestAuditAccessAndReviewCommands(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	s, err := store.Open(ctx, db)
	require.NoError(t, err)
	h, err := identity.HashPassword("admin passord 1")
	require.NoError(t, err)
	admin := store.Actor{User: "admin", Role: store.RoleAdmin}
	_, err = s.CreateUser(ctx, admin, store.NewUser{Username: "admin", Roles: []store.Role{store.RoleAdmin}, PasswordHash: h})
	require.NoError(t, err)
	for _, u := range []store.NewUser{
		{Username: "tor", DisplayName: "Tor Telefon", Roles: []store.Role{store.RolePhone}, Service: store.ServicePhone, PasswordHash: h},
		{Username: "kari", DisplayName: "Kari Resepsjon", Roles: []store.Role{store.RoleReception}, Service: store.ServiceReception, PasswordHash: h},
	} {
		_, err = s.CreateUser(ctx, admin, u)
		require.NoError(t, err)
	}
	nid := testNID(t)
	kari := store.Actor{User: "kari", Workstation: "resepsjon-1", Role: store.RoleReception, Service: store.ServiceReception}
	r, err := s.Register(ctx, kari, store.Registration{Patient: store.NewPatient{NID: nid, Name: "Ola Pasient"}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	tor := store.Actor{User: "tor", Workstation: "telefon-2", Role: store.RolePhone, Service: store.ServicePhone,
		Basis: store.Basis{Reason: store.BasisEmergency, Note: "ringte"}}
	_, err = s.GetPatient(ctx, tor, r.Patient.ID)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	code, out, errs := runAs(t, "feil\n", "audit", "access", "--db", db, "--nid", nid, "--user", "admin")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "wrong user name or password")

	code, out, errs = runAs(t, "admin passord 1\n", "audit", "access", "--db", db, "--nid", nid, "--user", "admin")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "Logg over innsyn")
	assert.Contains(t, out, "Tor Telefon (tor)")
	assert.Contains(t, out, "sykepleier på legevakttelefonen")
	assert.Contains(t, out, "nødtilgang: ringte")
	assert.NotContains(t, out, "Ola Pasient", "the log names who looked, not the patient")

	code, out, errs = runAs(t, "admin passord 1\n", "audit", "access", "--db", db, "--nid", nid, "--user", "admin", "--format", "json", "--lang", "en")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"basis_text": "emergency access: ringte"`)

	pdf := filepath.Join(t.TempDir(), "innsyn.pdf")
	code, _, errs = runAs(t, "admin passord 1\n", "audit", "access", "--db", db, "--nid", nid, "--user", "admin", "--format", "pdf", "-o", pdf)
	require.Equal(t, 0, code, errs)
	fi, err := os.Stat(pdf)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	code, out, errs = runAs(t, "admin passord 1\n", "audit", "review", "--db", db, "--user", "admin")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "emergency")
	var seq string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "nodtilgang") {
			seq = strings.Fields(l)[0]
		}
	}
	require.NotEmpty(t, seq)
	code, out, errs = runAs(t, "admin passord 1\n", "audit", "review", "--db", db, "--user", "admin", "--mark", seq, "--note", "kontrollert")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "marked as reviewed")

	for _, bad := range [][]string{
		{"audit", "access", "--db", db}, {"audit", "access", "--db", db, "--nid", nid, "--format", "docx"},
		{"audit", "access", "--db", db, "--nid", nid, "--from", "22.11.2026"}, {"audit", "review", "--db", db, "--mark", "3"},
		{"audit", "access", "--db", db, "--nid", nid, "--from", "2026-11-23", "--to", "2026-11-21"},
	} {
		code, _, _ := runAs(t, "", bad...)
		assert.Equal(t, 2, code, "%v", bad)
	}
	code, _, _ = runAs(t, "admin passord 1\n", "audit", "access", "--db", db, "--nid", "12345678901", "--user", "admin")
	assert.Equal(t, 2, code, "an invalid number is a usage error, named")
}

func runAs(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}
