package masimo

import (
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the ASCII 1 decoder behind the codec.Decoder interface.
// Records are Record values; device time is read as UTC.
func NewCodec(cfg codec.Config) codec.Decoder { return NewCodecIn(cfg, time.UTC) }

// NewCodecIn is NewCodec with the device clock read in loc (e.g. the
// clinic's zone, for a monitor whose clock is set to local time). Waves
// is always empty: ASCII 1 carries no waveform.
func NewCodecIn(cfg codec.Config, loc *time.Location) codec.Decoder {
	d := NewDecoder()
	if loc != nil {
		d.Location = loc
	}
	return codec.Adapt[Record](d, cfg.DeviceID, codec.Mapping[Record]{Observations: Observations, Texts: Texts})
}

// EmulatorSerial is the serial number the emulator reports.
const EmulatorSerial = "0000093112"

// Period is how often the device sends a line.
const Period = time.Second

type emulator struct {
	pace codec.Every
}

// NewEmulator returns the oximeter side for simulators: one ASCII 1 line per
// Period with SPO2 from PatientState.Values[spo2] and BPM from
// Values[pr] (or Values[hr] when no pr is given), PI 2.50 %, the date and
// time of the tick in UTC. With LeadsOff (probe off) the values are dashes
// and EXC is 000020 (sensor off). ASCII 1 has no demo marker, so Demo
// cannot be shown on this wire. The device only transmits; Receive ignores
// its input.
func NewEmulator(codec.Config) codec.Emulator { return &emulator{pace: codec.Every{Period: Period}} }

func (e *emulator) Receive([]byte, time.Time) [][]byte { return nil }

func (e *emulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	if !e.pace.Due(now) {
		return nil
	}
	return [][]byte{AppendLine(nil, emulatedRecord(now, s))}
}

func emulatedRecord(now time.Time, s codec.PatientState) Record {
	r := Record{
		Time:     now.UTC().Truncate(time.Second),
		Serial:   EmulatorSerial,
		HasAlarm: true,
		HasExc:   true,
	}
	if s.LeadsOff {
		r.Exc = ExcSensorOff
		return r
	}
	if v, ok := s.Values[vitals.SpO2]; ok {
		r.SpO2 = Reading{Value: v, Present: true}
	}
	if v, ok := s.Values[vitals.PR]; ok {
		r.BPM = Reading{Value: v, Present: true}
	} else if v, ok := s.Values[vitals.HR]; ok {
		r.BPM = Reading{Value: v, Present: true}
	}
	if r.SpO2.Present || r.BPM.Present {
		r.PI = Reading{Value: 2.5, Present: true}
	} else {
		r.Exc = ExcPulseSearch
	}
	return r
}

// excTexts name the EXC exception flags as the device manual words them.
var excTexts = []struct {
	flag uint32
	text string
}{
	{ExcNoSensor, "NO SENSOR"},
	{ExcDefectiveSensor, "DEFECTIVE SENSOR"},
	{ExcLowPerfusion, "LOW PERFUSION"},
	{ExcPulseSearch, "PULSE SEARCH"},
	{ExcInterference, "INTERFERENCE"},
	{ExcSensorOff, "SENSOR OFF PATIENT"},
	{ExcAmbientLight, "TOO MUCH AMBIENT LIGHT"},
	{ExcUnrecognized, "UNRECOGNIZED SENSOR"},
	{ExcLowSignalIQ, "LOW SIGNAL IQ"},
}

// alarmTexts name the ALARM bits (reverse-engineered, docs/protocols/masimo.md).
var alarmTexts = []struct {
	flag uint32
	text string
}{
	{0x01, "SPO2 HIGH"},
	{0x02, "SPO2 LOW"},
	{0x04, "BPM HIGH"},
	{0x08, "BPM LOW"},
	{0x10, "ALARM ACTIVE"},
	{0x20, "ALARM SILENCED"},
}

// Texts gives the line's exception flags as one technical text ("EXC":
// the flag names joined by ", ") and its alarm bits as one alarm text
// ("ALARM"); unknown bits are named by their hex value. A zero word gives
// no text, so a cleared exception becomes a Cleared event.
func Texts(r Record, hostTime time.Time) codec.Texts {
	var out codec.Texts
	word := func(w uint32, names []struct {
		flag uint32
		text string
	}) string {
		var parts []string
		for _, n := range names {
			if w&n.flag != 0 {
				parts = append(parts, n.text)
				w &^= n.flag
			}
		}
		if w != 0 {
			parts = append(parts, fmt.Sprintf("bits %X", w))
		}
		return strings.Join(parts, ", ")
	}
	if r.HasExc && r.Exc != 0 {
		out = append(out, codec.Event{Kind: codec.EventTechnical, Param: "EXC", Text: word(r.Exc, excTexts), HostTime: hostTime, DeviceTime: r.Time})
	}
	if r.HasAlarm && r.Alarm != 0 {
		out = append(out, codec.Event{Kind: codec.EventAlarm, Param: "ALARM", Text: word(r.Alarm, alarmTexts), HostTime: hostTime, DeviceTime: r.Time})
	}
	return out
}

// Described is a line as `triagectl dissect` shows it: the record's
// fields by name, and the pairs this package does not read listed as not
// understood.
type Described struct {
	Record        Record   `json:"record"`
	NotUnderstood []string `json:"not_understood,omitempty"`
}

// Describe returns rec for dissection (the protocol's Describe in the
// device layer's registry).
func Describe(rec any) any {
	r, ok := rec.(Record)
	if !ok {
		return rec
	}
	d := Described{Record: r}
	for _, f := range r.Extra {
		d.NotUnderstood = append(d.NotUnderstood, f.Key+"="+f.Value)
	}
	if r.BadExc {
		d.NotUnderstood = append(d.NotUnderstood, "EXC (not a hex word)")
	}
	return d
}
