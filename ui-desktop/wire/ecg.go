package wire

import (
	"math"
	"time"

	"github.com/legevakt/workstation/triage/ecg"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// ECG is triage/ecg's streaming analyser behind desk.ECGAnalyzer.
type ECG struct {
	a      *ecg.Analyzer
	pushed int64 // samples pushed before the current block
}

// NewECG returns an analyser for the lead of the first wave block, or nil
// (no beats shown, the strip still draws) when the rate or unit is outside
// what the analyser accepts.
func NewECG(first vitals.Wave) desk.ECGAnalyzer {
	upm, ok := ecg.UnitsPerMillivolt(first.Unit)
	if !ok {
		upm = 1
	}
	a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: first.Rate, UnitsPerMillivolt: upm})
	if err != nil {
		return nil
	}
	return &ECG{a: a}
}

// Push implements desk.ECGAnalyzer.
func (e *ECG) Push(w vitals.Wave) desk.ECGReading {
	start := e.pushed
	var r desk.ECGReading
	// A block the analyser refuses (another rate) yields no beats; the
	// summary below still reports the signal state.
	_ = e.a.PushWave(w, func(b ecg.Beat) { r.Beats = append(r.Beats, int(b.Sample-start)) })
	e.pushed += int64(len(w.Samples))
	s := e.a.Summary()
	r.HR, r.HROK = s.HeartRate, !math.IsNaN(s.HeartRate)
	r.AF = s.AFSuspected
	r.LeadsOff = s.Flags&ecg.LeadsOff != 0
	r.Noisy = s.Flags&ecg.Noise != 0
	end := w.HostTime.Add(w.Duration())
	dev := time.Time{}
	if !w.DeviceTime.IsZero() {
		dev = w.DeviceTime.Add(w.Duration())
	}
	if o, ok := s.Observation(end, dev); ok {
		r.HRObs = &o
	}
	return r
}
