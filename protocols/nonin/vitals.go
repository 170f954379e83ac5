package nonin

import (
	"math"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// PacketQuality says what a DF2 packet's status bits make of its values:
// invalid when the sensor is off, out of track or in sensor alarm (the
// device says the data is unusable); questionable with artifact or red
// (low) perfusion; valid otherwise.
func PacketQuality(status byte) vitals.Quality {
	switch {
	case status&(StatusSensorOff|StatusOutOfTrack|StatusSensorAlarm) != 0:
		return vitals.Invalid
	case status&StatusArtifact != 0:
		return vitals.Questionable
	case status&(StatusRedPerfusion|StatusGreenPerfusion) == StatusRedPerfusion:
		return vitals.Questionable
	}
	return vitals.Valid
}

// Observations maps a DF2 packet to pulse rate (kind pr, /min) and SpO2 (%).
// It uses the 4-beat averages of frames 0-2, which go to "missing" as soon
// as the finger comes off; the "for display" values are held for 10 s after
// that and would pass an old value as current. Missing values (HR 511,
// SpO2 127) are not observations. The format has no device clock; Source is
// left to the caller.
func Observations(p Packet, hostTime time.Time) []vitals.Observation {
	return observations(p.HR(), p.SpO2(), PacketQuality(p.Status()), hostTime)
}

func observations(hr, spo2 int, q vitals.Quality, hostTime time.Time) []vitals.Observation {
	var out []vitals.Observation
	if hr != MissingHR {
		vq := q
		if hr > 321 { // beyond the oximeter's 18-321 /min range: a corrupted frame
			vq = vitals.Invalid
		}
		out = append(out, vitals.Observation{Kind: vitals.PR, Value: float64(hr), Unit: vitals.PerMin, HostTime: hostTime, Quality: vq})
	}
	if spo2 != MissingSpO2 {
		vq := q
		if spo2 > 100 {
			vq = vitals.Invalid
		}
		out = append(out, vitals.Observation{Kind: vitals.SpO2, Value: float64(spo2), Unit: vitals.Percent, HostTime: hostTime, Quality: vq})
	}
	return out
}

// Waves gives the packet's 25 pleth samples at 75 S/s (raw 0-255, unit 1).
// With the sensor off the block is marked lead-off, its samples NaN and its
// quality invalid; otherwise its quality follows the status bits.
func Waves(p Packet, hostTime time.Time) []vitals.Wave {
	st := p.Status()
	w := vitals.Wave{
		Kind: vitals.WavePleth, Rate: FrameRate, Unit: vitals.NoUnit,
		Samples: make([]float64, FramesPerPacket), HostTime: hostTime,
		Quality: PacketQuality(st), LeadOff: st&StatusSensorOff != 0,
	}
	for i, f := range p.Frames {
		if w.LeadOff {
			w.Samples[i] = math.NaN()
		} else {
			w.Samples[i] = float64(f.Pleth)
		}
	}
	return []vitals.Wave{w}
}

// Frame8Quality is the DF8 counterpart of PacketQuality: invalid for sensor
// off, out of track or sensor alarm (STATUS2); questionable for artifact or
// low perfusion.
func Frame8Quality(f Frame8) vitals.Quality {
	switch {
	case f.Status&(F8SensorOff|F8OutOfTrack) != 0 || f.Status2&F8SensorAlarm != 0:
		return vitals.Invalid
	case f.Status&(F8Artifact|F8LowPerfusion) != 0:
		return vitals.Questionable
	}
	return vitals.Valid
}

// Observations8 maps a DF8 record to pulse rate and SpO2, as Observations.
func Observations8(f Frame8, hostTime time.Time) []vitals.Observation {
	return observations(f.HR(), int(f.SpO2&0x7f), Frame8Quality(f), hostTime)
}
