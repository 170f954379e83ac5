// Package phonecall is the phone call use-case of the workstation: it turns
// a call as the nurse took it (who called, what was answered, the vitals
// reported, the level told, how the call ended) into ONE store
// registration, maps the phone level onto the queue, and changes a call's
// outcome. The phone screens call it; they never talk to the store.
//
// One level everywhere: the level told to the caller is the level stored,
// and its colour and target are what both queues show (Colour).
package phonecall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/homevitals"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/phrase"
)

// Colour is the queue colour of a phone level: akutt red, haster yellow,
// vanlig green. These are the national index's own response colours
// (Norsk indeks for medisinsk nødhjelp: akutt "rød respons", haster "gul
// respons", vanlig "grønn respons"), and the clinic's targets for those
// colours (triage.DefaultTargets: red 0, yellow 60 min, green 120 min)
// match what the caller is promised: akutt at once, haster within the
// hour, vanlig in the ordinary order. Orange (10 min) is not used: a call
// shown orange would promise a 10-minute doctor contact the caller was
// never told of, and the queue would no longer show the level told. A call
// whose vitals make it more urgent than haster is akutt by the home rules
// (triage/phone), so it is red, not orange.
func Colour(l phone.Level) triage.Colour {
	switch l {
	case phone.Akutt:
		return triage.Red
	case phone.Haster:
		return triage.Yellow
	case phone.Vanlig:
		return triage.Green
	}
	return triage.Red // an unknown level is never shown less urgent
}

// LevelOf is the phone level a queue colour stands for on a phone
// encounter (the inverse of Colour); ok is false for orange and blue,
// which no phone call is given.
func LevelOf(c triage.Colour) (phone.Level, bool) {
	switch c {
	case triage.Red:
		return phone.Akutt, true
	case triage.Yellow:
		return phone.Haster, true
	case triage.Green:
		return phone.Vanlig, true
	}
	return 0, false
}

// DefaultOutcome is how a call of level l ends by default: akutt is handed
// to AMK (113) and leaves the waiting queue; haster is an expected arrival
// at the clinic with the haster target; vanlig is closed with the advice
// given.
func DefaultOutcome(l phone.Level) store.Outcome {
	switch l {
	case phone.Akutt:
		return store.OutcomeHandedOver
	case phone.Haster:
		return store.OutcomeExpected
	}
	return store.OutcomeClosed
}

// Outcomes lists the outcomes a nurse may choose for a call of level l, the
// default first. A call may always be left waiting; an akutt call is never
// closed with advice only, and only a vanlig call may be closed.
func Outcomes(l phone.Level) []store.Outcome {
	switch l {
	case phone.Akutt:
		return []store.Outcome{store.OutcomeHandedOver, store.OutcomeWaiting}
	case phone.Haster:
		return []store.Outcome{store.OutcomeExpected, store.OutcomeWaiting, store.OutcomeHandedOver}
	}
	return []store.Outcome{store.OutcomeClosed, store.OutcomeExpected, store.OutcomeWaiting}
}

// Record is one phone call as the nurse took it.
type Record struct {
	NID      string // validated identity number; "" when unknown
	Name     string // the patient's name, as told or found
	AgeYears int    // -1 unknown; ignored when Age is known
	// Age is the age as said or read from the identity number, in its
	// unit ("3 mnd") with the days the engine scored by; stored in the
	// assessment's input beside the whole years.
	Age phrase.Age
	// Sex and SexSource as store.NewCall has them (from the number, asked,
	// or unknown).
	Sex            store.Sex
	SexSource      string
	CallerRelation string
	CallerPhone    string
	Note           string
	// Onset is the symptom onset as said ("14:20", "i går") with the
	// time or window it names (phrase.ParseOnset). The call record keeps
	// the words, and the time only when they name one minute; a window
	// ("i går": yesterday, time of day not said) is kept in the
	// assessment's input, so no precise time is ever invented.
	Onset     phrase.Onset
	StartedAt time.Time // when the call began (the encounter's arrival)
	DecidedAt time.Time // when the level was decided

	Complaint *phone.Complaint
	Decision  phone.Decision
	// Vitals are the values reported; stored as observations with source
	// phone (air/oxygen and consciousness, which are not observations, are
	// kept in the assessment input).
	Vitals phone.Vitals
	// Assessment is the engine's assessment of the reported vitals, nil
	// when none were reported.
	Assessment *triage.Assessment

	Outcome     store.Outcome // "" means the level's default (DefaultOutcome)
	OutcomeNote string        // the advice given, the AMK handover

	// PatientID names the patient of a call-back (0: find or create by
	// NID); CallBackOf the dropped call it calls back, whose call-back is
	// recorded with this call's save (store.Registration.CallBackOf).
	PatientID  ids.Patient
	CallBackOf ids.Encounter

	// SameAs is the earlier call from the same number (RepeatCaller)
	// whose patient the nurse confirmed this call is about; nil when she
	// did not (or there was none). Only then is the call stored on that
	// patient: a temporary id's patient by its id, an identified one by
	// its number (which NID must then be); the store checks and audits
	// the confirmation (store.SameCaller).
	SameAs *Caller
}

