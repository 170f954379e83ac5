package triage

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// Input is everything the engine scores: patient context, the nurse's
// findings, and the vital signs, either as observations (with source, time
// and quality) or as plain numbers typed by the nurse.
type Input struct {
	// AgeDays is the age in whole days since birth (a newborn is 0), so that
	// infants 0–2 months have their own rules. AgeKnown false means the age
	// is not recorded: adult rules apply and the result says so.
	AgeDays  int  `json:"age_days"`
	AgeKnown bool `json:"age_known"`
	// Pregnant (or postpartum) patients are outside NEWS2.
	Pregnant bool `json:"pregnant"`
	// Scale2 is the clinician's recorded decision to use SpO2 scale 2; it is
	// used only when it names who and when, at or before the assessment.
	Scale2 news2.Scale2Decision `json:"spo2_scale2,omitzero"`
	// Oxygen and Consciousness (ACVPU) are set by the nurse; their zero
	// values mean "not recorded".
	Oxygen        news2.Oxygen `json:"oxygen"`
	Consciousness news2.ACVPU  `json:"consciousness"`
	// Complaint is the chief-complaint code and Discriminators further
	// criteria the nurse found; each must be a code of the rule set.
	Complaint      string   `json:"complaint,omitempty"`
	Discriminators []string `json:"discriminators,omitempty"`
	// NurseConcern is the nurse's clinical worry, which raises the colour
	// whatever the numbers say.
	NurseConcern bool `json:"nurse_concern"`

	// Plain numbers typed by the nurse at the time of the assessment, in
	// /min, %, mm[Hg] and °C. They count as manual observations made now,
	// so they win over older observations of the same kind. Out-of-range
	// values are an *InputError.
	RR    news2.Measure `json:"rr,omitzero"`
	SpO2  news2.Measure `json:"spo2,omitzero"`
	SBP   news2.Measure `json:"sbp,omitzero"`
	DBP   news2.Measure `json:"dbp,omitzero"`
	HR    news2.Measure `json:"hr,omitzero"`
	TempC news2.Measure `json:"temp_c,omitzero"`

	// Observations from devices, the ECG, the phone or earlier entries.
	// Stale, invalid, questionable, out-of-range or wrongly-unitted ones are
	// listed in Assessment.LeftOut and not scored; per kind the most recent
	// usable one is scored.
	Observations []vitals.Observation `json:"observations,omitempty"`
}

// MaxAgeYears is the oldest accepted age.
const MaxAgeYears = 125

// daysPerYear is the mean Julian year, the unit of every age border.
const daysPerYear = 365.25

// MaxAgeDays is MaxAgeYears in days.
const MaxAgeDays = 45656 // floor(125 × 365.25)

// AgeDaysFromYears converts a (possibly fractional) age in years to whole
// days, half-up, as the age borders of the rule set are counted: 0.25 years
// is 91 days (an infant of 0–2 months), 16 years is 5844 days. The age must
// be within 0–125 years.
func AgeDaysFromYears(years float64) (int, error) {
	if math.IsNaN(years) || math.IsInf(years, 0) || years < 0 || years > MaxAgeYears {
		return 0, &InputError{Field: "age", Value: formatNumber(years), Min: 0, Max: MaxAgeYears, Unit: "years",
			Message: fmt.Sprintf("age %s years is outside 0–%d years", formatNumber(years), MaxAgeYears)}
	}
	return news2.QuantiseInt(years * daysPerYear), nil
}

// AgeDaysAt returns the age in whole days at now for a birth date, counting
// calendar days in UTC. A birth date after now gives -1 (an invalid age
// that Assess refuses).
func AgeDaysAt(birth, now time.Time) int {
	b := time.Date(birth.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)
	n := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if n.Before(b) {
		return -1
	}
	return int(n.Sub(b).Hours() / 24)
}

