package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"

	"github.com/legevakt/workstation/triage/queue"
)

// Outcome is how an encounter stands for the waiting queue once a phone
// call has ended.
type Outcome string

// Outcomes of a call. OutcomeWaiting is every encounter's start.
const (
	OutcomeWaiting    Outcome = "waiting"     // waits for the clinic
	OutcomeExpected   Outcome = "expected"    // a caller told to come in (haster); waits with its target
	OutcomeHandedOver Outcome = "handed_over" // an akutt call handed to AMK (113); not waiting
	OutcomeClosed     Outcome = "closed"      // advice given, no visit; not waiting
	// OutcomeDropped: the caller hung up or the line was lost before the
	// triage was done (schema 13). Not waiting (nobody is coming); the
	// call waits for its call-back instead (dropped.go). Set only by
	// Register with a dropped call record, never by SetOutcome.
	OutcomeDropped Outcome = "dropped"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeWaiting, OutcomeExpected, OutcomeHandedOver, OutcomeClosed, OutcomeDropped}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes {
		if x == o {
			return true
		}
	}
	return false
}

// InQueue reports whether an encounter with this outcome still waits for
// the clinic: handed over and closed calls leave the queue (and stay in the
// patient's history).
func (o Outcome) InQueue() bool { return o == OutcomeWaiting || o == OutcomeExpected }

// EventOutcome is the encounter event kind that keeps every outcome change
// (Ref the new outcome, Note the nurse's note), so a close and a reopen
// both stay on record.
const EventOutcome = "call.outcome"

// SetOutcome changes how encounter id stands for the waiting queue, with
// the nurse's note (the advice given, the AMK handover). The change is
// audited, kept as an EventOutcome event, and moves the queue. Setting the
// outcome it already has is refused with ErrInvalid, so a key pressed twice
// does not log a second handover. An outcome that does not fit the
// encounter's channel or the level its caller was told (AllowedOutcomes)
// is refused with an *OutcomeError.
func (s *Store) SetOutcome(ctx context.Context, a Actor, id ids.Encounter, o Outcome, note string) (Encounter, error) {
	return s.changeOutcome(ctx, a, id, nil, o, note)
}

// seenState is the status and outcome a board showed when the nurse
// chose (SetOutcomeAsSeen); nil in changeOutcome means "whatever it is now".
type seenState struct {
	status  Status
	outcome Outcome
}

// changeOutcome is SetOutcome and SetOutcomeAsSeen: the same checks in the
// same order, and with seen, a conflict (audited) when another workstation
// changed the contact after the board showed it.
func (s *Store) changeOutcome(ctx context.Context, a Actor, id ids.Encounter, seen *seenState, o Outcome, note string) (Encounter, error) {
	if !o.Valid() {
		return Encounter{}, invalid("outcome", "%q, want one of waiting, expected, handed_over, closed", o)
	}
	// SetOutcome names the dropped call's rule first; a board's choice
	// (seen) meets it in setOutcome, after the level's own refusal
	// (an *OutcomeError the front ends word), as before the two were one.
	if seen == nil {
		if err := droppedOutcomeRule(o, nil); err != nil {
			return Encounter{}, err
		}
	}
	note = strings.TrimSpace(note)
	if err := checkText("outcome note", note, maxText); err != nil {
		return Encounter{}, err
	}
	var out Encounter
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, id); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, id)
		if err != nil {
			return t.encounterNotFound(ctx, err, "encounter.outcome", id)
		}
		if err := t.needToKnowFirst(ctx, "encounter.outcome", enc); err != nil {
			return err
		}
		if seen != nil && (enc.Status != seen.status || enc.Outcome != seen.outcome) {
			if aerr := t.auditEncounter(ctx, "encounter.outcome", id, enc.PatientID, "conflict"); aerr != nil {
				return aerr
			}
			return &ConflictError{Entity: "encounter", ID: int64(id), Actual: enc.Version, Current: enc}
		}
		if enc.Outcome == o {
			return invalid("outcome", "encounter %d is %s already", id, o)
		}
		if seen == nil {
			if err := droppedOutcomeRule(o, &enc); err != nil {
				return err
			}
		}
		level, err := t.levelTold(ctx, enc)
		if err != nil {
			return err
		}
		if err := checkOutcome(id, enc.Channel, level, o); err != nil {
			return err
		}
		if err := t.setOutcome(ctx, enc, o, note); err != nil {
			return err
		}
		out, err = t.encounter(ctx, id)
		return err
	})
	return out, err
}

