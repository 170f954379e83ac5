// Package codectest holds the checks that every protocol codec under
// protocols/ must pass, written once: any split of a stream gives the
// records of the whole buffer, golden files under testdata/ with an
// -update flag, the body of a FuzzDecoder target, and the decode loop of a
// benchmark.
//
// Only _test.go files import it. Its -update flag is therefore registered
// only in the test binaries of the protocol packages that use it, as
// flag.Bool in a test file would be.
package codectest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

var update = flag.Bool("update", false, "rewrite the recordings and golden files under testdata/")

// Recording returns the recorded stream testdata/name. With -update it is
// first rewritten from generate, so a recording and the code that made it
// cannot drift apart unnoticed (the diff shows in review).
func Recording(t testing.TB, name string, generate func() []byte) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, generate(), 0o644), "rewriting recording %s", path)
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err, "reading recording %s (run the test with -update to make it)", path)
	return b
}

// A GoldenStream is a recording testdata/<Name>.bin, what it shows, and
// how it is made again under -update.
type GoldenStream struct {
	Name string        // file name under testdata/ without .bin
	What string        // what the recording shows, for failure messages
	Make func() []byte // makes the recording again (from the emulator)
}

// GoldenDecodes decodes each recording with decode and checks the result
// against testdata/<Name>.golden.jsonl, one subtest per recording. With
// -update both the recordings and the golden files are rewritten (then
// check the diff by hand).
func GoldenDecodes(t *testing.T, streams []GoldenStream, decode func(t *testing.T, data []byte) []byte) {
	t.Helper()
	for _, g := range streams {
		t.Run(g.Name, func(t *testing.T) {
			data := Recording(t, g.Name+".bin", g.Make)
			Golden(t, g.Name+".golden.jsonl", decode(t, data), filepath.Join("testdata", g.Name+".bin")+" ("+g.What+")")
		})
	}
}

// RecordingsInAnySplit runs SplitInvariance on each recording, one
// subtest per recording; s gives the Splits for the subtest's t (a Copy
// that re-encodes needs it).
func RecordingsInAnySplit(t *testing.T, streams []GoldenStream, newDecoder func() codec.Decoder, s func(t *testing.T) Splits) {
	t.Helper()
	for _, g := range streams {
		t.Run(g.Name, func(t *testing.T) {
			SplitInvariance(t, newDecoder, Recording(t, g.Name+".bin", g.Make), s(t))
		})
	}
}

// Golden checks got against testdata/name byte for byte; with -update it
// first rewrites the file (then check the diff by hand). what says what
// was decoded, for the failure message.
func Golden(t testing.TB, name string, got []byte, what string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644), "rewriting golden file %s", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "reading golden file %s (run the test with -update to make it)", path)
	assert.Equal(t, string(want), string(got), "decode of %s differs from %s", what, path)
}

// GoldenJSON is Golden for v written as indented JSON (one space per
// level, as the golden files under testdata/ are).
func GoldenJSON(t testing.TB, name string, v any, what string) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err, "writing the decode of %s as JSON", what)
	Golden(t, name, b, what)
}

// Bytewise cuts b into pieces of one byte each.
func Bytewise(b []byte) [][]byte {
	pieces := make([][]byte, len(b))
	for i := range b {
		pieces[i] = b[i : i+1]
	}
	return pieces
}

// RandomPieces cuts b into pieces of 1 to maxPiece bytes drawn from rng.
func RandomPieces(rng *rand.Rand, b []byte, maxPiece int) [][]byte {
	maxPiece = max(maxPiece, 1)
	var pieces [][]byte
	for rest := b; len(rest) > 0; {
		n := min(len(rest), 1+rng.IntN(maxPiece))
		pieces = append(pieces, rest[:n])
		rest = rest[n:]
	}
	return pieces
}

// Records feeds the pieces to d in order and collects every record it
// delivers, with its stats at the end. R must be a value the decoder does
// not reuse (a struct, not a pointer into the decoder's buffer).
func Records[R any](d codec.Stream[R], pieces ...[]byte) ([]R, codec.Stats) {
	var out []R
	for _, p := range pieces {
		d.Feed(p)
		for d.Scan() {
			out = append(out, d.Record())
		}
	}
	return out, d.Stats()
}

// Host is the host time SplitInvariance and Fuzz give to Observations and
// Waves.
var Host = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// Observe feeds stream whole to d and collects every observation and wave
// it maps at host. Every successful Scan must give a record.
func Observe(t testing.TB, d codec.Decoder, host time.Time, stream []byte) ([]vitals.Observation, []vitals.Wave) {
	t.Helper()
	d.Feed(stream)
	var obs []vitals.Observation
	var waves []vitals.Wave
	for d.Scan() {
		require.NotNil(t, d.Record(), "Scan reported a record and Record gave none")
		obs = append(obs, d.Observations(host)...)
		waves = append(waves, d.Waves(host)...)
	}
	return obs, waves
}

