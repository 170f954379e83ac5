// Package ansarb decodes and encodes the "ANSAR-B" serial output of the Ivy
// 450C patient monitor: one message per second of
//
//	FF "ANSAR-B " | 400 wave bytes | CR-terminated text lines | FE
//
// The wave bytes are 200 ECG samples (200 S/s, (v-100) x 0.02 mV) followed by
// 50 samples each (50 S/s) of respiration, pleth, invasive pressure 1 and 2.
// Each text line is NAME=count;value;...;label;alarm, e.g.
// NIBP=4;121;75;92;80;; (systolic, diastolic, mean, pulse, no label, no
// alarm). Sources: the OpenICE AnsarB reader as summarised in
// shared/reference/protocols.md §g and its appendix.
//
// The package is pure: bytes in, records out; no ports, files, clocks or
// goroutines.
package ansarb

import (
	"fmt"
	"strconv"
	"strings"
)

// Message layout.
const (
	Start       byte = 0xFF
	End         byte = 0xFE
	Magic            = "ANSAR-B "
	HeaderLen        = 1 + len(Magic)
	ECGSamples       = 200
	SlowSamples      = 50
	WaveLen          = ECGSamples + 4*SlowSamples
	// ECGRate and SlowRate are the sample rates of the ECG and of the
	// other four waves, per second.
	ECGRate  = 200
	SlowRate = 50
	// MaxText bounds the text section, in bytes: a full parameter set is
	// about 150 bytes; the limit bounds memory when the end byte is lost.
	MaxText = 2048
)

// header is the byte string every message starts with.
var header = []byte("\xff" + Magic)

// Wave scaling from the notes: ECG mV = (v - 100) x 0.02; the other waves
// have a baseline offset and no published scale.
const (
	ECGOffset   = 100
	ECGmVPerBit = 0.02
	PlethOffset = 86
	P1Offset    = 80
	P2Offset    = 251
)

// Leads off. ANSAR-B has no documented lead-off flag: the OpenICE reader
// passes the HR line's label on as the ECG's label and its alarm item
// through, and reads the ECG bytes as plain voltages. This package takes
// either of two signs as leads off (see LeadsOff), and its emulator sends
// both:
//   - the HR line's alarm (or label) names it: it contains "LEAD" and
//     "OFF", as "LEADS OFF" or "ECG LEAD OFF";
//   - the whole second of ECG sits on a rail of the byte range (0x00 or
//     0xFF, -2.0 or +3.1 mV): an amplifier whose electrodes are off
//     saturates, and a connected ECG never holds a rail for 200 samples. A
//     flat line at the baseline is not taken as leads off: it may be
//     asystole, which must stay visible.
const (
	LeadsOffAlarm      = "LEADS OFF"
	ECGRailLow    byte = 0x00
	ECGRailHigh   byte = 0xFF
)

// LeadsOff reports whether m says the ECG leads are off: the HR line's
// alarm or label says so, or the whole ECG section is on a rail.
func (m Message) LeadsOff() bool {
	if p, ok := m.Param(ParamHR); ok {
		for _, s := range []string{p.Alarm, p.Label} {
			s = strings.ToUpper(s)
			if strings.Contains(s, "LEAD") && strings.Contains(s, "OFF") {
				return true
			}
		}
	}
	first := m.ECG[0]
	if first != ECGRailLow && first != ECGRailHigh {
		return false
	}
	for _, b := range m.ECG {
		if b != first {
			return false
		}
	}
	return true
}

// Param is one text line: NAME=count;values...;label;alarm.
type Param struct {
	Name   string   `json:"name"`
	Values []string `json:"values"` // as sent; "" for a blank value
	Label  string   `json:"label,omitempty"`
	Alarm  string   `json:"alarm,omitempty"`
}

// Message is one second of monitor output.
type Message struct {
	ECG    [ECGSamples]byte  `json:"ecg"`
	Resp   [SlowSamples]byte `json:"resp"`
	Pleth  [SlowSamples]byte `json:"pleth"`
	P1     [SlowSamples]byte `json:"p1"`
	P2     [SlowSamples]byte `json:"p2"`
	Params []Param           `json:"params"`
}

// Param returns the first parameter line called name.
func (m Message) Param(name string) (Param, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// ParseParam reads one text line (without CR). The count must match the
// values given; label and alarm may be absent, and one trailing ";" is
// accepted.
func ParseParam(line string) (Param, error) {
	name, rest, ok := strings.Cut(line, "=")
	if !ok || name == "" || !printableASCII(name) || strings.ContainsAny(name, "; ") {
		return Param{}, fmt.Errorf("ANSAR-B line %q: want NAME=count;values;label;alarm", clip(line))
	}
	items := strings.Split(rest, ";")
	n, err := strconv.Atoi(items[0])
	if err != nil || n < 0 || n > 16 {
		return Param{}, fmt.Errorf("ANSAR-B %s: count %q: want 0 to 16", name, items[0])
	}
	items = items[1:]
	if len(items) < n {
		return Param{}, fmt.Errorf("ANSAR-B %s: count %d but %d values", name, n, len(items))
	}
	p := Param{Name: name, Values: append([]string{}, items[:n]...)}
	tail := items[n:]
	if len(tail) == 3 && tail[2] == "" {
		tail = tail[:2] // a trailing ";" after the alarm
	}
	switch len(tail) {
	case 0:
	case 1:
		p.Label = tail[0]
	case 2:
		p.Label, p.Alarm = tail[0], tail[1]
	default:
		return Param{}, fmt.Errorf("ANSAR-B %s: %d items after %d values: want label and alarm at most", name, len(tail), n)
	}
	for _, s := range append(append([]string{}, p.Values...), p.Label, p.Alarm) {
		if !printableASCII(s) {
			return Param{}, fmt.Errorf("ANSAR-B %s: a value is not printable text", name)
		}
	}
	return p, nil
}

func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// AppendParam appends the text line of p with its CR: NAME=count;values;
// label;alarm, as in NIBP=4;121;75;92;80;;.
func AppendParam(dst []byte, p Param) []byte {
	dst = append(dst, p.Name...)
	dst = append(dst, '=')
	dst = strconv.AppendInt(dst, int64(len(p.Values)), 10)
	for _, v := range p.Values {
		dst = append(dst, ';')
		dst = append(dst, v...)
	}
	dst = append(dst, ';')
	dst = append(dst, p.Label...)
	dst = append(dst, ';')
	dst = append(dst, p.Alarm...)
	return append(dst, '\r')
}

// AppendMessage appends m as it goes on the wire.
func AppendMessage(dst []byte, m Message) []byte {
	dst = append(dst, header...)
	dst = append(dst, m.ECG[:]...)
	dst = append(dst, m.Resp[:]...)
	dst = append(dst, m.Pleth[:]...)
	dst = append(dst, m.P1[:]...)
	dst = append(dst, m.P2[:]...)
	for _, p := range m.Params {
		dst = AppendParam(dst, p)
	}
	return append(dst, End)
}
