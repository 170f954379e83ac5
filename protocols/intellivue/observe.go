package intellivue

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// Physiological ids (partition SCADA) of the values this package maps.
const (
	PhysioECGHR     = 0x4182 // NOM_ECG_CARD_BEAT_RATE
	PhysioSpO2      = 0x4BB8 // NOM_PULS_OXIM_SAT_O2
	PhysioPlethPR   = 0x4822 // NOM_PLETH_PULS_RATE
	PhysioPR        = 0x480A // NOM_PULS_RATE
	PhysioNIBP      = 0x4A04 // NOM_PRESS_BLD_NONINV (compound)
	PhysioNIBPSys   = 0x4A05
	PhysioNIBPDia   = 0x4A06
	PhysioNIBPMean  = 0x4A07
	PhysioNIBPPulse = 0xF0E5
	PhysioRR        = 0x500A // NOM_RESP_RATE
	PhysioAwayRR    = 0x5012 // NOM_AWAY_RESP_RATE
	PhysioTemp      = 0x4B48 // NOM_TEMP
	PhysioTempArt   = 0x4B50
	PhysioTempCore  = 0x4B60
	PhysioTempSkin  = 0x4B74
	PhysioTempTymp  = 0x4B78
	PhysioEtCO2     = 0x50B0 // NOM_AWAY_CO2_ET
	PhysioECG       = 0x0100 // NOM_ECG_ELEC_POTL; leads follow
	PhysioECGI      = 0x0101
	PhysioECGII     = 0x0102
	PhysioECGIII    = 0x013D
	PhysioPleth     = 0x4BB4 // NOM_PLETH
	PhysioResp      = 0x5000 // NOM_RESP
	PhysioCO2       = 0x50AC // NOM_AWAY_CO2
)

// Unit codes.
const (
	UnitNone    = 0x0200 // NOM_DIM_DIMLESS
	UnitPercent = 0x0220
	UnitBPM     = 0x0AA0
	UnitPerMin  = 0x0AE0 // respiration /min
	UnitKPa     = 0x0F03
	UnitMmHg    = 0x0F20
	UnitDegF    = 0x1140
	UnitCel     = 0x17A0
	UnitMV      = 0x10B2
)

// Measurement state bits of a numeric or sample array.
const (
	StateInvalid      = 0x8000
	StateQuestionable = 0x4000
	StateUnavailable  = 0x2000
	StateCalibrating  = 0x1000
	StateTestData     = 0x0800
	StateDemoData     = 0x0400
	// StateNotValidMask: a value is only valid when none of these is set.
	// LNhealth masks with 0xF800 and so lets demo data through; this
	// package does not.
	StateNotValidMask = 0xFC00
)

// StateQuality maps a measurement state to a quality: invalid,
// unavailable and test data are Invalid; demo data is Demo; questionable
// and calibrating are Questionable; only (state & 0xFC00) == 0 is Valid.
func StateQuality(state uint16) vitals.Quality {
	switch {
	case state&(StateInvalid|StateUnavailable|StateTestData) != 0:
		return vitals.Invalid
	case state&StateDemoData != 0:
		return vitals.Demo
	case state&(StateQuestionable|StateCalibrating) != 0:
		return vitals.Questionable
	}
	return vitals.Valid
}

// Numeric is one NuObsValue: a physiological id, state, unit and value.
type Numeric struct {
	Handle   uint16
	PhysioID uint16
	State    uint16
	Unit     uint16
	Value    Float
	// AbsTime is the object's own time stamp (attribute 0x0990), which
	// NIBP carries; HasAbsTime says whether it was present.
	AbsTime    AbsoluteTime
	HasAbsTime bool
}

// nuObsLen is the size of a NuObsValue.
const nuObsLen = 10

// AppendNuObs encodes a NuObsValue.
func AppendNuObs(dst []byte, physio, state, unit uint16, v Float) []byte {
	return be32(be16(be16(be16(dst, physio), state), unit), uint32(v))
}

// AppendNuObsCmp encodes a compound NuObsValueCmp.
func AppendNuObsCmp(dst []byte, ns []Numeric) []byte {
	dst = be16(be16(dst, uint16(len(ns))), uint16(len(ns)*nuObsLen))
	for _, n := range ns {
		dst = AppendNuObs(dst, n.PhysioID, n.State, n.Unit, n.Value)
	}
	return dst
}

