package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
)

// The outbox (schema 6) holds what must reach the patient record. Every
// clinical write that the record needs (a patient registered or changed,
// an encounter opened or changed, an assessment, a batch of observations)
// queues one message per routed destination in the SAME transaction, so a
// write is never committed without its message nor a message without its
// write. A message names what to send (ids), not a copy: the sender builds
// the resources when it sends (OutboxPayload), from rows that are
// immutable (assessments, observations) or whose latest state is what the
// record should have (patients, encounters).
//
// Senders (records/outbox) claim messages with a lease: per destination
// and patient only the oldest unsent message can be claimed, so one
// patient's messages reach a record in order even with several
// workstations sending from one PostgreSQL outbox; a sender that dies
// after sending and before OutboxSent loses its lease and the message is
// sent again, which the receiver's conditional create makes harmless.

// OutboxKind is what a message carries.
type OutboxKind string

// Message kinds.
const (
	OutboxPatient      OutboxKind = "patient"      // a patient registered, changed, identified or merged
	OutboxEncounter    OutboxKind = "encounter"    // an encounter opened or changed
	OutboxAssessment   OutboxKind = "assessment"   // a triage assessment (NEWS2, colour)
	OutboxObservations OutboxKind = "observations" // a batch of observations
)

// OutboxKinds lists every kind, in the order of a patient's story.
var OutboxKinds = []OutboxKind{OutboxPatient, OutboxEncounter, OutboxAssessment, OutboxObservations}

// Valid reports whether k is a known kind.
func (k OutboxKind) Valid() bool {
	for _, v := range OutboxKinds {
		if k == v {
			return true
		}
	}
	return false
}

// OutboxState is where a message stands.
type OutboxState string

// Message states.
const (
	OutboxWaiting OutboxState = "waiting" // not yet delivered (new, retrying, or behind another)
	OutboxSent    OutboxState = "sent"    // the destination accepted it
	OutboxParked  OutboxState = "parked"  // refused for good; needs a fix and OutboxRetry
)

// ErrLeaseLost: the message is no longer leased to this sender (the lease
// ran out and another sender took it, or an operator parked it).
var ErrLeaseLost = errors.New("outbox lease lost")

// OutboxMessage is one queued message for one destination.
type OutboxMessage struct {
	ID          int64
	Destination string
	PatientID   ids.Patient
	EncounterID ids.Encounter // 0 for a patient message
	Kind        OutboxKind
	// RefFrom..RefTo: the patient, encounter or assessment id (equal), or
	// the observation ids of the batch.
	RefFrom, RefTo int64
	Actor          string // who made the clinical write (the performer)
	CreatedAt      time.Time
	State          OutboxState
	Attempts       int
	NextAt         time.Time
	LeaseOwner     string
	LeaseUntil     time.Time
	// Reason is why the message is parked, or the last transient failure
	// of a waiting one; empty once sent.
	Reason string
	SentAt time.Time
}

const outboxCols = "id, destination, patient_id, encounter_id, kind, ref_from, ref_to, actor, created_at, state, attempts, next_at, lease_owner, lease_until, reason, sent_at"

func scanOutbox(sc interface{ Scan(...any) error }) (OutboxMessage, error) {
	var m OutboxMessage
	var enc sql.Null[ids.Encounter]
	var leaseUntil, sent sql.NullInt64
	var owner sql.NullString
	var created, next int64
	if err := sc.Scan(&m.ID, &m.Destination, &m.PatientID, &enc, &m.Kind, &m.RefFrom, &m.RefTo, &m.Actor, &created, &m.State,
		&m.Attempts, &next, &owner, &leaseUntil, &m.Reason, &sent); err != nil {
		return OutboxMessage{}, err
	}
	m.EncounterID, m.LeaseOwner = enc.V, owner.String
	m.CreatedAt, m.NextAt = fromMicros(created), fromMicros(next)
	if leaseUntil.Valid {
		m.LeaseUntil = fromMicros(leaseUntil.Int64)
	}
	if sent.Valid {
		m.SentAt = fromMicros(sent.Int64)
	}
	return m, nil
}

var destinationPattern = kindPattern

