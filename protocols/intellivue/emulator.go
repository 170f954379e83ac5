package intellivue

import (
	"math"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Emulated monitor timing, from the JVSCapture serial capture: numerics
// every 1,024 ms and real-time sample arrays every 256 ms, ECG with a 4 ms
// sample period (250/s, 64 samples per result).
const (
	NumericsInterval = 1024 * time.Millisecond
	// AlarmInterval is how often the emulated monitor pushes the alarm
	// lists during an alarm poll (the emulator's choice: with numerics).
	AlarmInterval = 1024 * time.Millisecond
	alarmHandle   = 0x20
	WaveInterval  = 256 * time.Millisecond
	ECGPeriod     = 32 // ticks: 4 ms
	ecgPerResult  = 64
	ecgHandle     = 0x10
	maxCatchUp    = 2 * time.Second
	// NIBPCycle is how often the emulated monitor measures NIBP, as in
	// auto mode: the first measurement at start (the first Tick, or the
	// first numerics result if that is due earlier), then every 5 minutes.
	NIBPCycle = 5 * time.Minute
)

// ECGInvalidMask is the invalid-sample mask the emulator announces for its
// ECG (NOM_ATTR_SA_FIXED_VAL_SPECN, SA_FIX_INVALID_MASK): bit 15, above the
// 14 significant bits. With the leads off every sample carries it and the
// array's state is invalid.
const ECGInvalidMask = 0x8000

// ECGScale is the scale the emulator announces for ECG: scaled values
// 0..16383 over -40.96..40.955 mV (5 µV per step, 14 significant bits).
var ECGScale = ScaleRange{LowerAbs: 0xFEFFF000, UpperAbs: 0xFD009FFB, LowerScaled: 0, UpperScaled: 16383}

// Emulator states.
const (
	emuIdle       = iota // no association
	emuAwaitingRS        // accepted, MDS Create Event sent, waiting for the result
	emuReady             // polls are answered
)

type activePoll struct {
	invoke, number uint16
	class          uint16
	until          time.Time
	next           time.Time
	seq            uint16
	sentStatic     bool
	once           bool
}

// Emulator is the monitor side of the Data Export protocol, for
// simulators: it accepts associations, sends the MDS Create Event, answers
// single polls at once and extended polls by pushing numerics and the
// alarm lists every 1,024 ms and ECG sample arrays every 256 ms for the
// poll period, and
// answers release. Demo patients are flagged with the demo state bit.
//
// NIBP is measured as a monitor in auto mode does: at start and every
// NIBPCycle after, from the patient state of that moment. Every
// numerics result between measurements repeats the last one with the time
// stamp of the measurement (attribute 0x0990), which is how the monitor
// tells its age. A measurement while the patient has no sbp, dbp or map
// gives none (no NIBP object is sent).
//
// A fresh Emulator is a monitor that has just booted: it sends nothing
// until it is asked to associate, and it aborts the session when a host
// polls it (or sends an MDS create result) without an association, as
// after a reboot under a running host.
type Emulator struct {
	dec      Decoder
	state    int
	start    time.Time
	invoke   uint16
	polls    []activePoll
	ecgNext  time.Time  // time of the next ECG sample
	nibp     [3]Numeric // the last measurement: sbp, dbp, map (value, state)
	hasNIBP  bool       // a measurement exists
	nibpTime time.Time  // when it was measured
	nibpNext time.Time  // when the next measurement is due
	started  bool       // Tick has run: the cycle is under way
}

// NewEmulator returns the IntelliVue monitor emulator behind the
// protocols/codec contract.
func NewEmulator(codec.Config) codec.Emulator { return &Emulator{} }

func frameOrNil(r Record) []byte {
	f, err := AppendFrame(nil, r)
	if err != nil {
		return nil
	}
	return f
}

// monitorInfo is the user information the emulated monitor accepts with.
var monitorInfo = UserInfo{
	ProtocolVersion: ProtocolVersion1, NomenclatureVersion: NomenclatureV1, SystemType: SystemTypeServer, StartupMode: StartupCold,
	PollProfile: PollProfile{Revision: PollProfileRev0, MinPollPeriod: TicksOf(125 * time.Millisecond), MaxMTURx: 1000,
		MaxMTUTx: 2500, MaxBWTx: 0xFFFFFFFF, Options: PollOptionsDyn},
	ExtendedOptions: DefaultExtOptions,
}

// Receive answers the host's messages.
func (e *Emulator) Receive(p []byte, now time.Time) [][]byte {
	e.dec.Feed(p)
	var out [][]byte
	for e.dec.Scan() {
		switch r := e.dec.Record().(type) {
		case *AssociationRequest:
			e.state, e.start, e.polls = emuAwaitingRS, now, nil
			e.invoke++
			out = append(out, frameOrNil(&AssociationAccept{UserInfo: monitorInfo, Found: true}),
				frameOrNil(&MDSCreateEvent{InvokeID: e.invoke, Confirmed: true, Object: MDSObject, EventTime: e.rel(now), MDS: MDSObject}))
		case *MDSCreateResult:
			switch e.state {
			case emuAwaitingRS:
				e.state = emuReady
			case emuIdle:
				out = append(out, frameOrNil(&Abort{}))
			}
		case *PollRequest:
			switch e.state {
			case emuIdle:
				// Data from a host this monitor has no association with
				// (it rebooted, or never associated): the session is
				// aborted, the sign the notes give for a lost session
				// (shared/reference/protocols.md §4.4), and the host
				// associates again.
				out = append(out, frameOrNil(&Abort{}))
				continue
			case emuAwaitingRS:
				// Associated, but the MDS create result has not come:
				// not allowed yet.
				out = append(out, frameOrNil(&RemoteError{InvokeID: r.InvokeID, ErrorValue: ErrAccessDenied}))
				continue
			}
			if !r.Extended {
				// A single poll, e.g. the host's keep-alive on the MDS: an
				// empty result answers it.
				out = append(out, frameOrNil(&PollResult{InvokeID: r.InvokeID, Object: MDSObject, PollNumber: r.PollNumber,
					RelTime: e.rel(now), AbsTime: MakeAbsoluteTime(now.UTC()), Partition: r.Partition, ObjectType: r.ObjectType, AttrGroup: r.AttrGroup}))
				continue
			}
			if r.ObjectType != ClassNumeric && r.ObjectType != ClassRTSA && r.ObjectType != ClassAlert {
				out = append(out, frameOrNil(&RemoteError{InvokeID: r.InvokeID, ErrorValue: ErrNoSuchObjectClass}))
				continue
			}
			// A new poll of a class replaces the running one, as a renewal.
			kept := e.polls[:0]
			for _, p := range e.polls {
				if p.class != r.ObjectType {
					kept = append(kept, p)
				}
			}
			e.polls = append(kept, activePoll{invoke: r.InvokeID, number: r.PollNumber, class: r.ObjectType,
				until: now.Add(r.Period.Duration()), next: now, once: r.Period == 0})
			if r.ObjectType == ClassRTSA {
				e.ecgNext = now
			}
		case *ReleaseRequest:
			e.state, e.polls = emuIdle, nil
			out = append(out, frameOrNil(&ReleaseResponse{}))
		case *Abort:
			e.state, e.polls = emuIdle, nil
		}
	}
	return out
}

func (e *Emulator) rel(now time.Time) Ticks { return TicksOf(now.Sub(e.start)) }

// Tick pushes the poll results that are due for the patient state s.
func (e *Emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	var out [][]byte
	kept := e.polls[:0]
	for _, p := range e.polls {
		if now.Sub(p.next) > maxCatchUp {
			p.next = now // the runner stalled: skip ahead
		}
		for !now.Before(p.next) && (p.once || p.next.Before(p.until)) {
			var r *PollResult
			switch p.class {
			case ClassNumeric:
				r = e.numerics(p.next, s)
				p.next = p.next.Add(NumericsInterval)
			case ClassAlert:
				r = e.alarms(p.next, s)
				p.next = p.next.Add(AlarmInterval)
			default:
				r = e.waves(p.next, s, !p.sentStatic)
				p.sentStatic = true
				p.next = p.next.Add(WaveInterval)
			}
			r.InvokeID, r.PollNumber, r.Sequence = p.invoke, p.number, p.seq
			p.seq++
			out = append(out, frameOrNil(r))
			if p.once {
				break
			}
		}
		if !p.once && p.next.Before(p.until) {
			kept = append(kept, p)
		}
	}
	e.polls = kept
	// After the results: a result that was due before now (numerics
	// measures at its own time) never carries a measurement from its
	// future.
	e.measureNIBP(now, s)
	return out
}

// measureNIBP takes an NIBP measurement from s when one is due at t: at
// the first Tick (or the first numerics result, if that is due earlier),
// then every NIBPCycle on the cycle's own clock (a runner that
// stalls past several cycles gets one measurement, then the cycle goes on
// from t). Absent kinds are sent as invalid NaN in the compound, as
// before; with none of the three there is no measurement.
func (e *Emulator) measureNIBP(t time.Time, s codec.PatientState) {
	if e.started && t.Before(e.nibpNext) {
		return
	}
	if !e.started || t.Sub(e.nibpNext) >= NIBPCycle {
		e.nibpNext = t
	}
	e.started = true
	e.nibpNext = e.nibpNext.Add(NIBPCycle)
	e.hasNIBP = false
	for i, k := range []struct {
		physio uint16
		kind   vitals.Kind
	}{{PhysioNIBPSys, vitals.SBP}, {PhysioNIBPDia, vitals.DBP}, {PhysioNIBPMean, vitals.MAP}} {
		n := Numeric{PhysioID: k.physio, State: StateInvalid, Unit: UnitMmHg, Value: FloatNaN}
		if v, ok := s.Values[k.kind]; ok {
			n.State, n.Value = 0, MakeFloat(v)
			e.hasNIBP = true
		}
		e.nibp[i] = n
	}
	e.nibpTime = t
}

// LeadsOffText is the INOP the emulated monitor lists while the scenario
// has the ECG leads off.
const LeadsOffText = "LEADS OFF"

// alarms builds an alert-monitor result: the patient alarm list (empty:
// the scenario model has no patient alarms) and the technical list, with
// LeadsOffText (medium priority) while the leads are off.
func (e *Emulator) alarms(t time.Time, s codec.PatientState) *PollResult {
	var tech []AlarmEntry
	if s.LeadsOff {
		tech = append(tech, AlarmEntry{Source: PhysioECGHR, Type: MedPriT, Object: ObjectID{Class: ClassAlert, Handle: alarmHandle},
			InfoID: StrAlMonInfo, Priority: 1, Text: LeadsOffText})
	}
	pl, _ := AppendAlarmList(nil, nil)
	tl, _ := AppendAlarmList(nil, tech)
	r := e.result(t, ClassAlert)
	r.AttrGroup = AttrGroupAlMon
	r.Contexts = []PollContext{{Objects: []PollObject{{Handle: alarmHandle, Attributes: []Attribute{{ID: AttrAlMonPList, Value: pl}, {ID: AttrAlMonTList, Value: tl}}}}}}
	return r
}

func (e *Emulator) result(t time.Time, class uint16) *PollResult {
	return &PollResult{Object: MDSObject, Extended: true, RelTime: e.rel(t), AbsTime: MakeAbsoluteTime(t.UTC()),
		Partition: PartitionObj, ObjectType: class}
}

// numerics builds a numerics result: one object per measured kind.
func (e *Emulator) numerics(t time.Time, s codec.PatientState) *PollResult {
	e.measureNIBP(t, s)
	var state uint16
	if s.Demo {
		state |= StateDemoData
	}
	value := func(k vitals.Kind) (Float, uint16) {
		v, ok := s.Values[k]
		if !ok {
			return FloatNaN, state | StateInvalid
		}
		return MakeFloat(v), state
	}
	var objs []PollObject
	single := []struct {
		handle, physio, unit uint16
		kind                 vitals.Kind
	}{
		{1, PhysioECGHR, UnitBPM, vitals.HR}, {2, PhysioSpO2, UnitPercent, vitals.SpO2}, {3, PhysioPlethPR, UnitBPM, vitals.PR},
		{5, PhysioRR, UnitPerMin, vitals.RR}, {6, PhysioTemp, UnitCel, vitals.Temp}, {7, PhysioEtCO2, UnitKPa, vitals.EtCO2},
	}
	for _, n := range single {
		if _, ok := s.Values[n.kind]; !ok {
			continue
		}
		v, st := value(n.kind)
		if s.LeadsOff && throughECGLeads(n.physio) {
			v, st = FloatNaN, st|StateInvalid
		}
		objs = append(objs, PollObject{Handle: n.handle, Attributes: []Attribute{{ID: AttrNuObs, Value: AppendNuObs(nil, n.physio, st, n.unit, v)}}})
	}
	if e.hasNIBP {
		cmp := e.nibp
		for i := range cmp {
			cmp[i].State |= state // demo mode marks what is sent now
		}
		ts := MakeAbsoluteTime(e.nibpTime.UTC())
		objs = append(objs, PollObject{Handle: 4, Attributes: []Attribute{{ID: AttrNuObsCmp, Value: AppendNuObsCmp(nil, cmp[:])}, {ID: AttrAbsTime, Value: ts[:]}}})
	}
	r := e.result(t, ClassNumeric)
	if len(objs) > 0 {
		r.Contexts = []PollContext{{Objects: objs}}
	}
	return r
}

// waves builds a real-time sample-array result with 256 ms of ECG lead II;
// static adds the sample period, specification, scale, unit, id and the
// invalid-sample mask. With the leads off the array's state is invalid and
// every sample carries the mask: the wave's side of the monitor's LEADS OFF
// INOP (the INOP itself is an alarm, which the emulator does not send).
func (e *Emulator) waves(t time.Time, s codec.PatientState, static bool) *PollResult {
	r := e.result(t, ClassRTSA)
	if s.ECG == nil {
		return r
	}
	var state uint16
	if s.Demo {
		state |= StateDemoData
	}
	if s.LeadsOff {
		state |= StateInvalid
	}
	samples := make([]byte, 0, 2*ecgPerResult)
	for i := range ecgPerResult {
		raw := uint16(ECGInvalidMask | 8192) // leads off: every sample marked invalid
		if !s.LeadsOff {
			mv := s.ECG(e.ecgNext.Add(time.Duration(i) * ECGPeriod * 125 * time.Microsecond))
			raw = uint16(math.Max(0, math.Min(16383, math.Round((mv+40.96)/0.005))))
		}
		samples = be16(samples, raw)
	}
	e.ecgNext = e.ecgNext.Add(ecgPerResult * ECGPeriod * 125 * time.Microsecond)
	attrs := []Attribute{{ID: AttrSaObs, Value: AppendSaObs(nil, PhysioECGII, state, samples)}}
	if static {
		attrs = append(attrs,
			Attribute{ID: AttrIDType, Value: be16(be16(nil, 2), PhysioECGII)},
			Attribute{ID: AttrSamplePd, Value: be32(nil, ECGPeriod)},
			Attribute{ID: AttrSaSpec, Value: AppendSaSpec(nil, ecgPerResult, 16, 14, SaExtValRange)},
			Attribute{ID: AttrSaFixedVal, Value: AppendSaFixedVal(nil, [2]uint16{SaFixInvalidMask, ECGInvalidMask})},
			Attribute{ID: AttrScale, Value: AppendScale(nil, ECGScale)},
			Attribute{ID: AttrUnit, Value: be16(nil, UnitMV)})
	}
	r.Contexts = []PollContext{{Objects: []PollObject{{Handle: ecgHandle, Attributes: attrs}}}}
	return r
}