// FromDevice checks that every observation and wave carries the device id
// the codec was configured with: the board shows where a value came from.
func FromDevice(t testing.TB, id string, obs []vitals.Observation, waves []vitals.Wave) {
	t.Helper()
	for _, o := range obs {
		assert.Equal(t, id, o.Source, "%s %v came from device %q, says %q", o.Kind, o.Value, id, o.Source)
	}
	for _, w := range waves {
		assert.Equal(t, id, w.Source, "%s wave %s came from device %q, says %q", w.Kind, w.Channel, id, w.Source)
	}
}

// Decoded is what a codec.Decoder gave for one record.
type Decoded struct {
	Record       any                  // the record, or its copy (Splits.Copy)
	Observations []vitals.Observation // what Observations gave for it
	Waves        []vitals.Wave        // what Waves gave for it
}

// Decode feeds the pieces to d in order and collects every record with its
// observations and waves at Host, and the stats at the end. copyRecord
// copies a record that is valid only until the next Scan (nil keeps
// records as they are).
func Decode(d codec.Decoder, copyRecord func(rec any) any, pieces ...[]byte) ([]Decoded, codec.Stats) {
	var out []Decoded
	for _, p := range pieces {
		d.Feed(p)
		for d.Scan() {
			rec := d.Record()
			if copyRecord != nil {
				rec = copyRecord(rec)
			}
			out = append(out, Decoded{Record: rec, Observations: d.Observations(Host), Waves: d.Waves(Host)})
		}
	}
	return out, d.Stats()
}

// Splits names a protocol's records and says how SplitInvariance cuts its
// stream.
type Splits struct {
	// Records is the protocol's word for its records ("packets",
	// "messages", "samples"), used in failure messages.
	Records string
	// Seed seeds the random cuts (PCG(Seed, Seed+1)), so a failing cut is
	// the same on every run.
	Seed uint64
	// MaxPiece is the longest random piece in bytes (1 when zero).
	MaxPiece int
	// Copy copies a record that is valid only until the next Scan, e.g. by
	// re-encoding it; nil keeps records as they are.
	Copy func(rec any) any
}

// randomRounds is how many random splittings SplitInvariance tries.
const randomRounds = 20

// SplitInvariance checks the promise of Feed: the stream fed whole, one
// byte at a time, and in 20 random splittings gives the same records, the
// same observations and waves, and the same Stats (bytes, frames,
// records, resyncs, errors by kind). The stream must give at least one
// record. It returns what the whole buffer gave, for further checks.
func SplitInvariance(t testing.TB, newDecoder func() codec.Decoder, stream []byte, s Splits) []Decoded {
	t.Helper()
	whole, ws := Decode(newDecoder(), s.Copy, stream)
	require.NotEmpty(t, whole, "the stream of %d bytes gives no %s at all", len(stream), s.Records)
	same(t, whole, ws, newDecoder, s.Copy, Bytewise(stream), fmt.Sprintf("one byte at a time gives other %s than the whole buffer", s.Records))
	rng := rand.New(rand.NewPCG(s.Seed, s.Seed+1))
	for round := range randomRounds {
		pieces := RandomPieces(rng, stream, s.MaxPiece)
		same(t, whole, ws, newDecoder, s.Copy, pieces, fmt.Sprintf("random splitting %d (seed %d, %d pieces) gives other %s than the whole buffer", round, s.Seed, len(pieces), s.Records))
	}
	return whole
}

// Fuzz is the body every FuzzDecoder shares: data must not panic the
// decoder or its mappings; data whole, one byte at a time and cut in two
// at cut (taken modulo len(data)+1) must give the same records,
// observations, waves and stats; the stats must count every byte fed and
// every record delivered. It returns the records of the whole buffer for
// the protocol's own checks (re-encoding, ranges).
func Fuzz(t testing.TB, newDecoder func() codec.Decoder, data []byte, cut int, s Splits) []any {
	t.Helper()
	whole, ws := Decode(newDecoder(), s.Copy, data)
	same(t, whole, ws, newDecoder, s.Copy, Bytewise(data), fmt.Sprintf("one byte at a time gives other %s than the whole buffer", s.Records))
	cut = ((cut % (len(data) + 1)) + len(data) + 1) % (len(data) + 1)
	same(t, whole, ws, newDecoder, s.Copy, [][]byte{data[:cut], data[cut:]}, fmt.Sprintf("cut at byte %d gives other %s than the whole buffer", cut, s.Records))
	require.Equal(t, uint64(len(data)), ws.Bytes, "stats count %d bytes of %d fed", ws.Bytes, len(data))
	require.Equal(t, uint64(len(whole)), ws.Records, "stats count %d %s, Scan delivered %d", ws.Records, s.Records, len(whole))
	out := make([]any, len(whole))
	for i, d := range whole {
		out[i] = d.Record
	}
	return out
}

