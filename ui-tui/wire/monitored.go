package wire

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
)

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

// LoadMonitoredPatient reads who is on a monitor: the encounter's patient
// as the queue names them and the context of their latest assessment.
func LoadMonitoredPatient(ctx context.Context, st store.Interface, a store.Actor, device ids.Device, location string, encounterID ids.Encounter) (monitorboard.MonitoredPatient, error) {
	mp := monitorboard.MonitoredPatient{Device: device, Location: location, EncounterID: encounterID}
	enc, err := st.GetEncounter(ctx, a, encounterID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: encounter %d: %w", device, encounterID, err)
	}
	p, err := st.GetPatient(ctx, a, enc.PatientID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: patient %d: %w", device, enc.PatientID, err)
	}
	mp.Label = wording.PatientLabel(p.Label(), p.ID, wording.NB) // the adapter has no language; as before
	mp.Left = !enc.Status.InQueue()
	as, err := st.Assessments(ctx, a, encounterID)
	if err != nil {
		return mp, fmt.Errorf("monitor %s: assessments of encounter %d: %w", device, encounterID, err)
	}
	if n := len(as); n > 0 {
		last := as[n-1]
		mp.Assessed = monitorboard.AssessedContext{At: last.At, NEWS2: last.NEWS2, Band: last.NEWS2Band}
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
	Device         ids.Device
	Location, Name string
	AgeYears       int
	Complaint      string
	Arrived        time.Duration // how long ago they arrived
	Assessed       time.Duration // how long ago they were triaged (after arriving)
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
func RegisterDemoPatient(ctx context.Context, st store.Interface, a store.Actor, e *triage.Engine, p DemoPatient, now time.Time) (monitorboard.MonitoredPatient, error) {
	if p.Assessed > p.Arrived || p.Assessed < 0 {
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: assessed %v ago, accepted range 0 to the arrival (%v ago)", p.Device, p.Assessed, p.Arrived)
	}
	at := now.Add(-p.Assessed)
	days, err := triage.AgeDaysFromYears(float64(p.AgeYears))
	if err != nil {
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: %w", p.Device, err)
	}
	in := triage.Input{
		AgeDays: days, AgeKnown: true, Oxygen: p.Oxygen, Consciousness: p.Consciousness,
		RR: news2.Of(p.RR), SpO2: news2.Of(p.SpO2), SBP: news2.Of(p.SBP), DBP: news2.Of(p.DBP), HR: news2.Of(p.HR), TempC: news2.Of(p.TempC),
	}
	res, err := e.Assess(in, at)
	if err != nil {
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: assess: %w", p.Device, err)
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
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: encode input: %w", p.Device, err)
	}
	if na.Result, err = json.Marshal(res); err != nil {
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: encode result: %w", p.Device, err)
	}
	// Patient, encounter and assessment in one transaction (store.Register).
	reg, err := st.Register(ctx, a, store.Registration{
		Patient:    store.NewPatient{Name: p.Name},
		Encounter:  store.NewEncounter{Channel: store.WalkIn, ArrivedAt: now.Add(-p.Arrived), Complaint: p.Complaint},
		Assessment: &na,
	})
	if err != nil {
		return monitorboard.MonitoredPatient{}, fmt.Errorf("demo patient on %s: %w", p.Device, err)
	}
	enc := reg.Encounter
	return LoadMonitoredPatient(ctx, st, a, p.Device, p.Location, enc.ID)
}