// setOutcome writes outcome o of enc inside t: the column, an event and
// the audit entry. Every writer of an outcome comes through here, so the
// dropped call's rule (droppedOutcomeRule) holds for all of them; only
// registerDropped writes dropped (writeOutcome).
func (t *txn) setOutcome(ctx context.Context, enc Encounter, o Outcome, note string) error {
	if err := droppedOutcomeRule(o, &enc); err != nil {
		return err
	}
	return t.writeOutcome(ctx, enc, o, note)
}

// writeOutcome is setOutcome without the dropped call's rule.
func (t *txn) writeOutcome(ctx context.Context, enc Encounter, o Outcome, note string) error {
	if _, err := t.exec(ctx, "UPDATE encounters SET outcome = ?, outcome_note = ?, updated_at = ?, version = version + 1 WHERE id = ?",
		string(o), note, micros(t.at), enc.ID); err != nil {
		return fmt.Errorf("outcome of encounter %d: %w", enc.ID, err)
	}
	if _, err := t.exec(ctx, "INSERT INTO encounter_events (encounter_id, at, actor, workstation, kind, ref, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
		enc.ID, micros(t.at), t.actor.User, t.actor.Workstation, EventOutcome, string(o), note); err != nil {
		return fmt.Errorf("outcome event of encounter %d: %w", enc.ID, err)
	}
	if err := t.auditEncounter(ctx, "encounter.outcome", enc.ID, enc.PatientID, "outcome="+string(o)+" from="+string(enc.Outcome)); err != nil {
		return err
	}
	t.changed("encounter", enc.ID)
	return t.enqueueEncounter(ctx, enc.PatientID, enc.ID)
}

// Sex is the patient's sex as the call record holds it.
type Sex string

// Sexes. SexUnknown when neither the identity number nor the caller said.
const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexUnknown Sex = "unknown"
)

// Where the sex of a call record came from.
const (
	SexFromNID     = "nid"     // the identity number's individual digits
	SexAsked       = "asked"   // the caller said
	SexNotRecorded = "unknown" // not known
)

// Answer values of a call record's criteria.
const (
	AnswerYes      = "yes"
	AnswerNo       = "no"
	AnswerNotAsked = "not_asked"
)

// Phone levels as the call record spells them (the national index's
// words, as triage/phone writes them).
var callLevels = map[string]bool{"akutt": true, "haster": true, "vanlig": true}

// criterionCode is the shape of a criterion code of the phone index, e.g.
// "A.01.02" (level letter, chapter, number).
var criterionCode = regexp.MustCompile(`^[AHV]\.[0-9]{2}\.[0-9]{2}$`)

// NewCall is the record of one phone call, written once with the call's
// assessment (Registration.Call, or AddCall after the assessment).
type NewCall struct {
	EncounterID  ids.Encounter // filled by Register
	AssessmentID int64         // filled by Register
	At           time.Time
	Complaint    string // the phone index's complaint id
	Note         string // the nurse's free text
	// Onset is the symptom onset as the caller said it ("14:20", "for 20
	// min siden"); OnsetAt the time it names, nil when not said.
	Onset   string
	OnsetAt *time.Time
	Sex     Sex
	// SexSource is SexFromNID, SexAsked or SexNotRecorded.
	SexSource      string
	CallerRelation string // who called: "selv", "mor", "nabo", ...
	CallerPhone    string // digits, with + for a country code
	// Answers holds every criterion shown: code -> AnswerYes, AnswerNo or
	// AnswerNotAsked.
	Answers       map[string]string
	LevelTold     string // akutt, haster or vanlig: what the caller was told
	LevelComputed string // the level before the nurse's override
}

// Call is a stored call record.
type Call struct {
	Actor Actor
	NewCall
}