// AddRecordings adds the recordings testdata/<name> to the seed corpus of
// f; one that is missing (not yet made with -update) is left out, since
// the fuzz target also runs as a plain test.
func AddRecordings(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			continue
		}
		// Small windows, not the whole recording: the fuzzer minimises
		// every seed that finds new coverage, and a recording of a few KiB
		// takes it most of a minute, leaving no time to fuzz.
		for off, n := 0, 0; off < len(b) && n < maxSeedWindows; off, n = off+seedWindowStep, n+1 {
			f.Add(b[off:min(off+seedWindow, len(b))])
		}
	}
}

// Seed windows of a recording: up to maxSeedWindows of seedWindow bytes,
// one every seedWindowStep bytes.
const (
	seedWindow     = 256
	seedWindowStep = 1024
	maxSeedWindows = 4
)

// FuzzRecords runs the fuzz target of a protocol whose input is one byte
// slice: Fuzz with a cut in the middle, then check, for each record of the
// whole buffer, the protocol's own promises (re-encoding, value ranges).
func FuzzRecords(f *testing.F, newDecoder func() codec.Decoder, s Splits, check func(t *testing.T, rec any)) {
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, rec := range Fuzz(t, newDecoder, b, len(b)/2, s) {
			check(t, rec)
		}
	})
}

// AddRecordingWindows adds every recording testdata/*.bin to the seed
// corpus of a FuzzSplits target, as windows of at most 512 bytes (one
// every KiB) cut in the middle: the fuzzer minimises every new input, and
// whole recordings make that take minutes.
func AddRecordingWindows(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.bin"))
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		for off := 0; off < len(b); off += 1024 {
			w := b[off:min(off+512, len(b))]
			f.Add(w, uint16(len(w)/2))
		}
	}
}

// FuzzSplits runs the fuzz target of a protocol whose input is a byte
// slice and where to cut it (a uint16): Fuzz, with s.Copy re-encoding
// each record so that every record must encode again.
func FuzzSplits(f *testing.F, newDecoder func() codec.Decoder, s func(t *testing.T) Splits) {
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		Fuzz(t, newDecoder, data, int(split), s(t))
	})
}

// FuzzBehindChecksum runs the fuzz target of a protocol whose frames carry
// a checksum, so that the fuzzer's mutations reach the parser behind it:
// each input is made a frame by frame, which sets its checksum right
// (false when it cannot be framed, e.g. too long), and checked as Fuzz
// checks a stream, with s's Copy re-encoding each record. Seeds: the first
// records of each recording testdata/*.bin, as record gives their bytes.
func FuzzBehindChecksum(f *testing.F, newDecoder func() codec.Decoder, record func(rec any) ([]byte, error), frame func(b []byte) ([]byte, bool), s func(t *testing.T) Splits) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.bin"))
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		d := newDecoder()
		d.Feed(b)
		for n := 0; n < seedRecords && d.Scan(); n++ {
			rec, err := record(d.Record())
			require.NoError(f, err, "a recorded record of %s does not encode again", name)
			f.Add(rec)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if fr, ok := frame(b); ok {
			Fuzz(t, newDecoder, fr, len(fr)/2, s(t))
		}
	})
}

// seedRecords is how many records of each recording FuzzBehindChecksum
// takes as seeds: small inputs, mutated rather than minimised.
const seedRecords = 6

// same decodes the pieces with a new decoder and requires what the whole
// buffer gave.
func same(t testing.TB, whole []Decoded, ws codec.Stats, newDecoder func() codec.Decoder, copyRecord func(any) any, pieces [][]byte, msg string) {
	t.Helper()
	got, gs := Decode(newDecoder(), copyRecord, pieces...)
	require.Equal(t, recordsOf(whole), recordsOf(got), "%s", msg)
	// Observations and waves are compared as text: a gap sample is NaN, and
	// NaN is never equal to itself, while "NaN" is.
	require.Equal(t, mappedOf(whole), mappedOf(got), "%s (observations and waves)", msg)
	require.Equal(t, ws, gs, "%s (stats)", msg)
}