func checkDestination(name string) error {
	if len(name) > 64 || !destinationPattern.MatchString(name) {
		return invalid("destination", "%q, want lower-case dotted words such as \"dips.fhir\" (at most 64 characters)", name)
	}
	return nil
}

// outboxSchema is the schema that made the outbox.
const outboxSchema = 6

// outboxRoutes lists the destinations routed for kind.
func (t *txn) outboxRoutes(ctx context.Context, kind OutboxKind) ([]string, error) {
	if t.s.schemaLimit != 0 && t.s.schemaLimit <= outboxSchema {
		// A store held at an older schema (upgrade tests) has no outbox.
		return nil, nil
	}
	rows, err := t.query(ctx, "SELECT destination FROM outbox_routes WHERE kind = ? ORDER BY destination", string(kind))
	if err != nil {
		return nil, fmt.Errorf("outbox routes for %s: %w", kind, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("outbox routes for %s: %w", kind, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// enqueue queues a message of kind for every destination routed for it, in
// the caller's transaction.
func (t *txn) enqueue(ctx context.Context, kind OutboxKind, patientID ids.Patient, encounterID ids.Encounter, refFrom, refTo int64) error {
	dests, err := t.outboxRoutes(ctx, kind)
	if err != nil || len(dests) == 0 {
		return err
	}
	return t.enqueueTo(ctx, dests, kind, patientID, encounterID, refFrom, refTo)
}

func (t *txn) enqueueTo(ctx context.Context, dests []string, kind OutboxKind, patientID ids.Patient, encounterID ids.Encounter, refFrom, refTo int64) error {
	var enc any
	if encounterID != 0 {
		enc = encounterID
	}
	now := micros(t.at)
	for _, d := range dests {
		if _, err := t.exec(ctx, `INSERT INTO outbox (destination, patient_id, encounter_id, kind, ref_from, ref_to, actor, created_at, next_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d, patientID, enc, string(kind), refFrom, refTo, t.actor.User, now, now); err != nil {
			return fmt.Errorf("outbox: queueing %s for %s: %w", kind, d, err)
		}
	}
	return nil
}

// enqueueEncounter queues an encounter message (opened or changed). The
// message's ref columns name a row of any kind (patient, encounter,
// assessment, observations), so they hold the plain row id.
func (t *txn) enqueueEncounter(ctx context.Context, patientID ids.Patient, encounterID ids.Encounter) error {
	return t.enqueue(ctx, OutboxEncounter, patientID, encounterID, int64(encounterID), int64(encounterID))
}

// enqueuePatient queues a patient message (registered or changed).
func (t *txn) enqueuePatient(ctx context.Context, patientID ids.Patient) error {
	return t.enqueue(ctx, OutboxPatient, patientID, 0, int64(patientID), int64(patientID))
}

// SetOutboxRoutes makes destination take the given kinds of message from
// now on (replacing its earlier routes; no kinds removes it). Messages
// already queued stay queued. Audited.
func (s *Store) SetOutboxRoutes(ctx context.Context, a Actor, destination string, kinds []OutboxKind) error {
	if err := checkDestination(destination); err != nil {
		return err
	}
	for _, k := range kinds {
		if !k.Valid() {
			return invalid("kind", "%q, want patient, encounter, assessment or observations", k)
		}
	}
	return s.do(ctx, a, func(t *txn) error {
		if err := t.requireAny(ctx, PermWriteClinical, PermOutboxSend, "outbox", 0); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM outbox_routes WHERE destination = ?", destination); err != nil {
			return fmt.Errorf("outbox routes of %s: %w", destination, err)
		}
		names := make([]string, 0, len(kinds))
		for _, k := range kinds {
			if _, err := t.exec(ctx, "INSERT INTO outbox_routes (destination, kind, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
				destination, string(k), micros(t.at)); err != nil {
				return fmt.Errorf("outbox routes of %s: %w", destination, err)
			}
			names = append(names, string(k))
		}
		return t.audit(ctx, "outbox.routes", "outbox", 0, 0, "destination="+destination+" kinds="+strings.Join(names, ","))
	})
}

// OutboxRoutes lists the routed kinds per destination.
func (s *Store) OutboxRoutes(ctx context.Context) (map[string][]OutboxKind, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT destination, kind FROM outbox_routes ORDER BY destination, kind")
	if err != nil {
		return nil, fmt.Errorf("outbox routes: %w", err)
	}
	defer rows.Close()
	out := map[string][]OutboxKind{}
	for rows.Next() {
		var d, k string
		if err := rows.Scan(&d, &k); err != nil {
			return nil, fmt.Errorf("outbox routes: %w", err)
		}
		out[d] = append(out[d], OutboxKind(k))
	}
	return out, rows.Err()
}

// RecordsInstance is this database's identifier namespace: a random hex
// string made once (schema 6) that the identifiers sent to record systems
// carry, so that two clinics' encounter 17 are never the same record.
func (s *Store) RecordsInstance(ctx context.Context) (string, error) {
	var v string
	if err := s.db.QueryRowContext(ctx, s.q("SELECT value FROM triage_meta WHERE key = ?"), "records.instance").Scan(&v); err != nil {
		return "", fmt.Errorf("records instance: %w", err)
	}
	return v, nil
}

// ClaimOutbox leases up to limit deliverable messages of destination to
// owner for lease: waiting, due, not leased to another sender, and the
// oldest unsent message of their patient (so at most one per patient, and
// one patient's messages go in order; a parked message holds back the
// later ones of its patient). A message whose lease ran out, or that is
// leased to owner itself (a restarted sender), can be claimed again.
// Attempts counts claims. On PostgreSQL the candidate rows are locked
// with SKIP LOCKED, so concurrent claimers never take the same message.
func (s *Store) ClaimOutbox(ctx context.Context, a Actor, destination, owner string, lease time.Duration, limit int) ([]OutboxMessage, error) {
	if err := checkDestination(destination); err != nil {
		return nil, err
	}
	if strings.TrimSpace(owner) == "" {
		return nil, invalid("owner", "empty; want the sender's name")
	}
	if lease < time.Second || lease > time.Hour {
		return nil, invalid("lease", "%v, want 1s to 1h", lease)
	}
	if limit < 1 || limit > 1000 {
		return nil, invalid("limit", "%d, want 1 to 1000", limit)
	}
	var out []OutboxMessage
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermOutboxSend, "outbox", 0); err != nil {
			return err
		}
		now := micros(t.at)
		lock := ""
		if s.backend == Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := t.query(ctx, "SELECT "+outboxCols+` FROM outbox o
			WHERE destination = ? AND state = 'waiting' AND next_at <= ?
			  AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)
			  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.destination = o.destination AND p.patient_id = o.patient_id
			                  AND p.state <> 'sent' AND p.id < o.id)
			ORDER BY id LIMIT ?`+lock, destination, now, now, owner, limit)
		if err != nil {
			return fmt.Errorf("outbox claim: %w", err)
		}
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("outbox claim: %w", err)
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("outbox claim: %w", err)
		}
		until := t.at.Add(lease)
		for i := range out {
			if _, err := t.exec(ctx, "UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?",
				owner, micros(until), out[i].ID); err != nil {
				return fmt.Errorf("outbox claim %d: %w", out[i].ID, err)
			}
			out[i].LeaseOwner, out[i].LeaseUntil = owner, fromMicros(micros(until))
			out[i].Attempts++
		}
		if len(out) == 0 {
			return nil
		}
		return t.audit(ctx, "record.claim", "outbox", out[0].ID, 0, fmt.Sprintf("destination=%s owner=%s count=%d", destination, owner, len(out)))
	})
	return out, err
}

// finishOutbox moves a leased message on; it fails with ErrLeaseLost when
// the message is no longer leased to owner.
func (s *Store) finishOutbox(ctx context.Context, a Actor, id int64, owner, action, set string, args ...any) error {
	return s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermOutboxSend, "outbox", id); err != nil {
			return err
		}
		m, err := scanOutbox(t.queryRow(ctx, "SELECT "+outboxCols+" FROM outbox WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("outbox message", id)
		}
		if err != nil {
			return fmt.Errorf("outbox message %d: %w", id, err)
		}
		if m.State != OutboxWaiting || m.LeaseOwner != owner {
			return fmt.Errorf("outbox message %d is %s, leased to %q: %w", id, m.State, m.LeaseOwner, ErrLeaseLost)
		}
		if _, err := t.exec(ctx, "UPDATE outbox SET "+set+", lease_owner = NULL, lease_until = NULL WHERE id = ?", append(args, id)...); err != nil {
			return fmt.Errorf("outbox message %d: %w", id, err)
		}
		return t.audit(ctx, action, "outbox", id, m.PatientID, "destination="+m.Destination+" kind="+string(m.Kind))
	})
}

// OutboxSent records that the destination accepted message id (audited as
// the disclosure of the patient's data to that destination).
func (s *Store) OutboxSent(ctx context.Context, a Actor, id int64, owner string) error {
	return s.finishOutbox(ctx, a, id, owner, "record.sent", "state = 'sent', reason = '', sent_at = ?", micros(s.now()))
}

// OutboxRetryAt gives message id back for another try at at, keeping why
// this one failed (shown as the waiting message's reason).
func (s *Store) OutboxRetryAt(ctx context.Context, a Actor, id int64, owner string, at time.Time, reason string) error {
	if err := checkText("reason", reason, maxText); err != nil {
		return err
	}
	return s.finishOutbox(ctx, a, id, owner, "record.deferred", "reason = ?, next_at = ?", reason, micros(at))
}

// OutboxRefused parks message id, leased to owner, with the destination's
// reason: it and the later messages of its patient wait until someone
// fixes the cause and calls OutboxRetry.
func (s *Store) OutboxRefused(ctx context.Context, a Actor, id int64, owner, reason string) error {
	if err := checkText("reason", reason, maxText); err != nil {
		return err
	}
	return s.finishOutbox(ctx, a, id, owner, "record.refused", "state = 'parked', reason = ?", reason)
}

// setOutboxState is an operator's change of one message (triagectl outbox).
func (s *Store) setOutboxState(ctx context.Context, a Actor, id int64, action string, from []OutboxState, set string, args ...any) (OutboxMessage, error) {
	var out OutboxMessage
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermWriteClinical, "outbox", id); err != nil {
			return err
		}
		m, err := scanOutbox(t.queryRow(ctx, "SELECT "+outboxCols+" FROM outbox WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return t.auditNotFound(ctx, notFound("outbox message", id), action, "outbox", id)
		}
		if err != nil {
			return fmt.Errorf("outbox message %d: %w", id, err)
		}
		ok := false
		for _, st := range from {
			ok = ok || m.State == st
		}
		if !ok {
			return invalid("state", "outbox message %d is %s; this works on %v", id, m.State, from)
		}
		if _, err := t.exec(ctx, "UPDATE outbox SET "+set+", lease_owner = NULL, lease_until = NULL WHERE id = ?", append(args, id)...); err != nil {
			return fmt.Errorf("outbox message %d: %w", id, err)
		}
		if err := t.audit(ctx, action, "outbox", id, m.PatientID, "destination="+m.Destination+" kind="+string(m.Kind)); err != nil {
			return err
		}
		out, err = scanOutbox(t.queryRow(ctx, "SELECT "+outboxCols+" FROM outbox WHERE id = ?", id))
		return err
	})
	return out, err
}

// OutboxRetry makes a parked (or waiting) message due now, after the cause
// of its refusal was fixed. Audited.
func (s *Store) OutboxRetry(ctx context.Context, a Actor, id int64) (OutboxMessage, error) {
	return s.setOutboxState(ctx, a, id, "outbox.retry", []OutboxState{OutboxParked, OutboxWaiting},
		"state = 'waiting', next_at = ?", micros(s.now()))
}

// OutboxPark parks a waiting message by hand with a reason (an integrator
// holding back a message the destination must not get yet). Audited.
func (s *Store) OutboxPark(ctx context.Context, a Actor, id int64, reason string) (OutboxMessage, error) {
	if strings.TrimSpace(reason) == "" {
		return OutboxMessage{}, invalid("reason", "empty; say why the message is held back")
	}
	if err := checkText("reason", reason, maxText); err != nil {
		return OutboxMessage{}, err
	}
	return s.setOutboxState(ctx, a, id, "outbox.park", []OutboxState{OutboxWaiting}, "state = 'parked', reason = ?", reason)
}

// OutboxFilter selects messages for OutboxList; zero fields match all.
type OutboxFilter struct {
	Destination string
	State       OutboxState
	PatientID   ids.Patient
	EncounterID ids.Encounter
	AfterID     int64 // paging: messages with a larger id
	Limit       int   // 1-10000; 0 means 100
}

// OutboxList lists messages, oldest first, under need-to-know:
//
//   - The integration role (PermOutboxSend: the outbox is its duty) and,
//     as for every list, a physician (no service), a stated basis or a
//     store without access control see every message that matches f.
//   - A clinician with a service, without a basis, sees in an unfiltered
//     list only the messages of patients with an open contact in the
//     service's queue (the rule of RecordStatuses); the others are left
//     out, as the queue leaves out other services' patients.
//   - A list of one patient's or one contact's messages (f.PatientID,
//     f.EncounterID) is a read of that patient: outside the service's
//     queue it is refused with *BasisRequiredError (checkNeedToKnow).
//   - Other roles are refused (ErrForbidden).
//
// Audited naming every patient listed: a filtered list writes an
// outbox.list entry per patient (the one asked for, and any other its
// messages name, after a merge); an unfiltered one is a list read
// (auditList: one entry naming the patients, not repeated for the same
// view within ListReadWindow). A refused list returns nothing.
func (s *Store) OutboxList(ctx context.Context, a Actor, f OutboxFilter) ([]OutboxMessage, error) {
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Limit < 1 || f.Limit > 10000 {
		return nil, invalid("limit", "%d, want 1 to 10000", f.Limit)
	}
	if f.State != "" && f.State != OutboxWaiting && f.State != OutboxSent && f.State != OutboxParked {
		return nil, invalid("state", "%q, want waiting, sent or parked", f.State)
	}
	where := []string{"o.id > ?"}
	args := []any{f.AfterID}
	if f.Destination != "" {
		where, args = append(where, "o.destination = ?"), append(args, f.Destination)
	}
	if f.State != "" {
		where, args = append(where, "o.state = ?"), append(args, string(f.State))
	}
	if f.PatientID != 0 {
		where, args = append(where, "o.patient_id = ?"), append(args, f.PatientID)
	}
	if f.EncounterID != 0 {
		where, args = append(where, "o.encounter_id = ?"), append(args, f.EncounterID)
	}
	filtered := f.PatientID != 0 || f.EncounterID != 0
	var out []OutboxMessage
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireAny(ctx, PermReadClinical, PermOutboxSend, "outbox", 0); err != nil {
			return err
		}
		need := ""
		if !filtered {
			need = t.needToKnowOutboxSQL()
		}
		rows, err := t.query(ctx, "SELECT "+outboxCols+" FROM outbox o WHERE "+strings.Join(where, " AND ")+need+" ORDER BY o.id LIMIT ?", append(args, f.Limit)...)
		if err != nil {
			return fmt.Errorf("outbox list: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				return fmt.Errorf("outbox list: %w", err)
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("outbox list: %w", err)
		}
		if !filtered {
			return t.auditList(ctx, outboxView(f, out))
		}
		// One patient's or contact's messages: a read of each patient
		// named, so need-to-know applies to each (checkNeedToKnow).
		pids := outboxPatients(out)
		pid := f.PatientID
		if pid == 0 {
			enc, err := t.encounter(ctx, f.EncounterID)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("outbox list: %w", err)
			}
			pid = enc.PatientID
		}
		if pid != 0 && !slices.Contains(pids, pid) {
			pids = append([]ids.Patient{pid}, pids...)
		}
		if len(pids) == 0 {
			return t.audit(ctx, "outbox.list", "outbox", 0, 0, "count=0")
		}
		for _, p := range pids {
			if err := t.audit(ctx, "outbox.list", "outbox", 0, p, fmt.Sprintf("count=%d", len(out))); err != nil {
				return err
			}
		}
		return nil
	})
	return keep(out, err)
}

// needToKnowOutboxSQL is the condition that keeps, of the outbox (o),
// the messages of patients in the actor's service queue: the rule of
// needToKnowEncounters for a list the actor passes no ids to. Empty
// without a service (physicians, the integration role), with a basis,
// for the store itself or without access control.
func (t *txn) needToKnowOutboxSQL() string {
	a := t.actor
	if !t.s.bound || a.system || a.Service == "" || a.Basis.Reason != "" || !t.enforcing() {
		return ""
	}
	return " AND EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = o.patient_id AND " + queueOpen + " AND " + serviceChannelSQL(a.Service) + ")"
}

// outboxPatients lists the patients of msgs, each once, in the order
// first listed.
func outboxPatients(msgs []OutboxMessage) []ids.Patient {
	var out []ids.Patient
	seen := map[ids.Patient]bool{}
	for _, m := range msgs {
		if !seen[m.PatientID] {
			seen[m.PatientID] = true
			out = append(out, m.PatientID)
		}
	}
	return out
}

// outboxView is the view of an unfiltered outbox list: its patients,
// each once in the order first listed, and a digest of every message
// shown and of the filter.
func outboxView(f OutboxFilter, msgs []OutboxMessage) listView {
	h := newViewHash()
	h.str(f.Destination)
	h.str(string(f.State))
	h.int(f.AfterID)
	h.int(int64(f.Limit))
	for _, m := range msgs {
		h.int(m.ID)
		h.str(m.Destination)
		h.int(int64(m.PatientID))
		h.int(int64(m.EncounterID))
		h.str(string(m.Kind))
		h.int(m.RefFrom)
		h.int(m.RefTo)
		h.str(m.Actor)
		h.time(m.CreatedAt)
		h.str(string(m.State))
		h.int(int64(m.Attempts))
		h.time(m.NextAt)
		h.str(m.LeaseOwner)
		h.time(m.LeaseUntil)
		h.str(m.Reason)
		h.time(m.SentAt)
	}
	pids := outboxPatients(msgs)
	return listView{view: "outbox", action: "outbox.list", entity: "outbox", n: len(pids),
		patient: func(i int) ids.Patient { return pids[i] },
		content: h.h.Sum64(),
		detail: func() string {
			return patientsDetail(fmt.Sprintf("count=%d", len(msgs)), len(pids), func(i int) ids.Patient { return pids[i] })
		}}
}

// OutboxTotals are one destination's numbers for a health line.
type OutboxTotals struct {
	Destination string
	Waiting     int       // not yet delivered
	Retrying    int       // waiting messages that failed at least once (receiver down, busy)
	Parked      int       // refused for good, waiting for a fix
	Oldest      time.Time // creation of the oldest undelivered message; zero when none
	LastSent    time.Time // zero when nothing was ever sent
	LastReason  string    // the latest failure of a waiting message, or of a parked one
}

// OutboxHealth gives the totals per routed destination (also those with
// nothing queued). It reads no patient data and is not audited.
func (s *Store) OutboxHealth(ctx context.Context) ([]OutboxTotals, error) {
	routes, err := s.OutboxRoutes(ctx)
	if err != nil {
		return nil, err
	}
	byDest := map[string]*OutboxTotals{}
	var order []string
	get := func(d string) *OutboxTotals {
		if t, ok := byDest[d]; ok {
			return t
		}
		byDest[d] = &OutboxTotals{Destination: d}
		order = append(order, d)
		return byDest[d]
	}
	for d := range routes {
		get(d)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT destination, state, count(*), min(created_at),
		sum(CASE WHEN attempts > 0 AND reason <> '' THEN 1 ELSE 0 END) FROM outbox WHERE state <> 'sent' GROUP BY destination, state`)
	if err != nil {
		return nil, fmt.Errorf("outbox health: %w", err)
	}
	for rows.Next() {
		var d, st string
		var n, retrying int
		var oldest int64
		if err := rows.Scan(&d, &st, &n, &oldest, &retrying); err != nil {
			rows.Close()
			return nil, fmt.Errorf("outbox health: %w", err)
		}
		t := get(d)
		if st == string(OutboxParked) {
			t.Parked = n
		} else {
			t.Waiting, t.Retrying = n, retrying
		}
		if o := fromMicros(oldest); t.Oldest.IsZero() || o.Before(t.Oldest) {
			t.Oldest = o
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox health: %w", err)
	}
	for _, d := range order {
		t := byDest[d]
		var last sql.NullInt64
		if err := s.db.QueryRowContext(ctx, s.q("SELECT max(sent_at) FROM outbox WHERE destination = ? AND state = 'sent'"), d).Scan(&last); err != nil {
			return nil, fmt.Errorf("outbox health: %w", err)
		}
		if last.Valid {
			t.LastSent = fromMicros(last.Int64)
		}
		err := s.db.QueryRowContext(ctx, s.q("SELECT reason FROM outbox WHERE destination = ? AND state <> 'sent' AND reason <> '' ORDER BY id DESC LIMIT 1"), d).Scan(&t.LastReason)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("outbox health: %w", err)
		}
	}
	out := make([]OutboxTotals, 0, len(order))
	for _, d := range order {
		out = append(out, *byDest[d])
	}
	sortTotals(out)
	return out, nil
}

func sortTotals(ts []OutboxTotals) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Destination < ts[j-1].Destination; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// RecordItem says whether a record system has the latest of one kind of
// an encounter's data.
type RecordItem struct {
	// State: "" (nothing to send), sent, waiting, or parked. Parked also
	// when the latest message waits behind a refused one of its patient.
	State    OutboxState
	Since    time.Time // when the latest message was queued
	SentAt   time.Time // when it was delivered (state sent)
	Attempts int
	// Reason: why it is refused (parked), or the last failure (waiting).
	Reason string
}

// RecordStatus is one destination's view of one encounter: whether the
// record has the latest vitals and the latest triage.
type RecordStatus struct {
	EncounterID ids.Encounter
	Destination string
	Vitals      RecordItem // observations
	Triage      RecordItem // assessments
}

// RecordStatuses gives, for each encounter, one RecordStatus per
// destination that was sent anything for it (missing: nothing queued).
// The read is audited like the queue (auditList, recordStateView). A
// contact outside the actor's need-to-know (its patient not in the
// actor's service queue, no basis) is left out, as one with nothing
// queued, and its refusal audited (needToKnowEncounters).
func (s *Store) RecordStatuses(ctx context.Context, a Actor, encounterIDs []ids.Encounter) (map[ids.Encounter][]RecordStatus, error) {
	out := map[ids.Encounter][]RecordStatus{}
	if len(encounterIDs) == 0 {
		return out, nil
	}
	if len(encounterIDs) > 10000 {
		return nil, invalid("encounters", "%d, at most 10000 per call", len(encounterIDs))
	}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "outbox", 0); err != nil {
			return err
		}
		var err error
		if encounterIDs, err = t.needToKnowEncounters(ctx, "record.status.read", encounterIDs); err != nil || len(encounterIDs) == 0 {
			return err
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(encounterIDs)), ", ")
		args := make([]any, len(encounterIDs))
		for i, id := range encounterIDs {
			args[i] = id
		}
		rows, err := t.query(ctx, "SELECT "+outboxCols+` FROM outbox WHERE id IN (
			SELECT max(id) FROM outbox WHERE encounter_id IN (`+marks+`) AND kind IN ('observations', 'assessment')
			GROUP BY encounter_id, destination, kind) ORDER BY encounter_id, destination`, args...)
		if err != nil {
			return fmt.Errorf("record status: %w", err)
		}
		var latest []OutboxMessage
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("record status: %w", err)
			}
			latest = append(latest, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("record status: %w", err)
		}
		type key struct {
			patient ids.Patient
			dest    string
		}
		refused := map[key]string{}
		for _, m := range latest {
			k := key{m.PatientID, m.Destination}
			if _, done := refused[k]; done || m.State == OutboxSent {
				continue
			}
			var reason string
			err := t.queryRow(ctx, "SELECT reason FROM outbox WHERE destination = ? AND patient_id = ? AND state = 'parked' AND id <= ? ORDER BY id LIMIT 1",
				m.Destination, m.PatientID, m.ID).Scan(&reason)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("record status: %w", err)
			}
			if err == nil {
				refused[k] = reason
			}
		}
		for _, m := range latest {
			list := out[m.EncounterID]
			i := len(list)
			for j, rs := range list {
				if rs.Destination == m.Destination {
					i = j
				}
			}
			if i == len(list) {
				list = append(list, RecordStatus{EncounterID: m.EncounterID, Destination: m.Destination})
			}
			item := RecordItem{State: m.State, Since: m.CreatedAt, SentAt: m.SentAt, Attempts: m.Attempts, Reason: m.Reason}
			if reason, ok := refused[key{m.PatientID, m.Destination}]; ok && m.State == OutboxWaiting {
				item.State, item.Reason = OutboxParked, reason
			}
			if m.Kind == OutboxObservations {
				list[i].Vitals = item
			} else {
				list[i].Triage = item
			}
			out[m.EncounterID] = list
		}
		v, err := t.recordStateView(ctx, encounterIDs, out)
		if err != nil {
			return err
		}
		return t.auditList(ctx, v)
	})
	return out, err
}

