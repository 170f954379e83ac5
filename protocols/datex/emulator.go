package datex

import (
	"fmt"
	"math"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Emulator timing: wave packets of 200 ms (60 ECG and 20 pleth samples,
// as in the LNhealth wave vector).
const (
	wavePacket      = 200 * time.Millisecond
	ecgRate         = 300
	plethRate       = 100
	maxWaveCatchUp  = time.Second // after a longer stall, skip ahead and flag a gap
	emulatorDRI     = 9           // the level the emulated monitor reports ('05)
	nibpFreshWindow = 60 * time.Second
	// NIBPCycle is how often the emulated monitor measures NIBP, as in
	// auto mode: the first measurement at start (the first Tick), then
	// every 5 minutes.
	NIBPCycle = 5 * time.Minute
)

// Emulator is the monitor side of the S/5 protocol, for simulators: it
// answers the displayed-values request every tx_ival seconds and streams
// ECG1 (from PatientState.ECG, in µV, 300/s) and pleth (100/s, shaped
// from the pulse rate) while waves are requested.
//
// NIBP is measured as a monitor in auto mode does: at the first Tick and
// every NIBPCycle after, from the patient state of that moment. Every
// displayed-values record between measurements repeats the last one, with
// the "older than 60 s" label bit once it is more than 60 s old. A
// measurement when the patient has no sbp, dbp or map gives none (the
// group is sent as not existing).
//
// Alarms: in differential mode it sends an alarm status at once and at
// every change of what it displays (LeadsOffText while the leads are off).
type Emulator struct {
	dec    Decoder
	number uint8

	phdbOn       bool
	phdbOnce     bool
	phdbInterval time.Duration
	nextPHDB     time.Time

	waveOn   bool
	ecgOn    bool
	plethOn  bool
	nextWave time.Time // start time of the next packet
	gap      bool

	nibp     [3]Value  // the last measurement (Invalid where not measured)
	nibpAt   time.Time // when it was measured
	nibpNext time.Time // when the next measurement is due
	hasNIBP  bool      // a measurement exists
	started  bool      // Tick has run: the cycle is under way

	alarmDiff bool   // differential mode: send the status at every change
	alarmOnce bool   // send the status at the next Tick
	alarmSent string // the alarms of the last status sent
}

// LeadsOffText is the technical alarm the emulated monitor shows while
// the scenario has the ECG leads off.
const LeadsOffText = "LEADS OFF"

// alarms returns what the emulated monitor displays for s: the leads-off
// message (yellow, a status message) while the leads are off.
func alarms(s codec.PatientState) [AlarmSlots]DisplayedAlarm {
	var out [AlarmSlots]DisplayedAlarm
	if s.LeadsOff {
		out[0] = DisplayedAlarm{Text: LeadsOffText, Priority: AlarmYellow, Type: AlarmTypeStatus}
	}
	return out
}

// alarmFrame returns the alarm status frame when one is due: at once after
// a transmit-status command, and in differential mode at the first Tick
// and whenever the displayed alarms change.
func (e *Emulator) alarmFrame(now time.Time, s codec.PatientState) []byte {
	shown := alarms(s)
	key := fmt.Sprint(shown)
	if !e.alarmOnce && (!e.alarmDiff || key == e.alarmSent) {
		return nil
	}
	e.alarmOnce = false
	for i := range shown {
		shown[i].TextChanged = shown[i].Text != "" // the slots are rebuilt at each change
	}
	e.alarmSent = key
	e.number++
	f, err := AppendFrame(nil, &AlarmStatus{Header: Header{Number: e.number, DRILevel: emulatorDRI, Time: uint32(now.Unix())}, Displayed: shown})
	if err != nil {
		return nil
	}
	return f
}

// NewEmulator returns the S/5 monitor emulator behind the protocols/codec
// contract.
func NewEmulator(codec.Config) codec.Emulator { return &Emulator{} }

// Receive takes the host's requests. Answers need the patient state, so
// they go out from Tick.
func (e *Emulator) Receive(p []byte, now time.Time) [][]byte {
	e.dec.Feed(p)
	for e.dec.Scan() {
		switch r := e.dec.Record().(type) {
		case *PHDBRequest:
			if r.Type != Displayed {
				continue // trends need an open patient case: not emulated
			}
			switch {
			case r.Interval == IntervalCancel:
				e.phdbOn = false
			case r.Interval == IntervalOnce:
				e.phdbOn, e.phdbOnce, e.nextPHDB = true, true, now
			default:
				e.phdbOn, e.phdbOnce = true, false
				e.phdbInterval = time.Duration(r.Interval) * time.Second
				e.nextPHDB = now
			}
		case *AlarmRequest:
			switch r.Command {
			case AlarmXmitStatus:
				e.alarmOnce = true
			case AlarmEnterDiffMode:
				e.alarmDiff, e.alarmOnce = true, true
			case AlarmExitDiffMode:
				e.alarmDiff = false
			}
		case *WaveRequest:
			if r.Command == WaveStop {
				e.waveOn = false
				continue
			}
			e.ecgOn, e.plethOn = false, false
			for _, t := range r.Types {
				switch t {
				case WaveECG1:
					e.ecgOn = true
				case WavePleth:
					e.plethOn = true
				}
			}
			e.waveOn = e.ecgOn || e.plethOn
			e.nextWave = now
		}
	}
	return nil
}

// Tick returns the displayed-values record when due and the wave packets
// whose 200 ms have passed.
func (e *Emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	var out [][]byte
	e.measureNIBP(now, s)
	if e.phdbOn && !now.Before(e.nextPHDB) {
		if f, err := AppendFrame(nil, e.displayed(now, s)); err == nil {
			out = append(out, f)
		}
		if e.phdbOnce {
			e.phdbOn = false
		} else {
			e.nextPHDB = e.nextPHDB.Add(e.phdbInterval)
			if e.nextPHDB.Before(now) {
				e.nextPHDB = now.Add(e.phdbInterval)
			}
		}
	}
	if f := e.alarmFrame(now, s); f != nil {
		out = append(out, f)
	}
	if e.waveOn {
		if now.Sub(e.nextWave) > maxWaveCatchUp {
			e.nextWave = now.Add(-wavePacket)
			e.gap = true
		}
		for !now.Before(e.nextWave.Add(wavePacket)) {
			if f, err := AppendFrame(nil, e.wavePacket(e.nextWave, s)); err == nil {
				out = append(out, f)
			}
			e.nextWave = e.nextWave.Add(wavePacket)
		}
	}
	return out
}

// measureNIBP takes an NIBP measurement from s when one is due: at the
// first Tick, then every NIBPCycle on the cycle's own clock (a runner that
// stalls past several cycles gets one measurement, then the cycle goes on
// from now).
func (e *Emulator) measureNIBP(now time.Time, s codec.PatientState) {
	if e.started && now.Before(e.nibpNext) {
		return
	}
	if !e.started || now.Sub(e.nibpNext) >= NIBPCycle {
		e.nibpNext = now
	}
	e.started = true
	e.nibpNext = e.nibpNext.Add(NIBPCycle)
	sys, ok1 := scaled(s, vitals.SBP, 100)
	dia, ok2 := scaled(s, vitals.DBP, 100)
	mean, ok3 := scaled(s, vitals.MAP, 100)
	e.hasNIBP = ok1 || ok2 || ok3
	e.nibp, e.nibpAt = [3]Value{sys, dia, mean}, now
}

func round(v float64) Value { return Value(math.Round(v)) }

// scaled returns v×mul rounded, or Invalid when the kind is absent.
func scaled(s codec.PatientState, k vitals.Kind, mul float64) (Value, bool) {
	v, ok := s.Values[k]
	if !ok {
		return Invalid, false
	}
	return round(v * mul), true
}

// displayed builds a displayed-values record from the patient state.
func (e *Emulator) displayed(now time.Time, s codec.PatientState) *PHDB {
	on := Group{Status: GroupExists | GroupActive}
	var b Basic
	hr, okHR := scaled(s, vitals.HR, 1)
	rr, okRR := scaled(s, vitals.RR, 1)
	if okHR || okRR || s.ECG != nil {
		b.ECG = ECGGroup{Group: on, HR: hr, ImpRR: rr}
		if s.LeadsOff {
			// Impedance respiration uses the ECG electrodes: both go.
			b.ECG.HR, b.ECG.ImpRR = Invalid, Invalid
			b.ECG.Status |= ECGAllChannelsOff
		}
	}
	for i := range b.InvP {
		b.InvP[i] = PressureGroup{Sys: Invalid, Dia: Invalid, Mean: Invalid, HR: Invalid}
	}
	if e.hasNIBP {
		b.NIBP = PressureGroup{Group: on, Sys: e.nibp[0], Dia: e.nibp[1], Mean: e.nibp[2], HR: Invalid}
		if now.Sub(e.nibpAt) > nibpFreshWindow {
			b.NIBP.Label |= NIBPOlder60s
		}
	} else {
		b.NIBP = PressureGroup{Sys: Invalid, Dia: Invalid, Mean: Invalid, HR: Invalid}
	}
	for i := range b.Temp {
		b.Temp[i] = TempGroup{Temp: Invalid}
	}
	if t, ok := scaled(s, vitals.Temp, 100); ok {
		b.Temp[0] = TempGroup{Group: on, Temp: t}
	}
	spo2, okS := scaled(s, vitals.SpO2, 100)
	pr, okP := scaled(s, vitals.PR, 1)
	b.SpO2 = SpO2Group{SpO2: spo2, PR: pr, IRAmp: Invalid, SvO2: Invalid}
	if okS || okP {
		b.SpO2.Group = on
	}
	b.CO2 = CO2Group{Et: Invalid, Fi: Invalid, RR: Invalid, AmbPress: Invalid}
	if kPa, ok := s.Values[vitals.EtCO2]; ok {
		// et (1/100 %) = partial pressure / ambient pressure.
		b.CO2 = CO2Group{Group: on, Et: round(kPa / (float64(StandardAmbient) / 10 * kPaPerMmHg) * 10000), Fi: 0, RR: rr, AmbPress: StandardAmbient}
	}
	sub := PHDBSubrecord{Type: Displayed, Time: uint32(now.Unix())}
	b.Put(&sub.Data)
	e.number++
	return &PHDB{Header: Header{Number: e.number, DRILevel: emulatorDRI, Time: uint32(now.Unix())}, Subrecords: []PHDBSubrecord{sub}}
}

// wavePacket builds the 200 ms wave record that starts at t0.
func (e *Emulator) wavePacket(t0 time.Time, s codec.PatientState) *WaveRecord {
	r := &WaveRecord{Header: Header{DRILevel: emulatorDRI, Time: uint32(t0.Unix())}}
	var status uint16
	if e.gap {
		status |= WaveStatusGap
		e.gap = false
	}
	if e.ecgOn {
		n := int(wavePacket.Seconds() * ecgRate)
		sub := WaveSubrecord{Type: WaveECG1, Status: status, Samples: make([]int16, n)}
		if s.LeadsOff || s.ECG == nil {
			sub.Status |= WaveStatusLeadOff
		} else {
			for i := range sub.Samples {
				t := t0.Add(time.Duration(i) * time.Second / ecgRate)
				uv := math.Round(s.ECG(t) * 1000)
				sub.Samples[i] = int16(math.Max(WaveControl+1, math.Min(math.MaxInt16, uv)))
			}
		}
		r.Subrecords = append(r.Subrecords, sub)
	}
	if e.plethOn {
		n := int(wavePacket.Seconds() * plethRate)
		sub := WaveSubrecord{Type: WavePleth, Status: status, Samples: make([]int16, n)}
		rate, ok := s.Values[vitals.PR]
		if !ok {
			rate, ok = s.Values[vitals.HR]
		}
		if _, spo2 := s.Values[vitals.SpO2]; !spo2 || !ok {
			sub.Status |= WaveStatusLeadOff
		} else {
			for i := range sub.Samples {
				t := t0.Add(time.Duration(i) * time.Second / plethRate)
				sub.Samples[i] = int16(math.Round(100 * Pleth(t, rate)))
			}
		}
		r.Subrecords = append(r.Subrecords, sub)
	}
	e.number++
	r.Number = e.number
	return r
}

// Pleth is a simple plethysmogram in % of full scale at time t for a
// pulse rate in /min: a sharp systolic upstroke and a slower fall.
func Pleth(t time.Time, rate float64) float64 {
	if rate <= 0 {
		return 0
	}
	phase := math.Mod(float64(t.UnixNano())/1e9*rate/60, 1)
	if phase < 0.15 {
		return 20 + 60*math.Sin(phase/0.15*math.Pi/2)
	}
	return 20 + 60*math.Exp(-(phase-0.15)*4)
}
