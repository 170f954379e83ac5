package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// TestAcknowledgementsAreAuditedStoreEventsEveryWorkstationSees records a
// deterioration acknowledgement on one workstation and reads it back on
// another workstation of the same database: it is an event of kind
// deterioration.ack with who, when, the alert, NEWS2 before and after, the
// bands and whether a re-triage followed, and the audit log names it.
// SQLite always; PostgreSQL when DATABASE_URL is set (make test sets it).
func TestAcknowledgementsAreAuditedStoreEventsEveryWorkstationSees(t *testing.T) {
	dir := t.TempDir()
	dsns := map[string]string{"sqlite": filepath.Join(dir, "shared.db")}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			at := time.Date(2026, 11, 22, 14, 5, 0, 0, time.UTC)
			open := func(user string) (*Store, *store.Store) {
				st, err := store.Open(ctx, dsn)
				require.NoError(t, err)
				t.Cleanup(func() { st.Close() })
				return &Store{S: st, Actor: fixed{User: user, Workstation: user + "-pc"}, Now: func() time.Time { return at }}, st
			}
			reception, rawReception := open("sykepleier.kari")
			other, raw := open("ola")
			e, err := reception.Register(ctx, desk.Registration{Name: "Kvittert Pasient", Arrived: at.Add(-time.Hour), Channel: desk.ChannelWalkIn})
			require.NoError(t, err)

			first := desk.Acknowledgement{EncounterID: e.ID, AlertID: "7#1", By: "sykepleier.kari", At: at,
				NEWS2Before: 3, NEWS2After: 5, BandBefore: "low", BandAfter: "medium"}
			second := desk.Acknowledgement{EncounterID: e.ID, AlertID: "7#2", By: "sykepleier.kari", At: at.Add(4 * time.Minute),
				NEWS2Before: 5, NEWS2After: 8, BandBefore: "medium", BandAfter: "", Retriage: true, Note: "lege varslet"}
			before, _, err := rawReception.AuditHead(ctx)
			require.NoError(t, err)
			require.NoError(t, reception.RecordAck(ctx, first))
			require.NoError(t, reception.RecordAck(ctx, second))
			forged := first
			forged.AlertID, forged.By = "7#3", "ola"
			require.Error(t, reception.RecordAck(ctx, forged), "an acknowledgement naming another user than the one logged in is refused")

			got, err := other.Acks(ctx, e.ID)
			require.NoError(t, err)
			first.Workstation, second.Workstation = "sykepleier.kari-pc", "sykepleier.kari-pc"
			assert.Equal(t, []desk.Acknowledgement{first, second}, got, "the other workstation reads both, oldest first, with every field")

			evs, err := raw.Events(ctx, store.Actor{User: "revisor"}, e.ID)
			require.NoError(t, err)
			require.Len(t, evs, 2)
			assert.Equal(t, store.EventDeteriorationAck, evs[0].Kind)
			assert.Equal(t, "7#1", evs[0].Ref)
			assert.Equal(t, "sykepleier.kari", evs[0].Actor.User, "the nurse who acknowledged is the event's actor")
			assert.JSONEq(t, `{"news2_before":3,"news2_after":5,"band_before":"low","band_after":"medium","retriage":false}`, evs[0].Note)

			log, err := raw.AuditLog(ctx, store.Actor{User: "revisor"}, before, 1000)
			require.NoError(t, err)
			var audited []string
			for _, en := range log {
				if en.Action == "event.create" && en.Entity == "event" && (en.EntityID == evs[0].ID || en.EntityID == evs[1].ID) {
					assert.Equal(t, "sykepleier.kari", en.Actor)
					assert.Contains(t, en.Detail, store.EventDeteriorationAck)
					audited = append(audited, en.Workstation)
				}
			}
			assert.Equal(t, []string{"sykepleier.kari-pc", "sykepleier.kari-pc"}, audited, "each acknowledgement is in the audit chain")
			_, err = raw.VerifyAudit(ctx)
			require.NoError(t, err)

			err = reception.RecordAck(ctx, desk.Acknowledgement{EncounterID: 99999999, AlertID: "x#1", By: "sykepleier.kari", At: at})
			assert.ErrorIs(t, err, store.ErrNotFound, "an unknown encounter is refused")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, en := range entries {
				assert.NotContains(t, en.Name(), "ack", "no side file is written beside the database")
			}
		})
	}
}

// TestAnAcknowledgementWithAForeignNoteIsStillListed: an event another
// front end wrote with free text is listed with its text, not dropped.
func TestAnAcknowledgementWithAForeignNoteIsStillListed(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	ws := &Store{S: st, Actor: fixed{User: "kari"}}
	e, err := ws.Register(ctx, desk.Registration{Name: "A", Arrived: now, Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	_, err = st.AddEvent(ctx, store.Actor{User: "lise"}, store.NewEvent{EncounterID: e.ID, Kind: store.EventDeteriorationAck, Ref: "web-1", Note: "sett av lege"})
	require.NoError(t, err)
	_, err = st.AddEvent(ctx, store.Actor{User: "lise"}, store.NewEvent{EncounterID: e.ID, Kind: "note.handover", Note: "x"})
	require.NoError(t, err)
	got, err := ws.Acks(ctx, e.ID)
	require.NoError(t, err)
	require.Len(t, got, 1, "only acknowledgements are listed")
	assert.Equal(t, "web-1", got[0].AlertID)
	assert.Equal(t, "lise", got[0].By)
	assert.Equal(t, "sett av lege", got[0].Note)
}