// enqueueMerge queues what a merge changes in the record: the merged
// patient (now inactive, replaced by into), the patient it went into, and
// each encounter that moved (its subject changed). All are ordered under
// into, where the story continues.
func (t *txn) enqueueMerge(ctx context.Context, from, into ids.Patient) error {
	if err := t.enqueue(ctx, OutboxPatient, into, 0, int64(from), int64(from)); err != nil {
		return err
	}
	if err := t.enqueuePatient(ctx, into); err != nil {
		return err
	}
	rows, err := t.query(ctx, "SELECT id FROM encounters WHERE patient_id = ? ORDER BY id", into)
	if err != nil {
		return fmt.Errorf("outbox: merge: %w", err)
	}
	var moved []ids.Encounter
	for rows.Next() {
		var id ids.Encounter
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("outbox: merge: %w", err)
		}
		moved = append(moved, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("outbox: merge: %w", err)
	}
	for _, id := range moved {
		if err := t.enqueueEncounter(ctx, into, id); err != nil {
			return err
		}
	}
	return nil
}

// ClaimOutboxRun extends the lease of first (claimed by owner) to the
// observation batches of the same destination, patient and encounter that
// directly follow it in the outbox, up to max of them, so a sender can
// deliver a monitor's backlog in one go. It stops at the first message
// that is of another kind or encounter, not due, or leased to another
// sender. Safe because no other sender can claim a patient's messages
// while an earlier one (first) is unsent.
func (s *Store) ClaimOutboxRun(ctx context.Context, a Actor, first OutboxMessage, owner string, lease time.Duration, max int) ([]OutboxMessage, error) {
	if first.Kind != OutboxObservations || max < 1 {
		return nil, nil
	}
	if max > 1000 {
		return nil, invalid("max", "%d, at most 1000", max)
	}
	var out []OutboxMessage
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermOutboxSend, "outbox", first.ID); err != nil {
			return err
		}
		var leased string
		if err := t.queryRow(ctx, "SELECT COALESCE(lease_owner, '') FROM outbox WHERE id = ? AND state = 'waiting'", first.ID).Scan(&leased); err != nil || leased != owner {
			return fmt.Errorf("outbox message %d is not leased to %q: %w", first.ID, owner, ErrLeaseLost)
		}
		rows, err := t.query(ctx, "SELECT "+outboxCols+` FROM outbox WHERE destination = ? AND patient_id = ? AND state <> 'sent' AND id > ?
			ORDER BY id LIMIT ?`, first.Destination, first.PatientID, first.ID, max)
		if err != nil {
			return fmt.Errorf("outbox run after %d: %w", first.ID, err)
		}
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("outbox run after %d: %w", first.ID, err)
			}
			if m.State != OutboxWaiting || m.Kind != OutboxObservations || m.EncounterID != first.EncounterID || m.NextAt.After(t.at) ||
				(m.LeaseOwner != "" && m.LeaseOwner != owner && m.LeaseUntil.After(t.at)) {
				break
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("outbox run after %d: %w", first.ID, err)
		}
		until := t.at.Add(lease)
		for i := range out {
			if _, err := t.exec(ctx, "UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?", owner, micros(until), out[i].ID); err != nil {
				return fmt.Errorf("outbox run %d: %w", out[i].ID, err)
			}
			out[i].LeaseOwner, out[i].LeaseUntil = owner, fromMicros(micros(until))
			out[i].Attempts++
		}
		return nil
	})
	return out, err
}
