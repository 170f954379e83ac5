// Package wire adapts the workstation's real packages (the triage engine,
// the store) to the small interfaces the desktop screens use (package desk).
// It holds no screen code and never imports fyne's app package.
package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/queuefeed"
	"github.com/legevakt/workstation/workstation/session"
)

// Scorer is the triage engine behind desk.Scorer.
type Scorer struct {
	Engine *triage.Engine
}

var _ desk.Scorer = Scorer{}

// EngineInput maps the form to the engine's input. A free-text complaint
// is not a rule-set code, so it is kept with the encounter, not scored.
func EngineInput(in desk.FormInput) (triage.Input, error) {
	ti := triage.Input{NurseConcern: in.NurseConcern, Observations: in.Observations, Pregnant: in.Pregnant, Scale2: in.Scale2}
	if in.AgeDaysKnown {
		if in.AgeDays < 0 || in.AgeDays > triage.MaxAgeYears*366 {
			return ti, fmt.Errorf("age: %d days, accepted range 0-%d years", in.AgeDays, triage.MaxAgeYears)
		}
		ti.AgeDays, ti.AgeKnown = in.AgeDays, true
	} else if in.AgeKnown {
		d, err := triage.AgeDaysFromYears(float64(in.AgeYears))
		if err != nil {
			return ti, fmt.Errorf("age: %w", err)
		}
		ti.AgeDays, ti.AgeKnown = d, true
	}
	if in.Consciousness != "" {
		c, err := news2.ParseACVPU(in.Consciousness)
		if err != nil {
			return ti, fmt.Errorf("consciousness: %w", err)
		}
		ti.Consciousness = c
	}
	if in.OxygenKnown {
		ti.Oxygen = news2.Air
		if in.Oxygen {
			ti.Oxygen = news2.Supplemental
		}
	}
	return ti, nil
}

// Score implements desk.Scorer.
func (s Scorer) Score(in desk.FormInput, now time.Time) (desk.Result, error) {
	ti, err := EngineInput(in)
	if err != nil {
		return desk.Result{}, err
	}
	a, err := s.Engine.Assess(ti, now)
	if err != nil {
		return desk.Result{}, err
	}
	return result(a, in.Lang), nil
}

// Override implements desk.Scorer with triage.Override: up freely, down
// only with a reason.
func (s Scorer) Override(r desk.Result, to triage.Colour, reason string) (desk.Result, error) {
	if r.Record == nil {
		return r, errors.New("override: the result carries no engine assessment")
	}
	a := *r.Record
	o, err := triage.Override(a, to, reason)
	if err != nil {
		return r, err
	}
	lang := i18n.NB
	if r.Lang == string(i18n.EN) {
		lang = i18n.EN
	}
	out := result(o, lang)
	out.Overridden, out.From, out.OverrideReason = true, a.Colour, reason
	return out, nil
}

func result(a triage.Assessment, lang i18n.Lang) desk.Result {
	n := a.NEWS2
	r := desk.Result{
		NEWS2Applicable: n.Applicable, NEWS2Complete: n.Complete, NEWS2Total: n.Total,
		Colour: a.Colour, Target: time.Duration(a.TargetMinutes) * time.Minute,
		Monitoring: n.Monitoring.Interval, Record: &a, Lang: string(lang),
	}
	if n.Band != news2.BandNone {
		r.NEWS2Band = n.Band.String()
	}
	for _, p := range n.Missing.List() {
		r.Missing = append(r.Missing, p.String())
	}
	if !n.Applicable {
		r.NotApplicable = n.ExclusionText.In(lang)
	}
	for _, x := range a.Reasons {
		r.Reasons = append(r.Reasons, x.Text(lang))
	}
	for _, x := range a.Notes {
		r.Reasons = append(r.Reasons, x.Text.In(lang))
	}
	for _, lo := range a.LeftOut {
		if lo.Why == "stale" {
			r.Stale = append(r.Stale, lo.Observation.Kind)
		}
	}
	return r
}

// Actors gives the store actor of the user logged in now
// (*session.Current has it): no flag, environment variable or
// configuration value makes one.
type Actors interface {
	// Actor is the actor of a user's action (it counts as activity and
	// carries a basis the user gave, session.WithBasis); it fails while
	// the session is locked.
	Actor(ctx context.Context) (store.Actor, error)
	// Quiet is the actor of a screen's own reads (the board re-reading
	// the queue after a change): refused while locked, not activity.
	Quiet() (store.Actor, error)
	// Background is the actor of work that goes on while the screen is
	// locked (recording the monitors' values).
	Background() (store.Actor, error)
}

