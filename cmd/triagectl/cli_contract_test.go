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

// replay's --speed takes a positive finite number, and --speed and --max
// exclude each other; anything else is a usage error naming the flag.
func TestReplaySpeedMustBeAPositiveNumberAndNotCombinedWithMax(t *testing.T) {
	file := filepath.Join(recordings, "datex.cap")
	for _, args := range [][]string{
		{"--speed", "NaN"},
		{"--speed", "Inf"},
		{"--speed", "0"},
		{"--speed", "-2"},
		{"--max", "--speed", "2"},
		{"--speed", "1", "--max"},
	} {
		out, errOut, code := runCmd(append([]string{"replay", file}, args...)...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, out, "%v: nothing replayed", args)
		assert.Contains(t, errOut, "--speed", "%v", args)
		assert.Contains(t, errOut, "--max", "%v", args)
		assert.Contains(t, errOut, "positive number", "%v", args)
	}
}

// A directory given as FILE is named as one (exit 2, like a missing
// file), with no summary line and no "not a capture file".
func TestDecodeAndReplayNameADirectoryGivenAsTheFile(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range [][]string{
		{"decode", "--protocol", "datex", dir},
		{"decode", dir},
		{"replay", dir},
		{"replay", "--max", dir},
	} {
		out, errOut, code := runCmd(cmd...)
		assert.Equal(t, 2, code, "%v", cmd)
		assert.Empty(t, out, "%v", cmd)
		assert.Equal(t, "triagectl "+cmd[0]+": "+dir+" is a directory; give a file\n", errOut, "%v: one clear line", cmd)
	}
}

// writeRecordWithAnnotations writes the synthetic record with the given
// bytes as its reference annotation file (syn.atr).
func writeRecordWithAnnotations(t *testing.T, atr []byte) string {
	t.Helper()
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "syn.atr"), atr, 0o600))
	return dir
}

// ecg eval with an empty or truncated reference (no beat to score
// against) fails naming the record and the file, instead of reporting a
// TP of 0 and exiting 0.
func TestECGEvalRefusesAReferenceWithoutBeatsToScore(t *testing.T) {
	// Beats every 200 samples up to 1:00 only: a file cut short at a word
	// boundary, which the annotation reader accepts.
	var early []byte
	for range 75 {
		early = append(early, 200, 1<<2) // N, 200 samples after the previous
	}
	for name, atr := range map[string][]byte{
		"empty":                 nil,
		"only the end marker":   {0, 0},
		"truncated before 5:00": early,
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeRecordWithAnnotations(t, atr)
			out, errOut, code := runCmd("ecg", "eval", "--db", dir)
			assert.Equal(t, 1, code)
			assert.Empty(t, out, "no table when nothing was evaluated")
			assert.Contains(t, errOut, "record syn")
			assert.Contains(t, errOut, filepath.Join(dir, "syn.atr"))
		})
	}
}

// record refuses an existing -o file unless --force is given, so a typo
// never destroys an earlier recording (not even when the port then fails).
func TestRecordNeverOverwritesAnExistingFileWithoutForce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "earlier.cap")
	require.NoError(t, os.WriteFile(p, []byte("an earlier recording"), 0o644))
	_, errOut, code := runCmd("record", "--port", "/nonexistent", "--profile", "datex", "-o", p, "--for", "200ms")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, p)
	assert.Contains(t, errOut, "--force")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "an earlier recording", string(b))

	// With --force a missing port is refused before the file is touched.
	_, errOut, code = runCmd("record", "--port", "/nonexistent", "--profile", "datex", "-o", p, "--force", "--for", "200ms")
	assert.NotContains(t, errOut, "--force")
	assert.Equal(t, 1, code, "a recording from a missing port is not a success")
	assert.Contains(t, errOut, "device datex on /nonexistent: the port does not exist")
	b, err = os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "an earlier recording", string(b))

	// With --force and a port that sends, the file is taken.
	_, errOut, code = runCmd("record", "--port", feedingPTY(t), "--profile", "masimo", "-o", p, "--force", "--for", "1s")
	require.Equal(t, 0, code, errOut)
	b, err = os.ReadFile(p)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "LVCAP"), "--force overwrites: %q", b)
}

// seed's --monitors (0..64) and --vitals-every (at least 100ms) are
// checked, not coerced, before any database is touched.
func TestSeedNamesOutOfRangeMonitorsAndInterval(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--monitors", "-3"}, "--monitors -3: want 0 (none) to 64"},
		{[]string{"--monitors", "65"}, "--monitors 65: want 0 (none) to 64"},
		{[]string{"--vitals-every", "0"}, "--vitals-every 0s: want 100ms to 1h0m0s"},
		{[]string{"--vitals-every", "-1s"}, "--vitals-every -1s: want 100ms to 1h0m0s"},
		{[]string{"--vitals-every", "10ms"}, "--vitals-every 10ms: want 100ms to 1h0m0s"},
		{[]string{"--vitals-every", "2h"}, "--vitals-every 2h0m0s: want 100ms to 1h0m0s"},
		{[]string{"--patients", "100001"}, "--patients 100001: want 1 to 100000"},
	} {
		db := filepath.Join(t.TempDir(), "t.db")
		_, errOut, code := runCmd(append([]string{"seed", "--db", db, "--patients", "5"}, tc.args...)...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Contains(t, errOut, tc.want)
		assert.NoFileExists(t, db, "%v: no database created", tc.args)
	}
}
