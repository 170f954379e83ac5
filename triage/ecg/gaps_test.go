package ecg_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/vitals"
)

// A rate the Analyzer calls valid must be the rate of the ECG, within the
// heart-rate meter tolerance of ANSI/AAMI EC13 / IEC 60601-2-27 (±10 % or
// ±5/min, whichever is greater). Beats lost in a gap (NaN samples,
// docs/ecg.md "NaN = gap") are not beats that did not happen: a 10 s
// window that spans a gap must not turn a steady 72/min into 43/min and
// call it valid.
func TestGapsDoNotGiveAValidWrongRate(t *testing.T) {
	for _, rate := range []float64{250, 300, 360, 500} {
		for _, g := range []struct{ dur, every float64 }{
			{3, 100}, // one 3 s drop-out
			{0.9, 2}, // repeated drop-outs of just under half of each 2 s
		} {
			x, _ := synthECG(rate, regular(60, 72))
			for s := 20.0; s < 45; s += g.every {
				for i := int(s * rate); i < int((s+g.dur)*rate) && i < len(x); i++ {
					x[i] = math.NaN()
				}
			}
			a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: rate, UnitsPerMillivolt: 1})
			if err != nil {
				t.Fatal(err)
			}
			block := int(rate / 4)
			for i := 0; i < len(x); i += block {
				a.Push(x[i:min(i+block, len(x))], false, nil)
				s := a.Summary()
				if s.Quality == vitals.Valid && math.Abs(s.HeartRate-72) > math.Max(5, 0.1*72) {
					assert.Failf(t, "valid but wrong rate", "%v/s, %.1f s gaps every %.0f s: at %.2f s the rate %.1f/min is called valid (true 72/min)",
						rate, g.dur, g.every, float64(i+block)/rate, s.HeartRate)
					break
				}
			}
		}
	}
}
