package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// droppedSchema is the migration that adds the dropped call records and
// their call-backs (013_dropped_calls).
const droppedSchema = 13

// Call-back priorities of a dropped call.
const (
	// CallBackImmediate: akutt was proposed, or an akutt criterion was
	// answered yes, before the line went: ring back at once.
	CallBackImmediate = "immediate"
	// CallBackSoon: any other dropped call.
	CallBackSoon = "soon"
)

// DroppedSteps are the steps of the call flow a call can end at, in order.
var DroppedSteps = []string{"caller", "complaint", "criteria", "vitals", "result"}

// NewDroppedCall is what was known of a phone call when it ended before
// the triage was done (the caller hung up, the line was lost): stored
// with its encounter by Register (Registration.Dropped), with no
// assessment, so the encounter is never triaged by it and no level of it
// reaches a queue or a record system as a decision.
type NewDroppedCall struct {
	StartedAt time.Time // when the call began (also the encounter's arrival)
	EndedAt   time.Time // when the nurse recorded it as dropped
	// Step is where the call was (DroppedSteps).
	Step string
	// Complaint is the phone index's complaint id, "" when none was chosen.
	Complaint string
	Note      string
	// Onset as said, and the minute it names (nil when none).
	Onset   string
	OnsetAt *time.Time
	Sex     Sex
	// SexSource is SexFromNID, SexAsked or SexNotRecorded.
	SexSource      string
	CallerRelation string
	CallerPhone    string // digits, with + for a country code
	// Answers holds every criterion shown so far: code -> AnswerYes,
	// AnswerNo or AnswerNotAsked.
	Answers map[string]string
	// LevelProposed is the level the screen proposed so far ("akutt",
	// "haster", "vanlig"; "" when none): incomplete, never the decision.
	LevelProposed string
	// Partial is the call's input as far as it went (age as said, onset
	// window, reported vitals), as JSON; nil is stored as {}.
	Partial json.RawMessage
}

// CallBack is how a dropped call's call-back was made: marked done by a
// nurse (with her note), or by a new call started from it (NewEncounter).
type CallBack struct {
	At           time.Time
	Actor        Actor
	Note         string
	NewEncounter ids.Encounter // 0 when marked done by hand
}

// DroppedCall is a stored dropped call.
type DroppedCall struct {
	EncounterID ids.Encounter
	PatientID   ids.Patient
	// Patient is the call's patient as stored now (DroppedCallOf reads
	// it in the same audited read, for the call-back to start from).
	Patient Patient
	Actor   Actor // who took the call
	NewDroppedCall
	// CallBackPriority is CallBackImmediate or CallBackSoon.
	CallBackPriority string
	// CallBack is nil while the call waits for its call-back.
	CallBack *CallBack
}

// droppedOutcomeRule is the dropped call's part of every outcome change
// (SetOutcome, and any other writer of an encounter's outcome): dropped
// is never set by hand (only Register with a dropped call record sets it),
// and a dropped call's outcome is never changed: nobody is coming and
// nothing was decided, so the call ends with its call-back (CallBackDone,
// or a new call started from it), never reopened into the waiting queue
// as it stands. enc is the encounter as stored (nil: check o alone).
func droppedOutcomeRule(o Outcome, enc *Encounter) error {
	if o == OutcomeDropped {
		return invalid("outcome", "dropped is recorded with what the call knew (Register with a dropped call), not set on an encounter")
	}
	if enc != nil && enc.Outcome == OutcomeDropped {
		return &OutcomeError{EncounterID: enc.ID, Outcome: o, Channel: enc.Channel, Dropped: true}
	}
	return nil
}

// droppedNoDecision refuses a decision (an assessment, a call record) on
// a dropped call's encounter, by every path that writes one (AddAssessment,
// SaveTriage, AddCall): it stays untriaged, so no level of it reaches a
// queue or a record system; its call-back is a new call.
func droppedNoDecision(enc Encounter, what string) error {
	if enc.Outcome != OutcomeDropped {
		return nil
	}
	return invalid(what, "encounter %d is a dropped call: nothing is decided on it; its call-back is a new call (Registration.CallBackOf)", enc.ID)
}

// CallBackPriority is the call-back priority of a call dropped with the
// level proposed so far and the answers given: immediate when akutt was
// proposed or an akutt criterion (code A.*) was answered yes.
func CallBackPriority(levelProposed string, answers map[string]string) string {
	if levelProposed == "akutt" {
		return CallBackImmediate
	}
	for code, a := range answers {
		if a == AnswerYes && strings.HasPrefix(code, "A.") {
			return CallBackImmediate
		}
	}
	return CallBackSoon
}

