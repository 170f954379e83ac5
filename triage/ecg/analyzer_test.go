package ecg_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/vitals"
)

func newAnalyzer(t *testing.T, rate float64) *ecg.Analyzer {
	t.Helper()
	a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: rate, UnitsPerMillivolt: 1})
	require.NoError(t, err)
	return a
}

// analyse pushes x in 1/4 s blocks, as a monitor would deliver it, and
// returns the summary at the end.
func analyse(t *testing.T, a *ecg.Analyzer, x []float64, leadOff bool) ecg.Summary {
	t.Helper()
	block := int(a.Detector().Rate() / 4)
	for len(x) > 0 {
		n := min(block, len(x))
		a.Push(x[:n], leadOff, nil)
		x = x[n:]
	}
	return a.Summary()
}

func TestAnalyzerReportsRateRhythmAndQuality(t *testing.T) {
	const rate = 250.0
	flat := func(sec float64, v float64) []float64 {
		x := make([]float64, int(sec*rate))
		for i := range x {
			x[i] = v
		}
		return x
	}
	tests := []struct {
		name      string
		signal    func() []float64
		leadOff   bool
		wantHR    float64 // NaN: no rate may be given
		wantFlags ecg.Flag
		wantAF    bool
		quality   vitals.Quality
	}{
		{
			name:   "a steady 72/min gives 72/min, regular, valid",
			signal: func() []float64 { x, _ := synthECG(rate, regular(60, 72)); return x },
			wantHR: 72, quality: vitals.Valid,
		},
		{
			name:   "a very fast 220/min is measured as such",
			signal: func() []float64 { x, _ := synthECG(rate, regular(150, 220)); return x },
			wantHR: 220, quality: vitals.Valid,
		},
		{
			name: "a very slow 30/min is measured as such, not flagged as a missing beat",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(20, 30))
				return x[:len(x)-int(0.9*rate)] // end shortly after a beat
			},
			wantHR: 30, quality: vitals.Valid,
		},
		{
			name:   "sinus arrhythmia is regular enough: no AF suspicion",
			signal: func() []float64 { x, _ := synthECG(rate, sinusArrhythmia(80, 75)); return x },
			wantHR: math.Inf(1), quality: vitals.Valid,
		},
		{
			name:   "ventricular bigeminy is irregular but patterned: no AF suspicion",
			signal: func() []float64 { x, _ := synthECG(rate, bigeminy(80, 70)); return x },
			wantHR: math.Inf(1), quality: vitals.Valid,
		},
		{
			name:   "frequent ectopic beats at random places are irregular but clustered: no AF suspicion",
			signal: func() []float64 { x, _ := synthECG(rate, ectopy(80, 70, 5)); return x },
			wantHR: math.Inf(1), quality: vitals.Valid,
		},
		{
			name:   "a randomly irregular rhythm raises the AF suspicion",
			signal: func() []float64 { x, _ := synthECG(rate, fibrillation(80, 100, 11)); return x },
			wantHR: math.Inf(1), wantAF: true, quality: vitals.Valid,
		},
		{
			name: "a flat line is flagged and gives no rate (never a silent 0)",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(20, 72))
				return append(x, flat(6, x[len(x)-1])...)
			},
			wantHR: math.NaN(), wantFlags: ecg.FlatLine | ecg.NoBeat, quality: vitals.Invalid,
		},
		{
			name: "leads-off markers are flagged and make the signal invalid",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(20, 72))
				return x
			},
			leadOff: true,
			wantHR:  math.NaN(), wantFlags: ecg.LeadsOff, quality: vitals.Invalid,
		},
		{
			name: "a stream of gaps (NaN) is a signal gap, not a heart rate",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(20, 72))
				return append(x, flat(3, math.NaN())...)
			},
			wantHR: math.NaN(), wantFlags: ecg.SignalGap | ecg.FlatLine, quality: vitals.Invalid,
		},
		{
			name: "no beat for 4 s with a live baseline is flagged as such",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(20, 72))
				pause := flat(5, 0)
				addSine(pause, rate, 0.3, 0.2) // breathing on the baseline
				return append(x, pause...)
			},
			wantHR: math.NaN(), wantFlags: ecg.NoBeat, quality: vitals.Invalid,
		},
		{
			name: "strong 50 Hz mains (as large as the QRS) is flagged as noise: rate questionable",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(40, 72))
				addSine(x, rate, 50, 1.0)
				return x
			},
			wantHR: 72, wantFlags: ecg.Noise, quality: vitals.Questionable,
		},
		{
			name: "mild 50 Hz mains and baseline wander leave a valid rate",
			signal: func() []float64 {
				x, _ := synthECG(rate, regular(40, 72))
				addSine(x, rate, 50, 0.05)
				addSine(x, rate, 0.2, 1.5)
				return x
			},
			wantHR: 72, quality: vitals.Valid,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := analyse(t, newAnalyzer(t, rate), tc.signal(), tc.leadOff)
			assert.Equal(t, tc.wantFlags, s.Flags, "flags: want %v, got %v", tc.wantFlags, s.Flags)
			switch {
			case math.IsNaN(tc.wantHR):
				assert.True(t, math.IsNaN(s.HeartRate), "no rate may be given, got %v", s.HeartRate)
				_, ok := s.Observation(time.Unix(0, 0), time.Time{})
				assert.False(t, ok, "no observation without a rate")
			case math.IsInf(tc.wantHR, 1):
				assert.False(t, math.IsNaN(s.HeartRate))
			default:
				assert.InDelta(t, tc.wantHR, s.HeartRate, 1, "heart rate")
			}
			assert.Equal(t, tc.wantAF, s.AFSuspected, "AF suspicion at irregularity %.3f", s.Irregularity)
			assert.Equal(t, tc.quality, s.Quality)
		})
	}
}

