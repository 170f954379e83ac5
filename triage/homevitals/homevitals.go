// Package homevitals assesses the vitals a caller reports by phone (home
// thermometer, blood-pressure cuff, pulse oximeter, breaths counted on the
// line, how the patient answers) with the main triage engine, and words
// the result as a phone.VitalsFinding, to which phone.Decide applies the
// home rules (NEWS2 and NICE NG51 thresholds, triage/phone/homerules.go).
//
// Every value is checked twice before it is scored: against the range the
// engine can score at all (vitals.ValidRange, refused with a
// *phone.FieldError), and against the range possible in a live person
// (vitals.Plausible): a value outside that is most likely a typing error
// and is scored only when the nurse has confirmed it; otherwise Assess
// returns a *phone.ImplausibleError, which the screens word as "mente du
// ...?".
//
// The package is pure: no I/O, no clock (now is given), no globals that
// change.
package homevitals

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
)

// Reported are the values a caller reported, as typed; a nil field (or ""
// for consciousness) was not reported.
type Reported = phone.Vitals

// Fields are the reported vitals' field names, in the order of the NEWS2
// chart, as `confirmed` names them and errors report them: the phone
// fields of the vitals table (wording.PhoneVitals).
var Fields = phoneFields()

func phoneFields() []string {
	var out []string
	for _, v := range wording.PhoneVitals() {
		out = append(out, v.PhoneField)
	}
	return out
}

// numeric is one number field of Reported with its row of the vitals
// table (kind, names, unit).
type numeric struct {
	row wording.Vital
	v   *float64
}

// numbers are r's number fields in chart order, reported or not.
func numbers(r *Reported) []numeric {
	var out []numeric
	for _, row := range wording.PhoneVitals() {
		if p := r.Number(row.PhoneField); p != nil {
			out = append(out, numeric{row, *p})
		}
	}
	return out
}

// Check validates r without scoring it: every number within the range the
// engine scores, systolic above diastolic, consciousness one of A C V P U,
// each value plausible for a live person unless its field is confirmed,
// and confirmed naming only known fields. The error is a *phone.FieldError
// or a *phone.ImplausibleError (which errors.As also finds as a
// *phone.FieldError).
func Check(r Reported, confirmed []string) error {
	for _, c := range confirmed {
		if !slices.Contains(Fields, c) {
			return &phone.FieldError{Field: "confirmed", Message: fmt.Sprintf("unknown field %q; want any of %s", c, strings.Join(Fields, ", "))}
		}
	}
	for _, n := range numbers(&r) {
		if n.v == nil {
			continue
		}
		field, kind := n.row.PhoneField, n.row.Kind
		if err := triage.CheckValue(field, kind, *n.v); err != nil {
			rg, _ := vitals.ValidRange(kind)
			return &phone.FieldError{Field: field, Message: fmt.Sprintf("%s is outside %s", num(*n.v), n.row.WithUnit(num(rg.Min)+"–"+num(rg.Max)))}
		}
		if lo, hi, ok := vitals.Plausible(kind, *n.v); !ok && !slices.Contains(confirmed, field) {
			return &phone.ImplausibleError{Field: field, Value: *n.v, Lo: lo, Hi: hi}
		}
	}
	if r.SBP != nil && r.DBP != nil && news2.QuantiseInt(*r.SBP) <= news2.QuantiseInt(*r.DBP) {
		return &phone.FieldError{Field: "sbp", Message: fmt.Sprintf("systolic %s mmHg must be above diastolic %s mmHg", num(*r.SBP), num(*r.DBP))}
	}
	if r.Consciousness != "" {
		if !slices.Contains(consciousness().ChoiceValues(), r.Consciousness) {
			return &phone.FieldError{Field: "consciousness", Message: fmt.Sprintf("%q: want one of A, C, V, P, U", r.Consciousness)}
		}
	}
	return nil
}

// Assess scores the reported vitals r of a patient aged ageYears (whole
// years, -1 unknown) with engine e at now. confirmed names the fields whose
// implausible value the nurse has confirmed. The values enter the engine
// as observations with source vitals.SourcePhone, made at now.
//
// The finding carries the NEWS2 total (a lower bound when incomplete), the
// missing parameters, the band, the parameters scoring 3, the engine's
// colour, the values, and one reason line per value in both languages,
// then the NEWS2 total ("minst N" and what is missing when incomplete).
// Nothing reported gives the zero finding (not assessed) and no error.
func Assess(e *triage.Engine, r Reported, ageYears int, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error) {
	if ageYears < -1 || ageYears > phone.MaxAgeYears {
		return phone.VitalsFinding{}, triage.Assessment{}, &phone.FieldError{Field: "age_years", Message: fmt.Sprintf("%d: want 0-%d whole years, or -1 when unknown", ageYears, phone.MaxAgeYears)}
	}
	days := -1
	if ageYears >= 0 {
		d, err := triage.AgeDaysFromYears(float64(ageYears))
		if err != nil {
			return phone.VitalsFinding{}, triage.Assessment{}, &phone.FieldError{Field: "age_years", Message: err.Error()}
		}
		days = d
	}
	return AssessDays(e, r, days, confirmed, now)
}