func (nd *NewDroppedCall) validate() error {
	// The sex, the texts and the answers are checked as a call record's.
	nc := NewCall{Complaint: "-", Note: nd.Note, Onset: nd.Onset, Sex: nd.Sex, SexSource: nd.SexSource,
		CallerRelation: nd.CallerRelation, CallerPhone: nd.CallerPhone, Answers: nd.Answers, LevelTold: "haster", LevelComputed: "haster"}
	if err := nc.validate(); err != nil {
		return err
	}
	nd.Sex, nd.SexSource = nc.Sex, nc.SexSource
	if err := checkText("complaint", nd.Complaint, 200); err != nil {
		return err
	}
	if nd.StartedAt.IsZero() || nd.EndedAt.IsZero() {
		return invalid("dropped call", "started and ended times are required")
	}
	if nd.EndedAt.Before(nd.StartedAt) {
		return invalid("dropped call", "ended %s before it started %s", nd.EndedAt.Format(time.RFC3339), nd.StartedAt.Format(time.RFC3339))
	}
	ok := false
	for _, s := range DroppedSteps {
		ok = ok || s == nd.Step
	}
	if !ok {
		return invalid("dropped call step", "%q, want one of %s", nd.Step, strings.Join(DroppedSteps, ", "))
	}
	if nd.LevelProposed != "" && !callLevels[nd.LevelProposed] {
		return invalid("level proposed", "%q, want akutt, haster, vanlig or none", nd.LevelProposed)
	}
	if len(nd.Partial) == 0 {
		nd.Partial = json.RawMessage("{}")
	}
	if !json.Valid(nd.Partial) {
		return invalid("dropped call input", "not valid JSON")
	}
	return nil
}

// checkDropped checks a registration of a dropped call before the
// transaction begins: a phone call with its record, no assessment and no
// call record (nothing was decided), outcome dropped.
func (r *Registration) checkDropped() error {
	switch {
	case r.Dropped == nil:
		return invalid("outcome", "dropped needs the dropped call's record (Registration.Dropped)")
	case r.Outcome != "" && r.Outcome != OutcomeDropped:
		return invalid("outcome", "%s for a dropped call, want dropped", r.Outcome)
	case r.Encounter.Channel != Phone:
		return invalid("dropped call", "a %s encounter, want a phone call", r.Encounter.Channel)
	case r.Assessment != nil:
		return invalid("assessment", "a dropped call stores no assessment: its level was never decided")
	case r.Call != nil:
		return invalid("call", "a dropped call has a dropped call record, not a call record")
	}
	return r.Dropped.validate()
}

