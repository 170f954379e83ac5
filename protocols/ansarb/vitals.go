package ansarb

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Parameter names on the wire. NIBP is in the notes' example; HR, RR, SPO2
// follow the handlers of the OpenICE reader (heart rate, respiratory rate,
// SpO2 with pulse rate).
const (
	ParamHR   = "HR"
	ParamRR   = "RR"
	ParamSpO2 = "SPO2"
	ParamNIBP = "NIBP"
)

// mapping says which value of which line is which vital.
var mapping = []struct {
	param string
	index int
	kind  vitals.Kind
	unit  vitals.Unit
	max   float64 // above this the value is not a measurement but a corrupted line
}{
	{ParamHR, 0, vitals.HR, vitals.PerMin, 350},
	{ParamRR, 0, vitals.RR, vitals.PerMin, 150},
	{ParamSpO2, 0, vitals.SpO2, vitals.Percent, 100},
	{ParamSpO2, 1, vitals.PR, vitals.PerMin, 350},
	{ParamNIBP, 0, vitals.SBP, vitals.MmHg, 300},
	{ParamNIBP, 1, vitals.DBP, vitals.MmHg, 300},
	{ParamNIBP, 2, vitals.MAP, vitals.MmHg, 300},
}

// Observations maps the text lines of m: HR -> hr, RR -> rr, SPO2 -> spo2
// and its second value -> pr, NIBP -> sbp, dbp, map (all /min, %, mm[Hg]).
// The NIBP pulse (fourth value) is not mapped: it is a one-off reading and
// would interleave with the continuous oximeter pulse rate. A blank,
// dashed or non-numeric value is not an observation; a negative or
// impossible one is invalid. The label and alarm are patient alarms, not
// signal quality, and leave quality alone, except that with the leads off
// (Message.LeadsOff) an HR value is invalid: it cannot come from the ECG.
// The message has no device clock.
func Observations(m Message, hostTime time.Time) []vitals.Observation {
	var out []vitals.Observation
	leadsOff := m.LeadsOff()
	for _, mp := range mapping {
		p, ok := m.Param(mp.param)
		if !ok {
			continue
		}
		var s string
		switch {
		case mp.index < len(p.Values):
			s = strings.TrimSpace(p.Values[mp.index])
		case mp.param == ParamSpO2 && mp.kind == vitals.PR:
			// The Ivy 450C sends SPO2=1;100;PR=80 ;: one value, and the
			// pulse rate in the label item.
			pr, ok := LabelPulseRate(p)
			if !ok {
				continue
			}
			s = pr
		default:
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		q := vitals.Valid
		if v < 0 || v > mp.max || (mp.kind == vitals.HR && leadsOff) {
			q = vitals.Invalid
		}
		out = append(out, vitals.Observation{Kind: mp.kind, Value: v, Unit: mp.unit, HostTime: hostTime, Quality: q})
	}
	return out
}

// Waves gives the five waveforms of m: ECG (200 S/s, mV, (v-100) x 0.02),
// respiration (50 S/s, raw), pleth (50 S/s, v-86), invasive pressures P1
// and P2 (50 S/s, v-80 and v-251). The last four have no published scale,
// so their unit is 1. hostTime stamps the first sample. With the leads off
// (Message.LeadsOff) the ECG block is LeadOff and Invalid and its samples
// are NaN: rail bytes are not voltages.
func Waves(m Message, hostTime time.Time) []vitals.Wave {
	wave := func(kind vitals.WaveKind, ch string, rate float64, unit vitals.Unit, raw []byte, f func(byte) float64) vitals.Wave {
		s := make([]float64, len(raw))
		for i, b := range raw {
			s[i] = f(b)
		}
		return vitals.Wave{Kind: kind, Channel: ch, Rate: rate, Unit: unit, Samples: s, HostTime: hostTime, Quality: vitals.Valid}
	}
	offset := func(o int) func(byte) float64 { return func(b byte) float64 { return float64(int(b) - o) } }
	ecg := wave(vitals.WaveECG, "ECG", ECGRate, vitals.MilliVolt, m.ECG[:], ECGmV)
	if m.LeadsOff() {
		ecg.LeadOff, ecg.Quality = true, vitals.Invalid
		for i := range ecg.Samples {
			ecg.Samples[i] = math.NaN()
		}
	}
	return []vitals.Wave{
		ecg,
		wave(vitals.WaveResp, "RESP", SlowRate, vitals.NoUnit, m.Resp[:], offset(0)),
		wave(vitals.WavePleth, "PLETH", SlowRate, vitals.NoUnit, m.Pleth[:], offset(PlethOffset)),
		wave(vitals.WaveInvP, "P1", SlowRate, vitals.NoUnit, m.P1[:], offset(P1Offset)),
		wave(vitals.WaveInvP, "P2", SlowRate, vitals.NoUnit, m.P2[:], offset(P2Offset)),
	}
}

// LabelPulseRate returns the pulse rate the Ivy 450C puts in the SPO2
// line's label item ("PR=80 ") when the line carries one value only.
func LabelPulseRate(p Param) (string, bool) {
	if p.Name != ParamSpO2 || len(p.Values) != 1 {
		return "", false
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(p.Label), "PR=")
	if !ok {
		return "", false
	}
	return strings.TrimSpace(v), true
}

// technicalWords mark an ANSAR-B alarm or label item as a technical
// message about the equipment rather than a patient alarm.
var technicalWords = []string{"LEAD", "OFF", "TRANSDUCER", "SENSOR", "PROBE", "CHECK", "NO ", "CUFF", "ERR", "FAIL", "DISCONN"}

// Texts lists the label and alarm items of m's lines as events: label
// items as labels (except the Ivy pulse rate, which Observations decodes),
// alarm items as patient alarms, or as technical messages when they name
// equipment ("NO TRANSDUCER", "LEADS OFF"). Labels that name equipment
// ("CHECK PROBE") are technical too.
func Texts(m Message, hostTime time.Time) codec.Texts {
	var out codec.Texts
	for _, p := range m.Params {
		if t := strings.TrimSpace(p.Label); t != "" {
			if _, pr := LabelPulseRate(p); !pr {
				kind := codec.EventLabel
				if technical(t) {
					kind = codec.EventTechnical
				}
				out = append(out, codec.Event{Kind: kind, Param: p.Name, Text: t, HostTime: hostTime})
			}
		}
		if t := strings.TrimSpace(p.Alarm); t != "" {
			kind := codec.EventAlarm
			if technical(t) {
				kind = codec.EventTechnical
			}
			out = append(out, codec.Event{Kind: kind, Param: p.Name, Text: t, HostTime: hostTime})
		}
	}
	return out
}

func technical(s string) bool {
	u := strings.ToUpper(s) + " "
	for _, w := range technicalWords {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// ECGmV converts an ECG wave byte to millivolts: (v - 100) x 0.02.
func ECGmV(b byte) float64 { return math.Round((float64(b)-ECGOffset)*ECGmVPerBit*1000) / 1000 }

// ECGByte is the inverse of ECGmV, clamped to 0-255.
func ECGByte(mv float64) byte {
	v := math.Round(mv/ECGmVPerBit + ECGOffset)
	return byte(math.Max(0, math.Min(255, v)))
}

// Described is a message as `triagectl dissect` shows it: the text lines
// by name, the waves by sample count, and the lines or values this package
// does not map listed as not understood.
type Described struct {
	Params        []Param        `json:"params"`
	Waves         map[string]int `json:"waves"`
	NotUnderstood []string       `json:"not_understood,omitempty"`
}

// Describe returns rec for dissection (the protocol's Describe in the
// device layer's registry).
func Describe(rec any) any {
	m, ok := rec.(Message)
	if !ok {
		return rec
	}
	d := Described{Params: m.Params, Waves: map[string]int{"ecg": len(m.ECG), "resp": len(m.Resp), "pleth": len(m.Pleth), "p1": len(m.P1), "p2": len(m.P2)}}
	for _, p := range m.Params {
		mapped := 0
		for _, mp := range mapping {
			if mp.param == p.Name && mp.index < len(p.Values) {
				mapped++
			}
		}
		if _, pr := LabelPulseRate(p); pr {
			mapped = max(mapped, 1)
		}
		switch {
		case mapped == 0:
			d.NotUnderstood = append(d.NotUnderstood, fmt.Sprintf("line %s (values %s): not mapped", p.Name, strings.Join(p.Values, ";")))
		case mapped == len(p.Values)-1:
			d.NotUnderstood = append(d.NotUnderstood, fmt.Sprintf("line %s: value %d not mapped (%s)", p.Name, mapped+1, p.Values[mapped]))
		case mapped < len(p.Values):
			d.NotUnderstood = append(d.NotUnderstood, fmt.Sprintf("line %s: values %d-%d not mapped (%s)", p.Name, mapped+1, len(p.Values), strings.Join(p.Values[mapped:], ";")))
		}
	}
	return d
}
