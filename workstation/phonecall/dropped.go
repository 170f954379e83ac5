package phonecall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phrase"
)

// A call that ends before the triage is done (the caller hung up, the
// line was lost) is stored as dropped (contract 1): what was known, the
// level proposed so far as incomplete (never as the decision: no
// assessment is written, so the encounter stays untriaged), and a
// call-back that waits until a nurse marks it done or a new call started
// from it is saved.

// OutcomeDropped is the outcome of a dropped call.
const OutcomeDropped = store.OutcomeDropped

// The call-back priorities of a dropped call: immediate when akutt was
// proposed (or an akutt criterion answered yes) before the line went.
const (
	CallBackImmediate = store.CallBackImmediate
	CallBackSoon      = store.CallBackSoon
)

// DroppedRecord is a call as far as it went when it was dropped.
type DroppedRecord struct {
	NID      string // validated identity number; "" when unknown
	Name     string
	AgeYears int // -1 unknown; ignored when Age is known
	Age      phrase.Age
	// Sex and SexSource as Record has them.
	Sex            store.Sex
	SexSource      string
	CallerRelation string
	CallerPhone    string
	Note           string
	Onset          phrase.Onset
	StartedAt      time.Time
	EndedAt        time.Time
	// Step is where the call was: caller, complaint, criteria, vitals or
	// result (store.DroppedSteps).
	Step string
	// Complaint is nil when none was chosen yet.
	Complaint *phone.Complaint
	// Answers holds every criterion shown so far (not asked included).
	Answers map[phone.Code]phone.Answer
	// Vitals are the values reported that passed their checks; stored as
	// observations with source phone, as a finished call's are.
	Vitals phone.Vitals
	// Proposed is the decision the screen proposed so far, nil when none:
	// stored as the level proposed, incomplete, never as the decision.
	Proposed *phone.Decision
	// PatientID and CallBackOf: a call-back that was dropped again keeps
	// the patient and closes the earlier call's call-back (as Record).
	PatientID  ids.Patient
	CallBackOf ids.Encounter
}

// Partial is the stored input of a dropped call (store.NewDroppedCall.
// Partial): what the call held beyond the record's columns.
type Partial struct {
	AgeYears int           `json:"age_years"`
	Age      *phrase.Age   `json:"age,omitempty"`
	Onset    *phrase.Onset `json:"onset,omitempty"`
	Vitals   phone.Vitals  `json:"vitals"`
	// Proposed is the decision proposed so far, marked incomplete.
	Proposed *ProposedSoFar `json:"proposed,omitempty"`
}

// ProposedSoFar is a dropped call's proposal: the level and the criteria
// it rested on when the line went. Incomplete is always true: it is what
// the screen showed, never what the caller was told.
type ProposedSoFar struct {
	Level      phone.Level  `json:"level"`
	Codes      []phone.Code `json:"codes,omitempty"`
	Incomplete bool         `json:"incomplete"`
}

// DroppedCallBack is the call-back priority of a dropped call
// (store.CallBackPriority): immediate when akutt was proposed or an akutt
// criterion answered yes.
func DroppedCallBack(r DroppedRecord) string {
	level := ""
	if r.Proposed != nil {
		level = r.Proposed.Level.String()
	}
	answers := make(map[string]string, len(r.Answers))
	for c, a := range r.Answers {
		answers[c.String()] = a.String()
	}
	return store.CallBackPriority(level, answers)
}