// Input is the stored input of a phone assessment: what the decision was
// made from.
type Input struct {
	Complaint string                      `json:"complaint"`
	AgeYears  int                         `json:"age_years"`
	Age       *phrase.Age                 `json:"age,omitempty"`
	Onset     *phrase.Onset               `json:"onset,omitempty"`
	Answers   map[phone.Code]phone.Answer `json:"answers"`
	Vanlig    phone.Code                  `json:"vanlig,omitzero"`
	Vitals    phone.Vitals                `json:"vitals"`
	Override  *phone.Override             `json:"override,omitempty"`
	Started   time.Time                   `json:"started"`
}

// Result is the stored result of a phone assessment: the phone decision
// and the engine's assessment of the reported vitals.
type Result struct {
	Phone  phone.Decision     `json:"phone"`
	Engine *triage.Assessment `json:"engine,omitempty"`
}

// Saved is what a save stored.
type Saved struct {
	PatientID    ids.Patient
	EncounterID  ids.Encounter
	AssessmentID int64
	// Patient labels the patient for the nurse: the name, or the
	// temporary id of an unidentified patient.
	Patient string
	Outcome store.Outcome
}

// Assessor scores the vitals a caller reported for a patient of age (the
// zero Age: unknown), scoring an implausible value only when its field is
// in confirmed (EngineVitals: triage/homevitals on an engine).
type Assessor func(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error)

// EngineVitals is the Assessor of engine e: the home rules
// (triage/homevitals.AssessDays) at the age's days, so a baby's age said
// in months is scored in the rule set's group for those months.
func EngineVitals(e *triage.Engine) Assessor {
	return func(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error) {
		days := -1
		if age.Known() {
			days = age.Days
		}
		return homevitals.AssessDays(e, v, days, confirmed, now)
	}
}

// Store is what the use-case needs of the store.
type Store interface {
	Register(ctx context.Context, a store.Actor, r store.Registration) (store.Registered, error)
	SetOutcome(ctx context.Context, a store.Actor, id ids.Encounter, o store.Outcome, note string) (store.Encounter, error)
	LastCallFrom(ctx context.Context, a store.Actor, phone string) (store.CallerContact, error)
	EndedCalls(ctx context.Context, a store.Actor, since time.Time, limit int) ([]queue.Item, error)
	FindPatientByNID(ctx context.Context, a store.Actor, nid string) (store.Patient, error)
	EncountersForPatient(ctx context.Context, a store.Actor, patientID ids.Patient) ([]store.Encounter, error)
	Assessments(ctx context.Context, a store.Actor, encounterID ids.Encounter) ([]store.Assessment, error)
}

// Service is the phone call use-case for one nurse at one workstation.
type Service struct {
	Store Store
	Actor store.Actor
	// Vitals scores the reported vitals; the wiring sets it to
	// triage/homevitals.Assess on the clinic's engine.
	Vitals  Assessor
	Targets triage.Targets
	Index   *phone.Index
}

// ErrNoDecision is returned when a record has no complaint or decision.
var ErrNoDecision = errors.New("phonecall: the call has no complaint or decision")

// ErrSameCaller is returned when a record confirmed as about an earlier
// call's patient names another identity number than that patient's.
var ErrSameCaller = errors.New("phonecall: the call confirmed as about an earlier caller's patient names another patient")

