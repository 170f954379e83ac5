package datex

import "encoding/binary"

// Value is a 16-bit numeric as the monitor sends it, in the field's unit
// (1/min, 1/100 mmHg, 1/100 °C, 1/100 %, 1/10 mmHg). Values at or below
// SpecialLimit are not measurements but status codes.
type Value int16

// Special values. Any value <= SpecialLimit is special; the named ones
// are those of the 15th-edition table plus Discontinuity, which only
// VSCapture lists.
const (
	SpecialLimit  Value = -32001
	Invalid       Value = -32767
	NotUpdated    Value = -32766
	Discontinuity Value = -32765
	UnderRange    Value = -32764
	OverRange     Value = -32763
	NotCalibrated Value = -32762
)

// Special reports whether v is a status code rather than a measurement.
func (v Value) Special() bool { return v <= SpecialLimit }

// SpecialName names a special value ("invalid", "not_updated", ...), or
// returns "" for a measurement.
func (v Value) SpecialName() string {
	switch {
	case !v.Special():
		return ""
	case v == NotUpdated:
		return "not_updated"
	case v == Discontinuity:
		return "discontinuity"
	case v == UnderRange:
		return "under_range"
	case v == OverRange:
		return "over_range"
	case v == NotCalibrated:
		return "not_calibrated"
	}
	return "invalid"
}

// Group is the 6-byte header of each parameter group of a class payload.
type Group struct {
	Status uint32 // bit 0 exists, bit 1 active, other bits per group
	Label  uint16
}

// Group status and label bits.
const (
	GroupExists uint32 = 1 << 0
	GroupActive uint32 = 1 << 1
	ECGAsystole uint32 = 1 << 2
	ECGNoise    uint32 = 1 << 7
	ECGArtifact uint32 = 1 << 8
	ECGPacerOn  uint32 = 1 << 10
	// ECGChannel1Off..3: the ECG channel has no signal (the notes'
	// appendix: bits 11-13 "channel off"). With all three off the monitor
	// has no ECG at all: the leads are off.
	ECGChannel1Off    uint32 = 1 << 11
	ECGChannel2Off    uint32 = 1 << 12
	ECGChannel3Off    uint32 = 1 << 13
	ECGAllChannelsOff        = ECGChannel1Off | ECGChannel2Off | ECGChannel3Off
	NIBPAuto          uint16 = 1 << 3
	NIBPStat          uint16 = 1 << 4
	NIBPMeasure       uint16 = 1 << 5
	NIBPCalib         uint16 = 1 << 7
	NIBPOlder60s      uint16 = 1 << 8 // the shown NIBP was measured more than 60 s ago
)

// Exists reports whether the monitor has this parameter at all.
func (g Group) Exists() bool { return g.Status&GroupExists != 0 }

// Active reports whether the parameter is being measured.
func (g Group) Active() bool { return g.Status&GroupActive != 0 }

// ECGGroup is the ECG group (@0): HR and the ST levels, impedance RR.
type ECGGroup struct {
	Group
	HR            Value // 1/min
	ST1, ST2, ST3 Value // 1/100 mm
	ImpRR         Value // impedance respiration rate, 1/min
}

// PressureGroup is an invasive pressure or the NIBP group.
type PressureGroup struct {
	Group
	Sys, Dia, Mean Value // 1/100 mmHg
	HR             Value // pulse rate, 1/min
}

// TempGroup is a temperature group.
type TempGroup struct {
	Group
	Temp Value // 1/100 °C
}

// SpO2Group is the pulse-oximetry group.
type SpO2Group struct {
	Group
	SpO2  Value // 1/100 %
	PR    Value // 1/min
	IRAmp Value
	SvO2  Value // 1/100 %
}

// CO2Group is the airway CO2 group.
type CO2Group struct {
	Group
	Et, Fi   Value // 1/100 %
	RR       Value // 1/min
	AmbPress Value // ambient pressure, 1/10 mmHg
}

// Basic is the basic class (class 0) of a displayed-values subrecord, as
// far as this package maps it (bytes 0-145 of the 270-byte payload).
type Basic struct {
	ECG  ECGGroup
	InvP [4]PressureGroup // P1-P4
	NIBP PressureGroup
	Temp [4]TempGroup // T1-T4
	SpO2 SpO2Group
	CO2  CO2Group
}

// Offsets of the basic-class groups within the payload.
const (
	offECG  = 0
	offInvP = 16 // then every 14 bytes
	offNIBP = 72
	offTemp = 86 // then every 8 bytes
	offSpO2 = 118
	offCO2  = 132
	// BasicLen is the part of the payload that Basic covers.
	BasicLen = 146
)