// DroppedRegistration builds the store registration of a dropped call:
// the patient, the phone encounter (untriaged), the reported vitals and
// the dropped call record, outcome dropped; no assessment, no call record.
func (s *Service) DroppedRegistration(r DroppedRecord) (store.Registration, error) {
	in := Partial{AgeYears: r.AgeYears, Vitals: r.Vitals}
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
	level := ""
	if d := r.Proposed; d != nil {
		in.Proposed = &ProposedSoFar{Level: d.Level, Codes: d.Codes, Incomplete: true}
		level = d.Level.String()
	}
	partial, err := json.Marshal(in)
	if err != nil {
		return store.Registration{}, fmt.Errorf("dropped call input: %w", err)
	}
	answers := make(map[string]string, len(r.Answers))
	for code, a := range r.Answers {
		answers[code.String()] = a.String()
	}
	complaint, complaintName := "", ""
	if r.Complaint != nil {
		complaint, complaintName = r.Complaint.ID, r.Complaint.Name.In("nb")
	}
	ended := r.EndedAt
	if ended.Before(r.StartedAt) {
		ended = r.StartedAt
	}
	return store.Registration{
		PatientID:    r.PatientID,
		Patient:      store.NewPatient{NID: r.NID, Name: strings.TrimSpace(r.Name)},
		Encounter:    store.NewEncounter{Channel: store.Phone, ArrivedAt: r.StartedAt, Complaint: complaintName},
		Observations: Observations(r.Vitals, ended),
		Dropped: &store.NewDroppedCall{
			StartedAt: r.StartedAt, EndedAt: ended, Step: r.Step, Complaint: complaint, Note: strings.TrimSpace(r.Note),
			Onset: strings.TrimSpace(r.Onset.Said), OnsetAt: onsetAt, Sex: r.Sex, SexSource: r.SexSource,
			CallerRelation: strings.TrimSpace(r.CallerRelation), CallerPhone: NormalisePhone(r.CallerPhone),
			Answers: answers, LevelProposed: level, Partial: partial,
		},
		Outcome:    store.OutcomeDropped,
		CallBackOf: r.CallBackOf,
	}, nil
}

// Drop stores a dropped call in one transaction (store.Register).
func (s *Service) Drop(ctx context.Context, r DroppedRecord) (Saved, error) {
	reg, err := s.DroppedRegistration(r)
	if err != nil {
		return Saved{}, err
	}
	return s.register(ctx, reg, "the dropped call")
}

// CallBack is what a call-back starts from: the dropped call's record
// and its patient, so the new call is prefilled with what is known.
type CallBack struct {
	Dropped   store.DroppedCall
	PatientID ids.Patient
	NID       string // "" for a patient without an identity number
	Name      string
	Partial   Partial
}

// DroppedStore is what the call-back needs of the store beyond Store.
type DroppedStore interface {
	DroppedCallOf(ctx context.Context, a store.Actor, id ids.Encounter) (store.DroppedCall, error)
	CallBackDone(ctx context.Context, a store.Actor, id ids.Encounter, note string) (store.DroppedCall, error)
}

// ErrNoDroppedStore: the service's store cannot read dropped calls.
var ErrNoDroppedStore = errors.New("phonecall: the store keeps no dropped calls")

func (s *Service) droppedStore() (DroppedStore, error) {
	ds, ok := s.Store.(DroppedStore)
	if !ok {
		return nil, ErrNoDroppedStore
	}
	return ds, nil
}

// StartCallBack reads dropped call id and its patient for a call-back.
func (s *Service) StartCallBack(ctx context.Context, id ids.Encounter) (CallBack, error) {
	ds, err := s.droppedStore()
	if err != nil {
		return CallBack{}, err
	}
	d, err := ds.DroppedCallOf(ctx, s.Actor, id)
	if err != nil {
		return CallBack{}, fmt.Errorf("dropped call %d: %w", id, err)
	}
	p := d.Patient
	cb := CallBack{Dropped: d, PatientID: p.ID, NID: p.NID, Name: p.Name}
	if err := json.Unmarshal(d.Partial, &cb.Partial); err != nil {
		return CallBack{}, fmt.Errorf("dropped call %d input: %w", id, err)
	}
	return cb, nil
}

// CallBackDone marks the call-back of dropped call id as made, with the
// nurse's note (audited).
func (s *Service) CallBackDone(ctx context.Context, id ids.Encounter, note string) error {
	ds, err := s.droppedStore()
	if err != nil {
		return err
	}
	if _, err := ds.CallBackDone(ctx, s.Actor, id, note); err != nil {
		return fmt.Errorf("call-back of %d: %w", id, err)
	}
	return nil
}