var _ Actors = (*session.Current)(nil)

// Store is the workstation store behind desk.Store. Every call acts as the
// actor Actor gives at that moment, so a switch of user takes effect at
// the next call and a locked session makes none.
type Store struct {
	S     store.Interface
	Actor Actors
	Now   func() time.Time
}

// actor is the actor of the user's action now, with the error of a
// locked session wrapped so the screen can say why nothing was stored.
func (s *Store) actor(ctx context.Context) (store.Actor, error) {
	a, err := s.Actor.Actor(ctx)
	if err != nil {
		return store.Actor{}, fmt.Errorf("who is working: %w", err)
	}
	return a, nil
}

var _ desk.Store = (*Store)(nil)

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Register implements desk.Store: an identified patient already on record
// is found again by the identity number; patient and encounter are stored
// in one transaction (store.Register), so a failure leaves neither.
func (s *Store) Register(ctx context.Context, r desk.Registration) (desk.Encounter, error) {
	ch := store.WalkIn
	if r.Channel == desk.ChannelPhone {
		ch = store.Phone
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return desk.Encounter{}, err
	}
	reg, err := s.S.Register(ctx, actor, store.Registration{
		Patient:   store.NewPatient{NID: r.NID, Name: r.Name, Sex: store.SexOf(r.Sex)},
		Encounter: store.NewEncounter{Channel: ch, ArrivedAt: r.Arrived},
	})
	if err != nil {
		return desk.Encounter{}, fmt.Errorf("register patient: %w", err)
	}
	e := reg.Encounter
	out := desk.Encounter{ID: e.ID, Patient: wording.PatientLabel(reg.Patient.Label(), reg.Patient.ID, wording.NB), Arrived: e.ArrivedAt, AgeYears: r.AgeYears, AgeKnown: r.AgeKnown,
		TempID: reg.Patient.TempID}
	return out, nil
}

// Encounter implements desk.Store.
func (s *Store) Encounter(ctx context.Context, id ids.Encounter) (desk.Encounter, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return desk.Encounter{}, err
	}
	e, err := s.S.GetEncounter(ctx, actor, id)
	if err != nil {
		return desk.Encounter{}, err
	}
	p, err := s.S.GetPatient(ctx, actor, e.PatientID)
	if err != nil {
		return desk.Encounter{}, err
	}
	out := desk.Encounter{ID: e.ID, Patient: wording.PatientLabel(p.Label(), p.ID, wording.NB), Arrived: e.ArrivedAt, TempID: p.TempID}
	if n, err := patient.Parse(p.NID); err == nil {
		out.AgeYears, out.AgeKnown, out.AgeFrom, out.Sex = n.AgeAt(s.now()), true, desk.AgeFromNID, n.Sex
	} else {
		out.Sex = store.PatientSex(p.Sex)
	}
	if err := s.prefill(ctx, actor, &out); err != nil {
		return desk.Encounter{}, err
	}
	return out, nil
}

// prefill takes the patient context of the encounter's latest triage from
// its stored input (the engine's input this app saved): the age the nurse
// typed, aged by the days since, when the identity number gives none (an
// unknown patient); pregnancy; and a recorded SpO2 scale 2 decision. A
// latest input that cannot be read (another front end's, or a future
// layout) prefills nothing, so the form asks again rather than guess.
func (s *Store) prefill(ctx context.Context, actor store.Actor, out *desk.Encounter) error {
	as, err := s.S.Assessments(ctx, actor, out.ID)
	if err != nil {
		return fmt.Errorf("latest triage of encounter %d: %w", out.ID, err)
	}
	if len(as) == 0 {
		return nil
	}
	last := as[0]
	for _, a := range as[1:] {
		if !a.At.Before(last.At) {
			last = a
		}
	}
	// The colour that counts now: a re-triage that would lower it asks
	// for a reason.
	out.Colour, out.Triaged = last.Effective(), true
	var in triage.Input
	if len(last.Input) == 0 || json.Unmarshal(last.Input, &in) != nil {
		return nil
	}
	used := false
	if !out.AgeKnown && in.AgeKnown && in.AgeDays >= 0 {
		days := in.AgeDays + triage.AgeDaysAt(last.At, s.now())
		if triage.AgeDaysAt(last.At, s.now()) < 0 {
			days = in.AgeDays // a clock behind the record does not make anyone younger
		}
		out.AgeDays, out.AgeDaysKnown, out.AgeFrom = days, true, desk.AgeFromTriage
		out.AgeYears, out.AgeKnown = int(float64(days)/365.25), true
		used = true
	}
	if in.Pregnant {
		out.Pregnant, used = true, true
	}
	if in.Scale2.Recorded() {
		out.Scale2, used = in.Scale2, true
	}
	if used {
		out.PrefilledFrom = last.At
	}
	return nil
}