// Registration builds the store registration of r: patient, phone
// encounter, reported vitals, the assessment at the level told (the
// computed level as the engine colour, the nurse's change as the
// override in the structured columns), the call record and its outcome.
func (s *Service) Registration(r Record) (store.Registration, error) {
	d := r.Decision
	if r.Complaint == nil || d.Complaint == "" {
		return store.Registration{}, ErrNoDecision
	}
	na := store.NewAssessment{
		At:             r.DecidedAt,
		Colour:         Colour(d.Computed),
		Target:         s.Targets.For(Colour(d.Level)),
		EngineVersion:  triage.EngineVersion,
		RuleSetVersion: "phone-index " + d.IndexID + " " + d.IndexVersion,
	}
	if d.Level != d.Computed {
		reason := ""
		if d.Override != nil {
			reason = strings.TrimSpace(d.Override.Reason)
		}
		na.Override = &store.Override{Colour: Colour(d.Level), Reason: reason}
	}
	if a := r.Assessment; a != nil {
		na.RuleSetVersion += "; rules " + a.RulesVersion
		if a.NEWS2.Complete {
			t := a.NEWS2.Total
			na.NEWS2, na.NEWS2Band = &t, a.NEWS2.Band.String()
			na.MonitorEvery = a.NEWS2.Monitoring.Interval
		}
	}
	var err error
	in := Input{Complaint: d.Complaint, AgeYears: r.AgeYears, Answers: d.Answers, Vitals: r.Vitals, Override: d.Override, Started: r.StartedAt}
	if r.Age.Known() {
		age := r.Age
		in.Age, in.AgeYears = &age, age.Years()
	}
	var onsetAt *time.Time
	if r.Onset.Said != "" {
		o := r.Onset
		in.Onset = &o
		if o.Exact() {
			onsetAt = o.From
		}
	}
	// The vanlig criterion the nurse affirmed, from the answers: it is a
	// code of the decision only when the call is vanlig on its account,
	// but the input replays what was said.
	for c, a := range d.Answers {
		if c.Level == phone.Vanlig && a == phone.Yes {
			in.Vanlig = c
		}
	}
	if na.Input, err = json.Marshal(in); err != nil {
		return store.Registration{}, fmt.Errorf("phone assessment input: %w", err)
	}
	if na.Result, err = json.Marshal(Result{Phone: d, Engine: r.Assessment}); err != nil {
		return store.Registration{}, fmt.Errorf("phone assessment result: %w", err)
	}
	answers := make(map[string]string, len(d.Answers))
	for code, a := range d.Answers {
		answers[code.String()] = a.String()
	}
	outcome := r.Outcome
	if outcome == "" {
		outcome = DefaultOutcome(d.Level)
	}
	complaint := r.Complaint.Name.In("nb")
	patientID := r.PatientID
	var same *store.SameCaller
	if c := r.SameAs; c != nil {
		if c.NID != r.NID && (c.NID != "" || r.NID != "") {
			return store.Registration{}, fmt.Errorf("%w: the earlier call's patient and the identity number differ", ErrSameCaller)
		}
		if c.NID == "" {
			if patientID != 0 && patientID != c.PatientID {
				return store.Registration{}, fmt.Errorf("%w: the call-back's patient and the earlier call's differ", ErrSameCaller)
			}
			patientID = c.PatientID
		}
		same = &store.SameCaller{Earlier: c.Encounter, Phone: NormalisePhone(r.CallerPhone)}
	}
	return store.Registration{
		PatientID:    patientID,
		CallBackOf:   r.CallBackOf,
		SameCaller:   same,
		Patient:      store.NewPatient{NID: r.NID, Name: strings.TrimSpace(r.Name)},
		Encounter:    store.NewEncounter{Channel: store.Phone, ArrivedAt: r.StartedAt, Complaint: complaint},
		Observations: Observations(r.Vitals, r.DecidedAt),
		Assessment:   &na,
		Call: &store.NewCall{
			At: r.DecidedAt, Complaint: d.Complaint, Note: strings.TrimSpace(r.Note),
			Onset: strings.TrimSpace(r.Onset.Said), OnsetAt: onsetAt, Sex: r.Sex, SexSource: r.SexSource,
			CallerRelation: strings.TrimSpace(r.CallerRelation), CallerPhone: NormalisePhone(r.CallerPhone),
			Answers: answers, LevelTold: d.Level.String(), LevelComputed: d.Computed.String(),
		},
		Outcome:     outcome,
		OutcomeNote: r.OutcomeNote,
	}, nil
}