// Attr returns the value of the first attribute with id, if any.
func (o PollObject) Attr(id uint16) ([]byte, bool) {
	for _, a := range o.Attributes {
		if a.ID == id {
			return a.Value, true
		}
	}
	return nil, false
}

// Numerics returns the numerics of the object, from the single (0x0950)
// and compound (0x094B) observed-value attributes.
func (o PollObject) Numerics() []Numeric {
	var out []Numeric
	var ts AbsoluteTime
	v, hasTS := o.Attr(AttrAbsTime)
	if hasTS && len(v) == 8 {
		copy(ts[:], v)
	} else {
		hasTS = false
	}
	add := func(p []byte) {
		out = append(out, Numeric{Handle: o.Handle, PhysioID: binary.BigEndian.Uint16(p), State: binary.BigEndian.Uint16(p[2:]),
			Unit: binary.BigEndian.Uint16(p[4:]), Value: Float(binary.BigEndian.Uint32(p[6:])), AbsTime: ts, HasAbsTime: hasTS})
	}
	for _, a := range o.Attributes {
		switch a.ID {
		case AttrNuObs:
			if len(a.Value) >= nuObsLen {
				add(a.Value)
			}
		case AttrNuObsCmp:
			if len(a.Value) < 4 {
				continue
			}
			n := int(binary.BigEndian.Uint16(a.Value))
			p := a.Value[4:]
			for i := 0; i < n && len(p) >= nuObsLen; i++ {
				add(p)
				p = p[nuObsLen:]
			}
		}
	}
	return out
}

// kindOf maps a physiological id to a vital kind.
func kindOf(physio uint16) (vitals.Kind, bool) {
	switch physio {
	case PhysioECGHR:
		return vitals.HR, true
	case PhysioPlethPR, PhysioPR:
		return vitals.PR, true
	case PhysioSpO2:
		return vitals.SpO2, true
	case PhysioNIBPSys:
		return vitals.SBP, true
	case PhysioNIBPDia:
		return vitals.DBP, true
	case PhysioNIBPMean:
		return vitals.MAP, true
	case PhysioRR, PhysioAwayRR:
		return vitals.RR, true
	case PhysioTemp, PhysioTempArt, PhysioTempCore, PhysioTempSkin, PhysioTempTymp:
		return vitals.Temp, true
	case PhysioEtCO2:
		return vitals.EtCO2, true
	}
	return "", false
}

// throughECGLeads reports whether a numeric is measured through the ECG
// electrodes: the ECG heart rate and the impedance respiration rate
// (NOM_RESP_RATE, thoracic impedance between the ECG electrodes), but not
// the airway respiration rate (NOM_AWAY_RESP_RATE, from CO2). With the
// leads off none of these is a measurement, whatever its state says.
func throughECGLeads(physio uint16) bool { return physio == PhysioECGHR || physio == PhysioRR }

const kPaPerMmHg = 0.133322387415

// convert brings v in the wire unit into the kind's canonical unit; false
// when the unit does not belong to the kind.
func convert(k vitals.Kind, unit uint16, v float64) (float64, vitals.Unit, bool) {
	switch k {
	case vitals.HR, vitals.PR, vitals.RR:
		return v, vitals.PerMin, unit == UnitBPM || unit == UnitPerMin
	case vitals.SpO2:
		return v, vitals.Percent, unit == UnitPercent
	case vitals.SBP, vitals.DBP, vitals.MAP:
		switch unit {
		case UnitMmHg:
			return v, vitals.MmHg, true
		case UnitKPa:
			return math.Round(v/kPaPerMmHg*10) / 10, vitals.MmHg, true
		}
		return 0, vitals.MmHg, false
	case vitals.Temp:
		switch unit {
		case UnitCel:
			return v, vitals.Cel, true
		case UnitDegF:
			return math.Round((v-32)*5/9*100) / 100, vitals.Cel, true
		}
		return 0, vitals.Cel, false
	case vitals.EtCO2:
		switch unit {
		case UnitKPa:
			return v, vitals.KPa, true
		case UnitMmHg:
			return math.Round(v*kPaPerMmHg*100) / 100, vitals.KPa, true
		}
		return 0, vitals.KPa, false
	}
	return 0, "", false
}

