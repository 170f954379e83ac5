package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const recordings = "../../testdata/recordings"

func runCmd(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

func TestDecodePrintsTheGoldenObservationsOfEveryRecording(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.cap"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cap")
		t.Run("decode of the "+name+" recording matches its golden file", func(t *testing.T) {
			out, errOut, code := runCmd("decode", "--protocol", name, f)
			require.Equal(t, 0, code, errOut)
			gold, err := os.ReadFile(filepath.Join(recordings, name+".golden.jsonl"))
			require.NoError(t, err)
			lines := strings.SplitAfter(strings.TrimSuffix(string(gold), "\n"), "\n")
			want := strings.Join(lines[:len(lines)-1], "") // the last golden line is the summary
			assert.Equal(t, want, out)
			assert.Contains(t, errOut, "(capture, "+name+")")
			assert.Contains(t, errOut, "checksum 0")
		})
	}
}

// rawDump writes the device's bytes of a capture as a raw dump.
func rawDump(t *testing.T, capPath string) string {
	t.Helper()
	f, err := os.Open(capPath)
	require.NoError(t, err)
	defer f.Close()
	r, err := capture.NewReader(f)
	require.NoError(t, err)
	var raw bytes.Buffer
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if c.Dir == capture.FromDevice {
			raw.Write(c.Data)
		}
	}
	p := filepath.Join(t.TempDir(), "dump.bin")
	require.NoError(t, os.WriteFile(p, raw.Bytes(), 0o644))
	return p
}

func TestDecodeReadsRawDumpsWithTheGivenStartTime(t *testing.T) {
	dump := rawDump(t, filepath.Join(recordings, "masimo.cap"))
	out, errOut, code := runCmd("decode", dump, "--protocol", "masimo", "--start", "2026-11-22T10:00:00Z", "--device", "rad8")
	require.Equal(t, 0, code, errOut)
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	for sc.Scan() {
		var o vitals.Observation
		require.NoError(t, json.Unmarshal(sc.Bytes(), &o))
		assert.Equal(t, "rad8", o.Source)
		assert.Equal(t, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), o.HostTime.UTC())
		n++
	}
	assert.Equal(t, 12, n)
	assert.Contains(t, errOut, "(raw dump, masimo)")
}

func TestDecodeOfAFileOfAnotherProtocolFailsClearly(t *testing.T) {
	dump := rawDump(t, filepath.Join(recordings, "hl7.cap"))
	out, errOut, code := runCmd("decode", "--protocol", "datex", dump)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `no frame of this protocol found "datex"`)
	_, errOut, code = runCmd("decode", "--protocol", "datex", filepath.Join(recordings, "hl7.cap"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `recorded with protocol "hl7", not "datex"`)
}

func TestDecodeWithWavesAddsWaveBlocks(t *testing.T) {
	out, errOut, code := runCmd("decode", "--protocol", "datex", "--waves", filepath.Join(recordings, "datex.cap"))
	require.Equal(t, 0, code, errOut)
	var sawECG bool
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var w struct {
			Wave *vitals.Wave `json:"wave"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &w))
		if w.Wave != nil && w.Wave.Kind == vitals.WaveECG {
			sawECG = true
			assert.Equal(t, 300.0, w.Wave.Rate)
			assert.NotEmpty(t, w.Wave.Samples)
		}
	}
	assert.True(t, sawECG)
}

func TestDecodeFlagMistakesExitWithStatus2(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"decode", "--protocol", "datex"}, "exactly one FILE"},
		{"a missing file", []string{"decode", "--protocol", "datex", "/nonexistent.cap"}, "no such file"},
		{"a bad start time", []string{"decode", "--protocol", "datex", "--start", "noon", filepath.Join(recordings, "datex.cap")}, "want RFC 3339"},
		{"an unknown flag", []string{"decode", "--colour", "x"}, "flag provided but not defined"},
		{"an unknown protocol", []string{"decode", "--protocol", "medibus", filepath.Join(recordings, "datex.cap")}, `--protocol "medibus": want one of`},
		{"a bad device zone", []string{"decode", "--device-zone", "Mars/Olympus", filepath.Join(recordings, "masimo.cap")}, `--device-zone "Mars/Olympus"`},
		{"a NaN rate", []string{"decode", "--rate", "NaN", filepath.Join(recordings, "ecgascii.cap")}, "--rate NaN: want 1..10000"},
		{"an infinite rate", []string{"decode", "--rate", "+Inf", filepath.Join(recordings, "ecgascii.cap")}, "--rate +Inf: want 1..10000"},
		{"a negative rate", []string{"decode", "--rate", "-1", filepath.Join(recordings, "ecgascii.cap")}, "--rate -1: want 1..10000"},
		{"an absurd rate", []string{"decode", "--rate", "1e308", filepath.Join(recordings, "ecgascii.cap")}, "--rate 1e+308: want 1..10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is a usage error", func(t *testing.T) {
			_, errOut, code := runCmd(tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tt.want)
		})
	}
}
