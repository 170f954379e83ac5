package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
)

// A phone nurse saves a whole call that ends at once (an akutt call
// handed to AMK): the contact is her service's own work although it is
// out of the queue when the transaction ends. A later read of the ended
// call, and another service's read, still need a basis.
func TestNeedToKnowOwnContactEndedInTheSameTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		st := staff(t, s)
		phone, rec := st[string(RolePhone)], st[string(RoleReception)]
		for _, out := range []Outcome{OutcomeHandedOver} {
			na := assessment(0, triage.Red)
			nc := validCall(0, 0)
			reg, err := s.Register(ctx, phone, Registration{Patient: NewPatient{Name: "Ringer " + string(out)},
				Encounter: NewEncounter{Channel: Phone}, Assessment: &na, Call: &nc, Outcome: out})
			require.NoError(t, err, out)
			assert.Equal(t, out, reg.Encounter.Outcome)
			_, err = s.GetPatient(ctx, phone, reg.Patient.ID)
			var be *BasisRequiredError
			require.ErrorAs(t, err, &be, "a later read of an ended call is outside the queue")
			_, err = s.GetPatient(ctx, rec, reg.Patient.ID)
			require.ErrorAs(t, err, &be, "another service")
		}
	})
}

// Ending a waiting call of her own queue (handed to AMK from the queue
// board) is the phone nurse's own work; reopening it brings it back;
// ending another service's contact still needs a basis.
func TestNeedToKnowEndingAContactOfTheOwnQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		st := staff(t, s)
		phone, rec := st[string(RolePhone)], st[string(RoleReception)]
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		reg, err := s.Register(ctx, phone, Registration{Patient: NewPatient{Name: "Venter"},
			Encounter: NewEncounter{Channel: Phone}, Assessment: &na, Call: &nc, Outcome: OutcomeWaiting})
		require.NoError(t, err)
		_, err = s.SetOutcome(ctx, phone, reg.Encounter.ID, OutcomeHandedOver, "AMK 113")
		require.NoError(t, err, "her own waiting call")
		_, err = s.SetOutcome(ctx, phone, reg.Encounter.ID, OutcomeWaiting, "ringt tilbake")
		require.NoError(t, err, "reopened: back in her queue")
		_, err = s.SetOutcome(ctx, rec, reg.Encounter.ID, OutcomeHandedOver, "")
		var be *BasisRequiredError
		require.ErrorAs(t, err, &be, "reception ending a phone call")
		_, err = s.SetOutcome(ctx, phone, reg.Encounter.ID, OutcomeHandedOver, "")
		require.NoError(t, err)
		_, err = s.SetOutcome(ctx, phone, reg.Encounter.ID, OutcomeWaiting, "")
		require.NoError(t, err, "reopening: in the queue at the end")
	})
}

// A reception nurse moves a walk-in of her own queue on from the board
// (sent home, or in to the doctor): the status change takes the contact
// out of the queue, yet it is her service's own work. A phone nurse
// changing the same walk-in's status still needs a basis, and so does
// reception changing it again once it has left the queue (unless the
// change brings it back into the queue).
func TestNeedToKnowStatusChangeOfTheOwnQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		st := staff(t, s)
		phone, rec := st[string(RolePhone)], st[string(RoleReception)]
		for _, to := range []Status{Done, WithDoctor, LeftWithoutBeingSeen, InTriage} {
			reg, err := s.Register(ctx, rec, Registration{Patient: NewPatient{Name: "Oppmøtt " + string(to)}, Encounter: NewEncounter{Channel: WalkIn}})
			require.NoError(t, err)
			e := reg.Encounter
			e.Status = to
			var be *BasisRequiredError
			_, err = s.UpdateEncounter(ctx, phone, e)
			require.ErrorAs(t, err, &be, "phone nurse moving a walk-in on: %s", to)
			got, err := s.UpdateEncounter(ctx, rec, e)
			require.NoError(t, err, "her own walk-in to %s", to)
			assert.Equal(t, to, got.Status)
			if to == InTriage {
				continue
			}
			got.Status = Done
			if to == Done {
				got.Status = WithDoctor
			}
			_, err = s.UpdateEncounter(ctx, rec, got)
			require.ErrorAs(t, err, &be, "out of the queue before and after the change (%s): needs a basis", to)
			got.Status = Waiting
			_, err = s.UpdateEncounter(ctx, rec, got)
			require.NoError(t, err, "reopened (%s): in the queue at the end", to)
		}
	})
}