// NIBPMaxAge is how old an NIBP time stamp may be, against the poll
// result's own time, before the value is only Questionable (the same rule
// as the S/5 "older than 60 s" bit).
const NIBPMaxAge = 60 * time.Second

// Observations maps the numerics of a poll result into vitals. The device
// time is the result's absolute time stamp (read as UTC: the monitor's
// wall clock carries no zone), or the numeric's own time stamp when it has
// one (NIBP). Quality follows StateQuality; special FLOATs and units that
// do not fit the kind are Invalid with value 0; a value whose own time
// stamp is more than NIBPMaxAge older than the result is Questionable.
// Every copy of a repeated NIBP is mapped: NewCodec, which sees the whole
// stream, drops the repeats. Source is left empty (the codec adapter fills
// in the device id).
func Observations(r Record, hostTime time.Time) []vitals.Observation {
	return observations(r, hostTime, time.UTC, nil)
}

// observations is Observations with the monitor's times read in loc and a
// say over each value: when keep is not nil, a mapped numeric n is only
// returned if keep(n, obs) is true (NewCodec drops NIBP repeats with it).
func observations(r Record, hostTime time.Time, loc *time.Location, keep func(n Numeric, o vitals.Observation) bool) []vitals.Observation {
	p, ok := r.(*PollResult)
	if !ok {
		return nil
	}
	resultTime, hasResultTime := p.AbsTime.Time(loc)
	var out []vitals.Observation
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			for _, n := range o.Numerics() {
				k, ok := kindOf(n.PhysioID)
				if !ok {
					continue
				}
				obs := vitals.Observation{Kind: k, HostTime: hostTime, Quality: StateQuality(n.State)}
				if hasResultTime {
					obs.DeviceTime = resultTime
				}
				v, ok := n.Value.Value()
				conv, unit, unitOK := convert(k, n.Unit, v)
				obs.Unit = unit
				switch {
				case !ok || !unitOK:
					obs.Quality = vitals.Invalid
				case obs.Quality != vitals.Invalid:
					obs.Value = conv
				}
				if n.HasAbsTime {
					if ts, ok := n.AbsTime.Time(loc); ok {
						obs.DeviceTime = ts
						if hasResultTime && resultTime.Sub(ts) > NIBPMaxAge && obs.Quality == vitals.Valid {
							// Older than a minute at first sight: shown,
							// never scored as fresh.
							obs.Quality = vitals.Questionable
						}
					}
				}
				if keep != nil && !keep(n, obs) {
					continue
				}
				out = append(out, obs)
			}
		}
	}
	return out
}

// ScaleRange is ScaleRangeSpec16: how scaled sample values map to
// absolute values.
type ScaleRange struct {
	LowerAbs, UpperAbs       Float
	LowerScaled, UpperScaled uint16
}

// SampleArrayInfo is what the decoder has learned about one sample-array
// handle from its static attributes.
type SampleArrayInfo struct {
	PhysioID        uint16 // from NOM_ATTR_ID_TYPE, 0 if not seen
	Period          Ticks  // NOM_ATTR_TIME_PD_SAMP, 0 if not seen
	ArraySize       uint16
	SampleBits      uint8
	SignificantBits uint8
	Flags           uint16
	Scale           ScaleRange
	HasScale        bool
	Unit            uint16 // 0 if not seen
	// InvalidMask and PacerMask come from NOM_ATTR_SA_FIXED_VAL_SPECN
	// (SA_FIX_INVALID_MASK, SA_FIX_PACER_MASK): a sample whose raw value
	// has all the mask's bits set is invalid, or carries a pacer pulse.
	// Zero when the monitor has not sent them.
	InvalidMask uint16
	PacerMask   uint16
}

// Sample-array fixed value ids (SaFixedValId) of NOM_ATTR_SA_FIXED_VAL_SPECN.
const (
	SaFixInvalidMask = 1 // SA_FIX_INVALID_MASK: the sample is invalid
	SaFixPacerMask   = 2 // SA_FIX_PACER_MASK: a pace pulse was detected
)

// SaExtValRange is the SaSpec flag that says the non-significant bits of
// each sample must be masked off (they carry the fixed-value marks).
const SaExtValRange = 0x1000

// AppendSaFixedVal encodes a SaFixedValSpec16 attribute value from
// (SaFixedValId, value or mask) pairs.
func AppendSaFixedVal(dst []byte, entries ...[2]uint16) []byte {
	dst = be16(be16(dst, uint16(len(entries))), uint16(4*len(entries)))
	for _, e := range entries {
		dst = be16(be16(dst, e[0]), e[1])
	}
	return dst
}

