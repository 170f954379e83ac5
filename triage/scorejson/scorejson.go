// Package scorejson is the JSON Lines contract of `triagectl score`: one
// input object per line with plain vital signs and context, one output
// object per line with NEWS2, the colour, the target time and the reasons,
// in input order. A line that cannot be scored yields an error object and
// the next line is still processed.
//
// The field names are a contract (issue 2); see docs/engine.md.
package scorejson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/jsonlines"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// MaxLineBytes bounds one input line; a longer line is an error line.
const MaxLineBytes = 64 << 10

// Line is one input object. Pointers tell an absent (or null) field from a
// zero value: an absent vital is "not measured".
type Line struct {
	ID            json.RawMessage `json:"id"`
	AgeYears      *float64        `json:"age_years"`
	Pregnant      *bool           `json:"pregnant"`
	RR            *float64        `json:"rr"`
	SpO2          *float64        `json:"spo2"`
	SpO2Scale     *int            `json:"spo2_scale"`
	Oxygen        *bool           `json:"oxygen"`
	SBP           *float64        `json:"sbp"`
	DBP           *float64        `json:"dbp"`
	HR            *float64        `json:"hr"`
	Consciousness *string         `json:"consciousness"`
	TempC         *float64        `json:"temp_c"`
	Complaint     *string         `json:"complaint"`
	NurseConcern  *bool           `json:"nurse_concern"`
}

// Output is one result object.
type Output struct {
	ID            json.RawMessage `json:"id"`
	NEWS2         NEWS2           `json:"news2"`
	Colour        string          `json:"colour"`
	TargetMinutes int             `json:"target_minutes"`
	Reasons       []Reason        `json:"reasons"`
	EngineVersion string          `json:"engine_version"`
	RulesVersion  string          `json:"rules_version"`
}

// NEWS2 is the score as the contract shows it. Total, band and monitoring
// are null unless NEWS2 applies and the set is complete: a partial total is
// never presented as a NEWS2 score (the engine still uses it as a lower
// bound, which shows in the reasons).
type NEWS2 struct {
	Applicable bool `json:"applicable"`
	// Exclusion says why NEWS2 does not apply (age_under_16, pregnancy).
	Exclusion  string     `json:"exclusion,omitempty"`
	Complete   bool       `json:"complete"`
	Missing    []string   `json:"missing"`
	Total      *int       `json:"total"`
	Band       *string    `json:"band"`
	SingleRed  bool       `json:"single_red"`
	Components Components `json:"components"`
	Monitoring *string    `json:"monitoring"`
}

// Components are the per-parameter scores; null when the parameter is
// missing or NEWS2 does not apply.
type Components struct {
	RR            *int `json:"rr"`
	SpO2          *int `json:"spo2"`
	Oxygen        *int `json:"oxygen"`
	SBP           *int `json:"sbp"`
	HR            *int `json:"hr"`
	Consciousness *int `json:"consciousness"`
	Temp          *int `json:"temp"`
}

