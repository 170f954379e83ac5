package hl7

import (
	"math"
	"strconv"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the MLLP decoder behind codec.Decoder. Records are
// Message values (ORU, ACK and any other type); Observations maps the OBX
// of the current message, reading zone-less times as UTC; there are no
// waves.
func NewCodec(cfg codec.Config) codec.Decoder { return NewCodecIn(cfg, time.UTC) }

// NewCodecIn is NewCodec with zone-less HL7 times read in loc (e.g. the
// clinic's zone, for a sender that writes local times without an offset).
func NewCodecIn(cfg codec.Config, loc *time.Location) codec.Decoder {
	if loc == nil {
		loc = time.UTC
	}
	return codec.Adapt[Message](NewDecoder(), cfg.DeviceID, codec.Mapping[Message]{
		Observations: func(m Message, hostTime time.Time) []vitals.Observation { return ObservationsIn(m, hostTime, loc) },
		Texts:        func(m Message, hostTime time.Time) codec.Texts { return TextsIn(m, hostTime, loc) },
	})
}

// EmulatorPeriod is how often the emulated monitor sends an ORU^R01.
const EmulatorPeriod = time.Second

// vitalSpec is how the emulator writes one kind: MDC code and unit.
type vitalSpec struct {
	kind          vitals.Kind
	code, refid   string
	unit, unitRef string
	unitUCUM      vitals.Unit
	leadDependent bool // sent as status X with no value when leads are off
}

var emulatedVitals = []vitalSpec{
	{vitals.HR, "147842", "MDC_ECG_HEART_RATE", "264864", "MDC_DIM_BEAT_PER_MIN", vitals.PerMin, true},
	{vitals.SpO2, "150456", "MDC_PULS_OXIM_SAT_O2", "262688", "MDC_DIM_PERCENT", vitals.Percent, true},
	{vitals.PR, "149530", "MDC_PULS_OXIM_PULS_RATE", "264864", "MDC_DIM_BEAT_PER_MIN", vitals.PerMin, true},
	{vitals.RR, "151562", "MDC_RESP_RATE", "264928", "MDC_DIM_RESP_PER_MIN", vitals.PerMin, false},
	{vitals.SBP, "150301", "MDC_PRESS_CUFF_SYS", "266016", "MDC_DIM_MMHG", vitals.MmHg, false},
	{vitals.DBP, "150302", "MDC_PRESS_CUFF_DIA", "266016", "MDC_DIM_MMHG", vitals.MmHg, false},
	{vitals.MAP, "150303", "MDC_PRESS_CUFF_MEAN", "266016", "MDC_DIM_MMHG", vitals.MmHg, false},
	{vitals.Temp, "150344", "MDC_TEMP", "268192", "MDC_DIM_DEGC", vitals.Cel, false},
	{vitals.EtCO2, "151712", "MDC_AWAY_CO2_ET", "kPa", "kPa", vitals.KPa, false},
}

// maxUnacked bounds how many unanswered messages the emulator remembers.
const maxUnacked = 100

// Emulator is an HL7 sender for simulators: an ORU^R01 every
// EmulatorPeriod, asking for an ACK (MSH-15 AL).
type Emulator struct {
	pace   codec.Every
	seq    uint64
	acked  []string
	unack  map[string]uint64 // control id -> sequence number
	decode *Decoder
}

// NewEmulator returns the sender side: each EmulatorPeriod an ORU^R01 with
// one OBX per value in PatientState.Values (MDC codes and units, OBX-11 R,
// OBX-14 the tick time in UTC), MSH-15 AL. LeadsOff sends HR, SpO2 and PR
// with status X and no value; Demo sets MSH-11 to T (training). Receive
// reads the host's ACKs (MSA|AA) and remembers which messages were
// acknowledged.
func NewEmulator(codec.Config) codec.Emulator {
	return &Emulator{pace: codec.Every{Period: EmulatorPeriod}, unack: map[string]uint64{}, decode: NewDecoder()}
}

// Receive takes ACK bytes from the host; it never answers.
func (e *Emulator) Receive(p []byte, _ time.Time) [][]byte {
	e.decode.Feed(p)
	for e.decode.Scan() {
		m := e.decode.Record()
		msa, ok := m.Segment("MSA")
		if !ok {
			continue
		}
		id := msa.Field(2).Value()
		if _, sent := e.unack[id]; sent && msa.Field(1).Value() == "AA" {
			delete(e.unack, id)
			e.acked = append(e.acked, id)
		}
	}
	return nil
}

// Acked lists the control ids of the messages the host acknowledged, in order.
func (e *Emulator) Acked() []string { return append([]string(nil), e.acked...) }

// Unacked is the number of messages sent and not yet acknowledged (of the
// last maxUnacked).
func (e *Emulator) Unacked() int { return len(e.unack) }

// Tick sends an ORU^R01 when one is due.
func (e *Emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	if !e.pace.Due(now) {
		return nil
	}
	e.seq++
	id := "MSG" + strconv.FormatUint(e.seq, 10)
	e.unack[id] = e.seq
	for old, seq := range e.unack { // a host that never answers must not grow memory
		if e.seq-seq >= maxUnacked {
			delete(e.unack, old)
		}
	}
	return [][]byte{AppendFrame(nil, BuildORU(id, now, s))}
}

func unitField(v vitalSpec) Field {
	if v.unit == v.unitRef { // no MDC unit code in the notes: send UCUM
		return Comps(string(v.unitUCUM), string(v.unitUCUM), "UCUM")
	}
	return Comps(v.unit, v.unitRef, "MDC")
}

// BuildORU builds the ORU^R01 the emulator sends for patient state s.
func BuildORU(controlID string, now time.Time, s codec.PatientState) Message {
	ts := FormatTime(now.UTC().Truncate(time.Millisecond))
	proc := "P"
	if s.Demo {
		proc = "T"
	}
	d := DefaultDelimiters
	m := Message{Delims: d, Segments: []Segment{
		{Name: "MSH", Fields: []Field{
			Text("|"), Text(d.encodingChars()),
			Comps("TRIAGESIM", "0123456789ABCDEF", "EUI-64"), Text("LEGEVAKT"),
			Text("TRIAGE"), Text("LEGEVAKT"), Text(ts), Text(""),
			Comps("ORU", "R01", "ORU_R01"), Text(controlID), Text(proc), Text("2.6"),
			Text(""), Text(""), Text("AL"), Text("NE"),
		}},
		{Name: "PID", Fields: []Field{Text(""), Text(""), Text("SIM-1")}},
		{Name: "OBR", Fields: []Field{
			Text("1"), Text(controlID), Text(""),
			Comps("182777000", "monitoring of patient", "SCT"), Text(""), Text(""), Text(ts),
		}},
	}}
	n := 0
	for _, v := range emulatedVitals {
		val, ok := s.Values[v.kind]
		if !ok || math.IsNaN(val) || math.IsInf(val, 0) {
			continue
		}
		n++
		value, status := strconv.FormatFloat(val, 'f', -1, 64), "R"
		if s.LeadsOff && v.leadDependent {
			value, status = "", "X"
		}
		m.Segments = append(m.Segments, Segment{Name: "OBX", Fields: []Field{
			Text(strconv.Itoa(n)), Text("NM"),
			Comps(v.code, v.refid, "MDC"), Text("1.3.1." + v.code), Text(value),
			unitField(v), Text(""), Text(""), Text(""), Text(""),
			Text(status), Text(""), Text(""), Text(ts),
		}})
	}
	return m
}
