package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadtest runs workstations against an empty database, prints a row per
// operation and checks the chain and that no acknowledged write is lost;
// it refuses a database in use and nonsense flags.
func TestLoadtestCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lt.db")
	code, out, errs := runAs(t, "", "loadtest", "--db", db, "--workstations", "3", "--for", "5s", "--rate", "200")
	require.Equal(t, 0, code, errs)
	for _, s := range []string{"register walk-in", "call+triage", "triage", "vitals batch", "queue read", "load average", "audit verify: intact", "0 unchained", "0 lost"} {
		assert.Contains(t, out, s)
	}
	code, _, errs = runAs(t, "", "loadtest", "--db", db, "--workstations", "3", "--for", "5s")
	assert.Equal(t, 2, code, "a database in use is refused")
	assert.Contains(t, errs, "empty database")
	for _, bad := range [][]string{
		{"--workstations", "0"}, {"--workstations", "501"}, {"--for", "1s"}, {"--burst", "NaN"}, {"--rate", "-1"}, {"--rate", "Inf"}, {"--connections", "-2"},
	} {
		code, _, _ := runAs(t, "", append([]string{"loadtest", "--db", filepath.Join(t.TempDir(), "x.db")}, bad...)...)
		assert.Equal(t, 2, code, "%v", bad)
	}
	code, _, _ = runAs(t, "", "loadtest")
	assert.Equal(t, 2, code, "--db is required")
}