// AssessDays is Assess for a patient aged ageDays whole days (-1 unknown):
// a baby's age said in months, weeks or days ("3 mnd") is scored in the
// rule set's age group for it (infant 3–5 months), which whole years
// cannot say.
func AssessDays(e *triage.Engine, r Reported, ageDays int, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error) {
	if ageDays < -1 || ageDays > triage.MaxAgeDays {
		return phone.VitalsFinding{}, triage.Assessment{}, &phone.FieldError{Field: "age_days", Message: fmt.Sprintf("%d: want 0-%d days, or -1 when unknown", ageDays, triage.MaxAgeDays)}
	}
	if err := Check(r, confirmed); err != nil {
		return phone.VitalsFinding{}, triage.Assessment{}, err
	}
	if r.Empty() {
		return phone.VitalsFinding{}, triage.Assessment{}, nil
	}
	in := triage.Input{}
	if ageDays >= 0 {
		in.AgeDays, in.AgeKnown = ageDays, true
	}
	for _, n := range numbers(&r) {
		if n.v != nil {
			in.Observations = append(in.Observations, vitals.Observation{Kind: n.row.Kind, Value: *n.v, Unit: vitals.CanonicalUnit(n.row.Kind),
				Source: vitals.SourcePhone, HostTime: now, Quality: vitals.Valid})
		}
	}
	if r.Oxygen != nil {
		in.Oxygen = news2.Air
		if *r.Oxygen {
			in.Oxygen = news2.Supplemental
		}
	}
	if r.Consciousness != "" {
		in.Consciousness, _ = news2.ParseACVPU(r.Consciousness)
	}
	a, err := e.Assess(in, now)
	if err != nil {
		return phone.VitalsFinding{}, triage.Assessment{}, fmt.Errorf("homevitals: engine: %w", err)
	}
	if len(a.LeftOut) > 0 {
		// Check accepted every value, so the engine leaving one out is a
		// defect to surface, never a value silently not scored.
		lo := a.LeftOut[0]
		return phone.VitalsFinding{}, triage.Assessment{}, fmt.Errorf("homevitals: the engine left out %s %s: %s", lo.Observation.Kind, num(lo.Observation.Value), lo.Detail)
	}
	f := phone.VitalsFinding{
		Assessed:        true,
		Colour:          a.Colour.String(),
		Red:             a.Colour == triage.Red,
		Orange:          a.Colour == triage.Orange,
		NEWS2Applicable: a.NEWS2.Applicable,
		Values:          r,
	}
	f.Missing = missing(r)
	f.Complete = len(f.Missing) == 0
	if a.NEWS2.Applicable {
		f.NEWS2 = a.NEWS2.Total
		f.Band = a.NEWS2.Band.String()
		c := &a.NEWS2.Components
		for p := news2.ParamRR; p <= news2.ParamTemp; p++ {
			if k := c.Get(p); k.Present && k.Score == 3 {
				f.Threes = append(f.Threes, p.String())
			}
		}
	}
	f.Reasons = reasons(r, confirmed, &a)
	return f, a, nil
}

// missing names the NEWS2 parameters not reported, in chart order (the
// order of the vitals table).
func missing(r Reported) []string {
	var out []string
	for _, row := range wording.Vitals {
		if row.NEWS2 == "" || slices.Contains(out, row.NEWS2) || reported(&r, row.NEWS2) {
			continue
		}
		out = append(out, row.NEWS2)
	}
	return out
}

// reported reports whether a phone field that scores the NEWS2
// parameter param was reported.
func reported(r *Reported, param string) bool {
	for _, row := range wording.PhoneVitals() {
		if row.NEWS2 == param && r.Reported(row.PhoneField) {
			return true
		}
	}
	return false
}

// phoneField is the reported field an engine reason's field stands for
// (the engine names rows of the vitals table: "pr", "temp"; the phone
// reports "hr", "temp_c"); a heart rate's reason is the pulse's.
func phoneField(engineField string) (string, bool) {
	row, ok := wording.VitalByID(engineField)
	if !ok {
		return "", false
	}
	if row.PhoneField != "" {
		return row.PhoneField, true
	}
	for _, r := range wording.PhoneVitals() {
		if row.NEWS2 != "" && r.NEWS2 == row.NEWS2 {
			return r.PhoneField, true
		}
	}
	return "", false
}

func consciousness() wording.Vital {
	v, _ := wording.PhoneVital("consciousness")
	return v
}

