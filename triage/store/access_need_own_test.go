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
