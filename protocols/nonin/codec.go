package nonin

import (
	"math"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the DF2 decoder (the OEM III default format, 75 frames/s
// with pleth) behind the codec.Decoder interface; records are Packet values.
// A device set to format 8 needs NewCodecFormat8: the two formats cannot be
// told apart reliably from a few bytes, so the choice is configuration (the
// device profile), not detection.
func NewCodec(cfg codec.Config) codec.Decoder {
	return codec.Adapt[Packet](NewDecoder(), cfg.DeviceID, codec.Mapping[Packet]{Observations: Observations, Waves: Waves})
}

// NewCodecFormat8 returns the DF8 decoder behind codec.Decoder; records are
// Frame8 values and there are no waves.
func NewCodecFormat8(cfg codec.Config) codec.Decoder {
	return codec.Adapt[Frame8](NewDecoder8(), cfg.DeviceID, codec.Mapping[Frame8]{Observations: Observations8})
}

// packetPeriod is the time one DF2 packet spans (25 frames at 75/s).
const packetPeriod = time.Second / 3

// EmulatorFirmware is the firmware revision byte the emulator reports.
const EmulatorFirmware = 0x37

type emulator2 struct {
	start time.Time
	n     int64 // packets sent
}

// NewEmulator returns the DF2 oximeter for simulators: a 25-frame packet
// every 1/3 s (75 frames/s) with HR from PatientState.Values[pr] (else
// [hr]), SpO2 from [spo2], and a pleth pulse at that rate. LeadsOff means
// the finger is out: SNSD set, values missing, pleth flat at zero. DF2 has
// no demo marker. After a long pause between ticks at most one second of
// packets is sent. The module only transmits; Receive ignores its input.
func NewEmulator(codec.Config) codec.Emulator { return &emulator2{} }

func (e *emulator2) Receive([]byte, time.Time) [][]byte { return nil }

func (e *emulator2) Tick(now time.Time, s codec.PatientState) [][]byte {
	if e.start.IsZero() {
		e.start = now
	}
	due := int64(now.Sub(e.start)/packetPeriod) + 1
	if due-e.n > 3 {
		e.n = due - 3
	}
	var out [][]byte
	for ; e.n < due; e.n++ {
		t := e.start.Add(time.Duration(e.n) * packetPeriod)
		out = append(out, AppendPacket(nil, emulatedPacket(t, s)))
	}
	return out
}

func pulseRate(s codec.PatientState) (float64, bool) {
	if v, ok := s.Values[vitals.PR]; ok {
		return v, true
	}
	v, ok := s.Values[vitals.HR]
	return v, ok
}

func clampInt(v float64, lo, hi int) int {
	return int(math.Max(float64(lo), math.Min(float64(hi), math.Round(v))))
}

func emulatedPacket(t time.Time, s codec.PatientState) Packet {
	var pleth [FramesPerPacket]byte
	if s.LeadsOff {
		v := MissingValues
		v.Firmware = EmulatorFirmware
		return NewPacket(v, pleth, StatusSensorOff)
	}
	v := MissingValues
	v.Firmware = EmulatorFirmware
	rate, hasRate := pulseRate(s)
	if hasRate {
		hr := clampInt(rate, 0, 510)
		v.HR, v.HRDisplay, v.HR8 = hr, hr, hr
	}
	if spo2, ok := s.Values[vitals.SpO2]; ok {
		o := clampInt(spo2, 0, 100)
		v.SpO2, v.SpO2Display, v.SpO28, v.SpO2Fast, v.SpO2Beat = o, o, o, o, o
	}
	var status byte
	if hasRate && rate > 0 {
		status = StatusGreenPerfusion
		for i := range pleth {
			ts := t.Add(time.Duration(i) * time.Second / FrameRate)
			phase := math.Mod(float64(ts.UnixNano())/1e9*rate/60, 1)
			pleth[i] = byte(40 + 160*math.Exp(-math.Pow((phase-0.25)/0.12, 2)))
		}
	} else {
		status = StatusOutOfTrack
	}
	return NewPacket(v, pleth, status)
}

type emulator8 struct{ pace codec.Every }

// NewEmulatorFormat8 returns the DF8 oximeter for simulators: one 4-byte
// record per second with the same values as NewEmulator; LeadsOff sets SNSD
// and sends the missing codes.
func NewEmulatorFormat8(codec.Config) codec.Emulator {
	return &emulator8{pace: codec.Every{Period: time.Second}}
}

func (e *emulator8) Receive([]byte, time.Time) [][]byte { return nil }

func (e *emulator8) Tick(now time.Time, s codec.PatientState) [][]byte {
	if !e.pace.Due(now) {
		return nil
	}
	hr, spo2 := MissingHR, MissingSpO2
	var status byte
	if s.LeadsOff {
		status = F8SensorOff
	} else {
		if r, ok := pulseRate(s); ok {
			hr = clampInt(r, 0, 510)
		}
		if o, ok := s.Values[vitals.SpO2]; ok {
			spo2 = clampInt(o, 0, 100)
		}
	}
	return [][]byte{AppendFrame8(nil, NewFrame8(hr, spo2, status, 0))}
}
