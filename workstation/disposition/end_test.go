package disposition_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/disposition"
)

// phoneCall registers a phone encounter triaged colour (its level told:
// red akutt, yellow haster, green vanlig) at the phone centre.
func phoneCall(t *testing.T, st *store.Store, a store.Actor, name string, colour triage.Colour) store.Encounter {
	t.Helper()
	in, _ := json.Marshal(map[string]string{"complaint": "test"})
	reg, err := st.Register(context.Background(), a, store.Registration{Patient: store.NewPatient{Name: name},
		Encounter:  store.NewEncounter{Channel: store.Phone, ArrivedAt: time.Now().Add(-5 * time.Minute)},
		Assessment: &store.NewAssessment{Colour: colour, Target: time.Hour, EngineVersion: "test", RuleSetVersion: "test", Input: in, Result: in}})
	require.NoError(t, err)
	return reg.Encounter
}

// outcomes are the audit entries of outcome changes of encounter id.
func outcomes(t *testing.T, st *store.Store, admin store.Actor, id ids.Encounter) []store.AuditEntry {
	t.Helper()
	log, err := st.AuditLog(context.Background(), admin, 0, 10000)
	require.NoError(t, err)
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == "encounter.outcome" && e.EntityID == int64(id) {
			out = append(out, e)
		}
	}
	return out
}

// Property over every level told and every outcome: an ending the level
// allows is stored with its note, audited once as the nurse at her
// workstation, and the call is in the queue afterwards exactly when the
// outcome keeps it there; one it does not allow is the store's
// *OutcomeError and writes nothing.
func TestEveryEndingIsStoredAuditedOrRefusedForTheLevel(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		levels := map[triage.Colour]string{triage.Red: "akutt", triage.Yellow: "haster", triage.Green: "vanlig"}
		n := 0
		for colour, level := range levels {
			for _, to := range store.Outcomes {
				if to == store.OutcomeWaiting {
					continue // the start: no move
				}
				n++
				e := phoneCall(t, st, s.phone, fmt.Sprintf("Innringer %d", n), colour)
				got, err := disposition.End(ctx, st, s.phone, time.Now(), disposition.Ending{Encounter: e.ID, Seen: e.Status, SeenOutcome: e.Outcome, To: to, Note: "merknad"})
				allowed := false
				for _, a := range store.AllowedOutcomes(store.Phone, level) {
					allowed = allowed || a == to
				}
				if !allowed {
					var oe *store.OutcomeError
					require.ErrorAs(t, err, &oe, "%s -> %s", level, to)
					assert.Empty(t, outcomes(t, st, s.admin, e.ID), "%s -> %s: nothing written", level, to)
					continue
				}
				require.NoError(t, err, "%s -> %s", level, to)
				assert.Equal(t, to, got.Outcome)
				assert.Equal(t, "merknad", got.OutcomeNote)
				assert.Equal(t, e.Version+1, got.Version, "one write")
				assert.Equal(t, to.InQueue(), inQueue(t, st, s.phone, e.ID), "%s -> %s: in the queue afterwards", level, to)
				au := outcomes(t, st, s.admin, e.ID)
				require.Len(t, au, 1)
				assert.Equal(t, "tove", au[0].Actor)
				assert.Equal(t, "telefon-1", au[0].Workstation)
				assert.Equal(t, "outcome="+string(to)+" from=waiting", au[0].Detail)
			}
		}
		assert.Equal(t, 3*(len(store.Outcomes)-1), n, "3 levels x every outcome but the start")
	})
}