func (nc *NewCall) validate() error {
	if nc.Sex == "" {
		nc.Sex = SexUnknown
	}
	if nc.SexSource == "" {
		nc.SexSource = SexNotRecorded
	}
	switch nc.Sex {
	case SexFemale, SexMale, SexUnknown:
	default:
		return invalid("sex", "%q, want female, male or unknown", nc.Sex)
	}
	switch nc.SexSource {
	case SexFromNID, SexAsked:
		if nc.Sex == SexUnknown {
			return invalid("sex", "unknown, but its source is %q", nc.SexSource)
		}
	case SexNotRecorded:
		if nc.Sex != SexUnknown {
			return invalid("sex source", "unknown for sex %s, want nid or asked", nc.Sex)
		}
	default:
		return invalid("sex source", "%q, want nid, asked or unknown", nc.SexSource)
	}
	if strings.TrimSpace(nc.Complaint) == "" {
		return invalid("complaint", "required: the phone index's complaint id")
	}
	for f, v := range map[string]string{"complaint": nc.Complaint, "onset": nc.Onset, "caller relation": nc.CallerRelation, "caller phone": nc.CallerPhone} {
		if err := checkText(f, v, 200); err != nil {
			return err
		}
	}
	if err := checkText("note", nc.Note, maxText); err != nil {
		return err
	}
	if !callLevels[nc.LevelTold] {
		return invalid("level told", "%q, want akutt, haster or vanlig", nc.LevelTold)
	}
	if !callLevels[nc.LevelComputed] {
		return invalid("computed level", "%q, want akutt, haster or vanlig", nc.LevelComputed)
	}
	if len(nc.Answers) > 200 {
		return invalid("answers", "%d criteria, want at most 200", len(nc.Answers))
	}
	for code, ans := range nc.Answers {
		if !criterionCode.MatchString(code) {
			return invalid("answers", "code %q, want a criterion code such as A.01.02", code)
		}
		if ans != AnswerYes && ans != AnswerNo && ans != AnswerNotAsked {
			return invalid("answers", "%s: %q, want yes, no or not_asked", code, ans)
		}
	}
	return nil
}

// AddCall records the call of an encounter that already has its
// assessment (audited). A call record is written once: a second one for
// the same encounter is refused with ErrInvalid.
func (s *Store) AddCall(ctx context.Context, a Actor, nc NewCall) (Call, error) {
	if err := nc.validate(); err != nil {
		return Call{}, err
	}
	var out Call
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, nc.EncounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, nc.EncounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "call.create", nc.EncounterID)
		}
		if err := t.needToKnowFirst(ctx, "call.create", enc); err != nil {
			return err
		}
		out, err = t.addCall(ctx, enc, nc)
		return err
	})
	return out, err
}

