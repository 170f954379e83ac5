package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

// "audit verify" names a signed ECG whose interpretation was edited in
// the database file (issue 13 item 6, issue 15 item 4).
func TestAuditVerifyNamesAnEditedECG(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	base := t.TempDir()
	s, err := store.Open(ctx, db, store.WithCheckpoints(filepath.Join(base, "cp"), filepath.Join(base, "k", "checkpoint.key")))
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}
	p, err := s.CreatePatient(ctx, nurse, store.NewPatient{Name: "Ola"})
	require.NoError(t, err)
	e, err := s.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	g, err := s.AttachECG(ctx, nurse, store.NewECG{EncounterID: e.ID, Format: "scp-ecg", Data: []byte("SCPECG samples")})
	require.NoError(t, err)
	_, err = s.SignECG(ctx, store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, g.ID,
		store.Interpretation{Text: "Sinusrytme", Findings: []store.ECGFinding{store.FindingSinus}})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	var out, errb bytes.Buffer
	code := run([]string{"audit", "verify", "--db", db}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "clinical rows: 3 match", "patient, encounter and ECG")

	raw, err := sql.Open("sqlite", db)
	require.NoError(t, err)
	_, err = raw.Exec("DROP TRIGGER ecgs_signed_immutable")
	require.NoError(t, err)
	_, err = raw.Exec("UPDATE ecgs SET interpretation = 'Normalt EKG' WHERE id = ?", g.ID)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	out.Reset()
	code = run([]string{"audit", "verify", "--db", db}, nil, &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "BROKEN: ecgs row 1 (last written in audit entry")
	assert.Contains(t, out.String(), "edited outside the store")
	assert.NotContains(t, out.String(), "Normalt EKG", "rows are named, never their content")
}