// Two phone nurses end the same call: the second's choice, made on a
// board that showed it waiting, is refused with how it stands now, and
// the first's decision stands; a reopen from the ended list is refused
// the same way once someone reopened it first.
func TestASecondNurseIsToldTheCallWasEndedAndNothingIsOverwritten(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		other := s.phone
		other.User, other.Workstation = "tove", "telefon-2"
		e := phoneCall(t, st, s.phone, "Haster Innringer", triage.Yellow)
		_, err := disposition.End(ctx, st, s.phone, time.Now(), disposition.Ending{Encounter: e.ID, Seen: e.Status, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeExpected})
		require.NoError(t, err)
		_, err = disposition.End(ctx, st, other, time.Now(), disposition.Ending{Encounter: e.ID, Seen: e.Status, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeHandedOver, Note: "AMK"})
		var se *disposition.StaleError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, store.OutcomeWaiting, se.SeenOutcome)
		assert.Equal(t, store.OutcomeExpected, se.NowOutcome, "she is told how the call stands now")
		assert.Contains(t, err.Error(), "changed by someone else")
		au := outcomes(t, st, s.admin, e.ID)
		require.Len(t, au, 2, "the second nurse wrote nothing")
		assert.Equal(t, "outcome=expected from=waiting", au[0].Detail)
		assert.Equal(t, "conflict", au[1].Detail, "her attempt is audited as refused")
		assert.Equal(t, "telefon-2", au[1].Workstation)

		// Ended by one, the call is reopened by one: the second reopen,
		// from a list that still showed it handed over, is stale.
		h := phoneCall(t, st, s.phone, "Akutt Innringer", triage.Red)
		_, err = disposition.End(ctx, st, s.phone, time.Now(), disposition.Ending{Encounter: h.ID, Seen: h.Status, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeHandedOver})
		require.NoError(t, err)
		seen := disposition.Ending{Encounter: h.ID, Seen: h.Status, SeenOutcome: store.OutcomeHandedOver, To: store.OutcomeWaiting}
		_, err = disposition.End(ctx, st, s.phone, time.Now(), seen)
		require.NoError(t, err)
		_, err = disposition.End(ctx, st, other, time.Now(), seen)
		require.ErrorAs(t, err, &se)
		assert.Equal(t, store.OutcomeWaiting, se.NowOutcome)

		// Sent in to the doctor by reception, the call is no longer the
		// phone centre's to end.
		w := phoneCall(t, st, s.phone, "Kommer Inn", triage.Green)
		_, err = disposition.Send(ctx, st, s.phone, time.Now(), disposition.Move{Encounter: w.ID, Seen: store.Waiting, To: disposition.WithDoctor})
		require.NoError(t, err)
		_, err = disposition.End(ctx, st, other, time.Now(), disposition.Ending{Encounter: w.ID, Seen: store.Waiting, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeClosed, Note: "råd"})
		require.ErrorAs(t, err, &se)
		for _, a := range outcomes(t, st, s.admin, w.ID) {
			assert.Equal(t, "conflict", a.Detail, "nothing written")
		}
		assert.Equal(t, store.Status(""), se.Now, "with the doctor she left the phone centre's queue: only that is said")
	})
}

// The comparison is the store's, in the write's own transaction: a board
// that showed the call waiting after another nurse expected it (the
// change between her read and her key) is a conflict, audited as
// refused, and nothing is overwritten.
func TestAnEndingAfterAnotherNursesIsAConflictNotAnOverwrite(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := accounts(t, st)
		other := s.phone
		other.Workstation = "telefon-2"
		e := phoneCall(t, st, s.phone, "Samtidig", triage.Yellow)
		_, err := st.SetOutcome(ctx, other, e.ID, store.OutcomeExpected, "")
		require.NoError(t, err)
		_, err = disposition.End(ctx, st, s.phone, time.Now(),
			disposition.Ending{Encounter: e.ID, Seen: e.Status, SeenOutcome: store.OutcomeWaiting, To: store.OutcomeHandedOver})
		var se *disposition.StaleError
		require.ErrorAs(t, err, &se)
		var ce *store.ConflictError
		require.ErrorAs(t, err, &ce, "the store's conflict is kept")
		assert.Equal(t, store.OutcomeExpected, se.NowOutcome)
		got, err := st.GetEncounter(ctx, s.phone, e.ID)
		require.NoError(t, err)
		assert.Equal(t, store.OutcomeExpected, got.Outcome, "the other nurse's decision stands")
		au := outcomes(t, st, s.admin, e.ID)
		require.Len(t, au, 2)
		assert.Equal(t, "telefon-2", au[0].Workstation)
		assert.Equal(t, "conflict", au[1].Detail, "this attempt is audited as refused")
	})
}

// No move is refused before the store is asked.
func TestAnEndingThatIsNoMoveIsRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		s := accounts(t, st)
		e := phoneCall(t, st, s.phone, "Venter", triage.Yellow)
		for _, to := range []store.Outcome{"", "home", store.OutcomeWaiting} {
			_, err := disposition.End(context.Background(), st, s.phone, time.Now(), disposition.Ending{Encounter: e.ID, Seen: e.Status, SeenOutcome: store.OutcomeWaiting, To: to})
			assert.ErrorIs(t, err, disposition.ErrDestination, "%q", to)
		}
		assert.Empty(t, outcomes(t, st, s.admin, e.ID))
	})
}
