package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
)

// MonitoredPatient is a waiting patient attached to a monitor of this
// workstation: the board shows the patient beside the monitor's values, the
// values are stored for the encounter, and the last assessment completes the
// monitor's NEWS2 and is the baseline of the deterioration watch.
type MonitoredPatient struct {
	Device      string // device id of the monitor
	Location    string // bed or room
	EncounterID int64
	Label       string // as the queue shows the patient: name or temporary id
	Assessed    AssessedContext
}

// AssessedContext is what the patient's last assessment adds to the values
// of a monitor, which cannot see them: air or oxygen and consciousness
// (ACVPU), and the NEWS2 it scored, the baseline a rise is measured from.
type AssessedContext struct {
	At            time.Time // when the assessment was made; zero: none yet
	Oxygen        news2.Oxygen
	Consciousness news2.ACVPU
	// The rest of the assessment's NEWS2 context, which does not age: the
	// age and pregnancy that put a patient outside NEWS2, and a recorded
	// decision to use SpO2 scale 2.
	AgeDays  int
	AgeKnown bool
	Pregnant bool
	Scale2   news2.Scale2Decision
	// NEWS2 is the assessment's total, nil when it scored none (a phone
	// call, a child); Band its band name ("" for none).
	NEWS2 *int
	Band  string
}

// AssessedContextMaxAge is how long the air/oxygen and consciousness of an
// assessment are used to complete a monitor's NEWS2. An hour is the
// monitoring interval NEWS2 asks for at medium risk (RCP 2017, chart 2):
// older than that, the nurse has not looked at the patient as often as the
// chart requires, so the board goes back to the honest incomplete lower
// bound rather than assume nothing changed.
const AssessedContextMaxAge = time.Hour

// completes reports whether the assessment's context may complete a NEWS2
// scored at now: both parameters recorded, and the assessment recent.
func (c AssessedContext) completes(now time.Time) bool {
	if c.At.IsZero() || c.Oxygen == news2.OxygenUnknown || c.Consciousness == news2.ConsciousnessUnknown {
		return false
	}
	age := now.Sub(c.At)
	return age >= 0 && age <= AssessedContextMaxAge
}

// assessmentInput is the part of a stored walk-in assessment's input
// (triage.Input as JSON) that a monitor cannot measure. A phone assessment's
// input has neither field and leaves both unrecorded.
type assessmentInput struct {
	Oxygen        news2.Oxygen         `json:"oxygen"`
	Consciousness news2.ACVPU          `json:"consciousness"`
	AgeDays       int                  `json:"age_days"`
	AgeKnown      bool                 `json:"age_known"`
	Pregnant      bool                 `json:"pregnant"`
	Scale2        news2.Scale2Decision `json:"spo2_scale2"`
}

// news2Context is what the assessment adds to a monitor's values scored
// at now: the age, pregnancy and scale 2 always, air/oxygen and ACVPU
// only while the assessment completes (completes).
func (c AssessedContext) news2Context(now time.Time) (NEWS2Context, bool) {
	nc := NEWS2Context{AgeDays: c.AgeDays, AgeKnown: c.AgeKnown, Pregnant: c.Pregnant, Scale2: c.Scale2}
	ok := c.completes(now)
	if ok {
		nc.Oxygen, nc.Consciousness = c.Oxygen, c.Consciousness
	}
	return nc, ok
}