// SaveTriage implements desk.Store: the assessment with the engine's input
// and result as JSON, the observations it used and the nurse's complaint,
// in one store transaction.
func (s *Store) SaveTriage(ctx context.Context, v desk.Saved) error {
	ti, err := EngineInput(v.Input)
	if err != nil {
		return err
	}
	in, err := json.Marshal(ti)
	if err != nil {
		return fmt.Errorf("encode input: %w", err)
	}
	if v.Result.Record == nil {
		return errors.New("save triage: the result carries no engine assessment")
	}
	a := *v.Result.Record
	res, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	na := store.NewAssessment{
		EncounterID: v.Encounter.ID, At: v.At, Colour: a.Computed, Target: v.Result.Target,
		MonitorEvery: v.Result.Monitoring, EngineVersion: a.EngineVersion, RuleSetVersion: a.RulesVersion,
		Input: in, Result: res,
	}
	if v.Result.NEWS2Applicable {
		t := v.Result.NEWS2Total
		na.NEWS2, na.NEWS2Band = &t, v.Result.NEWS2Band
	}
	if a.Override != nil || a.Colour != a.Computed {
		na.Override = &store.Override{Colour: a.Colour, Reason: v.Result.OverrideReason}
	}
	tr := store.Triage{EncounterID: v.Encounter.ID, Complaint: v.Input.Complaint, Observations: v.Observations, Assessment: na}
	if v.IncompleteChosen {
		// The nurse was told NEWS2 was incomplete and chose to save it:
		// recorded (audited) with what was missing.
		tr.Events = append(tr.Events, store.NewEvent{At: v.At, Kind: EventIncompleteSaved,
			Note: "missing: " + strings.Join(v.Result.Missing, ", ")})
	}
	if lw := v.Lowered; lw != nil {
		// The colour falls from the patient's current one: recorded
		// (audited) with the nurse's reason and, for an incomplete NEWS2,
		// what was missing.
		note := fmt.Sprintf("from %s to %s; reason: %s", lw.From, lw.To, lw.Reason)
		if lw.Incomplete {
			note += "; incomplete, missing: " + strings.Join(lw.Missing, ", ")
		}
		tr.Events = append(tr.Events, store.NewEvent{At: v.At, Kind: EventLowered, Note: note})
	}
	// The complaint, the assessment, the observations it used and the
	// event land in one transaction (store.SaveTriage): all or nothing.
	actor, err := s.actor(ctx)
	if err != nil {
		return fmt.Errorf("save triage: %w", err)
	}
	if _, err := s.S.SaveTriage(ctx, actor, tr); err != nil {
		return fmt.Errorf("save triage: %w", err)
	}
	return nil
}

// EventIncompleteSaved is the store event of a triage saved with an
// incomplete NEWS2 after the nurse was asked and chose to.
const EventIncompleteSaved = "triage.incomplete_saved"

// EventLowered is the store event of a triage whose colour is less
// urgent than the patient's colour before it, with the nurse's reason.
const EventLowered = "triage.lowered"

// AppendQueue implements desk.Store.
func (s *Store) AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	// The board re-reads on every change: a quiet read, not activity.
	actor, err := s.Actor.Quiet()
	if err != nil {
		return dst, fmt.Errorf("who is working: %w", err)
	}
	return queuefeed.Feed{Store: s.S, Actor: actor}.AppendQueue(ctx, now, dst)
}

// Changes implements desk.Store over the store's Watch (queuefeed.Ticks):
// new vitals and events leave the queue as it is, so they cause no re-read
// (and no audited queue read) every few seconds a monitor stores values.
func (s *Store) Changes(ctx context.Context) (<-chan struct{}, error) {
	return queuefeed.Ticks(ctx, s.S)
}

