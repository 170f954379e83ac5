// Package masimo decodes and encodes the serial output of Masimo Radical-7
// and Rad-8 pulse oximeters in "ASCII 1" mode: one text line per second of
// key=value pairs, e.g.
//
//	03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064 PI=00.80% ... ALARM=0000 EXC=000001
//
// The field set varies by model and software, so the decoder reads pairs by
// key, never by position. Dashes mean no value. EXC is a hex word of
// exception flags that make the values questionable or invalid.
// Sources: mdpnp masimo-radical-7.spec, remkolems masimo-capture.py, as
// summarised in shared/reference/protocols.md §e.
//
// The package is pure: bytes in, records out; no ports, files, clocks or
// goroutines.
package masimo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Exception flags of the EXC field (hex).
const (
	ExcNoSensor        uint32 = 0x001
	ExcDefectiveSensor uint32 = 0x002
	ExcLowPerfusion    uint32 = 0x004
	ExcPulseSearch     uint32 = 0x008
	ExcInterference    uint32 = 0x010
	ExcSensorOff       uint32 = 0x020
	ExcAmbientLight    uint32 = 0x040
	ExcUnrecognized    uint32 = 0x080
	ExcLowSignalIQ     uint32 = 0x400
)

// excInvalid are the exceptions under which the oximeter is not reading a
// finger at all: values shown with them are not the patient's.
const excInvalid = ExcNoSensor | ExcDefectiveSensor | ExcSensorOff | ExcUnrecognized

// Reading is one numeric field: Present is false for dashes (no value) or
// an absent key.
type Reading struct {
	Value   float64 `json:"value"`
	Present bool    `json:"present"`
}

// Field is a key=value pair the decoder does not interpret, kept raw so the
// encoder can write it back.
type Field struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Record is one ASCII 1 line.
type Record struct {
	// Time is the device clock from the line's date and time (MM/DD/YY
	// HH:MM:SS), in the decoder's Location; zero when the line has none.
	Time time.Time `json:"time"`
	// Serial is SN, the device serial number.
	Serial string `json:"serial,omitempty"`
	// SpO2 in %, BPM (pulse rate) in /min, PI (perfusion index) in %.
	SpO2 Reading `json:"spo2"`
	BPM  Reading `json:"bpm"`
	PI   Reading `json:"pi"`
	// Rainbow parameters (Radical-7 only): SpCO %, SpMet %, SpHb g/dL,
	// SpOC mL/dL, PVI %.
	SpCO  Reading `json:"spco"`
	SpMet Reading `json:"spmet"`
	SpHb  Reading `json:"sphb"`
	SpOC  Reading `json:"spoc"`
	PVI   Reading `json:"pvi"`
	// Desat and PIDelta are the desaturation index and PI delta.
	Desat   Reading `json:"desat"`
	PIDelta Reading `json:"pidelta"`
	// Alarm is the ALARM word (reverse-engineered bits, see the docs);
	// HasAlarm says whether the line carried it.
	Alarm    uint32 `json:"alarm"`
	HasAlarm bool   `json:"has_alarm"`
	// Exc is the EXC exception word; HasExc says whether the line carried it.
	Exc    uint32 `json:"exc"`
	HasExc bool   `json:"has_exc"`
	// BadExc says the line carried an EXC word that could not be read.
	BadExc bool `json:"bad_exc,omitempty"`
	// Extra holds other keys in the order they came.
	Extra []Field `json:"extra,omitempty"`
}

// numeric describes how one known numeric key is written.
type numeric struct {
	key    string
	get    func(*Record) *Reading
	format string // for a present value
	dashes string // for no value
	// optional keys are written only when they have a value: the Rad-8
	// does not send them at all, the Radical-7 with rainbow sends them.
	optional bool
}

// numerics lists the known numeric keys in the order a Radical-7 writes them.
var numerics = []numeric{
	{"SPO2", func(r *Record) *Reading { return &r.SpO2 }, "%03.0f%%", "---%", false},
	{"BPM", func(r *Record) *Reading { return &r.BPM }, "%03.0f", "---", false},
	{"PI", func(r *Record) *Reading { return &r.PI }, "%05.2f%%", "--.--%", false},
	{"SPCO", func(r *Record) *Reading { return &r.SpCO }, "%04.1f%%", "--.-%", false},
	{"SPMET", func(r *Record) *Reading { return &r.SpMet }, "%04.1f%%", "--.-%", false},
	{"SPHB", func(r *Record) *Reading { return &r.SpHb }, "%04.1f", "--.-", true},
	{"SPOC", func(r *Record) *Reading { return &r.SpOC }, "%04.1f", "--.-", true},
	{"DESAT", func(r *Record) *Reading { return &r.Desat }, "%02.0f", "--", false},
	{"PIDELTA", func(r *Record) *Reading { return &r.PIDelta }, "%+03.0f", "+--", false},
	{"PVI", func(r *Record) *Reading { return &r.PVI }, "%03.0f", "---", false},
}