// registerDropped stores a registration's dropped call record inside t,
// after its encounter, and sets the encounter's outcome to dropped.
func (t *txn) registerDropped(ctx context.Context, reg *Registered, r Registration) error {
	nd := *r.Dropped
	enc := reg.Encounter
	answers, err := json.Marshal(sortedAnswers(nd.Answers))
	if err != nil {
		return fmt.Errorf("dropped call answers: %w", err)
	}
	var onset, level any
	if nd.OnsetAt != nil {
		onset = micros(*nd.OnsetAt)
	}
	if nd.LevelProposed != "" {
		level = nd.LevelProposed
	}
	prio := CallBackPriority(nd.LevelProposed, nd.Answers)
	if _, err := t.exec(ctx, `INSERT INTO dropped_calls (encounter_id, started_at, ended_at, actor, workstation, step, complaint, note, onset, onset_at,
		sex, sex_source, caller_relation, caller_phone, answers, level_proposed, call_back, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		enc.ID, micros(nd.StartedAt), micros(nd.EndedAt), t.actor.User, t.actor.Workstation, nd.Step, nd.Complaint, nd.Note, nd.Onset, onset,
		string(nd.Sex), nd.SexSource, nd.CallerRelation, nd.CallerPhone, string(answers), level, prio, string(nd.Partial)); err != nil {
		return fmt.Errorf("dropped call of encounter %d: %w", enc.ID, err)
	}
	if err := t.auditEncounter(ctx, "call.dropped", enc.ID, enc.PatientID, "step="+nd.Step+" call_back="+prio); err != nil {
		return err
	}
	if err := t.keepAskedSex(ctx, enc.PatientID, NewCall{Sex: nd.Sex, SexSource: nd.SexSource}); err != nil {
		return err
	}
	if err := t.writeOutcome(ctx, enc, OutcomeDropped, strings.TrimSpace(r.OutcomeNote)); err != nil {
		return err
	}
	if enc, err = t.encounter(ctx, enc.ID); err != nil {
		return err
	}
	reg.Encounter = enc
	if reg.Patient, err = t.patient(ctx, reg.Patient.ID); err != nil { // with the sex the caller said
		return err
	}
	return nil
}

// registerCallBack records, inside t, that the registered call is the
// call-back of the dropped call r.CallBackOf (when set), and of every
// other dropped call of the same patient still owed: a new phone call
// about the patient (the identity number's, or the one the nurse
// confirmed as the earlier caller's, store.SameCaller) reaches them, so
// the call-back is made. A call about another patient from the same
// number never does (a shared phone is not the same patient).
func (t *txn) registerCallBack(ctx context.Context, reg *Registered, r Registration) error {
	if r.CallBackOf != 0 {
		enc, err := t.encounter(ctx, r.CallBackOf)
		if err != nil {
			return t.encounterNotFound(ctx, err, "call.callback", r.CallBackOf)
		}
		if err := t.needToKnowFirst(ctx, "call.callback", enc); err != nil {
			return err
		}
		if err := t.callBack(ctx, enc, "", reg.Encounter.ID); err != nil {
			return err
		}
	}
	if !t.s.droppedCalls || reg.Encounter.Channel != Phone {
		return nil
	}
	rows, err := t.query(ctx, `SELECT d.encounter_id FROM dropped_calls d JOIN encounters e ON e.id = d.encounter_id
		WHERE e.patient_id = ? AND d.encounter_id <> ? AND NOT EXISTS (SELECT 1 FROM call_backs b WHERE b.encounter_id = d.encounter_id)
		ORDER BY d.encounter_id`, reg.Patient.ID, reg.Encounter.ID)
	if err != nil {
		return fmt.Errorf("dropped calls of patient %d: %w", reg.Patient.ID, err)
	}
	var owed []ids.Encounter
	for rows.Next() {
		var id ids.Encounter
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("dropped calls of patient %d: %w", reg.Patient.ID, err)
		}
		owed = append(owed, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dropped calls of patient %d: %w", reg.Patient.ID, err)
	}
	for _, id := range owed {
		enc, err := t.encounter(ctx, id)
		if err != nil {
			return err
		}
		if err := t.callBack(ctx, enc, "", reg.Encounter.ID); err != nil {
			return err
		}
	}
	return nil
}

// callBack records the call-back of dropped call enc inside t, once.
func (t *txn) callBack(ctx context.Context, enc Encounter, note string, newEnc ids.Encounter) error {
	var n, done int
	if err := t.queryRow(ctx, "SELECT (SELECT count(*) FROM dropped_calls WHERE encounter_id = ?), (SELECT count(*) FROM call_backs WHERE encounter_id = ?)",
		enc.ID, enc.ID).Scan(&n, &done); err != nil {
		return fmt.Errorf("call-back of encounter %d: %w", enc.ID, err)
	}
	if n == 0 {
		return invalid("call-back", "encounter %d is not a dropped call", enc.ID)
	}
	if done > 0 {
		return invalid("call-back", "the call-back of encounter %d is recorded already", enc.ID)
	}
	var ne any
	detail := "by hand"
	if newEnc != 0 {
		ne, detail = newEnc, "new="+newEnc.String()
	}
	if _, err := t.exec(ctx, "INSERT INTO call_backs (encounter_id, at, actor, workstation, note, new_encounter_id) VALUES (?, ?, ?, ?, ?, ?)",
		enc.ID, micros(t.at), t.actor.User, t.actor.Workstation, note, ne); err != nil {
		return fmt.Errorf("call-back of encounter %d: %w", enc.ID, err)
	}
	if err := t.auditEncounter(ctx, "call.callback", enc.ID, enc.PatientID, detail); err != nil {
		return err
	}
	t.changed("encounter", enc.ID)
	return nil
}

// CallBackDone records that the dropped call id was called back (the
// nurse's note says how: reached, no answer left a message, ...): it
// leaves the ended calls' call-back list. Audited; once only (ErrInvalid
// the second time); ErrInvalid for an encounter that is not a dropped call.
func (s *Store) CallBackDone(ctx context.Context, a Actor, id ids.Encounter, note string) (DroppedCall, error) {
	note = strings.TrimSpace(note)
	if err := checkText("call-back note", note, maxText); err != nil {
		return DroppedCall{}, err
	}
	var out DroppedCall
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, id); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, id)
		if err != nil {
			return t.encounterNotFound(ctx, err, "call.callback", id)
		}
		if err := t.needToKnowFirst(ctx, "call.callback", enc); err != nil {
			return err
		}
		if err := t.callBack(ctx, enc, note, 0); err != nil {
			return err
		}
		out, err = t.droppedCall(ctx, id)
		return err
	})
	return out, err
}

// DroppedCallOf reads the dropped call record of encounter id with its
// call-back, if made (audited); ErrNotFound when the encounter is not a
// dropped call.
func (s *Store) DroppedCallOf(ctx context.Context, a Actor, id ids.Encounter) (DroppedCall, error) {
	var out DroppedCall
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, id); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, id)
		if err != nil {
			return t.encounterNotFound(ctx, err, "call.dropped.read", id)
		}
		if err := t.needToKnowFirst(ctx, "call.dropped.read", enc); err != nil {
			return err
		}
		out, err = t.droppedCall(ctx, id)
		if err == nil {
			out.Patient, err = t.patient(ctx, out.PatientID)
		}
		if aerr := t.auditEncounter(ctx, "call.dropped.read", id, enc.PatientID, outcome(err)); aerr != nil {
			return aerr
		}
		return err
	})
	return keep(out, err)
}

// droppedCall reads dropped call id inside t.
func (t *txn) droppedCall(ctx context.Context, id ids.Encounter) (DroppedCall, error) {
	var d DroppedCall
	var started, ended int64
	var onset, cbAt sql.NullInt64
	var level, cbActor, cbWS, cbNote sql.NullString
	var cbNew sql.Null[ids.Encounter]
	var answers, partial, sex string
	err := t.queryRow(ctx, `SELECT d.encounter_id, d.started_at, d.ended_at, d.actor, d.workstation, d.step, d.complaint, d.note, d.onset, d.onset_at,
		d.sex, d.sex_source, d.caller_relation, d.caller_phone, d.answers, d.level_proposed, d.call_back, d.partial,
		b.at, b.actor, b.workstation, b.note, b.new_encounter_id, e.patient_id
		FROM dropped_calls d JOIN encounters e ON e.id = d.encounter_id LEFT JOIN call_backs b ON b.encounter_id = d.encounter_id
		WHERE d.encounter_id = ?`, id).Scan(
		&d.EncounterID, &started, &ended, &d.Actor.User, &d.Actor.Workstation, &d.Step, &d.Complaint, &d.Note, &d.Onset, &onset,
		&sex, &d.SexSource, &d.CallerRelation, &d.CallerPhone, &answers, &level, &d.CallBackPriority, &partial,
		&cbAt, &cbActor, &cbWS, &cbNote, &cbNew, &d.PatientID)
	if errors.Is(err, sql.ErrNoRows) {
		return DroppedCall{}, notFound("dropped call of encounter", id)
	}
	if err != nil {
		return DroppedCall{}, fmt.Errorf("dropped call of encounter %d: %w", id, err)
	}
	d.StartedAt, d.EndedAt, d.Sex, d.LevelProposed = fromMicros(started), fromMicros(ended), Sex(sex), level.String
	if onset.Valid {
		v := fromMicros(onset.Int64)
		d.OnsetAt = &v
	}
	d.Answers = map[string]string{}
	if err := json.Unmarshal([]byte(answers), &d.Answers); err != nil {
		return DroppedCall{}, fmt.Errorf("dropped call answers: %w", err)
	}
	d.Partial = json.RawMessage(partial)
	if cbAt.Valid {
		d.CallBack = &CallBack{At: fromMicros(cbAt.Int64), Actor: Actor{User: cbActor.String, Workstation: cbWS.String}, Note: cbNote.String, NewEncounter: cbNew.V}
	}
	return d, nil
}

// openCallBacks lists the dropped calls that wait for their call-back,
// immediate ones first, then each priority oldest first (the longest
// waiting first), at most limit, as queue items with their priority.
func (t *txn) openCallBacks(ctx context.Context, limit int) ([]queue.Item, error) {
	if !t.s.droppedCalls {
		return nil, nil // a store held below schema 13 has none
	}
	rows, err := t.query(ctx, `SELECT d.encounter_id, d.call_back FROM dropped_calls d
		WHERE NOT EXISTS (SELECT 1 FROM call_backs b WHERE b.encounter_id = d.encounter_id)
		ORDER BY CASE d.call_back WHEN 'immediate' THEN 0 ELSE 1 END, d.ended_at, d.encounter_id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("dropped calls: %w", err)
	}
	var order []ids.Encounter
	prio := map[ids.Encounter]string{}
	for rows.Next() {
		var id ids.Encounter
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("dropped calls: %w", err)
		}
		order = append(order, id)
		prio[id] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dropped calls: %w", err)
	}
	if len(order) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(order)), ", ")
	args := make([]any, len(order))
	for i, id := range order {
		args[i] = id
	}
	byID := map[ids.Encounter]queue.Item{}
	if err := t.loadQueueRows(ctx, "e.id IN ("+marks+")", args, func(it queue.Item) { byID[it.EncounterID] = it }); err != nil {
		return nil, err
	}
	out := make([]queue.Item, 0, len(order))
	for _, id := range order {
		if it, ok := byID[id]; ok {
			it.CallBack = prio[id]
			out = append(out, it)
		}
	}
	return out, nil
}
