package store

import (
	"errors"

	"github.com/legevakt/workstation/triage/ids"

	"github.com/stretchr/testify/require"
)

// The dropped call's methods take an encounter id: they are in the
// need-to-know table (TestEveryStoreMethodIsClassifiedForNeedToKnow),
// called on a call dropped for the target's patient (a walk-in target's
// own encounter is no dropped call: reached, audited, and refused as such).
func init() {
	needCases["DroppedCallOf"] = needCase{needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		if x.channel == WalkIn {
			_, err := f.s.DroppedCallOf(f.ctx, a, x.enc.ID)
			if errors.Is(err, ErrNotFound) {
				return false, nil
			}
			return false, err
		}
		_, err := f.s.DroppedCallOf(f.ctx, a, f.dropped(x))
		return false, err
	}}
	needCases["CallBackDone"] = needCase{needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		if x.channel == WalkIn {
			_, err := f.s.CallBackDone(f.ctx, a, x.enc.ID, "")
			if errors.Is(err, ErrInvalid) {
				return false, nil
			}
			return false, err
		}
		_, err := f.s.CallBackDone(f.ctx, a, f.dropped(x), "Nådd")
		return false, err
	}}
}

// dropped registers a call about x's patient dropped at the criteria
// (by the physician) and returns its encounter.
func (f *needFixture) dropped(x needTarget) ids.Encounter {
	f.t.Helper()
	nd := droppedAt(f.clock.now())
	reg, err := f.s.Register(f.ctx, f.doc, Registration{PatientID: x.patient.ID, Encounter: NewEncounter{Channel: Phone}, Dropped: &nd, Outcome: OutcomeDropped})
	require.NoError(f.t, err)
	return reg.Encounter.ID
}