func recordsOf(ds []Decoded) []any {
	out := make([]any, len(ds))
	for i, d := range ds {
		out[i] = d.Record
	}
	return out
}

func mappedOf(ds []Decoded) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("observations %+v waves %+v", d.Observations, d.Waves)
	}
	return out
}

// ErrorCounts checks every error kind of st against want (a kind missing
// from want must be zero), so a test names the errors it expects and
// every other kind is checked to be absent.
func ErrorCounts(t testing.TB, st codec.Stats, want map[codec.ErrorKind]uint64) {
	t.Helper()
	for _, k := range codec.ErrorKinds() {
		assert.Equal(t, want[k], st.ErrorCount(k), "errors of kind %s", k)
	}
}

// A ForeignSample is a short stream of one protocol the workstation reads.
type ForeignSample struct {
	Protocol string // the protocol's name in the device profiles ("nonin", "hl7")
	Name     string // what the stream is, as a subtest name
	Stream   []byte // the bytes as the device sends them
}

// ForeignSamples are streams of the protocols the workstation reads, for
// checking that a decoder given another protocol's bytes (a device set to
// the wrong profile) counts errors instead of going quiet.
var ForeignSamples = []ForeignSample{
	{"nonin", "Nonin DF2 frames", bytes.Repeat([]byte{0x01, 0x81, 0x40, 0x00, 0xC2}, 200)},
	{"masimo", "a Masimo line", []byte("03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064\r\n")},
	{"hl7", "an HL7 message", []byte("\x0bMSH|^~\\&|MON||||20261122100000||ORU^R01|1|P|2.6\r\x1c\r")},
	{"hl7", "an HL7 message with an OBX", []byte("\x0bMSH|^~\\&|MON||||20261122100000||ORU^R01|1|P|2.6\rOBX|1|NM|8867-4^HR^LN||80|/min\r\x1c\r")},
	{"ecgascii", "an AD8232 ECG stream", []byte("512\r\n513\r\n!\r\n")},
}

// ForeignStreams runs ForeignStream, as one subtest each, on every sample
// of ForeignSamples that is not of protocol own.
func ForeignStreams(t *testing.T, own string, newDecoder func() codec.Decoder, records string) {
	t.Helper()
	for _, s := range ForeignSamples {
		if s.Protocol == own {
			continue
		}
		t.Run(s.Name, func(t *testing.T) { ForeignStream(t, newDecoder(), s.Stream, records) })
	}
}

// ForeignStream checks that a stream of another protocol gives no records
// and at least one counted error: a device set to the wrong protocol must
// show as errors, never as a silent monitor.
func ForeignStream(t testing.TB, d codec.Decoder, stream []byte, records string) {
	t.Helper()
	got, st := Decode(d, nil, stream)
	assert.Empty(t, got, "a stream of another protocol gave %s", records)
	assert.NotZero(t, st.TotalErrors(), "a stream of another protocol counted no errors: %+v", st)
}

// Unhex reads hex written with spaces and newlines, as conformance vectors
// are written out in the notes.
func Unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	require.NoError(t, err, "a test vector that is not hex")
	return b
}

// StableAdult is the patient the monitor emulators show in conversation
// and golden tests: every numeric kind at an unremarkable adult value and
// a 1 Hz sine ECG of ±1 mV.
func StableAdult() codec.PatientState {
	return codec.PatientState{
		Values: map[vitals.Kind]float64{
			vitals.HR: 72, vitals.PR: 72, vitals.SpO2: 97, vitals.RR: 15, vitals.SBP: 121, vitals.DBP: 75,
			vitals.MAP: 90, vitals.Temp: 36.6, vitals.EtCO2: 5.3,
		},
		ECG: func(t time.Time) float64 { return math.Sin(2 * math.Pi * float64(t.UnixNano()) / 1e9) },
	}
}

// Latest returns the last observation of each kind in obs.
func Latest(obs []vitals.Observation) map[vitals.Kind]vitals.Observation {
	m := map[vitals.Kind]vitals.Observation{}
	for _, o := range obs {
		m[o.Kind] = o
	}
	return m
}

// Scanner is the part of a decoder a benchmark drives.
type Scanner interface {
	Feed(p []byte)
	Scan() bool
}

// Benchmark feeds stream to d whole in every iteration and scans every
// record, calling each (when not nil) after every successful Scan. It
// reports bytes of wire per second and allocations per stream.
func Benchmark(b *testing.B, d Scanner, stream []byte, each func()) {
	b.Helper()
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		d.Feed(stream)
		for d.Scan() {
			if each != nil {
				each()
			}
		}
	}
}