// Reason is one rule that fired.
type Reason struct {
	Rule   string `json:"rule"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Effect string `json:"effect"`
}

// ErrorOutput is the object written for a line that cannot be scored.
type ErrorOutput = jsonlines.ErrorOutput

// ErrorDetail names the input field (or "line") and says what is wrong
// and what is accepted.
type ErrorDetail = jsonlines.ErrorDetail

// lineError is a failure to turn a line into an engine input.
type lineError struct{ field, message string }

func (e *lineError) Error() string { return e.field + ": " + e.message }

// Run reads JSON Lines from r and writes one object per non-blank line to
// w, in order. now gives the assessment time of each line. It returns the
// number of lines that failed; err is only for reading or writing.
func Run(r io.Reader, w io.Writer, e *triage.Engine, now func() time.Time) (failed int, err error) {
	failed, err = jsonlines.Run(r, w, MaxLineBytes, func(line []byte) ([]byte, bool) {
		return ScoreLine(line, e, now())
	})
	if err != nil {
		return failed, fmt.Errorf("score: %w", err)
	}
	return failed, nil
}

// ScoreLine scores one input line and returns the output object (without
// newline) and whether it was scored (false: an error object).
func ScoreLine(line []byte, e *triage.Engine, now time.Time) ([]byte, bool) {
	id := jsonlines.PeekID(line)
	in, lerr := Decode(line, e, now)
	if lerr != nil {
		return jsonlines.ErrorLine(id, lerr.field, lerr.message), false
	}
	a, err := e.Assess(in, now)
	if err != nil {
		var ie *triage.InputError
		if errors.As(err, &ie) {
			return jsonlines.ErrorLine(id, contractField(ie.Field), ie.Message), false
		}
		return jsonlines.ErrorLine(id, "line", err.Error()), false
	}
	b, err := json.Marshal(Encode(id, a))
	if err != nil {
		return jsonlines.ErrorLine(id, "line", "cannot encode the result: "+err.Error()), false
	}
	return b, true
}

// contractField maps an engine field name to the contract's input name.
func contractField(f string) string {
	switch f {
	case "age":
		return "age_years"
	case "discriminators":
		return "complaint"
	}
	return f
}

// Decode turns one line into an engine input. now is the time of the
// assessment: plain numbers are manual observations made now, and a
// spo2_scale of 2 records the clinician's decision as made now.
func Decode(line []byte, e *triage.Engine, now time.Time) (triage.Input, *lineError) {
	var l Line
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return triage.Input{}, jsonError(err)
	}
	if dec.More() {
		return triage.Input{}, &lineError{"line", "more than one JSON value on the line"}
	}
	if lerr := checkObject(line); lerr != nil {
		return triage.Input{}, lerr
	}
	var in triage.Input
	if l.AgeYears != nil {
		d, err := triage.AgeDaysFromYears(*l.AgeYears)
		if err != nil {
			var ie *triage.InputError
			errors.As(err, &ie)
			return in, &lineError{"age_years", ie.Message}
		}
		in.AgeDays, in.AgeKnown = d, true
	}
	in.Pregnant = l.Pregnant != nil && *l.Pregnant
	in.NurseConcern = l.NurseConcern != nil && *l.NurseConcern
	num := func(p *float64) news2.Measure {
		if p == nil {
			return news2.Measure{}
		}
		return news2.Of(*p)
	}
	in.RR, in.SpO2, in.SBP, in.DBP, in.HR, in.TempC = num(l.RR), num(l.SpO2), num(l.SBP), num(l.DBP), num(l.HR), num(l.TempC)
	if l.SpO2Scale != nil {
		switch *l.SpO2Scale {
		case 1:
		case 2:
			in.Scale2 = news2.Scale2Decision{By: "spo2_scale=2 (recorded by the caller of triagectl score)", At: now}
		default:
			return in, &lineError{"spo2_scale", fmt.Sprintf("spo2_scale %d: want 1 or 2 (2 means the clinician's decision is recorded)", *l.SpO2Scale)}
		}
	}
	if l.Oxygen != nil {
		in.Oxygen = news2.Air
		if *l.Oxygen {
			in.Oxygen = news2.Supplemental
		}
	}
	if l.Consciousness != nil {
		c, err := news2.ParseACVPU(strings.ToUpper(strings.TrimSpace(*l.Consciousness)))
		if err != nil || c == news2.ConsciousnessUnknown {
			return in, &lineError{"consciousness", fmt.Sprintf("consciousness %q: want one of A, C, V, P, U", *l.Consciousness)}
		}
		in.Consciousness = c
	}
	if l.Complaint != nil {
		in.Complaint = strings.TrimSpace(*l.Complaint)
	}
	return in, nil
}

// contractFields are the input field names, spelled exactly: the json
// names of Line's fields, so the two can never disagree.
var contractFields, contractList = func() (map[string]bool, string) {
	t := reflect.TypeFor[Line]()
	m := make(map[string]bool, t.NumField())
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		m[name] = true
		names = append(names, name)
	}
	return m, strings.Join(names, ", ")
}()

// checkObject refuses what encoding/json lets through: a line that is not
// exactly one JSON object (null, or trailing '}' or ']'), a field name in
// another letter case, and a field given twice (json keeps the last value
// silently, so a typed value would be dropped).
func checkObject(line []byte) *lineError {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return &lineError{"line", "not a JSON object"}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return &lineError{"line", "not a JSON object: " + err.Error()}
		}
		key, _ := tok.(string)
		if !contractFields[key] {
			return &lineError{key, fmt.Sprintf("unknown field %q (fields, in lower case: %s)", key, contractList)}
		}
		if seen[key] {
			return &lineError{key, fmt.Sprintf("field %q is given more than once", key)}
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return &lineError{"line", "not a JSON object: " + err.Error()}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return &lineError{"line", "not a JSON object: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &lineError{"line", "data after the JSON object"}
	}
	return nil
}

// numberFieldRange is the accepted range of a numeric input field, for
// numbers that do not fit the Go type (1e400, 2.5 for spo2_scale).
func numberFieldRange(field string) string {
	kinds := map[string]vitals.Kind{"rr": vitals.RR, "spo2": vitals.SpO2, "sbp": vitals.SBP, "dbp": vitals.DBP, "hr": vitals.HR, "temp_c": vitals.Temp}
	switch {
	case field == "spo2_scale":
		return "1 or 2"
	case field == "age_years":
		return fmt.Sprintf("0–%d years", triage.MaxAgeYears)
	}
	if k, ok := kinds[field]; ok {
		r, _ := vitals.ValidRange(k)
		return r.String()
	}
	return ""
}

// jsonError names the field of a decoding error where encoding/json knows it.
func jsonError(err error) *lineError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "line"
		}
		if want := numberFieldRange(field); want != "" && strings.HasPrefix(te.Value, "number") {
			return &lineError{field, fmt.Sprintf("%s: JSON %s is outside %s", field, te.Value, want)}
		}
		return &lineError{field, fmt.Sprintf("%s: got JSON %s, want %s", field, te.Value, jsonType(te.Type.Kind().String()))}
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name := strings.Trim(rest, `"`)
		return &lineError{name, fmt.Sprintf("unknown field %q (fields: id, age_years, pregnant, rr, spo2, spo2_scale, oxygen, sbp, dbp, hr, consciousness, temp_c, complaint, nurse_concern)", name)}
	}
	if errors.Is(err, io.EOF) {
		return &lineError{"line", "empty line"}
	}
	return &lineError{"line", "not a JSON object: " + strings.TrimPrefix(msg, "json: ")}
}

