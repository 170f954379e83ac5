package wording

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage/vitals"
)

// Vital is one vital sign as the workstation names, writes and asks for
// it: the one row every front end builds its vital rows from (the phone
// flow's fields and reasons, triage/homevitals, the terminal's call form
// and monitor board, the desktop's tiles and hand-entry fields). Adding a
// vital to the screens is adding its row to Vitals.
type Vital struct {
	// ID is the row's name, as engine reasons and NEWS2 name fields
	// ("rr", "sbp", "temp"; Field and Fields look rows up by it).
	ID string
	// Kind is the measured kind; "" for the answers that are no
	// measurement (air or oxygen, consciousness).
	Kind vitals.Kind
	// PhoneField is the field of the phone flow that reports it (the JSON
	// name of triagectl phone decide and of `confirmed`: "temp_c" for the
	// temperature, "hr" for the pulse a caller counts, which is the pulse
	// rate); "" when the phone flow does not ask for it.
	PhoneField string
	// NEWS2 is the NEWS2 parameter the row scores ("" for none: the
	// diastolic pressure). The heart rate and the pulse rate both score
	// "hr"; NEWS2Vital names the parameter by the first, the heart rate.
	NEWS2 string
	// Abbr is the name on a dense row (the monitor board): "RF", "BT",
	// "ACVPU", "T". For a blood pressure it names the pair (BT 120/80).
	Abbr Text
	// Short is the name in lists, reasons and questions: "RF", "BT sys",
	// "puls", "bevissthet" (lower case unless an abbreviation; Capital
	// makes it start a line).
	Short Text
	// Long is the input field's label without its unit: "Respirasjon",
	// "Blodtrykk systolisk", "Temperatur".
	Long Text
	// Unit is the unit as written after the value: "/min", "%", "mmHg",
	// "°C"; "" for an answer.
	Unit string
	// AbbrUnit is the unit on a dense row, after the value without a
	// space: "%" for SpO2, "°" for the temperature, "" where the name says
	// it (a rate, a pressure).
	AbbrUnit string
	// Decimals is how many digits a shown value has after the decimal
	// sign (a comma in bokmål): 1 for the temperature, 0 for most.
	Decimals int
	// Board is the row's place on a monitor board's dense line (1 first;
	// 0: not shown there): the pulse first, as a monitor shows it, then
	// saturation, respiration, blood pressure, temperature. A board that
	// lays out tiles in chart order takes the rows with Board > 0 in the
	// table's order.
	Board int
	// Example is a typical value shown as the input's hint ("f.eks.
	// 38,5"); 0 for no hint.
	Example float64
	// Choices are the answers of a row that is a choice rather than a
	// number, "" (not asked) first; nil for a number.
	Choices []Choice
}

// Choice is one answer of a choice row and its words.
type Choice struct {
	Value string // as stored and sent: "air", "oxygen", "A", "C", ...
	Text  Text
}

// notAsked words the empty answer of every choice row.
var notAsked = Choice{"", Text{"ikke spurt", "not asked"}}

