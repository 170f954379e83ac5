// Package disposition sends a patient on from the waiting queue: in to the
// doctor's waiting list, to the doctor, done (home), or recorded as having
// left without being seen (Send); and ends a phone call from the phone
// centre's board: handed over to AMK, closed with advice, expected at the
// clinic, or reopened (End). It is the use-case both front ends call (the
// desk's board, the terminal's queue board); the change itself is
// store.UpdateEncounter or store.SetOutcomeAt, audited in the store as the
// user logged in, with what it had and what it got, and queued for the
// record systems in the same transaction.
//
// Two desks may look at the same board. A nurse's choice is made against
// the status (and a call's outcome) her board showed: if another
// workstation moved the patient or ended the call since,
// nothing is written and the result is a *StaleError saying where the
// patient is now, never a silent overwrite of the other desk's decision.
// Where a patient went once she left the desk's queue is outside the
// nurse's need to know (the store refuses the read): the error then says
// only that she is no longer waiting.
package disposition

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
)

// Destination is where a waiting patient is sent on to; its value is the
// store's status of that name.
type Destination string

// The destinations, in the order a reception desk offers them.
const (
	// ToDoctor: triaged and waiting for the doctor; the patient stays in
	// the queue (store.WaitingForDoctor).
	ToDoctor Destination = Destination(store.WaitingForDoctor)
	// WithDoctor: called in; out of the queue.
	WithDoctor Destination = Destination(store.WithDoctor)
	// Done: finished (home); out of the queue.
	Done Destination = Destination(store.Done)
	// LeftWithoutBeingSeen: the patient went before a clinician saw her;
	// out of the queue. A front end asks for confirmation first.
	LeftWithoutBeingSeen Destination = Destination(store.LeftWithoutBeingSeen)
)

// Destinations lists every destination in the order a desk offers them.
var Destinations = []Destination{ToDoctor, WithDoctor, Done, LeftWithoutBeingSeen}

// Valid reports whether d is one of Destinations.
func (d Destination) Valid() bool {
	for _, x := range Destinations {
		if x == d {
			return true
		}
	}
	return false
}

// Status is the store status d stands for.
func (d Destination) Status() store.Status { return store.Status(d) }

// LeavesQueue reports whether a patient sent to d leaves the waiting
// queue (and so the board).
func (d Destination) LeavesQueue() bool { return !d.Status().InQueue() }

// ErrDestination: the destination (or a call's outcome, End) is not one
// of Destinations (store.Outcomes), or not a move (the patient is there
// already as far as the caller knows). Exported for errors.Is: a front
// end that offers only real moves never sees it, a test or a tool does.
var ErrDestination = errors.New("not a destination from the queue")

// ErrNotWaiting: the caller saw the patient at a status outside the
// queue; only a waiting patient is sent on from it. Exported for
// errors.Is, as ErrDestination.
var ErrNotWaiting = errors.New("not waiting in the queue")

// StaleError is returned when the encounter is no longer where the caller
// saw it: another desk moved it, or another workstation ended or reopened
// the call (or changed it while this change was being written). Nothing
// was written; Now (and NowOutcome) is where the patient stands now.
type StaleError struct {
	Encounter ids.Encounter
	Seen      store.Status // what the caller's board showed
	// Now is the status in the store now, or "" when the patient is no
	// longer in the caller's queue: where she went is then not the
	// caller's to know.
	Now store.Status
	// SeenOutcome and NowOutcome are the call's outcome as the board
	// showed it and as it is now, for a call's ending (End); "" for a
	// move (Send) and, like Now, when the patient left the caller's
	// queue.
	SeenOutcome, NowOutcome store.Outcome
	// Conflict is the store's version conflict when another desk wrote
	// between this desk's read and its write; nil when the read already
	// showed the other desk's change.
	Conflict *store.ConflictError
}

// Error names the encounter and both statuses (no patient data).
func (e *StaleError) Error() string {
	if e.Now == "" {
		return fmt.Sprintf("encounter %d is no longer in your queue (seen %s); nothing was changed", e.Encounter, e.Seen)
	}
	if e.SeenOutcome != "" {
		return fmt.Sprintf("encounter %d was changed by someone else (seen %s with outcome %s, now %s with outcome %s); nothing was changed", e.Encounter, e.Seen, e.SeenOutcome, e.Now, e.NowOutcome)
	}
	return fmt.Sprintf("encounter %d was moved by someone else (seen %s, now %s); nothing was changed", e.Encounter, e.Seen, e.Now)
}

