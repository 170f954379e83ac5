package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

func TestSeedThenAuditVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "day.db")
	var out, errb bytes.Buffer
	code := run([]string{"seed", "--db", db, "--patients", "25", "--monitors", "1", "--vitals-every", "5m"}, nil, &out, &errb)
	require.Equal(t, 0, code, "stderr: %s", errb.String())
	assert.Contains(t, out.String(), "25 patients")

	out.Reset()
	code = run([]string{"audit", "verify", "--db", db}, nil, &out, &errb)
	assert.Equal(t, 0, code, "stderr: %s", errb.String())
	assert.Contains(t, out.String(), "intact")
	assert.Regexp(t, `head \d+ [0-9a-f]{64}`, out.String(), "the head hash is printed so it can be recorded elsewhere")

	// Tamper with entry 5 as someone with file access could.
	raw, err := sql.Open("sqlite", db)
	require.NoError(t, err)
	_, err = raw.Exec("DROP TRIGGER audit_log_append_only_update")
	require.NoError(t, err)
	_, err = raw.Exec("UPDATE audit_log SET actor = 'nobody' WHERE seq = 5")
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	out.Reset()
	code = run([]string{"audit", "verify", "--db", db}, nil, &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "broken at entry 5")
}

func TestAuditUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"audit"}, nil, &out, &errb))
	assert.Equal(t, 2, run([]string{"audit", "list"}, nil, &out, &errb))
	assert.Contains(t, errb.String(), "usage: triagectl audit verify")
	notOurs := filepath.Join(t.TempDir(), "x.txt")
	require.NoError(t, writeFile(notOurs, "hello"))
	assert.Equal(t, 2, run([]string{"audit", "verify", "--db", notOurs}, nil, &out, &errb))
	assert.Contains(t, errb.String(), "not a triage database")
	missing := filepath.Join(t.TempDir(), "typo.db")
	assert.Equal(t, 2, run([]string{"audit", "verify", "--db", missing}, nil, &out, &errb))
	assert.Contains(t, errb.String(), "no triage database there")
	_, err := os.Stat(missing)
	assert.True(t, os.IsNotExist(err), "verify never creates a database")
}

// writeFile writes a small test file, owner-only.
func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