// reasons words one line per reported value, then the NEWS2 total, in
// both languages, without repeats.
func reasons(r Reported, confirmed []string, a *triage.Assessment) []phone.Text {
	c := &a.NEWS2.Components
	points := func(p news2.Param) (phone.Text, bool) {
		if !a.NEWS2.Applicable {
			return phone.Text{}, false
		}
		k := c.Get(p)
		if !k.Present {
			return phone.Text{}, false
		}
		word := phone.Text{NB: "poeng", EN: "points"}
		if k.Score == 1 {
			word = phone.Text{NB: "poeng", EN: "point"}
		}
		return phone.Text{NB: fmt.Sprintf("NEWS2 %d %s", k.Score, word.NB), EN: fmt.Sprintf("NEWS2 %d %s", k.Score, word.EN)}, true
	}
	// The engine's most urgent reason per field, orange or red: the ones
	// that change a phone level.
	engine := map[string]triage.Reason{}
	for _, x := range a.Reasons {
		f, ok := phoneField(x.Field)
		if !ok || !x.Colour.MoreUrgent(triage.Yellow) {
			continue
		}
		if prev, seen := engine[f]; !seen || x.Colour.MoreUrgent(prev.Colour) {
			engine[f] = x
		}
	}
	var out []phone.Text
	// line adds a reported value's line; scored: its NEWS2 points (p) follow.
	line := func(field string, value phone.Text, p news2.Param, scored bool) {
		var nb, en []string
		if pt, ok := points(p); scored && ok {
			nb, en = append(nb, pt.NB), append(en, pt.EN)
		}
		if x, ok := engine[field]; ok {
			// The rule id stays in the stored assessment; the screen gets
			// words only, and on the phone the phone level's words (red is
			// akutt, orange at least haster: homerules), never a colour.
			if x.Colour == triage.Red {
				nb, en = append(nb, "triagemotoren: akutt"), append(en, "triage engine: acute")
			} else {
				nb, en = append(nb, "triagemotoren: minst haster"), append(en, "triage engine: at least urgent")
			}
		}
		if slices.Contains(confirmed, field) {
			nb, en = append(nb, "bekreftet av sykepleier"), append(en, "confirmed by the nurse")
		}
		t := value
		if len(nb) > 0 {
			t.NB += ": " + strings.Join(nb, "; ")
			t.EN += ": " + strings.Join(en, "; ")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	nb, en := wording.NB, wording.EN
	for _, row := range wording.PhoneVitals() {
		var p news2.Param
		scored := row.NEWS2 != "" && p.UnmarshalText([]byte(row.NEWS2)) == nil
		field := row.PhoneField
		switch {
		case field == "oxygen" && r.Oxygen != nil:
			v := phone.Text{NB: "Puster romluft", EN: "Breathing room air"}
			if *r.Oxygen {
				v = phone.Text{NB: "Får oksygen", EN: "On oxygen"}
			}
			line(field, v, p, scored)
		case field == "consciousness" && r.Consciousness != "":
			line(field, phone.Text{NB: row.Long.NB + ": " + row.ChoiceText(r.Consciousness, wording.NB),
				EN: row.Long.EN + ": " + row.ChoiceText(r.Consciousness, wording.EN)}, p, scored)
		case field == "sbp" && r.SBP != nil && r.DBP != nil:
			// The pair on one line under its pair name: BT 120/80 mmHg.
			line(field, phone.Text{NB: row.Abbr.NB + " " + row.WithUnit(numNB(*r.SBP)+"/"+numNB(*r.DBP)),
				EN: row.Abbr.EN + " " + row.WithUnit(num(*r.SBP)+"/"+num(*r.DBP))}, p, scored)
		case field == "dbp" && r.SBP != nil:
			// Said with the systolic.
		default:
			n := r.Number(field)
			if n == nil || *n == nil {
				continue
			}
			line(field, phone.Text{NB: wording.Capital(row.Short.In(nb)) + " " + row.WithUnit(numNB(**n)),
				EN: wording.Capital(row.Short.In(en)) + " " + row.WithUnit(num(**n))}, p, scored)
		}
	}
	if a.NEWS2.Applicable {
		total := phone.TotalText(phone.VitalsFinding{NEWS2: a.NEWS2.Total, Complete: len(missing(r)) == 0, Missing: missing(r)})
		out = append(out, total)
	} else {
		x := a.NEWS2.ExclusionText
		m := phone.MissingText(missing(r))
		t := phone.Text{NB: x.NB, EN: x.EN}
		if m.NB != "" {
			t.NB += " Ufullstendig: " + m.NB + "."
			t.EN += " Incomplete: " + m.EN + "."
		}
		out = append(out, t)
	}
	return out
}

// num writes a value as typed (37.5, 120); numNB with the decimal comma
// (wording.Number, the one place that applies it).
func num(v float64) string { return wording.Number(v, -1, wording.EN) }

func numNB(v float64) string { return wording.Number(v, -1, wording.NB) }