// Vitals lists every vital the workstation shows or asks for, in the
// order of the NEWS2 chart (RCP 2017: respiration, saturation, air or
// oxygen, blood pressure, pulse, consciousness, temperature), then the
// kinds only monitors send. Every vitals.Kind has a row (a test checks).
var Vitals = []Vital{
	{ID: "rr", Kind: vitals.RR, PhoneField: "rr", NEWS2: "rr",
		Abbr: Text{"RF", "RR"}, Short: Text{"RF", "RR"}, Long: Text{"Respirasjon", "Breathing rate"}, Unit: "/min", Board: 3},
	{ID: "spo2", Kind: vitals.SpO2, PhoneField: "spo2", NEWS2: "spo2",
		Abbr: Text{"SpO2", "SpO2"}, Short: Text{"SpO2", "SpO2"}, Long: Text{"Metning SpO2", "Saturation SpO2"}, Unit: "%", AbbrUnit: "%", Board: 2},
	{ID: "oxygen", PhoneField: "oxygen", NEWS2: "oxygen",
		Abbr: Text{"O2", "O2"}, Short: Text{"O2", "O2"}, Long: Text{"Luft eller oksygen", "Air or oxygen"},
		Choices: []Choice{notAsked, {"air", Text{"luft (uten oksygen)", "air (no oxygen)"}}, {"oxygen", Text{"får oksygen", "on oxygen"}}}},
	{ID: "sbp", Kind: vitals.SBP, PhoneField: "sbp", NEWS2: "sbp",
		Abbr: Text{"BT", "BP"}, Short: Text{"BT sys", "BP sys"}, Long: Text{"Blodtrykk systolisk", "Blood pressure systolic"}, Unit: "mmHg", Board: 4},
	{ID: "dbp", Kind: vitals.DBP, PhoneField: "dbp",
		Abbr: Text{"BTd", "DBP"}, Short: Text{"BT dia", "BP dia"}, Long: Text{"Blodtrykk diastolisk", "Blood pressure diastolic"}, Unit: "mmHg"},
	{ID: "hr", Kind: vitals.HR, NEWS2: "hr",
		Abbr: Text{"Puls", "HR"}, Short: Text{"puls", "HR"}, Long: Text{"Puls", "Heart rate"}, Unit: "/min", Board: 1},
	{ID: "pr", Kind: vitals.PR, PhoneField: "hr", NEWS2: "hr",
		Abbr: Text{"Puls", "PR"}, Short: Text{"puls", "pulse"}, Long: Text{"Puls", "Pulse"}, Unit: "/min"},
	{ID: "consciousness", PhoneField: "consciousness", NEWS2: "consciousness",
		Abbr: Text{"ACVPU", "ACVPU"}, Short: Text{"bevissthet", "consciousness"}, Long: Text{"Bevissthet", "Consciousness"},
		// ACVPU (RCP NEWS2 2017 chart 1) in the words a nurse uses on the
		// phone (issue 19).
		Choices: []Choice{notAsked, {"A", Text{"Våken", "Alert"}}, {"C", Text{"Ny forvirring", "New confusion"}},
			{"V", Text{"Reagerer på tiltale", "Responds to voice"}}, {"P", Text{"Reagerer på smerte", "Responds to pain"}},
			{"U", Text{"Reagerer ikke", "Unresponsive"}}}},
	{ID: "temp", Kind: vitals.Temp, PhoneField: "temp_c", NEWS2: "temp",
		Abbr: Text{"T", "T"}, Short: Text{"temp", "temp"}, Long: Text{"Temperatur", "Temperature"}, Unit: "°C", AbbrUnit: "°", Decimals: 1, Example: 38.5, Board: 5},
	{ID: "map", Kind: vitals.MAP,
		Abbr: Text{"MAP", "MAP"}, Short: Text{"MAP", "MAP"}, Long: Text{"Middeltrykk", "Mean arterial pressure"}, Unit: "mmHg"},
	{ID: "etco2", Kind: vitals.EtCO2,
		Abbr: Text{"EtCO2", "EtCO2"}, Short: Text{"EtCO2", "EtCO2"}, Long: Text{"Endetidal CO2", "End-tidal CO2"}, Unit: "kPa", Decimals: 1},
}

// VitalByID is the row named id ("rr", "temp", ...).
func VitalByID(id string) (Vital, bool) {
	for _, v := range Vitals {
		if v.ID == id {
			return v, true
		}
	}
	return Vital{}, false
}

// VitalOf is the row of a measured kind.
func VitalOf(k vitals.Kind) (Vital, bool) {
	for _, v := range Vitals {
		if v.Kind == k && k != "" {
			return v, true
		}
	}
	return Vital{}, false
}

// PhoneVital is the row of a phone-flow field ("rr", "hr", "temp_c", ...).
func PhoneVital(field string) (Vital, bool) {
	for _, v := range Vitals {
		if v.PhoneField == field && field != "" {
			return v, true
		}
	}
	return Vital{}, false
}

