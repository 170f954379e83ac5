package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
)

// EngineScorer is the Scorer on the main triage engine: the caller's
// reported values enter as observations with source vitals.SourcePhone.
type EngineScorer struct{ Engine *triage.Engine }

// fieldOfKind names the vitals form field of an observation kind.
var fieldOfKind = map[vitals.Kind]string{
	vitals.Temp: "temp", vitals.PR: "hr", vitals.HR: "hr", vitals.SpO2: "spo2", vitals.RR: "rr", vitals.SBP: "sbp", vitals.DBP: "dbp",
}

// ScorePhone assesses the reported vitals. An observation the engine
// leaves out for its value (out of range, systolic not above diastolic)
// comes back as a *FieldError for that field: a phone report is typed by
// the nurse, so a wrong value is a typing error to fix, not a glitch.
func (s EngineScorer) ScorePhone(p Patient, v PhoneVitals, now time.Time) (Scored, error) {
	in := triage.Input{Observations: v.Observations()}
	switch {
	case !p.Birth.IsZero():
		in.AgeDays, in.AgeKnown = triage.AgeDaysAt(p.Birth, now), true
	case p.AgeYears >= 0:
		d, err := triage.AgeDaysFromYears(float64(p.AgeYears))
		if err != nil {
			return Scored{}, err
		}
		in.AgeDays, in.AgeKnown = d, true
	}
	a, err := s.Engine.Assess(in, now)
	if err != nil {
		var ie *triage.InputError
		if errors.As(err, &ie) {
			f := ie.Field
			if f == "temp_c" {
				f = "temp"
			}
			return Scored{}, &FieldError{Field: f, Message: ie.Message}
		}
		return Scored{}, err
	}
	for _, lo := range a.LeftOut {
		if lo.Why == "out_of_range" || lo.Why == "sbp_not_above_dbp" || lo.Why == "unit" {
			return Scored{}, &FieldError{Field: fieldOfKind[lo.Observation.Kind], Message: lo.Detail}
		}
	}
	blob, err := json.Marshal(a)
	if err != nil {
		return Scored{}, fmt.Errorf("encode assessment: %w", err)
	}
	f := phone.VitalsFinding{
		Assessed: true,
		Colour:   a.Colour.String(),
		Red:      a.Colour == triage.Red,
		Orange:   a.Colour == triage.Orange,
	}
	for _, r := range a.Reasons {
		if r.Colour.MoreUrgent(triage.Yellow) {
			f.Reasons = append(f.Reasons, phone.Text{NB: r.Text("nb"), EN: r.Text("en")})
		}
	}
	return Scored{Finding: f, Assessment: blob}, nil
}

// News2Chart is the NEWS2Scorer on triage/news2: the latest value of each
// kind, scored on the RCP chart. Air/oxygen and consciousness are not
// measured by a monitor, so the set is incomplete: the board shows the
// partial total as a lower bound and names what is missing, never a band.
type News2Chart struct{}

// NEWS2ContextScorer scores a monitor's values together with the air or
// oxygen and the consciousness (ACVPU) the nurse recorded at the patient's
// last assessment, which a monitor cannot measure.
type NEWS2ContextScorer interface {
	NEWS2Assessed(obs []vitals.Observation, nc NEWS2Context, now time.Time) (NEWS2Result, error)
}

// NEWS2Context is the patient context of the last assessment that a
// monitor cannot see; zero values mean not recorded.
type NEWS2Context struct {
	Oxygen        news2.Oxygen
	Consciousness news2.ACVPU
	AgeDays       int
	AgeKnown      bool
	Pregnant      bool
	Scale2        news2.Scale2Decision
}

// NEWS2 scores obs (the fresh, scorable values of one patient).
func (c News2Chart) NEWS2(obs []vitals.Observation, now time.Time) (NEWS2Result, error) {
	return c.NEWS2Assessed(obs, NEWS2Context{}, now)
}

// NEWS2Assessed scores obs with the recorded air/oxygen and consciousness;
// their zero values mean not recorded, and the set is then incomplete.
func (News2Chart) NEWS2Assessed(obs []vitals.Observation, nc NEWS2Context, now time.Time) (NEWS2Result, error) {
	in := news2.Input{Oxygen: nc.Oxygen, Consciousness: nc.Consciousness,
		AgeDays: nc.AgeDays, AgeKnown: nc.AgeKnown, Pregnant: nc.Pregnant, Scale2: nc.Scale2}
	for _, o := range obs {
		n, err := vitals.Normalise(o)
		if err != nil {
			continue
		}
		m := news2.Of(n.Value)
		switch n.Kind {
		case vitals.RR:
			in.RR = m
		case vitals.SpO2:
			in.SpO2 = m
		case vitals.SBP:
			in.SBP = m
		case vitals.HR:
			in.HR = m
		case vitals.PR:
			if !in.HR.Present {
				in.HR = m
			}
		case vitals.Temp:
			in.TempC = m
		}
	}
	r := news2.Score(in)
	if !r.Applicable {
		return NEWS2Result{NotApplicable: true}, nil
	}
	out := NEWS2Result{Total: r.Total, Band: r.Band.String(), Complete: r.Complete}
	for _, p := range r.Missing.List() {
		out.Missing = append(out.Missing, p.String())
	}
	return out, nil
}
