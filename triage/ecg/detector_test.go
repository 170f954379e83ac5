package ecg_test

import (
	"math"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/wfdb"
	"github.com/legevakt/workstation/sharedfiles"
	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/ecg/eval"
)

// sharedECG is the annotated ECG records of shared/ecg.
func sharedECG(t testing.TB) string {
	t.Helper()
	return sharedfiles.Dir(t, "ecg", "mitdb/100.hea")
}

func samplesOf(beats []ecg.Beat) []int64 {
	out := make([]int64, len(beats))
	for i, b := range beats {
		out[i] = b.Sample
	}
	return out
}

// score compares detections with the true R waves over the whole signal.
func score(t *testing.T, ref []int64, beats []ecg.Beat, rate float64) eval.Counts {
	t.Helper()
	c, err := eval.Compare(ref, samplesOf(beats), rate, eval.Options{Window: eval.MatchWindow, Start: 0})
	require.NoError(t, err)
	return c
}

func TestNewDetectorRefusesRatesOutsideTheSupportedRange(t *testing.T) {
	for _, rate := range []float64{0, 100, 124.9, 1000.1, math.NaN(), math.Inf(1), -360} {
		_, err := ecg.NewDetector(rate)
		require.Error(t, err, "rate %g", rate)
		assert.Contains(t, err.Error(), "want 125..1000")
	}
}

func TestDetectorFindsEveryBeatAtEverySupportedRate(t *testing.T) {
	for _, rate := range []float64{125, 128, 200, 250, 300, 360, 500, 1000} {
		x, ref := synthECG(rate, sinusArrhythmia(60, 72))
		beats, err := ecg.DetectAll(x, rate)
		require.NoError(t, err)
		c := score(t, ref, beats, rate)
		assert.Equal(t, eval.Counts{TP: len(ref)}, c, "at %g/s: every beat once, nothing else", rate)
		for i, b := range beats {
			if i < len(ref) {
				assert.InDelta(t, ref[i], b.Sample, 0.02*rate, "at %g/s beat %d is placed on its R wave (within 20 ms)", rate, i)
			}
		}
	}
}