// AppendSaSpec encodes a SaSpec attribute value.
func AppendSaSpec(dst []byte, size uint16, bits, significant uint8, flags uint16) []byte {
	return be16(append(be16(dst, size), bits, significant), flags)
}

// AppendScale encodes a ScaleRangeSpec16 attribute value.
func AppendScale(dst []byte, s ScaleRange) []byte {
	return be16(be16(be32(be32(dst, uint32(s.LowerAbs)), uint32(s.UpperAbs)), s.LowerScaled), s.UpperScaled)
}

// AppendSaObs encodes a SaObsValue attribute value.
func AppendSaObs(dst []byte, physio, state uint16, samples []byte) []byte {
	return append(be16(be16(be16(dst, physio), state), uint16(len(samples))), samples...)
}

func (d *Decoder) learnWaves(p *PollResult) {
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			for _, a := range o.Attributes {
				switch a.ID {
				case AttrSaSpec, AttrScale, AttrSamplePd, AttrIDType, AttrUnit, AttrSaFixedVal:
				default:
					continue
				}
				if d.waves == nil {
					d.waves = make(map[uint16]*SampleArrayInfo)
				}
				info := d.waves[o.Handle]
				if info == nil {
					info = &SampleArrayInfo{}
					d.waves[o.Handle] = info
				}
				v := a.Value
				switch {
				case a.ID == AttrSaSpec && len(v) >= 6:
					info.ArraySize, info.SampleBits, info.SignificantBits, info.Flags = binary.BigEndian.Uint16(v), v[2], v[3], binary.BigEndian.Uint16(v[4:])
				case a.ID == AttrScale && len(v) >= 12:
					info.Scale = ScaleRange{Float(binary.BigEndian.Uint32(v)), Float(binary.BigEndian.Uint32(v[4:])), binary.BigEndian.Uint16(v[8:]), binary.BigEndian.Uint16(v[10:])}
					info.HasScale = true
				case a.ID == AttrSamplePd && len(v) >= 4:
					info.Period = Ticks(binary.BigEndian.Uint32(v))
				case a.ID == AttrIDType && len(v) >= 4:
					info.PhysioID = binary.BigEndian.Uint16(v[2:])
				case a.ID == AttrUnit && len(v) >= 2:
					info.Unit = binary.BigEndian.Uint16(v)
				case a.ID == AttrSaFixedVal && len(v) >= 4:
					n := int(binary.BigEndian.Uint16(v))
					for e := v[4:]; n > 0 && len(e) >= 4; n, e = n-1, e[4:] {
						switch binary.BigEndian.Uint16(e) {
						case SaFixInvalidMask:
							info.InvalidMask = binary.BigEndian.Uint16(e[2:])
						case SaFixPacerMask:
							info.PacerMask = binary.BigEndian.Uint16(e[2:])
						}
					}
				}
			}
		}
	}
}

// learnLeadsOff notes whether the ECG is off: a result that carries ECG
// arrays sets it when every one of them is lead-off and clears it
// otherwise; results without ECG arrays (numerics) leave it alone.
func (d *Decoder) learnLeadsOff(p *PollResult) {
	seen, off := false, true
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			o.eachSampleArray(func(sa SampleArray) {
				var info SampleArrayInfo
				if i := d.waves[sa.Handle]; i != nil {
					info = *i
				}
				physio := sa.PhysioID
				if physio == 0 {
					physio = info.PhysioID
				}
				if physio < PhysioECG || physio > 0x01FF {
					return // not an ECG lead (waveKind's ECG range)
				}
				seen = true
				off = off && ecgLeadOff(sa, info)
			})
		}
	}
	if seen {
		d.ecgLeadsOff = off
	}
}

// ecgLeadOff is the lead-off rule for an ECG sample array: its state is
// invalid or unavailable, or every sample carries the invalid mask.
func ecgLeadOff(sa SampleArray, info SampleArrayInfo) bool {
	if sa.State&(StateInvalid|StateUnavailable) != 0 {
		return true
	}
	m := info.InvalidMask
	if m == 0 || len(sa.Data) < 2 {
		return false
	}
	step := 2
	if info.SampleBits == 8 {
		step = 1
	}
	for i := 0; i+step <= len(sa.Data); i += step {
		raw := uint16(sa.Data[i])
		if step == 2 {
			raw = binary.BigEndian.Uint16(sa.Data[i:])
		}
		if raw&m != m {
			return false
		}
	}
	return true
}