// Save stores the call in one transaction (store.Register): it lands whole
// or not at all, so a failed save is simply tried again.
func (s *Service) Save(ctx context.Context, r Record) (Saved, error) {
	reg, err := s.Registration(r)
	if err != nil {
		return Saved{}, err
	}
	return s.register(ctx, reg, "the call")
}

// register stores reg (one store.Register) and says what was saved.
func (s *Service) register(ctx context.Context, reg store.Registration, what string) (Saved, error) {
	out, err := s.Store.Register(ctx, s.Actor, reg)
	if err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", what, err)
	}
	sv := Saved{PatientID: out.Patient.ID, EncounterID: out.Encounter.ID, Patient: PatientLabel(out.Patient), Outcome: out.Encounter.Outcome}
	if out.Assessment != nil {
		sv.AssessmentID = out.Assessment.ID
	}
	return sv, nil
}

// PatientLabel labels a patient for the nurse: the name, with the
// temporary id of an unidentified patient ("Kari (UKJENT-…)"), or the
// temporary id alone.
func PatientLabel(p store.Patient) string {
	if !p.Identified() && p.Name != "" {
		return p.Name + " (" + p.TempID + ")"
	}
	return p.Label()
}

// SetOutcome closes, hands over, expects or reopens a call (audited).
func (s *Service) SetOutcome(ctx context.Context, encounterID ids.Encounter, o store.Outcome, note string) error {
	if _, err := s.Store.SetOutcome(ctx, s.Actor, encounterID, o, note); err != nil {
		return fmt.Errorf("outcome of encounter %d: %w", encounterID, err)
	}
	return nil
}

// Assess scores the reported vitals for a patient of age (the zero Age:
// unknown) with the home rules (triage/homevitals): an implausible value
// not named in confirmed is a *phone.ImplausibleError, another refused
// value a *phone.FieldError naming the field.
func (s *Service) Assess(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, *triage.Assessment, error) {
	if s.Vitals == nil {
		return phone.VitalsFinding{}, nil, errors.New("phonecall: nothing to score the vitals with")
	}
	f, a, err := s.Vitals(v, age, confirmed, now)
	if err != nil {
		return phone.VitalsFinding{}, nil, err
	}
	return f, &a, nil
}

// endedWindow is how far back the calls a nurse may reopen go.
const endedWindow = 24 * time.Hour

// Ended lists the calls handed over or closed in the last 24 hours,
// newest first, so one can be reopened.
func (s *Service) Ended(ctx context.Context, now time.Time) ([]queue.Item, error) {
	items, err := s.Store.EndedCalls(ctx, s.Actor, now.Add(-endedWindow), 50)
	if err != nil {
		return nil, fmt.Errorf("ended calls: %w", err)
	}
	return items, nil
}

// Observations are the reported values as observations with source phone,
// taken at at; air/oxygen and consciousness are not observations.
func Observations(v phone.Vitals, at time.Time) []vitals.Observation {
	var out []vitals.Observation
	add := func(k vitals.Kind, p *float64, u vitals.Unit) {
		if p != nil {
			out = append(out, vitals.Observation{Kind: k, Value: *p, Unit: u, Source: vitals.SourcePhone, HostTime: at, Quality: vitals.Valid})
		}
	}
	add(vitals.RR, v.RR, vitals.PerMin)
	add(vitals.SpO2, v.SpO2, vitals.Percent)
	add(vitals.SBP, v.SBP, vitals.MmHg)
	add(vitals.DBP, v.DBP, vitals.MmHg)
	add(vitals.PR, v.HR, vitals.PerMin)
	add(vitals.Temp, v.TempC, vitals.Cel)
	return out
}

// NormalisePhone writes a phone number as digits, with a leading + kept,
// so a repeat caller is found however the number was spaced.
func NormalisePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Caller is what an earlier call from the same number says about whom it
// was about. It is a candidate only: a household shares a phone, so the
// nurse confirms with the caller before the new call is stored on this
// patient (Record.SameAs).
type Caller struct {
	NID      string
	Name     string
	Relation string
	// At is when the earlier call began: the time its contact shows in
	// Contacts, so one call is never shown at two times.
	At time.Time
	// PatientID and TempID name the earlier call's patient (TempID is
	// "UKJENT-…" for a patient whose identity number was not known).
	PatientID ids.Patient
	TempID    string
	// Encounter is the earlier call.
	Encounter ids.Encounter
	// Sex is the sex of the patient as recorded ("" unknown): the
	// identity number's, or the one the caller said then.
	Sex store.Sex
	// Age is the age said on the earlier call (the zero Age: none).
	Age phrase.Age
	// Contacts are the patient's earlier contacts, newest first, as
	// History lists them: read in the same look-up, so the nurse gives
	// one basis for the whole of it.
	Contacts []Contact
}

