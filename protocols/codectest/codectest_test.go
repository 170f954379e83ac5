package codectest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// lineDecoder is a toy protocol: one record per "\n"-terminated line, HR
// from the line's length, and a one-sample wave that is a gap (NaN) for an
// empty line. With splitBug it forgets a partial line at the end of each
// Feed, the bug SplitInvariance exists to find.
type lineDecoder struct {
	splitBug bool
	buf      []byte
	rec      string
	stats    codec.Stats
}

func (d *lineDecoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.buf = append(d.buf, p...)
}

func (d *lineDecoder) Scan() bool {
	i := strings.IndexByte(string(d.buf), '\n')
	if i < 0 {
		if d.splitBug {
			d.buf = d.buf[:0]
		}
		return false
	}
	d.rec, d.buf = string(d.buf[:i]), d.buf[i+1:]
	d.stats.Records++
	return true
}

func (d *lineDecoder) Record() string     { return d.rec }
func (d *lineDecoder) Stats() codec.Stats { return d.stats }

func newLines(splitBug bool) func() codec.Decoder {
	return func() codec.Decoder {
		return codec.Adapt[string](&lineDecoder{splitBug: splitBug}, "toy", codec.Mapping[string]{
			Observations: func(r string, h time.Time) []vitals.Observation {
				return []vitals.Observation{{Kind: vitals.HR, Value: float64(len(r)), HostTime: h}}
			},
			Waves: func(r string, h time.Time) []vitals.Wave {
				s := math.NaN()
				if r != "" {
					s = float64(r[0])
				}
				return []vitals.Wave{{Kind: vitals.WaveECG, Samples: []float64{s}, HostTime: h}}
			},
		})
	}
}

// recorder is a testing.TB that records failures instead of failing the
// test around it, so the helpers' own failures can be checked.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) FailNow() { runtime.Goexit() }

// run calls f with a recorder on its own goroutine (FailNow ends it) and
// returns the failures.
func run(t *testing.T, f func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.errors
}

func TestSplitInvarianceHoldsForAGoodDecoderWithGapSamples(t *testing.T) {
	stream := []byte("abc\n\nde\nfghij\n")
	errs := run(t, func(tb testing.TB) {
		whole := SplitInvariance(tb, newLines(false), stream, Splits{Records: "lines", Seed: 1, MaxPiece: 5})
		assert.Len(tb, whole, 4, "four lines")
	})
	assert.Empty(t, errs, "a decoder that keeps partial lines passes; NaN gap samples compare equal")
}

func TestSplitInvarianceFindsADecoderThatLosesPartialRecords(t *testing.T) {
	errs := run(t, func(tb testing.TB) {
		SplitInvariance(tb, newLines(true), []byte("abc\nde\n"), Splits{Records: "lines", Seed: 1, MaxPiece: 5})
	})
	require.NotEmpty(t, errs, "a decoder that drops partial lines must fail")
	assert.Contains(t, errs[0], "one byte at a time gives other lines than the whole buffer")
}

func TestSplitInvarianceRequiresRecords(t *testing.T) {
	errs := run(t, func(tb testing.TB) {
		SplitInvariance(tb, newLines(false), []byte("no line ending"), Splits{Records: "lines"})
	})
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0], "gives no lines at all")
}

func TestFuzzFindsADecoderThatDependsOnTheCut(t *testing.T) {
	errs := run(t, func(tb testing.TB) {
		Fuzz(tb, newLines(true), []byte("abc\nde\n"), 2, Splits{Records: "lines"})
	})
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0], "gives other lines than the whole buffer")

	var recs []any
	errs = run(t, func(tb testing.TB) {
		recs = Fuzz(tb, newLines(false), []byte("abc\n\nde\n"), -3, Splits{Records: "lines"})
	})
	assert.Empty(t, errs, "any cut, even a negative one from the fuzzer's integer, is taken modulo the length")
	assert.Equal(t, []any{"abc", "", "de"}, recs)
}

func TestForeignStreamFindsASilentDecoder(t *testing.T) {
	errs := run(t, func(tb testing.TB) {
		ForeignStream(tb, newLines(false)(), []byte("a line of another protocol\n"), "lines")
	})
	require.Len(t, errs, 2, "a record was delivered and no error was counted")
	assert.Contains(t, errs[0], "a stream of another protocol gave lines")
	assert.Contains(t, errs[1], "counted no errors")
}

func TestPiecesCoverTheStreamInOrder(t *testing.T) {
	b := []byte("0123456789")
	assert.Equal(t, [][]byte{{'0'}, {'1'}, {'2'}, {'3'}, {'4'}, {'5'}, {'6'}, {'7'}, {'8'}, {'9'}}, Bytewise(b))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		var joined []byte
		for _, p := range RandomPieces(rng, b, 4) {
			require.NotEmpty(t, p, "no empty piece")
			require.LessOrEqual(t, len(p), 4, "no piece longer than the maximum")
			joined = append(joined, p...)
		}
		require.Equal(t, b, joined, "the pieces put together are the stream")
	}
}

func TestRecordsCollectsTypedRecordsAndStats(t *testing.T) {
	got, st := Records[string](&lineDecoder{}, []byte("ab\nc"), []byte("d\n"))
	assert.Equal(t, []string{"ab", "cd"}, got)
	assert.Equal(t, codec.Stats{Bytes: 6, Records: 2}, st)
}

func TestObserveCollectsAndFromDeviceChecksTheSource(t *testing.T) {
	obs, waves := Observe(t, newLines(false)(), Host, []byte("ab\n\nc"))
	require.Len(t, obs, 2, "two complete lines, the third has no end yet")
	require.Len(t, waves, 2)
	assert.Equal(t, Host, obs[0].HostTime, "observations are stamped with the given host time")
	assert.Empty(t, run(t, func(tb testing.TB) { FromDevice(tb, "toy", obs, waves) }))
	errs := run(t, func(tb testing.TB) { FromDevice(tb, "bed-4", obs, waves) })
	require.Len(t, errs, 4, "two observations and two waves name another device")
	assert.Contains(t, errs[0], `came from device "bed-4", says "toy"`)
}
