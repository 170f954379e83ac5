// Package phonejson is the scripting contract of `triagectl phone` (issue
// 19 item 9): the loaded index as one JSON object, search hits as JSON
// Lines, and phone decisions as JSON Lines in and out. The names of
// commands, flags and fields are a contract; see docs/engine.md.
//
// A decide line that cannot be decided yields {"id", "error": {"field",
// "message"}} naming the field and what is accepted, and the next line is
// still decided.
package phonejson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/homevitals"
	"github.com/legevakt/workstation/triage/jsonlines"
	"github.com/legevakt/workstation/triage/phone"
)

// MaxLineBytes bounds one decide line; a longer line is an error line and
// nothing of it is kept.
const MaxLineBytes = 64 << 10

// Index is the loaded index as `triagectl phone index` writes it.
type Index struct {
	ID            string      `json:"id"`
	Version       string      `json:"version"`
	Demonstration bool        `json:"demonstration"`
	Complaints    []Complaint `json:"complaints"`
}

// Complaint is one chapter of the index.
type Complaint struct {
	ID        string          `json:"id"`
	Chapter   uint8           `json:"chapter"`
	Name      phone.Text      `json:"name"`
	Terms     []string        `json:"terms"`
	Infection bool            `json:"infection"`
	Age       *phone.AgeRange `json:"age,omitempty"`
	Criteria  []Criterion     `json:"criteria"`
}

// Criterion is one criterion of a complaint.
type Criterion struct {
	Code  phone.Code      `json:"code"`
	Level phone.Level     `json:"level"`
	Text  phone.Text      `json:"text"`
	Age   *phone.AgeRange `json:"age,omitempty"`
}

// EncodeIndex maps an index to the contract's object.
func EncodeIndex(ix *phone.Index) Index {
	out := Index{ID: ix.ID, Version: ix.Version, Demonstration: ix.Demonstration, Complaints: make([]Complaint, len(ix.Complaints))}
	for i, c := range ix.Complaints {
		oc := Complaint{ID: c.ID, Chapter: c.Chapter, Name: c.Name, Terms: c.Terms, Infection: c.Infection, Age: c.Age,
			Criteria: make([]Criterion, len(c.Criteria))}
		for j, cr := range c.Criteria {
			oc.Criteria[j] = Criterion{Code: cr.Code, Level: cr.Code.Level, Text: cr.Text, Age: cr.Age}
		}
		out.Complaints[i] = oc
	}
	return out
}

// Hit is one search line: the complaint's id and its score, best first.
type Hit struct {
	Complaint string     `json:"complaint"`
	Score     float64    `json:"score"`
	Name      phone.Text `json:"name"`
}

