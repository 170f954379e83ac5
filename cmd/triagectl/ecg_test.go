package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/legevakt/workstation/sharedfiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeECGRecord writes a synthetic one-lead WFDB record (format 16,
// 250/s, 6 minutes, a Gaussian QRS every 0.8 s) and its reference
// annotations to dir, and returns the R-wave sample indices.
func writeECGRecord(t *testing.T, dir, name string) []int64 {
	t.Helper()
	const rate, seconds = 250, 360
	x := make([]float64, rate*seconds)
	var beats []int64
	for c := 0.5 * rate; c < float64(len(x))-rate; c += 0.8 * rate {
		for i := int(c) - 20; i <= int(c)+20; i++ {
			d := (float64(i) - c) / 2.5
			x[i] += 1.2 * math.Exp(-d*d/2) // 10 ms wide R wave, 1.2 mV
		}
		for i := int(c) + 40; i <= int(c)+120; i++ {
			d := (float64(i) - c - 80) / 10
			x[i] += 0.3 * math.Exp(-d*d/2) // T wave
		}
		beats = append(beats, int64(c))
	}
	var dat bytes.Buffer
	for _, v := range x {
		require.NoError(t, binary.Write(&dat, binary.LittleEndian, int16(math.Round(v*200))))
	}
	hea := name + " 1 250 " + strconv.Itoa(len(x)) + "\n" + name + ".dat 16 200 16 0 0 0 0 synthetic\n"
	var atr []byte
	last := int64(0)
	for _, b := range beats {
		d := b - last
		for d > 1023 { // SKIP for long gaps
			atr = append(atr, 0, 59<<2, 0, 0, byte(d), byte(d>>8))
			last, d = b, 0
		}
		atr = append(atr, byte(d), byte(1<<2)|byte(d>>8)) // N
		last = b
	}
	atr = append(atr, 0, 0)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".hea"), []byte(hea), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".dat"), dat.Bytes(), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".atr"), atr, 0o600))
	return beats
}

func runECGCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestECGDetectPrintsOneSampleIndexPerBeat(t *testing.T) {
	dir := t.TempDir()
	beats := writeECGRecord(t, dir, "syn")
	code, out, errOut := runECGCLI("ecg", "detect", "--record", filepath.Join(dir, "syn"))
	require.Equal(t, 0, code, errOut)
	lines := strings.Fields(out)
	require.Len(t, lines, len(beats), "one line per beat")
	for i, l := range lines {
		v, err := strconv.ParseInt(l, 10, 64)
		require.NoError(t, err, "line %d %q is a sample index", i, l)
		assert.InDelta(t, beats[i], v, 5, "beat %d within 20 ms of its R wave", i)
	}
}

func TestECGDetectAcceptsTheHeaderFileName(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	_, plain, _ := runECGCLI("ecg", "detect", "--record", filepath.Join(dir, "syn"))
	code, withExt, errOut := runECGCLI("ecg", "detect", "--record", filepath.Join(dir, "syn.hea"))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, plain, withExt)
}

func TestECGEvalScoresEveryAnnotatedRecord(t *testing.T) {
	dir := t.TempDir()
	beats := writeECGRecord(t, dir, "syn")
	// A header without annotations is not a scored record.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lonely.hea"), []byte("lonely 1 250\nlonely.dat 16\n"), 0o600))
	code, out, errOut := runECGCLI("ecg", "eval", "--db", dir)
	require.Equal(t, 0, code, errOut)
	scored := 0
	for _, b := range beats {
		if b >= 300*250 {
			scored++
		}
	}
	tp := strconv.Itoa(scored)
	assert.Regexp(t, `syn\s+`+tp+`\s+0\s+0\s+100\.00\s+100\.00`, out, "record line")
	assert.Regexp(t, `gross\s+`+tp+`\s+0\s+0\s+100\.00\s+100\.00`, out, "all %s beats from 5:00 found, nothing else", tp)
	assert.NotContains(t, out, "lonely")
}

func TestECGCommandReportsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no subcommand prints usage", []string{"ecg"}, 2, "usage:"},
		{"an unknown subcommand is named", []string{"ecg", "listen"}, 2, `unknown subcommand "listen"`},
		{"detect needs a record", []string{"ecg", "detect"}, 2, "--record DIR/NAME is required"},
		{"eval needs a database", []string{"ecg", "eval"}, 2, "--db DIR is required"},
		{"a missing record is reported", []string{"ecg", "detect", "--record", filepath.Join(dir, "nope")}, 1, "open header of record nope"},
		{"a signal the record lacks is reported", []string{"ecg", "detect", "--record", filepath.Join(dir, "syn"), "--signal", "3"}, 1, "signal 3: record syn has signals 0..0"},
		{"a database without annotated records is reported", []string{"ecg", "eval", "--db", t.TempDir()}, 1, "no record in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runECGCLI(tc.args...)
			assert.Equal(t, tc.wantCode, code)
			assert.Contains(t, errOut, tc.wantErr)
		})
	}
}

func TestECGEvalOnThe128HzReferenceRecord(t *testing.T) {
	db := filepath.Join(sharedfiles.Dir(t, "ecg", "svdb/800.hea"), "svdb")
	code, out, errOut := runECGCLI("ecg", "eval", "--db", db)
	require.Equal(t, 0, code, errOut)
	var gross []string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 6 && f[0] == "gross" {
			gross = f
		}
	}
	require.NotNil(t, gross, "a gross line in:\n%s", out)
	se, err := strconv.ParseFloat(gross[4], 64)
	require.NoError(t, err)
	ppv, err := strconv.ParseFloat(gross[5], 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, se, 99.9, "sensitivity on svdb/800")
	assert.GreaterOrEqual(t, ppv, 99.5, "positive predictivity on svdb/800")
}