// InputError is a value the engine refuses: it names the field, the value
// given and, for numbers, the accepted range.
type InputError struct {
	Field string  `json:"field"`
	Value string  `json:"value"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	// Unit of Min and Max ("" for fields without a range).
	Unit    string `json:"unit,omitempty"`
	Message string `json:"message"`
}

// Error returns the message, prefixed by the field.
func (e *InputError) Error() string {
	return "triage: " + e.Field + ": " + e.Message
}

// formatNumber prints a value as typed: 37.25, 120, NaN.
func formatNumber(v float64) string {
	return fmt.Sprintf("%g", v)
}

// plainField is one plain number of Input with the vital kind it is.
type plainField struct {
	field string
	kind  vitals.Kind
	m     news2.Measure
}

func (in *Input) plain() [6]plainField {
	return [6]plainField{
		{"rr", vitals.RR, in.RR},
		{"spo2", vitals.SpO2, in.SpO2},
		{"sbp", vitals.SBP, in.SBP},
		{"dbp", vitals.DBP, in.DBP},
		{"hr", vitals.HR, in.HR},
		{"temp_c", vitals.Temp, in.TempC},
	}
}

// CheckValue validates one value of kind k in its canonical unit against
// the accepted range, for inline validation in the UIs. field names the
// input field in the error.
func CheckValue(field string, k vitals.Kind, v float64) error {
	r, ok := vitals.ValidRange(k)
	if !ok {
		return &InputError{Field: field, Value: string(k), Message: fmt.Sprintf("unknown vital kind %q", k)}
	}
	if !r.Contains(v) {
		return &InputError{Field: field, Value: formatNumber(v), Min: r.Min, Max: r.Max, Unit: string(r.Unit),
			Message: fmt.Sprintf("%s %s %s is outside %s", k, formatNumber(v), r.Unit, r)}
	}
	return nil
}

// validate checks the patient context and plain numbers; observations are
// checked one by one later and left out rather than refused.
func (e *Engine) validate(in *Input) error {
	if in.AgeKnown && (in.AgeDays < 0 || in.AgeDays > MaxAgeDays) {
		years := float64(in.AgeDays) / daysPerYear
		return &InputError{Field: "age", Value: fmt.Sprintf("%d days", in.AgeDays), Min: 0, Max: MaxAgeYears, Unit: "years",
			Message: fmt.Sprintf("age %.2f years (%d days) is outside 0–%d years", years, in.AgeDays, MaxAgeYears)}
	}
	if in.Oxygen > news2.Supplemental {
		return &InputError{Field: "oxygen", Value: fmt.Sprint(uint8(in.Oxygen)), Message: "oxygen: want air or oxygen"}
	}
	if in.Consciousness > news2.Unresponsive {
		return &InputError{Field: "consciousness", Value: fmt.Sprint(uint8(in.Consciousness)), Message: "consciousness: want one of A, C, V, P, U"}
	}
	if in.Complaint != "" {
		if _, ok := e.rules.Discriminator(in.Complaint); !ok {
			return e.unknownCode("complaint", in.Complaint)
		}
	}
	for _, d := range in.Discriminators {
		if _, ok := e.rules.Discriminator(d); !ok {
			return e.unknownCode("discriminators", d)
		}
	}
	for _, p := range in.plain() {
		if !p.m.Present {
			continue
		}
		if err := CheckValue(p.field, p.kind, p.m.Value); err != nil {
			return err
		}
	}
	if in.SBP.Present && in.DBP.Present && news2.QuantiseInt(in.SBP.Value) <= news2.QuantiseInt(in.DBP.Value) {
		return &InputError{Field: "sbp", Value: formatNumber(in.SBP.Value), Min: 20, Max: 300, Unit: "mm[Hg]",
			Message: fmt.Sprintf("systolic %s mm[Hg] must be above diastolic %s mm[Hg]", formatNumber(in.SBP.Value), formatNumber(in.DBP.Value))}
	}
	return nil
}

func (e *Engine) unknownCode(field, code string) error {
	return &InputError{Field: field, Value: code,
		Message: fmt.Sprintf("unknown code %q (rule set %s knows: %s)", code, e.rules.Name(), strings.Join(e.rules.Codes(), ", "))}
}