// RepeatCaller finds the patient of the latest call from phone number
// number; ok is false when the number has not called before.
func (s *Service) RepeatCaller(ctx context.Context, number string) (Caller, bool, error) {
	n := NormalisePhone(number)
	if n == "" {
		return Caller{}, false, nil
	}
	cc, err := s.Store.LastCallFrom(ctx, s.Actor, n)
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, false, nil
	}
	if err != nil {
		return Caller{}, false, fmt.Errorf("earlier calls from the number: %w", err)
	}
	p := cc.Patient
	c := Caller{NID: p.NID, Name: p.Name, Relation: cc.Relation, At: cc.At, PatientID: p.ID, TempID: p.TempID, Encounter: cc.Encounter, Sex: p.Sex}
	if c.Contacts, err = s.contacts(ctx, p.ID); err != nil {
		return Caller{}, false, err
	}
	for _, h := range c.Contacts {
		if h.Encounter == cc.Encounter {
			c.At, c.Age = h.At, h.Age
		}
	}
	if n, err := patient.Parse(p.NID); err == nil {
		c.Sex = store.SexFemale
		if n.Sex == patient.Male {
			c.Sex = store.SexMale
		}
	}
	return c, true, nil
}

// historyLimit is how many earlier contacts are read in full.
const historyLimit = 10

// Contact is one earlier call or visit of a returning patient.
type Contact struct {
	Encounter ids.Encounter
	At        time.Time
	Channel   store.Channel
	// Level is the phone level told on an earlier call (ok false for a
	// walk-in, which has Colour instead).
	Level   phone.Level
	IsCall  bool
	Colour  triage.Colour
	Triaged bool
	Codes   []phone.Code
	Summary string // the complaint
	// Complaint is the phone index's complaint id of an earlier call ("" for
	// a walk-in), so a screen can name it in its own language.
	Complaint string
	Nurse     string
	Outcome   store.Outcome
	// Age is the age said on an earlier call (the zero Age when none was
	// stored, or for a walk-in).
	Age phrase.Age
}

// History lists the earlier contacts of the patient with identity number
// nid, newest first, and the patient's stored name; none when the number
// is not registered.
func (s *Service) History(ctx context.Context, nid string) (name string, out []Contact, err error) {
	p, err := s.Store.FindPatientByNID(ctx, s.Actor, nid)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("find patient: %w", err)
	}
	out, err = s.contacts(ctx, p.ID)
	if err != nil {
		return "", nil, err
	}
	return p.Name, out, nil
}

// contacts lists the earlier contacts of patient id, newest first.
func (s *Service) contacts(ctx context.Context, id ids.Patient) (out []Contact, err error) {
	encs, err := s.Store.EncountersForPatient(ctx, s.Actor, id)
	if err != nil {
		return nil, fmt.Errorf("encounters of patient %d: %w", id, err)
	}
	for _, e := range encs {
		c := Contact{Encounter: e.ID, At: e.ArrivedAt, Channel: e.Channel, Summary: e.Complaint, Outcome: e.Outcome, Colour: e.Colour, Triaged: e.Triaged}
		if len(out) >= historyLimit {
			out = append(out, c) // counted and dated; its assessments are not read
			continue
		}
		as, err := s.Store.Assessments(ctx, s.Actor, e.ID)
		if err != nil {
			return nil, fmt.Errorf("assessments of encounter %d: %w", e.ID, err)
		}
		if n := len(as); n > 0 {
			last := as[n-1]
			c.Nurse = last.Actor.User
			var r Result
			if json.Unmarshal(last.Result, &r) == nil && r.Phone.IndexID != "" {
				c.IsCall, c.Level, c.Codes, c.Complaint = true, r.Phone.Level, r.Phone.Codes, r.Phone.Complaint
				var in Input
				if json.Unmarshal(last.Input, &in) == nil && in.Age != nil {
					c.Age = *in.Age
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}
