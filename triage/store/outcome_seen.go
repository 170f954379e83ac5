package store

import (
	"context"

	"github.com/legevakt/workstation/triage/ids"
)

// SetOutcomeAsSeen is SetOutcome against what the caller's board showed:
// the encounter at status seen with outcome seenOutcome. When another
// workstation changed either since (sent the patient on, ended or
// reopened the call), nothing is written and the answer is a
// *ConflictError with the encounter as it is now (Expected is 0: the
// board's status and outcome were compared, not a version), audited
// ("conflict") as UpdateEncounter's is. The comparison and the write are
// one transaction under the writers' lock, so two nurses ending the same
// call at the same moment cannot both succeed. It needs no read before
// it, so a nurse reopens a call from the ended list (no longer in her
// service's queue, which a read would need) as with SetOutcome. Every
// other check and the change itself are SetOutcome's (the same helpers).
// workstation/disposition.End uses it.
func (s *Store) SetOutcomeAsSeen(ctx context.Context, a Actor, id ids.Encounter, seen Status, seenOutcome Outcome, o Outcome, note string) (Encounter, error) {
	return s.changeOutcome(ctx, a, id, &seenState{status: seen, outcome: seenOutcome}, o, note)
}
