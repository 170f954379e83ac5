package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Wave blocks with gap or leads-off samples (NaN) print as JSON with the
// gaps as null: decode --waves (and replay/watch --waves, the same
// waveLine) never stop with "json: unsupported value: NaN".
func TestDecodeWavesPrintsBlocksWithGapSamples(t *testing.T) {
	for _, tc := range []struct{ protocol, file string }{
		{"ecgascii", "../../protocols/ecgascii/testdata/ad8232.txt"},
		{"intellivue", "../../protocols/intellivue/testdata/mp_leads_off.bin"},
		{"nonin", "../../protocols/nonin/testdata/df2.bin"},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			out, errOut, code := runCmd("decode", "--protocol", tc.protocol, "--waves", tc.file)
			assert.Equal(t, 0, code, errOut)
			assert.NotContains(t, errOut, "unsupported value")
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				assert.True(t, json.Valid([]byte(line)), line)
			}
		})
	}
}

// --link never replaces an existing file (or device node) with the
// simulator's symbolic link, and so never deletes it on exit.
func TestSimulateLinkNeverReplacesAnExistingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(p, []byte("keep me"), 0o644))
	_, errOut, code := runCmd("simulate", "--profile", "datex", "--link", p, "--for", "200ms")
	assert.NotEqual(t, 0, code, "simulate should refuse to overwrite %s", p)
	assert.Contains(t, errOut, p)
	b, err := os.ReadFile(p)
	require.NoError(t, err, "the existing file was removed")
	assert.Equal(t, "keep me", string(b))
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// ecg detect reports a failed write of its output and exits 1.
func TestECGDetectReportsWriteErrors(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	var e strings.Builder
	code := run([]string{"ecg", "detect", "--record", filepath.Join(dir, "syn")}, strings.NewReader(""), failWriter{}, &e)
	assert.Equal(t, 1, code)
	assert.Contains(t, e.String(), "disk full")
}

// -h of ecg detect and ecg eval prints their usage and exits 0, as every
// other command does.
func TestECGSubcommandHelpExitsZero(t *testing.T) {
	for _, sub := range []string{"detect", "eval"} {
		_, errOut, code := runCmd("ecg", sub, "-h")
		assert.Equal(t, 0, code, sub)
		assert.Contains(t, errOut, "triagectl ecg "+sub, sub)
	}
}

// ecg eval on a missing or non-directory --db names that path.
func TestECGEvalNamesTheMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-db")
	_, errOut, code := runCmd("ecg", "eval", "--db", missing)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, missing)
}

// decode of an empty file is an error (exit 1), not a silent success.
func TestDecodeOfAnEmptyFileFails(t *testing.T) {
	p := filepath.Join(t.TempDir(), "empty.bin")
	require.NoError(t, os.WriteFile(p, nil, 0o644))
	out, errOut, code := runCmd("decode", "--protocol", "datex", p)
	assert.Empty(t, out)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "empty")
}

// ports refuses stray arguments (exit 2).
func TestPortsRefusesArguments(t *testing.T) {
	_, errOut, code := runCmd("ports", "/dev/ttyUSB0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "unexpected argument")
}

// A negative --for is a usage error, not "until interrupted".
func TestNegativeForIsAUsageError(t *testing.T) {
	for _, cmd := range [][]string{
		{"watch", "--port", "/nonexistent", "--profile", "datex", "--for", "-1s"},
		{"record", "--port", "/nonexistent", "--profile", "datex", "-o", filepath.Join(t.TempDir(), "x.cap"), "--for", "-1s"},
		{"simulate", "--profile", "datex", "--for", "-1s"},
	} {
		done := make(chan int, 1)
		var errOut string
		go func() { var c int; _, errOut, c = runCmd(cmd...); done <- c }()
		select {
		case code := <-done:
			assert.Equal(t, 2, code, cmd[0])
			assert.Contains(t, errOut, "--for", cmd[0])
		case <-timeAfter(3):
			t.Errorf("%s --for -1s is still running after 3 s (runs until interrupted)", cmd[0])
		}
	}
}

// seed --patients 0 says what is wrong.
func TestSeedNamesTheBadPatientCount(t *testing.T) {
	_, errOut, code := runCmd("seed", "--db", filepath.Join(t.TempDir(), "t.db"), "--patients", "0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--patients 0")
}

func timeAfter(s int) <-chan time.Time { return time.After(time.Duration(s) * time.Second) }
