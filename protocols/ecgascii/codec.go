package ecgascii

import (
	"math"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// rateOf returns the configured rate, or DefaultRate when none is given.
func rateOf(cfg codec.Config) float64 {
	if cfg.SampleRate > 0 && !math.IsInf(cfg.SampleRate, 0) {
		return cfg.SampleRate
	}
	return DefaultRate
}

// NewCodec returns the stream decoder behind the codec.Decoder interface.
// The sample rate is cfg.SampleRate, or DefaultRate (250 S/s) when zero.
// Records are Sample values; the stream has no numerics, so Observations is
// always empty (heart rate from this ECG is triage/ecg's work).
func NewCodec(cfg codec.Config) codec.Decoder {
	rate := rateOf(cfg)
	return codec.Adapt[Sample](NewDecoder(), cfg.DeviceID, codec.Mapping[Sample]{
		Waves: func(s Sample, hostTime time.Time) []vitals.Wave {
			return []vitals.Wave{Wave(s, rate, cfg.DeviceID, hostTime)}
		},
	})
}

// Emulation scale: a 1 mV R wave moves the reading by EmulatorCountsPerMillivolt
// counts around EmulatorBaseline, which keeps a normal ECG inside the 10-bit
// range of the Arduino ADC. Real boards differ; the decoder does not use these.
const (
	EmulatorBaseline           = 512
	EmulatorCountsPerMillivolt = 200
)

// maxCatchUp bounds how many samples one Tick produces after a long pause
// (a suspended simulator): one second of samples; older ones are skipped,
// as a board that was unplugged would not have sent them either.
const maxCatchUp = time.Second

type emulator struct {
	rate  float64
	start time.Time
	n     int64 // samples sent since start
}

// NewEmulator returns the board side for simulators: one line per sample
// at the configured rate (DefaultRate when zero), values from
// PatientState.ECG scaled by EmulatorCountsPerMillivolt around
// EmulatorBaseline and clamped to 0-1023; "!" when LeadsOff is set or no
// ECG is attached. The board only transmits, so Receive ignores its input.
func NewEmulator(cfg codec.Config) codec.Emulator {
	return &emulator{rate: rateOf(cfg)}
}

func (e *emulator) Receive([]byte, time.Time) [][]byte { return nil }

func (e *emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	if e.start.IsZero() {
		e.start = now
	}
	due := int64(now.Sub(e.start).Seconds()*e.rate) + 1 // samples due including the one at start
	if behind := due - e.n; float64(behind) > e.rate*maxCatchUp.Seconds() {
		e.n = due - int64(e.rate*maxCatchUp.Seconds())
	}
	var out [][]byte
	for ; e.n < due; e.n++ {
		t := e.start.Add(time.Duration(float64(e.n) / e.rate * float64(time.Second)))
		out = append(out, AppendSample(nil, emulatedSample(t, s)))
	}
	return out
}

func emulatedSample(t time.Time, s codec.PatientState) Sample {
	if s.LeadsOff || s.ECG == nil {
		return Sample{LeadOff: true}
	}
	mv := s.ECG(t)
	if math.IsNaN(mv) {
		return Sample{LeadOff: true}
	}
	v := math.Round(EmulatorBaseline + mv*EmulatorCountsPerMillivolt)
	v = math.Max(0, math.Min(1023, v))
	return Sample{Value: int(v)}
}