// ECGLeadsOff reports whether the ECG leads are off as far as the decoder
// knows: every ECG array in the last sample-array result with ECG was
// lead-off. NewCodec uses it to invalidate the ECG heart rate, which
// arrives in other results (numerics) than the waves: a monitor that
// reports a valid HR while its only ECG says leads off is not believed.
// One lead off among several (a chest lead) is not enough. A new
// association forgets it.
func (d *Decoder) ECGLeadsOff() bool { return d.ecgLeadsOff }

// WaveInfo returns what the decoder knows about a sample-array handle.
func (d *Decoder) WaveInfo(handle uint16) (SampleArrayInfo, bool) {
	if i, ok := d.waves[handle]; ok && *i != (SampleArrayInfo{}) {
		return *i, true
	}
	return SampleArrayInfo{}, false
}

// waveKind maps a sample array's physiological id to a wave kind and
// channel label.
func waveKind(physio uint16) (vitals.WaveKind, string, bool) {
	switch {
	case physio == PhysioPleth:
		return vitals.WavePleth, "PLETH", true
	case physio == PhysioResp:
		return vitals.WaveResp, "RESP", true
	case physio == PhysioCO2:
		return vitals.WaveCO2, "CO2", true
	case physio >= 0x4A00 && physio <= 0x4AFF:
		return vitals.WaveInvP, "", true
	case physio >= PhysioECG && physio <= 0x01FF:
		return vitals.WaveECG, leadNames[physio], true
	}
	return "", "", false
}

var leadNames = map[uint16]string{
	0x0100: "ECG", 0x0101: "I", 0x0102: "II", 0x013D: "III", 0x013E: "aVR", 0x013F: "aVL", 0x0140: "aVF",
	0x0103: "V1", 0x0104: "V2", 0x0105: "V3", 0x0106: "V4", 0x0107: "V5", 0x0108: "V6", 0x0143: "V",
}

// Fallback rates when the monitor has not (yet) sent a sample period:
// those measured in the JVSCapture serial capture (ECG 250/s, pleth
// 125/s). Waves on a fallback rate are Questionable.
var fallbackRate = map[vitals.WaveKind]float64{vitals.WaveECG: 250, vitals.WavePleth: 125, vitals.WaveResp: 62.5, vitals.WaveCO2: 62.5, vitals.WaveInvP: 125}

// SampleArrays returns the sample arrays of the object: physio id, state
// and the raw sample bytes, from 0x096E and the compound 0x0967.
func (o PollObject) SampleArrays() []SampleArray {
	var out []SampleArray
	o.eachSampleArray(func(sa SampleArray) { out = append(out, sa) })
	return out
}

// eachSampleArray calls f with each sample array of the object, without
// allocating (the decoder looks at every result's arrays while scanning).
func (o PollObject) eachSampleArray(f func(SampleArray)) {
	read := func(p []byte) []byte {
		if len(p) < 6 {
			return nil
		}
		n := int(binary.BigEndian.Uint16(p[4:]))
		if len(p) < 6+n {
			return nil
		}
		f(SampleArray{Handle: o.Handle, PhysioID: binary.BigEndian.Uint16(p), State: binary.BigEndian.Uint16(p[2:]), Data: p[6 : 6+n]})
		return p[6+n:]
	}
	for _, a := range o.Attributes {
		switch a.ID {
		case AttrSaObs:
			read(a.Value)
		case AttrSaObsCmp:
			if len(a.Value) < 4 {
				continue
			}
			n := int(binary.BigEndian.Uint16(a.Value))
			p := a.Value[4:]
			for i := 0; i < n && p != nil; i++ {
				p = read(p)
			}
		}
	}
}

// SampleArray is one SaObsValue: raw big-endian samples of one handle.
type SampleArray struct {
	Handle   uint16
	PhysioID uint16
	State    uint16
	Data     []byte
}