// LoadMonitoredPatient reads who is on a monitor: the encounter's patient
// as the queue names them and the context of their latest assessment.
func LoadMonitoredPatient(ctx context.Context, st store.Interface, a store.Actor, device, location string, encounterID int64) (MonitoredPatient, error) {
	mp := MonitoredPatient{Device: device, Location: location, EncounterID: encounterID}
	enc, err := st.GetEncounter(ctx, a, encounterID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: encounter %d: %w", device, encounterID, err)
	}
	p, err := st.GetPatient(ctx, a, enc.PatientID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: patient %d: %w", device, enc.PatientID, err)
	}
	mp.Label = p.Label()
	as, err := st.Assessments(ctx, a, encounterID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: assessments of encounter %d: %w", device, encounterID, err)
	}
	if n := len(as); n > 0 {
		last := as[n-1]
		mp.Assessed = AssessedContext{At: last.At, NEWS2: last.NEWS2, Band: last.NEWS2Band}
		var in assessmentInput
		// An input that is not a walk-in assessment's leaves the context
		// unrecorded, which keeps the monitor's NEWS2 an honest lower bound.
		if json.Unmarshal(last.Input, &in) == nil {
			mp.Assessed.Oxygen, mp.Assessed.Consciousness = in.Oxygen, in.Consciousness
			mp.Assessed.AgeDays, mp.Assessed.AgeKnown, mp.Assessed.Pregnant, mp.Assessed.Scale2 = in.AgeDays, in.AgeKnown, in.Pregnant, in.Scale2
		}
	}
	return mp, nil
}

// DemoPatient is a patient the demo registers and puts on one of its
// simulated monitors: a walk-in who was triaged on arrival with the values
// then, and has waited since.
type DemoPatient struct {
	Device, Location string
	Name             string
	AgeYears         int
	Complaint        string
	Arrived          time.Duration // how long ago they arrived
	Assessed         time.Duration // how long ago they were triaged (after arriving)
	// The values the nurse measured at triage (RR, SpO2, SBP, DBP, HR, °C)
	// and what a monitor cannot see.
	RR, SpO2, SBP, DBP, HR, TempC float64
	Oxygen                        news2.Oxygen
	Consciousness                 news2.ACVPU
}

// RegisterDemoPatient registers p through the store as any walk-in is: an
// unidentified patient (temporary id) with a name, a waiting encounter,
// and the engine's assessment of the triage values with its colour, NEWS2
// and monitoring interval. It returns the patient as attached to the
// monitor.
func RegisterDemoPatient(ctx context.Context, st store.Interface, a store.Actor, e *triage.Engine, p DemoPatient, now time.Time) (MonitoredPatient, error) {
	if p.Assessed > p.Arrived || p.Assessed < 0 {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: assessed %v ago, accepted range 0 to the arrival (%v ago)", p.Device, p.Assessed, p.Arrived)
	}
	at := now.Add(-p.Assessed)
	days, err := triage.AgeDaysFromYears(float64(p.AgeYears))
	if err != nil {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: %w", p.Device, err)
	}
	in := triage.Input{
		AgeDays: days, AgeKnown: true, Oxygen: p.Oxygen, Consciousness: p.Consciousness,
		RR: news2.Of(p.RR), SpO2: news2.Of(p.SpO2), SBP: news2.Of(p.SBP), DBP: news2.Of(p.DBP), HR: news2.Of(p.HR), TempC: news2.Of(p.TempC),
	}
	res, err := e.Assess(in, at)
	if err != nil {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: assess: %w", p.Device, err)
	}
	na := store.NewAssessment{
		At: at, Colour: res.Colour, Target: e.Targets().For(res.Colour),
		EngineVersion: res.EngineVersion, RuleSetVersion: res.RulesVersion,
	}
	if res.NEWS2.Complete {
		t := res.NEWS2.Total
		na.NEWS2, na.NEWS2Band, na.MonitorEvery = &t, res.NEWS2.Band.String(), res.NEWS2.Monitoring.Interval
	}
	if na.Input, err = json.Marshal(in); err != nil {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: encode input: %w", p.Device, err)
	}
	if na.Result, err = json.Marshal(res); err != nil {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: encode result: %w", p.Device, err)
	}
	// Patient, encounter and assessment in one transaction (store.Register).
	reg, err := st.Register(ctx, a, store.Registration{
		Patient:    store.NewPatient{Name: p.Name},
		Encounter:  store.NewEncounter{Channel: store.WalkIn, ArrivedAt: now.Add(-p.Arrived), Complaint: p.Complaint},
		Assessment: &na,
	})
	if err != nil {
		return MonitoredPatient{}, fmt.Errorf("demo patient on %s: %w", p.Device, err)
	}
	enc := reg.Encounter
	return LoadMonitoredPatient(ctx, st, a, p.Device, p.Location, enc.ID)
}