// WriteSearch writes the hits of query for age ageYears (-1 unknown) as
// JSON Lines, best first, the annet complaint last.
func WriteSearch(w io.Writer, ix *phone.Index, query string, ageYears int) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, m := range ix.Search(query, ageYears) {
		if err := enc.Encode(Hit{Complaint: m.Complaint.ID, Score: math.Round(m.Score*1000) / 1000, Name: m.Complaint.Name}); err != nil {
			return fmt.Errorf("phone search: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("phone search: write: %w", err)
	}
	return nil
}

// Line is one decide input object. Pointers tell an absent field from a
// zero value.
type Line struct {
	ID        json.RawMessage  `json:"id"`
	Complaint *string          `json:"complaint"`
	AgeYears  *float64         `json:"age_years"`
	Yes       []string         `json:"yes"`
	No        []string         `json:"no"`
	Vanlig    *string          `json:"vanlig"`
	Vitals    *Vitals          `json:"vitals"`
	Confirmed []string         `json:"confirmed"`
	Override  *json.RawMessage `json:"override"`
}

// Vitals are the reported values of a decide line; any subset.
type Vitals struct {
	RR            *float64 `json:"rr"`
	SpO2          *float64 `json:"spo2"`
	Oxygen        *bool    `json:"oxygen"`
	SBP           *float64 `json:"sbp"`
	DBP           *float64 `json:"dbp"`
	HR            *float64 `json:"hr"`
	Consciousness *string  `json:"consciousness"`
	TempC         *float64 `json:"temp_c"`
}

// override is the override object of a decide line.
type override struct {
	Level  *string `json:"level"`
	Reason string  `json:"reason"`
}

// Output is one decision line.
type Output struct {
	ID               json.RawMessage             `json:"id"`
	Level            phone.Level                 `json:"level"`
	Computed         phone.Level                 `json:"computed"`
	NeedsNurseChoice bool                        `json:"needs_nurse_choice"`
	Codes            []phone.Code                `json:"codes"`
	Answers          map[phone.Code]phone.Answer `json:"answers"`
	Reasons          []phone.Reason              `json:"reasons"`
	NEWS2            NEWS2                       `json:"news2"`
	Vitals           []phone.Text                `json:"vitals_reasons"`
	Override         *phone.Override             `json:"override,omitempty"`
	EngineVersion    string                      `json:"engine_version"`
	IndexVersion     string                      `json:"index_version"`
}

// NEWS2 is the score of the reported vitals: total is the sum of the
// parameters reported, a lower bound ("minst") when complete is false;
// band is null unless the set is complete; applicable is false for
// children under 16 (no total then).
type NEWS2 struct {
	Applicable bool     `json:"applicable"`
	Total      int      `json:"total"`
	Complete   bool     `json:"complete"`
	Missing    []string `json:"missing"`
	Band       *string  `json:"band"`
}

// ErrorOutput is the object written for a line that cannot be decided.
type ErrorOutput = jsonlines.ErrorOutput

// ErrorDetail names the input field (or "line") and says what is wrong
// and what is accepted.
type ErrorDetail = jsonlines.ErrorDetail

// Decider decides lines against one index with one engine.
type Decider struct {
	Index  *phone.Index
	Engine *triage.Engine
}

// Run reads decide lines from r and writes one object per non-blank line
// to w, in order; now gives the time of each line's vitals. It returns the
// number of lines that failed; err is only for reading or writing.
func (d Decider) Run(r io.Reader, w io.Writer, now func() time.Time) (failed int, err error) {
	failed, err = jsonlines.Run(r, w, MaxLineBytes, func(line []byte) ([]byte, bool) {
		return d.DecideLine(line, now())
	})
	if err != nil {
		return failed, fmt.Errorf("phone decide: %w", err)
	}
	return failed, nil
}

// DecideLine decides one input line and returns the output object
// (without newline) and whether it was decided (false: an error object).
func (d Decider) DecideLine(line []byte, now time.Time) ([]byte, bool) {
	id := jsonlines.PeekID(line)
	out, fe := d.decide(line, now)
	if fe != nil {
		return jsonlines.ErrorLine(id, fe.Field, fe.Message), false
	}
	out.ID = id
	if len(out.ID) == 0 {
		out.ID = json.RawMessage("null")
	}
	b, err := json.Marshal(out)
	if err != nil {
		return jsonlines.ErrorLine(id, "line", "cannot encode the result: "+err.Error()), false
	}
	return b, true
}

func (d Decider) decide(line []byte, now time.Time) (Output, *phone.FieldError) {
	l, fe := decodeLine(line)
	if fe != nil {
		return Output{}, fe
	}
	if l.Complaint == nil || strings.TrimSpace(*l.Complaint) == "" {
		return Output{}, &phone.FieldError{Field: "complaint", Message: "missing; want a complaint id of the index (triagectl phone index)"}
	}
	c, ok := d.Index.Complaint(*l.Complaint)
	if !ok {
		return Output{}, &phone.FieldError{Field: "complaint", Message: fmt.Sprintf("unknown complaint %q in index %s %s; want an id listed by triagectl phone index", *l.Complaint, d.Index.ID, d.Index.Version)}
	}
	call := phone.Call{AgeYears: -1}
	if l.AgeYears != nil {
		a := *l.AgeYears
		if a != math.Trunc(a) || a < -1 || a > phone.MaxAgeYears {
			return Output{}, &phone.FieldError{Field: "age_years", Message: fmt.Sprintf("%g: want whole years 0-%d, or -1 when unknown", a, phone.MaxAgeYears)}
		}
		call.AgeYears = int(a)
	}
	var err error
	if call.Yes, err = codes(l.Yes); err != nil {
		return Output{}, &phone.FieldError{Field: "yes", Message: err.Error()}
	}
	if call.No, err = codes(l.No); err != nil {
		return Output{}, &phone.FieldError{Field: "no", Message: err.Error()}
	}
	if l.Vanlig != nil && *l.Vanlig != "" {
		if call.Vanlig, err = phone.ParseCode(*l.Vanlig); err != nil {
			return Output{}, &phone.FieldError{Field: "vanlig", Message: err.Error()}
		}
	}
	if l.Override != nil {
		var o override
		dec := json.NewDecoder(bytes.NewReader(*l.Override))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil || o.Level == nil {
			return Output{}, &phone.FieldError{Field: "override", Message: `want {"level": "akutt" | "haster" | "vanlig", "reason": "..."}`}
		}
		lvl, err := phone.ParseLevel(*o.Level)
		if err != nil {
			return Output{}, &phone.FieldError{Field: "override.level", Message: err.Error()}
		}
		call.Override = &phone.Override{Level: lvl, Reason: o.Reason}
	}
	var rep homevitals.Reported
	if v := l.Vitals; v != nil {
		rep = homevitals.Reported{RR: v.RR, SpO2: v.SpO2, Oxygen: v.Oxygen, SBP: v.SBP, DBP: v.DBP, HR: v.HR, TempC: v.TempC}
		if v.Consciousness != nil {
			rep.Consciousness = *v.Consciousness
			if rep.Consciousness == "" {
				return Output{}, &phone.FieldError{Field: "vitals.consciousness", Message: `"": want one of A, C, V, P, U, or leave the field out`}
			}
		}
	}
	finding, a, err := homevitals.Assess(d.Engine, rep, call.AgeYears, l.Confirmed, now)
	if err != nil {
		return Output{}, vitalsError(err)
	}
	call.Vitals = finding
	dec, err := phone.Decide(d.Index, c, call)
	if err != nil {
		var fe *phone.FieldError
		if errors.As(err, &fe) {
			return Output{}, fe
		}
		return Output{}, &phone.FieldError{Field: "line", Message: err.Error()}
	}
	out := Output{
		Level: dec.Level, Computed: dec.Computed, NeedsNurseChoice: dec.NeedsNurseChoice,
		Codes: dec.Codes, Answers: dec.Answers, Reasons: dec.Reasons, Override: dec.Override,
		Vitals:        finding.Reasons,
		EngineVersion: triage.EngineVersion, IndexVersion: dec.IndexVersion,
		NEWS2: NEWS2{Applicable: finding.NEWS2Applicable, Total: finding.NEWS2, Complete: finding.Complete, Missing: finding.Missing},
	}
	if a.At.IsZero() {
		// Nothing reported: every parameter is missing, and NEWS2 applies
		// as the engine would apply it (16 and over, or age unknown).
		out.NEWS2.Applicable = call.AgeYears < 0 || call.AgeYears >= 16
		out.NEWS2.Missing = []string{"rr", "spo2", "oxygen", "sbp", "hr", "consciousness", "temp"}
	}
	if out.Codes == nil {
		out.Codes = []phone.Code{}
	}
	if out.Vitals == nil {
		out.Vitals = []phone.Text{}
	}
	if out.NEWS2.Missing == nil {
		out.NEWS2.Missing = []string{}
	}
	if finding.Band != "" {
		b := finding.Band
		out.NEWS2.Band = &b
	}
	return out, nil
}

// vitalsError names a vitals refusal by its place in the line.
func vitalsError(err error) *phone.FieldError {
	var fe *phone.FieldError
	if !errors.As(err, &fe) {
		return &phone.FieldError{Field: "vitals", Message: err.Error()}
	}
	switch fe.Field {
	case "confirmed", "age_years":
		return fe
	}
	return &phone.FieldError{Field: "vitals." + fe.Field, Message: fe.Message}
}

func codes(ss []string) ([]phone.Code, error) {
	out := make([]phone.Code, 0, len(ss))
	for _, s := range ss {
		c, err := phone.ParseCode(s)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// fields are the input names, spelled exactly.
var fields = []string{"id", "complaint", "age_years", "yes", "no", "vanlig", "vitals", "confirmed", "override"}

// decodeLine reads one line strictly: exactly one JSON object, known
// fields only (in lower case, each once), values of the right type.
func decodeLine(line []byte) (Line, *phone.FieldError) {
	var l Line
	tok := json.NewDecoder(bytes.NewReader(line))
	if t, err := tok.Token(); err != nil || t != json.Delim('{') {
		return l, &phone.FieldError{Field: "line", Message: "not a JSON object"}
	}
	seen := map[string]bool{}
	for tok.More() {
		t, err := tok.Token()
		if err != nil {
			return l, &phone.FieldError{Field: "line", Message: "not a JSON object: " + err.Error()}
		}
		key, _ := t.(string)
		known := false
		for _, f := range fields {
			known = known || f == key
		}
		if !known {
			field := key
			if field == "" {
				field = "line"
			}
			return l, &phone.FieldError{Field: field, Message: fmt.Sprintf("unknown field %q (fields, in lower case: %s)", key, strings.Join(fields, ", "))}
		}
		if seen[key] {
			return l, &phone.FieldError{Field: key, Message: fmt.Sprintf("field %q is given more than once", key)}
		}
		seen[key] = true
		var skip json.RawMessage
		if err := tok.Decode(&skip); err != nil {
			return l, &phone.FieldError{Field: "line", Message: "not a JSON object: " + err.Error()}
		}
	}
	if _, err := tok.Token(); err != nil {
		return l, &phone.FieldError{Field: "line", Message: "not a JSON object: " + err.Error()}
	}
	if _, err := tok.Token(); err != io.EOF {
		return l, &phone.FieldError{Field: "line", Message: "data after the JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "line"
			}
			return l, &phone.FieldError{Field: field, Message: fmt.Sprintf("got JSON %s, want %s", te.Value, want(field))}
		}
		msg := err.Error()
		if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			name := strings.Trim(rest, `"`)
			return l, &phone.FieldError{Field: "vitals." + name, Message: fmt.Sprintf("unknown field %q (vitals: rr, spo2, oxygen, sbp, dbp, hr, consciousness, temp_c)", name)}
		}
		return l, &phone.FieldError{Field: "line", Message: "not a JSON object: " + strings.TrimPrefix(msg, "json: ")}
	}
	return l, nil
}

// want says what a field accepts, for type errors.
func want(field string) string {
	switch field {
	case "complaint", "vanlig":
		return "a string"
	case "age_years":
		return "whole years 0-125, or -1"
	case "yes", "no":
		return `a list of criterion codes, e.g. ["A.02.01"]`
	case "confirmed":
		return `a list of vitals field names, e.g. ["spo2"]`
	case "vitals":
		return "an object with any of rr, spo2, oxygen, sbp, dbp, hr, consciousness, temp_c"
	case "vitals.oxygen":
		return "true (on oxygen) or false (room air)"
	case "vitals.consciousness":
		return "one of A, C, V, P, U"
	case "vitals.rr", "vitals.spo2", "vitals.sbp", "vitals.dbp", "vitals.hr", "vitals.temp_c":
		return "a number"
	}
	return "another type"
}
