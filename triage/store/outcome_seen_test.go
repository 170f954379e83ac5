package store

import (
	"errors"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
)

// SetOutcomeAsSeen is SetOutcome's need-to-know case (the same checks,
// in the same order), registered beside the table it joins
// (access_need_every_test.go) from its own file.
func init() {
	needCases["SetOutcomeAsSeen"] = needCase{needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		// A walk-in may only wait: the refusal of the outcome shows the
		// call reached the contact (need-to-know is asked first).
		e := f.freshEncounter(x)
		_, err := f.s.AddAssessment(f.ctx, f.doc, assessment(e.ID, triage.Green)) // a call told vanlig may be closed
		require.NoError(f.t, err)
		_, err = f.s.SetOutcomeAsSeen(f.ctx, a, e.ID, e.Status, e.Outcome, OutcomeClosed, "")
		if x.channel == WalkIn && errors.As(err, new(*OutcomeError)) {
			return false, nil
		}
		return false, err
	}}
	// As SetOutcome, a walk-in's refused outcome writes no access entry:
	// nothing was read or changed.
	invalidOnAWalkIn["SetOutcomeAsSeen"] = true
}