func TestAnalyzerRecoversAfterLeadsOffAndAPause(t *testing.T) {
	const rate = 360.0
	a := newAnalyzer(t, rate)
	x, _ := synthECG(rate, regular(20, 72))
	analyse(t, a, x, false)
	off := make([]float64, int(3*rate))
	for i := range off {
		off[i] = math.NaN()
	}
	s := analyse(t, a, off, true)
	require.NotZero(t, s.Flags&ecg.LeadsOff)
	// Electrodes back on, at a tenth of the amplitude (another lead).
	y, _ := synthECG(rate, regular(30, 80))
	for i := range y {
		y[i] *= 0.1
	}
	s = analyse(t, a, y, false)
	assert.Equal(t, ecg.Flag(0), s.Flags, "flags after recovery: %v", s.Flags)
	assert.InDelta(t, 80, s.HeartRate, 1)
	assert.Equal(t, vitals.Valid, s.Quality)
}

func TestSummaryBecomesAnECGHeartRateObservation(t *testing.T) {
	const rate = 300.0
	a := newAnalyzer(t, rate)
	x, _ := synthECG(rate, regular(30, 64))
	s := analyse(t, a, x, false)
	host := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	dev := host.Add(-2 * time.Second)
	o, ok := s.Observation(host, dev)
	require.True(t, ok)
	assert.Equal(t, vitals.Observation{Kind: vitals.HR, Value: 64, Unit: vitals.PerMin, Source: vitals.SourceECG,
		HostTime: host, DeviceTime: dev, Quality: vitals.Valid}, o)
}

func TestPushWaveChecksTheRateAndHonoursLeadOff(t *testing.T) {
	a := newAnalyzer(t, 300)
	err := a.PushWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 250, Samples: []float64{0}, Source: "s5"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "wave rate 250/s")
	x, _ := synthECG(300, regular(10, 72))
	var beats int
	require.NoError(t, a.PushWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 300, Samples: x}, func(ecg.Beat) { beats++ }))
	assert.Equal(t, 10, beats, "beats reach the caller's emit")
	require.NoError(t, a.PushWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 300, Samples: []float64{math.NaN()}, LeadOff: true}, nil))
	assert.NotZero(t, a.Summary().Flags&ecg.LeadsOff)
}

func TestNewAnalyzerRefusesAMissingScale(t *testing.T) {
	_, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: 250})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "units per millivolt")
	_, err = ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: 50, UnitsPerMillivolt: 1})
	assert.Error(t, err)
	s, ok := ecg.UnitsPerMillivolt(vitals.MicroVolt)
	assert.True(t, ok)
	assert.Equal(t, 1000.0, s)
	_, ok = ecg.UnitsPerMillivolt(vitals.NoUnit)
	assert.False(t, ok, "raw ADC counts have no fixed scale")
}

func TestFlagLabelsAreTextInBothLanguages(t *testing.T) {
	f := ecg.LeadsOff | ecg.Noise
	assert.Equal(t, []string{"Elektrode løs", "Støy"}, f.Labels("nb"))
	assert.Equal(t, []string{"Leads off", "Noise"}, f.Labels("en"))
	assert.Equal(t, f.Labels("nb"), f.Labels(""), "bokmål is the default")
	assert.Equal(t, "ok", ecg.Flag(0).String())
}
