package phone

import (
	"fmt"

	"github.com/legevakt/workstation/triage/wording"
)

// Answer is what the nurse answered to one criterion of a call.
type Answer uint8

// Answers. The zero value is NotAsked, so a criterion nobody asked about is
// never read as a yes or a no.
const (
	NotAsked Answer = iota
	Yes
	No
)

var answerNames = [...]string{"not_asked", "yes", "no"}

// String returns the JSON name: not_asked, yes or no.
func (a Answer) String() string {
	if int(a) < len(answerNames) {
		return answerNames[a]
	}
	return fmt.Sprintf("answer(%d)", uint8(a))
}

// MarshalText implements encoding.TextMarshaler.
func (a Answer) MarshalText() ([]byte, error) {
	if int(a) >= len(answerNames) {
		return nil, fmt.Errorf("phone answer %d out of range 0-2", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Answer) UnmarshalText(b []byte) error {
	for i, n := range answerNames {
		if n == string(b) {
			*a = Answer(i)
			return nil
		}
	}
	return fmt.Errorf("phone answer %q: want one of yes, no, not_asked", b)
}

// Override is the nurse's change of the computed level. Raising is always
// allowed; lowering needs a reason and is allowed only from the safe
// default (see Decide).
type Override struct {
	Level  Level  `json:"level"`
	Reason string `json:"reason"` // required when lowering
}

// Call is what the nurse established on one call for one complaint: the
// answers, an affirmed vanlig criterion if any, the engine's finding on
// the reported vitals, and an override if the nurse made one.
type Call struct {
	// AgeYears is the patient's age in whole years; -1 when unknown.
	AgeYears int
	// AgeMonths is the age in whole months of a child under two, when
	// known (nil otherwise): criteria bounded in months ("baby under 6
	// months") are then asked only at those months. It must agree with
	// AgeYears.
	AgeMonths *int
	// Yes and No are the akutt and haster criteria answered yes and no.
	Yes, No []Code
	// Vanlig is a vanlig criterion of the complaint that the nurse
	// affirmed; the zero Code means none was affirmed.
	Vanlig Code
	// Vitals is the finding on the reported vitals (package homevitals).
	Vitals VitalsFinding
	// Override is the nurse's change of the computed level; nil for none.
	Override *Override
}

// FieldError is a refused input: it names the field (as the JSON of
// triagectl phone decide names it: "yes", "vanlig", "override.level",
// "spo2", ...) and says what is accepted.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error names the field and the problem.
func (e *FieldError) Error() string { return "phone: " + e.Field + ": " + e.Message }

// ImplausibleError is a reported vital value outside the range possible for
// a live person (vitals.Plausible), not confirmed by the nurse: most likely
// a typing error (SpO2 9 for 95). The screens ask "mente du ...?" (did you
// mean ...?) and score the value only once the nurse confirms it.
type ImplausibleError struct {
	Field  string  // the vitals field: rr, spo2, sbp, dbp, hr, temp_c
	Value  float64 // as typed
	Lo, Hi float64 // the plausible range, both ends included
}

// MessageKey is the key under which the screens word the question.
const MessageKey = "vitals.implausible"

// Error names the field, the value and the plausible range.
func (e *ImplausibleError) Error() string { return "phone: " + e.Field + ": " + e.detail() }

func (e *ImplausibleError) detail() string {
	return fmt.Sprintf("%s is outside the plausible range %s–%s for a live person; correct it, or confirm it (confirmed)",
		num(e.Value), num(e.Lo), num(e.Hi))
}

// As lets errors.As find the *FieldError every refusal is, its message
// starting with the key the screens word ("mente du ...?").
func (e *ImplausibleError) As(target any) bool {
	if fe, ok := target.(**FieldError); ok {
		*fe = &FieldError{Field: e.Field, Message: MessageKey + ": " + e.detail()}
		return true
	}
	return false
}

// Text words the question for the nurse in both languages, the field by
// its short name in the vitals table (wording.Vitals).
func (e *ImplausibleError) Text() Text {
	name := Text{NB: e.Field, EN: e.Field}
	if v, ok := wording.PhoneVital(e.Field); ok {
		name = v.Short
	}
	return Text{
		NB: fmt.Sprintf("Mente du %s %s? Verdien er utenfor det mulige for en levende person (%s–%s). Rett den, eller bekreft at den er riktig.",
			name.NB, numNB(e.Value), numNB(e.Lo), numNB(e.Hi)),
		EN: fmt.Sprintf("Did you mean %s %s? The value is outside what is possible for a live person (%s–%s). Correct it, or confirm that it is right.",
			name.EN, num(e.Value), num(e.Lo), num(e.Hi)),
	}
}

// num prints a number as typed (37.5, 120); numNB with a decimal comma,
// as bokmål writes it (wording.Number, the one place that applies it).
func num(v float64) string { return wording.Number(v, -1, wording.EN) }

func numNB(v float64) string { return wording.Number(v, -1, wording.NB) }

// Vitals are the values a caller reported from home devices, as typed; a
// nil field was not reported. The JSON names are those of triagectl phone
// decide.
type Vitals struct {
	RR   *float64 `json:"rr,omitempty"`   // breaths counted on the line, /min
	SpO2 *float64 `json:"spo2,omitempty"` // pulse oximeter, %
	// Oxygen is true when the patient is on supplemental oxygen, false on
	// room air, nil when not asked.
	Oxygen *bool    `json:"oxygen,omitempty"`
	SBP    *float64 `json:"sbp,omitempty"` // blood-pressure cuff, mm[Hg]
	DBP    *float64 `json:"dbp,omitempty"`
	HR     *float64 `json:"hr,omitempty"` // pulse, /min
	// Consciousness is A, C (new confusion), V, P or U; "" when not asked.
	Consciousness string   `json:"consciousness,omitempty"`
	TempC         *float64 `json:"temp_c,omitempty"` // thermometer, °C
}

// Empty reports whether nothing was reported.
func (v Vitals) Empty() bool {
	return v.RR == nil && v.SpO2 == nil && v.Oxygen == nil && v.SBP == nil && v.DBP == nil &&
		v.HR == nil && v.Consciousness == "" && v.TempC == nil
}

// Number is the number field named field ("rr", "spo2", "sbp", "dbp",
// "hr", "temp_c": the phone fields of wording.Vitals' number rows), so
// that forms and checks go over the vitals table instead of naming each
// field; nil for a choice field or an unknown name.
func (v *Vitals) Number(field string) **float64 {
	switch field {
	case "rr":
		return &v.RR
	case "spo2":
		return &v.SpO2
	case "sbp":
		return &v.SBP
	case "dbp":
		return &v.DBP
	case "hr":
		return &v.HR
	case "temp_c":
		return &v.TempC
	}
	return nil
}

// Reported reports whether field (a number field, "oxygen" or
// "consciousness") was reported.
func (v *Vitals) Reported(field string) bool {
	switch field {
	case "oxygen":
		return v.Oxygen != nil
	case "consciousness":
		return v.Consciousness != ""
	}
	n := v.Number(field)
	return n != nil && *n != nil
}

// Clear removes a reported field (a number, "oxygen" or "consciousness")
// and reports whether it was reported.
func (v *Vitals) Clear(field string) bool {
	was := v.Reported(field)
	switch field {
	case "oxygen":
		v.Oxygen = nil
	case "consciousness":
		v.Consciousness = ""
	default:
		if n := v.Number(field); n != nil {
			*n = nil
		}
	}
	return was
}
