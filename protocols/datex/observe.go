package datex

import (
	"math"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// Conversions used by the mapping.
const (
	kPaPerMmHg = 0.133322387415 // 101.325 kPa / 760 mmHg
	// StandardAmbient is the ambient pressure (1/10 mmHg) assumed when the
	// monitor reports none; EtCO2 computed with it is questionable.
	StandardAmbient Value = 7600
)

// Observations maps a displayed-values record into vitals. Only class-0
// (basic) subrecords of type Displayed are mapped: trend records describe
// the past and must not be stamped with the arrival time. Groups that do
// not exist give no observation; special values give an Invalid
// observation with value 0; a group that exists but is not active gives
// Invalid. Every copy of a repeated NIBP is mapped (with the "older than
// 60 s" bit it is Questionable): NewCodec, which sees the whole stream,
// drops the repeats. Source is left empty (the codec adapter fills in the
// device id).
func Observations(r Record, hostTime time.Time) []vitals.Observation {
	return observations(r, hostTime, nil)
}

// observations is Observations with a say over the NIBP: when keepNIBP is
// not nil, the NIBP group of each displayed subrecord is mapped only if
// keepNIBP returns true for it (NewCodec drops repeats with it).
func observations(r Record, hostTime time.Time, keepNIBP func(PressureGroup) bool) []vitals.Observation {
	p, ok := r.(*PHDB)
	if !ok {
		return nil
	}
	var out []vitals.Observation
	for i := range p.Subrecords {
		s := &p.Subrecords[i]
		if s.Type != Displayed {
			continue
		}
		b, ok := s.Basic()
		if !ok {
			continue
		}
		dev := deviceTime(s.Time, p.Time)
		out = appendBasic(out, b, dev, hostTime, keepNIBP)
	}
	return out
}

func deviceTime(sub, hdr uint32) time.Time {
	switch {
	case sub != 0:
		return time.Unix(int64(sub), 0).UTC()
	case hdr != 0:
		return time.Unix(int64(hdr), 0).UTC()
	}
	return time.Time{}
}

// quality gives the quality of v in group g: special values and inactive
// groups are Invalid.
func quality(g Group, v Value) vitals.Quality {
	if v.Special() || !g.Active() {
		return vitals.Invalid
	}
	return vitals.Valid
}

func obs(k vitals.Kind, u vitals.Unit, g Group, v Value, div float64, dev, host time.Time) vitals.Observation {
	o := vitals.Observation{Kind: k, Unit: u, DeviceTime: dev, HostTime: host, Quality: quality(g, v)}
	if o.Quality != vitals.Invalid {
		o.Value = float64(v) / div
	}
	return o
}

// firstValid picks, among the candidates whose group exists, the first
// with a measurement, else the first that exists (as Invalid).
type candidate struct {
	g Group
	v Value
}

func firstValid(cs ...candidate) (candidate, bool) {
	var first *candidate
	for i := range cs {
		c := &cs[i]
		if !c.g.Exists() {
			continue
		}
		if quality(c.g, c.v) == vitals.Valid {
			return *c, true
		}
		if first == nil {
			first = c
		}
	}
	if first == nil {
		return candidate{}, false
	}
	return *first, true
}

func appendBasic(out []vitals.Observation, b Basic, dev, host time.Time, keepNIBP func(PressureGroup) bool) []vitals.Observation {
	if b.ECG.Exists() {
		o := obs(vitals.HR, vitals.PerMin, b.ECG.Group, b.ECG.HR, 1, dev, host)
		switch {
		case b.ECG.Status&ECGAllChannelsOff == ECGAllChannelsOff:
			// Every ECG channel off: the leads are off, and no heart rate
			// can come from the ECG whatever value the group carries.
			o.Quality, o.Value = vitals.Invalid, 0
		case o.Quality == vitals.Valid && b.ECG.Status&(ECGNoise|ECGArtifact) != 0:
			o.Quality = vitals.Questionable
		}
		out = append(out, o)
	}
	if b.SpO2.Exists() {
		out = append(out,
			obs(vitals.SpO2, vitals.Percent, b.SpO2.Group, b.SpO2.SpO2, 100, dev, host),
			obs(vitals.PR, vitals.PerMin, b.SpO2.Group, b.SpO2.PR, 1, dev, host))
	}
	// Respiration rate: airway CO2 is more reliable than impedance.
	// Impedance respiration is measured through the ECG electrodes, so with
	// every ECG channel off it is no measurement, whatever value it carries.
	imp := b.ECG.ImpRR
	if b.ECG.Status&ECGAllChannelsOff == ECGAllChannelsOff {
		imp = Invalid
	}
	if c, ok := firstValid(candidate{b.CO2.Group, b.CO2.RR}, candidate{b.ECG.Group, imp}); ok {
		out = append(out, obs(vitals.RR, vitals.PerMin, c.g, c.v, 1, dev, host))
	}
	if b.NIBP.Exists() && (keepNIBP == nil || keepNIBP(b.NIBP)) {
		g := b.NIBP.Group
		for _, kv := range [...]struct {
			k vitals.Kind
			v Value
		}{{vitals.SBP, b.NIBP.Sys}, {vitals.DBP, b.NIBP.Dia}, {vitals.MAP, b.NIBP.Mean}} {
			o := obs(kv.k, vitals.MmHg, g, kv.v, 100, dev, host)
			switch {
			case o.Quality != vitals.Valid:
			case g.Label&NIBPCalib != 0:
				o.Quality, o.Value = vitals.Invalid, 0
			case g.Label&NIBPOlder60s != 0:
				// A measurement more than 60 s old: shown, never scored
				// as fresh. NewCodec drops the repeats of a measurement it
				// has emitted, so this is what a stream gives when its
				// first sight of a measurement is already old.
				o.Quality = vitals.Questionable
			}
			out = append(out, o)
		}
	}
	if c, ok := firstValid(candidate{b.Temp[0].Group, b.Temp[0].Temp}, candidate{b.Temp[1].Group, b.Temp[1].Temp},
		candidate{b.Temp[2].Group, b.Temp[2].Temp}, candidate{b.Temp[3].Group, b.Temp[3].Temp}); ok {
		out = append(out, obs(vitals.Temp, vitals.Cel, c.g, c.v, 100, dev, host))
	}
	if b.CO2.Exists() {
		o := vitals.Observation{Kind: vitals.EtCO2, Unit: vitals.KPa, DeviceTime: dev, HostTime: host, Quality: quality(b.CO2.Group, b.CO2.Et)}
		if o.Quality == vitals.Valid {
			amb := b.CO2.AmbPress
			if amb.Special() || amb <= 0 {
				amb = StandardAmbient
				o.Quality = vitals.Questionable
			}
			o.Value = EtCO2kPa(b.CO2.Et, amb)
		}
		out = append(out, o)
	}
	return out
}

// EtCO2kPa converts an end-tidal CO2 fraction (1/100 %) at an ambient
// pressure (1/10 mmHg) into a partial pressure in kPa, rounded to 0.01 kPa
// (the monitor's own resolution is coarser): mmHg = et × amb × 1e-5.
func EtCO2kPa(et, amb Value) float64 {
	mmHg := float64(et) * float64(amb) * 1e-5
	return math.Round(mmHg*kPaPerMmHg*100) / 100
}

// waveSpec is how one waveform type maps into vitals.
type waveSpec struct {
	kind    vitals.WaveKind
	channel string
	rate    float64
	unit    vitals.Unit
	div     float64
}

// WaveSpecs for the waveforms this package maps (the others are decoded
// as records but give no vitals.Wave).
var waveSpecs = map[WaveType]waveSpec{
	WaveECG1:  {vitals.WaveECG, "ECG1", 300, vitals.MicroVolt, 1},
	WaveECG2:  {vitals.WaveECG, "ECG2", 300, vitals.MicroVolt, 1},
	WaveECG3:  {vitals.WaveECG, "ECG3", 300, vitals.MicroVolt, 1},
	WaveInvP1: {vitals.WaveInvP, "P1", 100, vitals.MmHg, 100},
	WaveInvP2: {vitals.WaveInvP, "P2", 100, vitals.MmHg, 100},
	WaveInvP3: {vitals.WaveInvP, "P3", 100, vitals.MmHg, 100},
	WaveInvP4: {vitals.WaveInvP, "P4", 100, vitals.MmHg, 100},
	WavePleth: {vitals.WavePleth, "PLETH", 100, vitals.Percent, 100},
	WaveCO2:   {vitals.WaveCO2, "CO2", 25, vitals.Percent, 100},
	WaveResp:  {vitals.WaveResp, "RESP", 25, vitals.Unit("Ohm"), 100},
}

// Rate returns the documented sample rate of a waveform type, or 0 for a
// type this package does not map.
func (t WaveType) Rate() float64 { return waveSpecs[t].rate }

// Waves maps a wave record into vitals waveform blocks: ECG in µV at
// 300/s, pleth in % at 100/s, and the other mapped types. Control codes
// (<= -32000) become NaN samples. A block with the lead-off bit is
// Invalid. Source is left empty.
func Waves(r Record, hostTime time.Time) []vitals.Wave {
	w, ok := r.(*WaveRecord)
	if !ok {
		return nil
	}
	var out []vitals.Wave
	for _, s := range w.Subrecords {
		spec, ok := waveSpecs[s.Type]
		if !ok {
			continue
		}
		samples := make([]float64, len(s.Samples))
		for i, v := range s.Samples {
			if v <= WaveControl {
				samples[i] = math.NaN()
				continue
			}
			samples[i] = float64(v) / spec.div
		}
		wv := vitals.Wave{
			Kind: spec.kind, Channel: spec.channel, Rate: spec.rate, Unit: spec.unit, Samples: samples,
			DeviceTime: deviceTime(w.Time, 0), HostTime: hostTime,
			Gap: s.Status&WaveStatusGap != 0, Pacer: s.Status&WaveStatusPacer != 0, LeadOff: s.Status&WaveStatusLeadOff != 0,
		}
		if wv.LeadOff {
			wv.Quality = vitals.Invalid
		}
		out = append(out, wv)
	}
	return out
}