// AddObservations implements desk.Store.
func (s *Store) AddObservations(ctx context.Context, id ids.Encounter, obs []vitals.Observation) error {
	actor, err := s.actor(ctx)
	if err != nil {
		return err
	}
	return s.S.AddObservations(ctx, actor, id, obs)
}

// Observations implements desk.Store.
func (s *Store) Observations(ctx context.Context, id ids.Encounter, since time.Time) ([]vitals.Observation, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.S.Observations(ctx, actor, id, since)
}

// ackDetail is what an acknowledgement event carries beyond who, when,
// the encounter and the alert id (the event's actor, time, encounter and
// Ref): the alert's NEWS2 before and after, the bands and whether a
// re-triage followed. It is the event's Note, as JSON, so the store needs
// no column per event kind.
type ackDetail struct {
	NEWS2Before int    `json:"news2_before"`
	NEWS2After  int    `json:"news2_after"`
	BandBefore  string `json:"band_before"`
	BandAfter   string `json:"band_after"`
	Retriage    bool   `json:"retriage"`
	Note        string `json:"note,omitempty"`
}

// RecordAck implements desk.Store: the acknowledgement is an append-only
// store event of kind store.EventDeteriorationAck on the encounter, so it
// is audited and every workstation on the same queue sees it. The nurse who
// acknowledged is the event's actor: the logged-in user, never the name
// the acknowledgement carries (an acknowledgement naming another user is
// refused).
func (s *Store) RecordAck(ctx context.Context, ack desk.Acknowledgement) error {
	note, err := json.Marshal(ackDetail{NEWS2Before: ack.NEWS2Before, NEWS2After: ack.NEWS2After,
		BandBefore: ack.BandBefore, BandAfter: ack.BandAfter, Retriage: ack.Retriage, Note: ack.Note})
	if err != nil {
		return fmt.Errorf("acknowledge on encounter %d: %w", ack.EncounterID, err)
	}
	actor, err := s.actor(ctx)
	if err != nil {
		return fmt.Errorf("acknowledge alert %s on encounter %d: %w", ack.AlertID, ack.EncounterID, err)
	}
	if by := strings.TrimSpace(ack.By); by != "" && by != actor.User {
		return fmt.Errorf("acknowledge alert %s on encounter %d: acknowledged as %q but %q is logged in", ack.AlertID, ack.EncounterID, by, actor.User)
	}
	if _, err := s.S.AddEvent(ctx, actor, store.NewEvent{EncounterID: ack.EncounterID, At: ack.At,
		Kind: store.EventDeteriorationAck, Ref: ack.AlertID, Note: string(note)}); err != nil {
		return fmt.Errorf("acknowledge alert %s on encounter %d: %w", ack.AlertID, ack.EncounterID, err)
	}
	return nil
}

// Acks implements desk.Store: the encounter's deterioration
// acknowledgements, oldest first, from every workstation. An event whose
// note is not the JSON RecordAck writes (another front end's free text) is
// still listed, with the text as the note and no NEWS2 figures.
func (s *Store) Acks(ctx context.Context, id ids.Encounter) ([]desk.Acknowledgement, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, fmt.Errorf("acknowledgements of encounter %d: %w", id, err)
	}
	evs, err := s.S.Events(ctx, actor, id)
	if err != nil {
		return nil, fmt.Errorf("acknowledgements of encounter %d: %w", id, err)
	}
	var out []desk.Acknowledgement
	for _, ev := range evs {
		if ev.Kind != store.EventDeteriorationAck {
			continue
		}
		a := desk.Acknowledgement{EncounterID: ev.EncounterID, AlertID: ev.Ref, By: ev.Actor.User,
			Workstation: ev.Actor.Workstation, At: ev.At}
		var d ackDetail
		if err := json.Unmarshal([]byte(ev.Note), &d); err == nil {
			a.NEWS2Before, a.NEWS2After, a.BandBefore, a.BandAfter = d.NEWS2Before, d.NEWS2After, d.BandBefore, d.BandAfter
			a.Retriage, a.Note = d.Retriage, d.Note
		} else {
			a.Note = ev.Note
		}
		out = append(out, a)
	}
	return out, nil
}
