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

// EndStore is the part of the store ending a call uses.
type EndStore interface {
	// SetOutcomeAsSeen writes the outcome if the encounter is still at
	// the status and outcome the board showed (store.SetOutcomeAsSeen):
	// otherwise a *store.ConflictError and nothing written.
	SetOutcomeAsSeen(ctx context.Context, a store.Actor, id ids.Encounter, seen store.Status, seenOutcome store.Outcome, o store.Outcome, note string) (store.Encounter, error)
	Queue(ctx context.Context, a store.Actor, now time.Time) ([]queue.Entry, error)
}

// Ending is one phone nurse's decision on a call from the queue board:
// encounter Encounter, which her board showed at status Seen with outcome
// SeenOutcome, gets outcome To (handed over to AMK, closed with advice,
// expected at the clinic, or waiting again: a reopen) with her Note. The
// store decides which outcomes fit the call (store.AllowedOutcomes, an
// *store.OutcomeError otherwise); a front end says so first with the same
// list (phonecall.AllowedOutcomes).
type Ending struct {
	Encounter   ids.Encounter
	Seen        store.Status
	SeenOutcome store.Outcome
	To          store.Outcome
	Note        string
}

// End gives e.Encounter the outcome e.To, acting as a at now, as Send
// moves a patient: against the status and outcome the board showed, in
// one transaction, so another workstation's change first (a move, an
// ending, a reopen) is a *StaleError saying how the call stands now, and
// never written over. A call that left the nurse's queue meanwhile (and
// so her need to know) is a *StaleError with only that. It returns the
// encounter as stored.
func End(ctx context.Context, s EndStore, a store.Actor, now time.Time, e Ending) (store.Encounter, error) {
	if !e.To.Valid() {
		return store.Encounter{}, fmt.Errorf("end call %d: outcome %q, want one of %v: %w", e.Encounter, e.To, store.Outcomes, ErrDestination)
	}
	if e.To == e.SeenOutcome {
		return store.Encounter{}, fmt.Errorf("end call %d: it is %s already: %w", e.Encounter, e.To, ErrDestination)
	}
	out, err := s.SetOutcomeAsSeen(ctx, a, e.Encounter, e.Seen, e.SeenOutcome, e.To, e.Note)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		se := &StaleError{Encounter: e.Encounter, Seen: e.Seen, Now: e.Seen, SeenOutcome: e.SeenOutcome, NowOutcome: e.SeenOutcome, Conflict: ce}
		if c, ok := ce.Current.(store.Encounter); ok {
			se.Now, se.NowOutcome = c.Status, c.Outcome
		}
		return store.Encounter{}, se
	}
	// A reopen starts from the list of ended calls, which are in no
	// queue: a refusal there is the store's answer as it stands.
	if err != nil && e.SeenOutcome.InQueue() {
		if se := staleFromQueue(ctx, s, a, now, e.Encounter, e.Seen, err); se != nil {
			if se.Now != "" {
				se.SeenOutcome, se.NowOutcome = e.SeenOutcome, e.SeenOutcome
			}
			return store.Encounter{}, se
		}
	}
	if err != nil {
		return store.Encounter{}, fmt.Errorf("end call %d as %s: %w", e.Encounter, e.To, err)
	}
	return out, nil
}

// EndingOf is the ending of the call a board showed as it: outcome o with
// note, against it's status and outcome.
func EndingOf(it queue.Item, o store.Outcome, note string) Ending {
	return Ending{Encounter: it.EncounterID, Seen: store.Status(it.Status), SeenOutcome: store.Outcome(it.Outcome), To: o, Note: note}
}

// MoveOf is the move of the patient a board showed as it to to, against
// it's status.
func MoveOf(it queue.Item, to Destination) Move {
	return Move{Encounter: it.EncounterID, Seen: store.Status(it.Status), To: to}
}