// Unwrap gives the store's conflict, if any, so errors.As finds it too.
func (e *StaleError) Unwrap() error {
	if e.Conflict == nil {
		return nil
	}
	return e.Conflict
}

// Refused reports whether err is the store's refusal of the actor (no
// role to record patient data, or a patient outside the actor's service's
// queue who needs a basis): the front end says so rather than "try again".
func Refused(err error) bool { return errors.Is(err, store.ErrForbidden) }

// Store is the part of the store a move uses.
type Store interface {
	GetEncounter(ctx context.Context, a store.Actor, id ids.Encounter) (store.Encounter, error)
	UpdateEncounter(ctx context.Context, a store.Actor, e store.Encounter) (store.Encounter, error)
	// Queue is the queue as a sees it: what tells, after a refusal,
	// whether the patient left it.
	Queue(ctx context.Context, a store.Actor, now time.Time) ([]queue.Entry, error)
}

// Move is one nurse's decision: encounter Encounter, which her board
// showed at status Seen, goes to To.
type Move struct {
	Encounter ids.Encounter
	Seen      store.Status
	To        Destination
}

// Send moves m.Encounter from m.Seen to m.To, acting as a at now. It
// reads the encounter (audited), refuses with *StaleError if its status is
// no longer m.Seen, and writes the new status against the version it read
// (audited with both statuses), so a change another desk makes in between
// is a *StaleError as well. It returns the encounter as stored.
func Send(ctx context.Context, s Store, a store.Actor, now time.Time, m Move) (store.Encounter, error) {
	if !m.To.Valid() {
		return store.Encounter{}, fmt.Errorf("send encounter %d on: to %q, want one of %v: %w", m.Encounter, m.To, Destinations, ErrDestination)
	}
	if !m.Seen.InQueue() {
		return store.Encounter{}, fmt.Errorf("send encounter %d on: seen at %q: %w", m.Encounter, m.Seen, ErrNotWaiting)
	}
	if m.Seen == m.To.Status() {
		return store.Encounter{}, fmt.Errorf("send encounter %d on: it is %s already: %w", m.Encounter, m.Seen, ErrDestination)
	}
	cur, err := s.GetEncounter(ctx, a, m.Encounter)
	if err != nil {
		if se := staleFromQueue(ctx, s, a, now, m.Encounter, m.Seen, err); se != nil {
			return store.Encounter{}, se
		}
		return store.Encounter{}, fmt.Errorf("send encounter %d on: %w", m.Encounter, err)
	}
	if cur.Status != m.Seen {
		return store.Encounter{}, &StaleError{Encounter: m.Encounter, Seen: m.Seen, Now: cur.Status}
	}
	cur.Status = m.To.Status()
	out, err := s.UpdateEncounter(ctx, a, cur)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		now := m.Seen
		if e, ok := ce.Current.(store.Encounter); ok {
			now = e.Status
		}
		return store.Encounter{}, &StaleError{Encounter: m.Encounter, Seen: m.Seen, Now: now, Conflict: ce}
	}
	if err != nil {
		if se := staleFromQueue(ctx, s, a, now, m.Encounter, m.Seen, err); se != nil {
			return store.Encounter{}, se
		}
		return store.Encounter{}, fmt.Errorf("send encounter %d on to %s: %w", m.Encounter, m.To, err)
	}
	return out, nil
}

// queueReader is the queue read that tells, after a refusal, whether the
// patient left the caller's queue.
type queueReader interface {
	Queue(ctx context.Context, a store.Actor, now time.Time) ([]queue.Entry, error)
}

// staleFromQueue tells whether the store's refusal err of a change to
// encounter id, seen at status seen, means the patient left the queue a
// sees (another desk sent her on): a *StaleError then, nil when the
// refusal stands as it is (a role without the right, a patient who is
// still waiting where the board saw her, a queue a may not read either).
func staleFromQueue(ctx context.Context, s queueReader, a store.Actor, now time.Time, id ids.Encounter, seen store.Status, err error) *StaleError {
	if !Refused(err) {
		return nil
	}
	q, qerr := s.Queue(ctx, a, now)
	if qerr != nil {
		return nil
	}
	for _, e := range q {
		if ids.Encounter(e.EncounterID) != id {
			continue
		}
		if st := store.Status(e.Status); st != seen {
			return &StaleError{Encounter: id, Seen: seen, Now: st}
		}
		return nil
	}
	return &StaleError{Encounter: id, Seen: seen}
}