func jsonType(kind string) string {
	switch kind {
	case "float64", "int":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	return kind
}

// Encode maps an Assessment to the contract's output object.
func Encode(id json.RawMessage, a triage.Assessment) Output {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	r := a.NEWS2
	out := Output{
		ID:            id,
		Colour:        a.Colour.String(),
		TargetMinutes: a.TargetMinutes,
		Reasons:       make([]Reason, 0, len(a.Reasons)),
		EngineVersion: a.EngineVersion,
		RulesVersion:  a.RulesVersion,
		NEWS2: NEWS2{
			Applicable: r.Applicable,
			Exclusion:  r.Exclusion.String(),
			Complete:   r.Complete,
			Missing:    []string{},
			SingleRed:  r.SingleRed,
		},
	}
	if r.Applicable {
		for _, p := range r.Missing.List() {
			out.NEWS2.Missing = append(out.NEWS2.Missing, p.String())
		}
		comp := func(c news2.Component) *int {
			if !c.Present {
				return nil
			}
			s := c.Score
			return &s
		}
		cs := &r.Components
		out.NEWS2.Components = Components{
			RR: comp(cs.RR), SpO2: comp(cs.SpO2), Oxygen: comp(cs.Oxygen), SBP: comp(cs.SBP),
			HR: comp(cs.HR), Consciousness: comp(cs.Consciousness), Temp: comp(cs.Temp),
		}
	}
	if r.Applicable && r.Complete {
		total, band, mon := r.Total, r.Band.String(), r.Monitoring.Code
		out.NEWS2.Total, out.NEWS2.Band, out.NEWS2.Monitoring = &total, &band, &mon
	}
	for _, x := range a.Reasons {
		out.Reasons = append(out.Reasons, Reason{Rule: x.Rule, Field: x.Field, Value: x.Value, Effect: x.Effect})
	}
	return out
}