// NEWS2Vital is the first row that scores a NEWS2 parameter ("rr",
// "oxygen", "hr", "temp", ...): the parameter's name in lists.
func NEWS2Vital(param string) (Vital, bool) {
	for _, v := range Vitals {
		if v.NEWS2 == param && param != "" {
			return v, true
		}
	}
	return Vital{}, false
}

// BoardKinds are the kinds a monitor board's dense line shows, in their
// Board order.
func BoardKinds() []vitals.Kind {
	var rows []Vital
	for _, v := range Vitals {
		if v.Board > 0 {
			rows = append(rows, v)
		}
	}
	slices.SortStableFunc(rows, func(a, b Vital) int { return a.Board - b.Board })
	out := make([]vitals.Kind, len(rows))
	for i, v := range rows {
		out[i] = v.Kind
	}
	return out
}

// PhoneVitals are the rows the phone flow asks for, in chart order: the
// fields of its vitals form.
func PhoneVitals() []Vital {
	var out []Vital
	for _, v := range Vitals {
		if v.PhoneField != "" {
			out = append(out, v)
		}
	}
	return out
}

// Format writes x as the row shows it: its decimals, with a decimal comma
// in bokmål ("38,5"), without the unit.
func (v Vital) Format(x float64, l Lang) string { return Number(x, v.Decimals, l) }

// WithUnit writes x and the unit as a line says them: "38,5 °C", "97 %",
// "18/min" (a unit that starts with a slash is written close up).
func (v Vital) WithUnit(x string) string {
	switch {
	case v.Unit == "":
		return x
	case strings.HasPrefix(v.Unit, "/"):
		return x + v.Unit
	}
	return x + " " + v.Unit
}

// Label is the input field's label: the long name and the unit, e.g.
// "Respirasjon (/min)", "Bevissthet".
func (v Vital) Label(l Lang) string {
	if v.Unit == "" {
		return v.Long.In(l)
	}
	return v.Long.In(l) + " (" + v.Unit + ")"
}

// Hint is the input's hint ("f.eks. 38,5"), "" for none.
func (v Vital) Hint(l Lang) string {
	if v.Example == 0 {
		return ""
	}
	return l.Pick("f.eks. ", "e.g. ") + v.Format(v.Example, l)
}

// ChoiceText words an answer of a choice row; an unknown answer is
// returned as it is.
func (v Vital) ChoiceText(value string, l Lang) string {
	for _, c := range v.Choices {
		if c.Value == value {
			return c.Text.In(l)
		}
	}
	return value
}

// ChoiceValues are the answers of a choice row, "" first; nil for a
// number row.
func (v Vital) ChoiceValues() []string {
	if v.Choices == nil {
		return nil
	}
	out := make([]string, len(v.Choices))
	for i, c := range v.Choices {
		out[i] = c.Value
	}
	return out
}

// Range writes the accepted range of the row's kind (vitals.ValidRange)
// in the row's decimals and unit: "25,0–45,0 °C", "0–300 /min".
func (v Vital) Range(l Lang) string {
	r, _ := vitals.ValidRange(v.Kind)
	return RangeText(r.Min, r.Max, v.Decimals, v.Unit, l)
}

// RangeText writes lo–hi with decimals digits in l's decimal style,
// followed by the unit: "25,0–45,0 °C".
func RangeText(lo, hi float64, decimals int, unit string, l Lang) string {
	return Number(lo, decimals, l) + "–" + Number(hi, decimals, l) + " " + unit
}

// Capital makes a name start a line: "puls" -> "Puls".
func Capital(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// ParseNumber reads a number typed by a nurse: a decimal comma or point,
// no thousands separators, no exponent. ok is false for anything else,
// NaN and infinities included (they parse as floats but are no reading).
func ParseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" || strings.ContainsAny(s, "eE_xXpP") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
