package store

import (
	"context"
	"strings"

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
	if !o.Valid() {
		return Encounter{}, invalid("outcome", "%q, want one of waiting, expected, handed_over, closed", o)
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
		if enc.Status != seen || enc.Outcome != seenOutcome {
			if aerr := t.auditEncounter(ctx, "encounter.outcome", id, enc.PatientID, "conflict"); aerr != nil {
				return aerr
			}
			return &ConflictError{Entity: "encounter", ID: int64(id), Actual: enc.Version, Current: enc}
		}
		if enc.Outcome == o {
			return invalid("outcome", "encounter %d is %s already", id, o)
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
