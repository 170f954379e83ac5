package store

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
)

// A batch written again with its id (a recorder that crashed between the
// commit and removing its spool file, or lost the commit's answer) is
// stored once and queued for the record once; the repeat is audited and
// changes nothing.
func TestAddObservationBatchAppliesAnIDOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		_, e := admit(t, s, "Ola", WalkIn, clock.now())
		_, other := admit(t, s, "Kari", WalkIn, clock.now())
		obs := vitalsAt(clock.now(), vitals.HR, vitals.RR, vitals.SpO2)
		const id = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		for range 3 {
			require.NoError(t, s.AddObservationBatch(ctx, nurse, e.ID, id, obs))
		}
		// Another batch (another id) with the same values is another batch.
		require.NoError(t, s.AddObservationBatch(ctx, nurse, e.ID, id+"2", obs[:1]))
		require.ErrorIs(t, s.AddObservationBatch(ctx, nurse, other.ID, id, obs), ErrInvalid, "an id applied to another encounter")
		stored, err := s.Observations(ctx, nurse, e.ID, clock.now().Add(-1))
		require.NoError(t, err)
		require.Len(t, stored, 4)
		msgs, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		var obsMsgs []OutboxMessage
		for _, m := range msgs {
			if m.Kind == OutboxObservations {
				obsMsgs = append(obsMsgs, m)
			}
		}
		require.Len(t, obsMsgs, 2, "one message per applied batch")
		pl, err := s.OutboxPayload(ctx, sender, obsMsgs[0])
		require.NoError(t, err)
		require.Len(t, pl.Observations, 3)

		log, err := s.AuditLog(ctx, nurse, 0, 1000)
		require.NoError(t, err)
		var details []string
		for _, a := range log {
			if a.Action == "observations.add" {
				require.Equal(t, int64(e.ID), a.EntityID)
				require.NotContains(t, a.Detail, id, "the audit detail names counts, not the id")
				details = append(details, a.Detail)
			}
		}
		require.Equal(t, []string{"count=3", "count=0 repeated=3", "count=0 repeated=3", "count=1"}, details)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)

		// A repeat is checked like a first write: unknown encounters, bad
		// ids and bad values are refused.
		require.ErrorIs(t, s.AddObservationBatch(ctx, nurse, 99999, id+"3", obs), ErrNotFound)
		for _, bad := range []string{"", "short", strings.Repeat("a", BatchIDMax+1), "ABCDEFGHIJKLMNOP/RSTUV"} {
			err := s.AddObservationBatch(ctx, nurse, e.ID, bad, obs)
			require.ErrorIs(t, err, ErrInvalid, "%q", bad)
			require.Contains(t, err.Error(), "batch id")
		}
	})
}