func TestDetectorCopesWithInterferenceAndExtremeRates(t *testing.T) {
	const rate = 360.0
	tests := []struct {
		name  string
		rr    []float64
		spoil func(x []float64)
	}{
		{"50 Hz mains of 0.3 mV does not add or hide beats", regular(60, 72), func(x []float64) { addSine(x, rate, 50, 0.3) }},
		{"60 Hz mains of 0.3 mV does not add or hide beats", regular(60, 72), func(x []float64) { addSine(x, rate, 60, 0.3) }},
		{"baseline wander of 2 mV with breathing does not add or hide beats", regular(60, 72), func(x []float64) {
			addSine(x, rate, 0.15, 2)
			addSine(x, rate, 0.3, 0.5)
		}},
		{"a large DC offset does not add or hide beats", regular(60, 72), func(x []float64) {
			for i := range x {
				x[i] += 500
			}
		}},
		{"an inverted lead (negative QRS) is followed", regular(60, 72), func(x []float64) {
			for i := range x {
				x[i] = -x[i]
			}
		}},
		{"pacemaker spikes (2 mV, 1 ms) 40 ms before each QRS are not counted twice", regular(60, 72), func(x []float64) {
			for t := 1.0 - 0.04; t < float64(len(x))/rate; t += 60.0 / 72 {
				x[int(t*rate)] += 2
			}
		}},
		{"tall T waves (1.2 times the R wave) are not taken for beats", regular(60, 72), func(x []float64) {
			for t := 1.0; t < float64(len(x))/rate-1; t += 60.0 / 72 {
				c := (t + 0.40*math.Sqrt(60.0/72) - 0.08) * rate
				for i := int(c - 0.2*rate); i < int(c+0.2*rate) && i < len(x); i++ {
					d := (float64(i) - c) / (0.04 * rate)
					x[i] += 0.9 * math.Exp(-d*d/2)
				}
			}
		}},
		{"a very fast rate of 220/min is followed", regular(200, 220), nil},
		{"a very slow rate of 30/min is followed", regular(20, 30), nil},
		{"a randomly irregular rhythm (atrial fibrillation) is followed", fibrillation(120, 90, 1), nil},
		{"ventricular bigeminy is followed", bigeminy(80, 70), nil},
		{"short gaps of missing samples (NaN) do not add beats", regular(60, 72), func(x []float64) {
			for s := int(5 * rate); s+20 < len(x); s += int(7 * rate) {
				for i := s; i < s+20; i++ {
					x[i] = math.NaN()
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, ref := synthECG(rate, tc.rr)
			if tc.spoil != nil {
				tc.spoil(x)
			}
			beats, err := ecg.DetectAll(x, rate)
			require.NoError(t, err)
			c := score(t, ref, beats, rate)
			assert.Equal(t, 0, c.FP, "false beats")
			assert.LessOrEqual(t, c.FN, 0, "missed beats")
		})
	}
}

func TestPacerPulsesWithoutCaptureAreNotBeats(t *testing.T) {
	// Twenty paced beats, then the pacemaker fails to capture: its
	// pulses go on every 0.8 s for 10 s with no QRS after them. Spike
	// rejection works from 250/s up (docs/ecg.md).
	for _, rate := range []float64{250, 360, 500, 1000} {
		x, ref := synthECG(rate, regular(20, 75))
		x = append(x, make([]float64, int(10*rate))...)
		pulse := max(1, int(0.001*rate)) // 1 ms
		for t0 := 1.0 - 0.04; t0 < float64(len(x))/rate-0.01; t0 += 0.8 {
			for i := int(t0 * rate); i < int(t0*rate)+pulse; i++ {
				x[i] += 3
			}
		}
		beats, err := ecg.DetectAll(x, rate)
		require.NoError(t, err)
		c := score(t, ref, beats, rate)
		assert.Equal(t, eval.Counts{TP: len(ref)}, c, "at %g/s: the paced beats and nothing after capture is lost", rate)
	}
}

// pushInChunks feeds x split at random points, as a device stream would.
func pushInChunks(t *testing.T, x []float64, rate float64, r *rand.Rand, maxChunk int) []ecg.Beat {
	t.Helper()
	d, err := ecg.NewDetector(rate)
	require.NoError(t, err)
	var got []ecg.Beat
	add := func(b ecg.Beat) { got = append(got, b) }
	for len(x) > 0 {
		n := 1 + r.Intn(maxChunk)
		if n > len(x) {
			n = len(x)
		}
		d.Push(x[:n], add)
		x = x[n:]
	}
	d.Flush(add)
	return got
}

func TestStreamingGivesTheSameBeatsAsOffline(t *testing.T) {
	const rate = 250.0
	x, _ := synthECG(rate, fibrillation(150, 100, 7))
	addSine(x, rate, 50, 0.4)
	r := rand.New(rand.NewSource(3))
	for i := range x {
		x[i] += 0.05 * r.NormFloat64()
	}
	whole, err := ecg.DetectAll(x, rate)
	require.NoError(t, err)
	require.NotEmpty(t, whole)
	t.Run("sample by sample gives the same beats as the whole signal", func(t *testing.T) {
		assert.Equal(t, whole, pushInChunks(t, x, rate, r, 1))
	})
	t.Run("random blocks of up to 700 samples give the same beats", func(t *testing.T) {
		assert.Equal(t, whole, pushInChunks(t, x, rate, r, 700))
	})
	t.Run("beats come out in time order with delays within the documented bounds", func(t *testing.T) {
		d, err := ecg.NewDetector(rate)
		require.NoError(t, err)
		var n int64
		last := int64(-1)
		for i := range x {
			d.Push(x[i:i+1], func(b ecg.Beat) {
				assert.Greater(t, b.Sample, last)
				last = b.Sample
				delay := float64(n-b.Sample) / rate
				bound := d.Latency()
				if b.SearchBack {
					bound = d.MaxSearchBackDelay()
				}
				if float64(n) <= ecg.LearnPeriod*rate {
					bound = ecg.LearnPeriod // beats of the learning period come at its end
				}
				assert.LessOrEqual(t, delay, bound, "beat at %d emitted at %d", b.Sample, n)
			})
			n++
		}
	})
}

func TestStreamingEqualsOfflineOnARealRecord(t *testing.T) {
	rec, err := wfdb.ReadRecord(os.DirFS(sharedECG(t)), "mitdb/105")
	require.NoError(t, err)
	x, err := rec.Physical(0)
	require.NoError(t, err)
	x = x[:3*60*360] // three noisy minutes
	whole, err := ecg.DetectAll(x, rec.Header.Rate)
	require.NoError(t, err)
	assert.Equal(t, whole, pushInChunks(t, x, rec.Header.Rate, rand.New(rand.NewSource(5)), 400))
}

// referenceBeats returns the beat annotations of a record.
func referenceBeats(t *testing.T, name string) []int64 {
	t.Helper()
	anns, err := wfdb.ReadAnnotationFile(os.DirFS(sharedECG(t)), name, "atr")
	require.NoError(t, err)
	var ref []int64
	for _, a := range anns {
		if a.Code.IsBeat() {
			ref = append(ref, a.Sample)
		}
	}
	return ref
}

func TestDetectorAccuracyFloorOnReferenceRecords(t *testing.T) {
	db := sharedECG(t)
	// The first 15 minutes of each record (10 scored, from 5:00), to keep
	// the test fast under the race detector. Floors sit a little below
	// the measured figures (docs/ecg.md), so a regression fails the test.
	tests := []struct {
		record   string
		minSe    float64
		minPPV   float64
		describe string
	}{
		{"mitdb/105", 0.997, 0.995, "heavy noise"},
		{"mitdb/107", 0.999, 0.999, "paced rhythm"},
		{"mitdb/108", 0.995, 0.99, "tall P waves and noise"},
		{"mitdb/119", 0.999, 0.999, "ventricular bigeminy and trigeminy"},
		{"svdb/800", 0.999, 0.99, "128 samples/s"},
	}
	for _, tc := range tests {
		t.Run(tc.record+" ("+tc.describe+") keeps its accuracy", func(t *testing.T) {
			rec, err := wfdb.ReadRecord(os.DirFS(db), tc.record)
			require.NoError(t, err)
			x, err := rec.Physical(0)
			require.NoError(t, err)
			end := int64(15 * 60 * rec.Header.Rate)
			x = x[:end]
			beats, err := ecg.DetectAll(x, rec.Header.Rate)
			require.NoError(t, err)
			var ref []int64
			for _, r := range referenceBeats(t, tc.record) {
				if r < end-int64(eval.MatchWindow*rec.Header.Rate) {
					ref = append(ref, r)
				}
			}
			c, err := eval.Compare(ref, samplesOf(beats), rec.Header.Rate, eval.DefaultOptions())
			require.NoError(t, err)
			t.Logf("%s first 15 min: %+v Se %.4f +P %.4f", tc.record, c, c.Se(), c.PPV())
			assert.GreaterOrEqual(t, c.Se(), tc.minSe, "sensitivity: %+v", c)
			assert.GreaterOrEqual(t, c.PPV(), tc.minPPV, "positive predictivity: %+v", c)
		})
	}
}

// resample converts x from rate to newRate by linear interpolation.
func resample(x []float64, rate, newRate float64) []float64 {
	n := int(float64(len(x)-1) * newRate / rate)
	out := make([]float64, n)
	for i := range out {
		p := float64(i) * rate / newRate
		k := int(p)
		f := p - float64(k)
		out[i] = x[k]*(1-f) + x[k+1]*f
	}
	return out
}

func TestDetectorGeneralisesToOtherSamplingRatesOfARealRecord(t *testing.T) {
	rec, err := wfdb.ReadRecord(os.DirFS(sharedECG(t)), "mitdb/119")
	require.NoError(t, err)
	x, err := rec.Physical(0)
	require.NoError(t, err)
	// The first 12 minutes (7 scored), to keep the test fast.
	end := int64(12 * 60 * rec.Header.Rate)
	x = x[:end]
	var ref []int64
	for _, r := range referenceBeats(t, "mitdb/119") {
		if r < end-int64(eval.MatchWindow*rec.Header.Rate) {
			ref = append(ref, r)
		}
	}
	for _, rate := range []float64{125, 250, 500, 1000} {
		y := resample(x, rec.Header.Rate, rate)
		scaled := make([]int64, len(ref))
		for i, r := range ref {
			scaled[i] = int64(math.Round(float64(r) * rate / rec.Header.Rate))
		}
		beats, err := ecg.DetectAll(y, rate)
		require.NoError(t, err)
		c, err := eval.Compare(scaled, samplesOf(beats), rate, eval.DefaultOptions())
		require.NoError(t, err)
		assert.GreaterOrEqual(t, c.Se(), 0.998, "record 119 resampled to %g/s: %+v", rate, c)
		assert.GreaterOrEqual(t, c.PPV(), 0.998, "record 119 resampled to %g/s: %+v", rate, c)
	}
}

func FuzzDetector(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 255, 128, 7}, uint16(360))
	f.Fuzz(func(t *testing.T, raw []byte, rate16 uint16) {
		rate := float64(ecg.MinRate + int(rate16)%(ecg.MaxRate-ecg.MinRate+1))
		x := make([]float64, 0, len(raw)*8)
		for len(x) < len(raw)*8 {
			for _, b := range raw {
				switch b {
				case 0xFF:
					x = append(x, math.NaN())
				case 0xFE:
					x = append(x, math.Inf(1))
				default:
					x = append(x, float64(int8(b)))
				}
			}
		}
		beats, err := ecg.DetectAll(x, rate)
		require.NoError(t, err)
		for i, b := range beats {
			require.GreaterOrEqual(t, b.Sample, int64(0))
			require.Less(t, b.Sample, int64(len(x)))
			if i > 0 {
				require.Greater(t, b.Sample, beats[i-1].Sample, "beats in time order")
			}
		}
		a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: rate, UnitsPerMillivolt: 1})
		require.NoError(t, err)
		a.Push(x, len(raw) > 0 && raw[0] == 0xFD, nil)
		s := a.Summary()
		if !math.IsNaN(s.HeartRate) {
			require.Greater(t, s.HeartRate, 0.0)
			require.False(t, math.IsInf(s.HeartRate, 0))
		}
		_, ok := s.Observation(time.Time{}, time.Time{})
		require.Equal(t, !math.IsNaN(s.HeartRate), ok, "an observation exactly when there is a rate")
	})
}
