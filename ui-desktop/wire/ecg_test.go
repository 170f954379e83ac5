package wire

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
)

// synthECG is a clean lead at rate with an R wave every 60/bpm seconds.
func synthECG(rate, bpm float64, secs int) []float64 {
	n := int(rate) * secs
	out := make([]float64, n)
	period := 60 / bpm
	for i := range out {
		t := float64(i) / rate
		ph := math.Mod(t, period) - period/2
		out[i] = 1.2*math.Exp(-ph*ph/(2*0.012*0.012)) + 0.05*math.Sin(2*math.Pi*0.3*t)
	}
	return out
}

func TestTheECGAdapterFindsBeatsAndTheRate(t *testing.T) {
	const rate = 250.0
	samples := synthECG(rate, 75, 16)
	block := int(rate / 2)
	t0 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	first := vitals.Wave{Kind: vitals.WaveECG, Rate: rate, Unit: vitals.MilliVolt, Source: "mon-1", HostTime: t0, Quality: vitals.Valid}
	e := NewECG(first)
	require.NotNil(t, e)
	beats, lastHR, hrOK := 0, 0.0, false
	var hrObs *vitals.Observation
	for i := 0; i+block <= len(samples); i += block {
		w := first
		w.Samples = samples[i : i+block]
		w.HostTime = t0.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		r := e.Push(w)
		for _, b := range r.Beats {
			assert.Less(t, b, block, "a beat index lies within or before the block")
		}
		beats += len(r.Beats)
		lastHR, hrOK = r.HR, r.HROK
		if r.HRObs != nil {
			hrObs = r.HRObs
		}
	}
	assert.InDelta(t, 20, beats, 2, "16 s at 75/min is 20 beats")
	require.True(t, hrOK)
	assert.InDelta(t, 75, lastHR, 2)
	require.NotNil(t, hrObs, "the ECG rate becomes an observation")
	assert.Equal(t, vitals.SourceECG, hrObs.Source)
	assert.Equal(t, vitals.HR, hrObs.Kind)
}
