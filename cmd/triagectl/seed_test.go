package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedWritesADayAndCanAddAnother(t *testing.T) {
	db := filepath.Join(t.TempDir(), "day.db")
	var out, errb bytes.Buffer
	code := run([]string{"seed", "--db", db, "--patients", "10", "--monitors", "0"}, nil, &out, &errb)
	require.Equal(t, 0, code, "stderr: %s", errb.String())
	assert.Contains(t, out.String(), "seeded sqlite: 10 patients, 10 encounters")
	assert.Contains(t, out.String(), " 0 observations")
	out.Reset()
	code = run([]string{"seed", "--db", db, "--patients", "5", "--monitors", "0", "--seed", "2", "--add"}, nil, &out, &errb)
	require.Equal(t, 0, code, "a second day into the same database: %s", errb.String())
}

func TestSeedUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"seed", "--patients", "0"}, nil, &out, &errb))
	assert.Equal(t, 2, run([]string{"seed", "extra"}, nil, &out, &errb))
	assert.Equal(t, 2, run([]string{"seed", "--nope"}, nil, &out, &errb))
	assert.Contains(t, errb.String(), "usage: triagectl seed")
}
