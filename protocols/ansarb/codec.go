package ansarb

import (
	"math"
	"strconv"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the ANSAR-B decoder behind codec.Decoder; records are
// Message values.
func NewCodec(cfg codec.Config) codec.Decoder {
	return codec.Adapt[Message](NewDecoder(), cfg.DeviceID, codec.Mapping[Message]{Observations: Observations, Waves: Waves, Texts: Texts})
}

// Period is how often the monitor sends a message.
const Period = time.Second

type emulator struct {
	pace codec.Every
}

// NewEmulator returns the monitor side for simulators: one message per
// Period holding the second that ends at the tick: 200 ECG samples from
// PatientState.ECG (flat at 0 mV when no ECG is attached; on the low rail
// 0x00 when the leads are off),
// a respiration wave at Values[rr], a pleth pulse at Values[pr] (else [hr]),
// flat invasive pressures, and the lines HR, RR, SPO2 (with pulse rate) and
// NIBP for the values present. LeadsOff blanks HR, SpO2 and pulse rate and
// puts LeadsOffAlarm in the HR line's alarm item.
// ANSAR-B has no demo marker. The monitor only transmits.
func NewEmulator(codec.Config) codec.Emulator { return &emulator{pace: codec.Every{Period: Period}} }

func (e *emulator) Receive([]byte, time.Time) [][]byte { return nil }

func (e *emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	if !e.pace.Due(now) {
		return nil
	}
	return [][]byte{AppendMessage(nil, EmulatedMessage(now.Add(-Period), s))}
}

// EmulatedMessage builds the message for the second starting at t0.
func EmulatedMessage(t0 time.Time, s codec.PatientState) Message {
	var m Message
	ecgOn := !s.LeadsOff && s.ECG != nil
	for i := range m.ECG {
		if s.LeadsOff {
			m.ECG[i] = ECGRailLow
			continue
		}
		mv := 0.0
		if ecgOn {
			mv = s.ECG(t0.Add(time.Duration(i) * time.Second / ECGRate))
			if math.IsNaN(mv) {
				mv = 0
			}
		}
		m.ECG[i] = ECGByte(mv)
	}
	rr, hasRR := s.Values[vitals.RR]
	pr, hasPR := s.Values[vitals.PR]
	if !hasPR {
		pr, hasPR = s.Values[vitals.HR]
	}
	for i := range SlowSamples {
		ts := float64(t0.Add(time.Duration(i)*time.Second/SlowRate).UnixNano()) / 1e9
		m.Resp[i] = 128
		if hasRR {
			m.Resp[i] = byte(128 + 60*math.Sin(2*math.Pi*ts*rr/60))
		}
		m.Pleth[i] = PlethOffset
		if hasPR && !s.LeadsOff {
			ph := math.Mod(ts*pr/60, 1)
			m.Pleth[i] = byte(PlethOffset + 120*math.Exp(-math.Pow((ph-0.25)/0.12, 2)))
		}
		m.P1[i], m.P2[i] = P1Offset, P2Offset
	}
	num := func(k vitals.Kind, blank bool) string {
		v, ok := s.Values[k]
		if !ok || blank || math.IsNaN(v) {
			return ""
		}
		return strconv.Itoa(int(math.Round(v)))
	}
	m.Params = []Param{}
	if _, ok := s.Values[vitals.HR]; ok {
		hr := Param{Name: ParamHR, Values: []string{num(vitals.HR, s.LeadsOff)}}
		if s.LeadsOff {
			hr.Alarm = LeadsOffAlarm
		}
		m.Params = append(m.Params, hr)
	}
	if hasRR {
		m.Params = append(m.Params, Param{Name: ParamRR, Values: []string{num(vitals.RR, false)}})
	}
	if _, ok := s.Values[vitals.SpO2]; ok {
		pulse := ""
		if hasPR && !s.LeadsOff {
			pulse = strconv.Itoa(int(math.Round(pr)))
		}
		m.Params = append(m.Params, Param{Name: ParamSpO2, Values: []string{num(vitals.SpO2, s.LeadsOff), pulse}})
	}
	if _, ok := s.Values[vitals.SBP]; ok {
		pulse := ""
		if hasPR {
			pulse = strconv.Itoa(int(math.Round(pr)))
		}
		m.Params = append(m.Params, Param{Name: ParamNIBP, Values: []string{num(vitals.SBP, false), num(vitals.DBP, false), num(vitals.MAP, false), pulse}})
	}
	return m
}
