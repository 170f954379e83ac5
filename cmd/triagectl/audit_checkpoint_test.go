package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

// "audit verify --checkpoints DIR --key PUBKEY" matches the signed
// checkpoints; given explicitly, their absence is a failure.
func TestAuditVerifyUsesSignedCheckpoints(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "triage.db")
	base := t.TempDir()
	dir, key := filepath.Join(base, "cp"), filepath.Join(base, "k", "checkpoint.key")
	s, err := store.Open(ctx, db, store.WithCheckpoints(dir, key))
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}
	_, err = s.CreatePatient(ctx, nurse, store.NewPatient{Name: "Ola"})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	var out, errb bytes.Buffer
	code := run([]string{"audit", "verify", "--db", db, "--checkpoints", dir, "--key", key + ".pub"}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "signed checkpoints match")
	assert.Contains(t, out.String(), "clinical rows: 1 match")

	out.Reset()
	code = run([]string{"audit", "verify", "--db", db, "--checkpoints", t.TempDir(), "--key", key + ".pub"}, nil, &out, &errb)
	assert.Equal(t, 1, code, "explicit checkpoints that are not there: the log cannot be confirmed")
	assert.Contains(t, out.String(), "no signed checkpoint")

	code = run([]string{"audit", "verify", "--db", db, "--checkpoints", dir, "--key", filepath.Join(base, "missing.pub")}, nil, &out, &errb)
	assert.Equal(t, 2, code, "a key file that cannot be read is a usage error")
}