func getGroup(p []byte, off int) Group {
	return Group{Status: binary.LittleEndian.Uint32(p[off:]), Label: binary.LittleEndian.Uint16(p[off+4:])}
}

func getValue(p []byte, off int) Value { return Value(int16(binary.LittleEndian.Uint16(p[off:]))) }

func putGroup(p []byte, off int, g Group) {
	binary.LittleEndian.PutUint32(p[off:], g.Status)
	binary.LittleEndian.PutUint16(p[off+4:], g.Label)
}

func putValue(p []byte, off int, v Value) { binary.LittleEndian.PutUint16(p[off:], uint16(v)) }

// ParseBasic reads the basic-class groups from a subrecord payload.
func ParseBasic(p *[PHDBPayloadLen]byte) Basic {
	var b Basic
	b.ECG = ECGGroup{Group: getGroup(p[:], offECG), HR: getValue(p[:], 6), ST1: getValue(p[:], 8), ST2: getValue(p[:], 10), ST3: getValue(p[:], 12), ImpRR: getValue(p[:], 14)}
	for i := range b.InvP {
		b.InvP[i] = parsePressure(p[:], offInvP+14*i)
	}
	b.NIBP = parsePressure(p[:], offNIBP)
	for i := range b.Temp {
		o := offTemp + 8*i
		b.Temp[i] = TempGroup{Group: getGroup(p[:], o), Temp: getValue(p[:], o+6)}
	}
	b.SpO2 = SpO2Group{Group: getGroup(p[:], offSpO2), SpO2: getValue(p[:], offSpO2+6), PR: getValue(p[:], offSpO2+8), IRAmp: getValue(p[:], offSpO2+10), SvO2: getValue(p[:], offSpO2+12)}
	b.CO2 = CO2Group{Group: getGroup(p[:], offCO2), Et: getValue(p[:], offCO2+6), Fi: getValue(p[:], offCO2+8), RR: getValue(p[:], offCO2+10), AmbPress: getValue(p[:], offCO2+12)}
	return b
}

func parsePressure(p []byte, o int) PressureGroup {
	return PressureGroup{Group: getGroup(p, o), Sys: getValue(p, o+6), Dia: getValue(p, o+8), Mean: getValue(p, o+10), HR: getValue(p, o+12)}
}

func putPressure(p []byte, o int, g PressureGroup) {
	putGroup(p, o, g.Group)
	putValue(p, o+6, g.Sys)
	putValue(p, o+8, g.Dia)
	putValue(p, o+10, g.Mean)
	putValue(p, o+12, g.HR)
}

// Put writes b into the first BasicLen bytes of a subrecord payload and
// leaves the rest (the groups this package does not map) untouched.
func (b Basic) Put(p *[PHDBPayloadLen]byte) {
	putGroup(p[:], offECG, b.ECG.Group)
	putValue(p[:], 6, b.ECG.HR)
	putValue(p[:], 8, b.ECG.ST1)
	putValue(p[:], 10, b.ECG.ST2)
	putValue(p[:], 12, b.ECG.ST3)
	putValue(p[:], 14, b.ECG.ImpRR)
	for i, g := range b.InvP {
		putPressure(p[:], offInvP+14*i, g)
	}
	putPressure(p[:], offNIBP, b.NIBP)
	for i, g := range b.Temp {
		o := offTemp + 8*i
		putGroup(p[:], o, g.Group)
		putValue(p[:], o+6, g.Temp)
	}
	putGroup(p[:], offSpO2, b.SpO2.Group)
	putValue(p[:], offSpO2+6, b.SpO2.SpO2)
	putValue(p[:], offSpO2+8, b.SpO2.PR)
	putValue(p[:], offSpO2+10, b.SpO2.IRAmp)
	putValue(p[:], offSpO2+12, b.SpO2.SvO2)
	putGroup(p[:], offCO2, b.CO2.Group)
	putValue(p[:], offCO2+6, b.CO2.Et)
	putValue(p[:], offCO2+8, b.CO2.Fi)
	putValue(p[:], offCO2+10, b.CO2.RR)
	putValue(p[:], offCO2+12, b.CO2.AmbPress)
}

// Basic returns the basic-class groups of a class-0 subrecord; ok is false
// for the extended classes.
func (s *PHDBSubrecord) Basic() (b Basic, ok bool) {
	if s.Class() != 0 {
		return Basic{}, false
	}
	return ParseBasic(&s.Data), true
}