// addCall writes a validated call record of enc inside t and audits it.
func (t *txn) addCall(ctx context.Context, enc Encounter, nc NewCall) (Call, error) {
	if err := droppedNoDecision(enc, "call"); err != nil {
		return Call{}, err
	}
	var aenc ids.Encounter
	if err := t.queryRow(ctx, "SELECT encounter_id FROM assessments WHERE id = ?", nc.AssessmentID).Scan(&aenc); err != nil || aenc != enc.ID {
		return Call{}, invalid("assessment", "assessment %d is not one of encounter %d", nc.AssessmentID, enc.ID)
	}
	var n int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM calls WHERE encounter_id = ?", enc.ID).Scan(&n); err != nil {
		return Call{}, fmt.Errorf("call of encounter %d: %w", enc.ID, err)
	}
	if n > 0 {
		return Call{}, invalid("call", "encounter %d has its call record already", enc.ID)
	}
	if nc.At.IsZero() {
		nc.At = t.at
	}
	nc.At = fromMicros(micros(nc.At))
	if nc.OnsetAt != nil {
		v := fromMicros(micros(*nc.OnsetAt))
		nc.OnsetAt = &v
	}
	answers, err := json.Marshal(sortedAnswers(nc.Answers))
	if err != nil {
		return Call{}, fmt.Errorf("call answers: %w", err)
	}
	var onset any
	if nc.OnsetAt != nil {
		onset = micros(*nc.OnsetAt)
	}
	if _, err := t.exec(ctx, `INSERT INTO calls (encounter_id, assessment_id, at, actor, workstation, complaint, note, onset, onset_at, sex, sex_source,
		caller_relation, caller_phone, answers, level_told, level_computed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		enc.ID, nc.AssessmentID, micros(nc.At), t.actor.User, t.actor.Workstation, nc.Complaint, nc.Note, nc.Onset, onset, string(nc.Sex), nc.SexSource,
		nc.CallerRelation, nc.CallerPhone, string(answers), nc.LevelTold, nc.LevelComputed); err != nil {
		return Call{}, fmt.Errorf("call of encounter %d: %w", enc.ID, err)
	}
	if err := t.auditEncounter(ctx, "call.create", enc.ID, enc.PatientID, "level="+nc.LevelTold); err != nil {
		return Call{}, err
	}
	if err := t.keepAskedSex(ctx, enc.PatientID, nc); err != nil {
		return Call{}, err
	}
	t.changed("encounter", enc.ID)
	nc.EncounterID = enc.ID
	if nc.Answers == nil {
		nc.Answers = map[string]string{}
	}
	return Call{Actor: t.actor, NewCall: nc}, nil
}

// keepAskedSex stores the sex the caller said (SexAsked) on the call's
// patient inside t, so an unknown patient is told apart at the reception
// as one the desk registered with a sex is. Only a patient with no
// identity number and no sex recorded gets it: a sex from the number, or
// one the nurse chose at registration, is never overwritten. The change is
// audited with its source ("source=asked": said by the caller, as the
// call record's sex_source keeps it). A store before schema 10 has no
// column for it, and a role without PermRegister may not change a
// patient: both keep the sex on the call only.
func (t *txn) keepAskedSex(ctx context.Context, patientID ids.Patient, nc NewCall) error {
	if nc.SexSource != SexAsked || !t.s.patientSex || (t.enforcing() && !t.actor.system && !t.actor.Role.Can(PermRegister)) {
		return nil // a role that may not change patients keeps it on the call
	}
	now := micros(t.at)
	res, err := t.exec(ctx, "UPDATE patients SET sex = ?, updated_at = ?, version = version + 1 WHERE id = ? AND nid IS NULL AND sex IS NULL",
		string(nc.Sex), now, patientID)
	if err != nil {
		return fmt.Errorf("sex of patient %d: %w", patientID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // identified, or a sex recorded already: kept as it is
	}
	if err := t.auditPatient(ctx, "patient.update", patientID, patientID, "sex="+string(nc.Sex)+" source="+SexAsked); err != nil {
		return err
	}
	t.changed("patient", 0)
	return nil
}

// sortedAnswers is the answers as a JSON object in code order, so the
// stored bytes do not depend on map order.
type sortedAnswers map[string]string

// MarshalJSON writes the answers in code order.
func (a sortedAnswers) MarshalJSON() ([]byte, error) {
	codes := make([]string, 0, len(a))
	for c := range a {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range codes {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c)
		v, _ := json.Marshal(a[c])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

const callCols = `encounter_id, assessment_id, at, actor, workstation, complaint, note, onset, onset_at, sex, sex_source,
	caller_relation, caller_phone, answers, level_told, level_computed`

func scanCall(sc interface{ Scan(...any) error }) (Call, error) {
	var c Call
	var at int64
	var onset sql.NullInt64
	var answers, sex string
	if err := sc.Scan(&c.EncounterID, &c.AssessmentID, &at, &c.Actor.User, &c.Actor.Workstation, &c.Complaint, &c.Note, &c.Onset, &onset,
		&sex, &c.SexSource, &c.CallerRelation, &c.CallerPhone, &answers, &c.LevelTold, &c.LevelComputed); err != nil {
		return Call{}, err
	}
	c.At, c.Sex = fromMicros(at), Sex(sex)
	if onset.Valid {
		v := fromMicros(onset.Int64)
		c.OnsetAt = &v
	}
	c.Answers = map[string]string{}
	if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
		return Call{}, fmt.Errorf("call answers: %w", err)
	}
	return c, nil
}

// CallOf reads the call record of encounter id (audited); ErrNotFound when
// the encounter has none (a walk-in).
func (s *Store) CallOf(ctx context.Context, a Actor, id ids.Encounter) (Call, error) {
	var out Call
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, id); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, id)
		if err != nil {
			return t.encounterNotFound(ctx, err, "call.read", id)
		}
		c, err := scanCall(t.queryRow(ctx, "SELECT "+callCols+" FROM calls WHERE encounter_id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			err = notFound("call of encounter", id)
		} else if err != nil {
			err = fmt.Errorf("call of encounter %d: %w", id, err)
		}
		if aerr := t.auditEncounter(ctx, "call.read", id, enc.PatientID, outcome(err)); aerr != nil {
			return aerr
		}
		out = c
		return err
	})
	return keep(out, err)
}

// CallerContact is what the last call from a phone number says about who
// it was about, so a repeat caller need not spell it again.
type CallerContact struct {
	Patient   Patient
	Encounter ids.Encounter
	At        time.Time
	Relation  string
}

// LastCallFrom finds the latest call from phone number phone (audited,
// with the patient it was about); ErrNotFound when none. A merged patient
// is followed to the one it was merged into.
func (s *Store) LastCallFrom(ctx context.Context, a Actor, phone string) (CallerContact, error) {
	phone = strings.TrimSpace(phone)
	if phone == "" {
		return CallerContact{}, invalid("caller phone", "required")
	}
	var out CallerContact
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "call", 0); err != nil {
			return err
		}
		var enc ids.Encounter
		var pid ids.Patient
		var at int64
		var rel string
		err := t.queryRow(ctx, `SELECT c.encounter_id, e.patient_id, c.at, c.caller_relation FROM calls c JOIN encounters e ON e.id = c.encounter_id
			WHERE c.caller_phone = ? ORDER BY c.at DESC, c.encounter_id DESC LIMIT 1`, phone).Scan(&enc, &pid, &at, &rel)
		if errors.Is(err, sql.ErrNoRows) {
			if aerr := t.audit(ctx, "call.find", "call", 0, 0, "not found"); aerr != nil {
				return aerr
			}
			return fmt.Errorf("call from that number: %w", ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("last call from a number: %w", err)
		}
		p, err := t.patient(ctx, pid)
		for i := 0; err == nil && p.MergedInto != 0 && i < 10; i++ {
			p, err = t.patient(ctx, p.MergedInto)
		}
		if err != nil {
			return err
		}
		if err := t.auditEncounter(ctx, "call.find", enc, p.ID, "found"); err != nil {
			return err
		}
		out = CallerContact{Patient: p, Encounter: enc, At: fromMicros(at), Relation: rel}
		return nil
	})
	return keep(out, err)
}

// checkCall checks a registration's call record and outcome before the
// transaction begins.
func (r *Registration) checkCall() error {
	if r.Outcome != "" && !r.Outcome.Valid() {
		return invalid("outcome", "%q, want one of waiting, expected, handed_over, closed", r.Outcome)
	}
	if err := checkText("outcome note", r.OutcomeNote, maxText); err != nil {
		return err
	}
	if r.CallBackOf < 0 || r.CallBackOf != 0 && r.Encounter.Channel != Phone {
		return invalid("call-back of", "encounter %d for a %s encounter, want a dropped call's id on a phone call (or 0)", r.CallBackOf, r.Encounter.Channel)
	}
	if r.Dropped != nil || r.Outcome == OutcomeDropped {
		return r.checkDropped()
	}
	if r.Outcome != "" {
		if err := checkOutcome(0, r.Encounter.Channel, r.registrationLevel(), r.Outcome); err != nil {
			return err
		}
	}
	if r.Call == nil {
		return nil
	}
	if r.Assessment == nil {
		return invalid("call", "a call record needs the call's assessment")
	}
	return r.Call.validate()
}

// registerCall stores a registration's call record and outcome inside t,
// after its encounter and assessment (Register).
func (t *txn) registerCall(ctx context.Context, reg *Registered, r Registration) error {
	if r.Dropped != nil {
		if err := t.registerDropped(ctx, reg, r); err != nil {
			return err
		}
		return t.registerCallBack(ctx, reg, r)
	}
	if r.Call != nil {
		nc := *r.Call
		nc.EncounterID, nc.AssessmentID = reg.Encounter.ID, reg.Assessment.ID
		if _, err := t.addCall(ctx, reg.Encounter, nc); err != nil {
			return err
		}
		p, err := t.patient(ctx, reg.Patient.ID) // with the sex the caller said (keepAskedSex)
		if err != nil {
			return err
		}
		reg.Patient = p
	}
	if r.Outcome != "" && r.Outcome != reg.Encounter.Outcome {
		if err := t.setOutcome(ctx, reg.Encounter, r.Outcome, strings.TrimSpace(r.OutcomeNote)); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, reg.Encounter.ID)
		if err != nil {
			return err
		}
		reg.Encounter = enc
	}
	return t.registerCallBack(ctx, reg, r)
}

// EndedCalls lists, first, every dropped call that waits for its
// call-back (Item.CallBack set: the immediate ones, where akutt was
// proposed, before the rest, each oldest first), whenever it was dropped;
// then the encounters handed over or closed since since, newest first; at
// most limit (1-500) in all, so a nurse can call back or reopen one. They
// are queue items, as the board shows them; none is in the waiting queue.
// A user with a service sees its own channel's (the phone centre's calls)
// unless a basis is stated, as the queue (visibleQueue). Audited as a list
// read naming every listed patient (auditList), so the read counts in each
// patient's access log.
func (s *Store) EndedCalls(ctx context.Context, a Actor, since time.Time, limit int) ([]queue.Item, error) {
	if limit < 1 || limit > 500 {
		return nil, invalid("limit", "%d, want 1-500", limit)
	}
	var out []queue.Item
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "queue", 0); err != nil {
			return err
		}
		var err error
		if out, err = t.openCallBacks(ctx, limit); err != nil {
			return err
		}
		where := "e.outcome IN ('handed_over', 'closed') AND e.updated_at >= ? ORDER BY e.updated_at DESC, e.id DESC LIMIT ?"
		if err := t.loadQueueRows(ctx, where, []any{micros(since), limit - len(out)}, func(it queue.Item) { out = append(out, it) }); err != nil {
			return err
		}
		if t.actor.Basis.Reason == "" {
			out = s.visibleQueue(t.actor, out, t.enforcing()) // the phone centre's own calls (need-to-know)
		}
		return t.auditList(ctx, endedCallsView(out))
	})
	return out, err
}