// Waves maps the sample arrays of the current poll result into waveform
// blocks with the sample period and scale learned for their handle:
// ECG in mV, pleth and others in the monitor's unit. Samples beyond the
// significant bits are masked; without a scale the raw values are passed
// with unit "1" and Questionable quality. Source is left empty.
//
// Samples marked by the invalid mask are NaN, and a sample marked by the
// pacer mask sets Pacer. An ECG block is LeadOff (and Invalid) when its
// measurement state is invalid or unavailable, or when every sample is
// marked invalid: the monitor reports its ECG INOPs ("LEADS OFF") as alarms,
// which this package does not poll, and on the wave itself they show only
// as an invalid array. Leads off is by far the commonest cause; the others
// (an ECG equipment fault) leave no usable ECG either.
func (d *Decoder) Waves(hostTime time.Time) []vitals.Wave {
	p, ok := d.rec.(*PollResult)
	if !ok {
		return nil
	}
	dev, hasDev := p.AbsTime.Time(d.location())
	var out []vitals.Wave
	for _, c := range p.Contexts {
		for _, o := range c.Objects {
			for _, sa := range o.SampleArrays() {
				var info SampleArrayInfo
				if i := d.waves[sa.Handle]; i != nil {
					info = *i
				}
				physio := sa.PhysioID
				if physio == 0 {
					physio = info.PhysioID
				}
				kind, ch, ok := waveKind(physio)
				if !ok {
					continue
				}
				w := vitals.Wave{Kind: kind, Channel: ch, HostTime: hostTime, Quality: StateQuality(sa.State)}
				if hasDev {
					w.DeviceTime = dev
				}
				if info.Period > 0 {
					w.Rate = float64(TicksPerSecond) / float64(info.Period)
				} else {
					w.Rate = fallbackRate[kind]
					if w.Quality == vitals.Valid {
						w.Quality = vitals.Questionable
					}
				}
				w.Samples, w.Unit, w.Pacer = convertSamples(sa.Data, info, kind)
				if kind == vitals.WaveECG && ecgLeadOff(sa, info) {
					w.LeadOff, w.Quality = true, vitals.Invalid
				}
				if w.Unit == vitals.NoUnit && !info.HasScale && w.Quality == vitals.Valid {
					w.Quality = vitals.Questionable
				}
				out = append(out, w)
			}
		}
	}
	return out
}

// convertSamples scales the raw samples; samples marked invalid are NaN.
// It also reports whether any sample carried a pacer mark.
func convertSamples(data []byte, info SampleArrayInfo, kind vitals.WaveKind) (out []float64, unit vitals.Unit, pacer bool) {
	bits := info.SampleBits
	if bits != 8 {
		bits = 16
	}
	step := int(bits / 8)
	mask := uint32(1)<<16 - 1
	if info.SignificantBits > 0 && info.SignificantBits < 16 {
		mask = uint32(1)<<info.SignificantBits - 1
	}
	out = make([]float64, 0, len(data)/step)
	lo, okLo := info.Scale.LowerAbs.Value()
	hi, okHi := info.Scale.UpperAbs.Value()
	span := float64(info.Scale.UpperScaled) - float64(info.Scale.LowerScaled)
	scaled := info.HasScale && okLo && okHi && span != 0
	for i := 0; i+step <= len(data); i += step {
		var raw uint32
		if step == 1 {
			raw = uint32(data[i])
		} else {
			raw = uint32(binary.BigEndian.Uint16(data[i:]))
		}
		if m := uint32(info.InvalidMask); m != 0 && raw&m == m {
			out = append(out, math.NaN())
			continue
		}
		if m := uint32(info.PacerMask); m != 0 && raw&m == m {
			pacer = true
		}
		raw &= mask
		if !scaled {
			out = append(out, float64(raw))
			continue
		}
		out = append(out, lo+(float64(raw)-float64(info.Scale.LowerScaled))*(hi-lo)/span)
	}
	if !scaled {
		return out, vitals.NoUnit, pacer
	}
	switch info.Unit {
	case UnitMV:
		return out, vitals.MilliVolt, pacer
	case UnitMmHg:
		return out, vitals.MmHg, pacer
	case UnitPercent:
		return out, vitals.Percent, pacer
	case UnitNone:
		return out, vitals.NoUnit, pacer
	case 0:
		if kind == vitals.WaveECG {
			return out, vitals.MilliVolt, pacer // the notes: ECG arrays are in mV
		}
	}
	return out, vitals.NoUnit, pacer
}