func numericByKey(key string) (numeric, bool) {
	for _, n := range numerics {
		if n.key == key {
			return n, true
		}
	}
	return numeric{}, false
}

// AppendLine appends r as an ASCII 1 line ending in CR LF. Numeric fields
// that are not Present are written as dashes (SPHB and SPOC, which only a
// rainbow Radical-7 sends, are then left out); the date and time are written
// when r.Time is set, in r.Time's own location.
func AppendLine(dst []byte, r Record) []byte {
	sep := false
	if !r.Time.IsZero() {
		dst = r.Time.AppendFormat(dst, "01/02/06 15:04:05")
		sep = true
	}
	field := func(key, val string) {
		if sep {
			dst = append(dst, ' ')
		}
		sep = true
		dst = append(dst, key...)
		dst = append(dst, '=')
		dst = append(dst, val...)
	}
	if r.Serial != "" {
		field("SN", r.Serial)
	}
	for _, n := range numerics {
		v := n.get(&r)
		if v.Present {
			field(n.key, fmt.Sprintf(n.format, v.Value))
		} else if !n.optional {
			field(n.key, n.dashes)
		}
	}
	for _, f := range r.Extra {
		field(f.Key, f.Value)
	}
	if r.HasAlarm {
		field("ALARM", fmt.Sprintf("%04X", r.Alarm))
	}
	if r.HasExc {
		field("EXC", fmt.Sprintf("%06X", r.Exc))
	}
	return append(dst, '\r', '\n')
}

// parseReading reads a numeric value: dashes (with optional sign, dot and
// percent) are no value; otherwise a decimal number with an optional
// trailing %.
func parseReading(s string) (Reading, error) {
	s = strings.TrimSuffix(s, "%")
	if s == "" {
		return Reading{}, nil
	}
	if strings.Contains(s, "-") && strings.Trim(s, "-+.") == "" {
		return Reading{}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Reading{}, fmt.Errorf("value %q is neither a number nor dashes", s)
	}
	return Reading{Value: v, Present: true}, nil
}

// parseHex reads the ALARM or EXC word.
func parseHex(s string) (uint32, error) {
	if len(s) == 0 || len(s) > 8 {
		return 0, fmt.Errorf("hex word %q: want 1 to 8 hex digits", s)
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("hex word %q: %w", s, err)
	}
	return uint32(v), nil
}

// lineResult tells the decoder what it found in a line.
type lineResult struct {
	pairs   int  // key=value pairs read
	known   int  // pairs of a key of ASCII 1 with a readable value
	garbage bool // tokens that are neither pairs nor the date/time
	badVals int  // values that could not be read
}

// parseLine reads one line (without its ending) into r.
func parseLine(line string, loc *time.Location) (r Record, res lineResult) {
	var date, clock string
	for tok := range strings.FieldsSeq(line) {
		key, val, ok := strings.Cut(tok, "=")
		if !ok || key == "" || !printable(tok) {
			switch {
			case date == "" && clock == "" && isDate(tok):
				date = tok
			case clock == "" && isClock(tok):
				clock = tok
			default:
				res.garbage = true
			}
			continue
		}
		res.pairs++
		switch key {
		case "SN":
			r.Serial = val
			res.known++
		case "ALARM":
			v, err := parseHex(val)
			if err != nil {
				res.badVals++
				continue
			}
			r.Alarm, r.HasAlarm = v, true
			res.known++
		case "EXC":
			v, err := parseHex(val)
			if err != nil {
				res.badVals++
				r.BadExc = true
				continue
			}
			r.Exc, r.HasExc = v, true
			res.known++
		default:
			if n, ok := numericByKey(key); ok {
				v, err := parseReading(val)
				if err != nil {
					res.badVals++
					continue
				}
				*n.get(&r) = v
				res.known++
				continue
			}
			r.Extra = append(r.Extra, Field{Key: key, Value: val})
		}
	}
	if date != "" && clock != "" {
		if t, err := time.ParseInLocation("01/02/06 15:04:05", date+" "+clock, loc); err == nil {
			r.Time = t
		} else {
			res.badVals++
		}
	}
	return r, res
}

func isDate(s string) bool {
	return len(s) == 8 && s[2] == '/' && s[5] == '/' && digits(s[0:2]+s[3:5]+s[6:8])
}

func isClock(s string) bool {
	return len(s) == 8 && s[2] == ':' && s[5] == ':' && digits(s[0:2]+s[3:5]+s[6:8])
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
