package recordstate_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/recordstate"
)

var (
	nurse     = store.Actor{User: "sykepleier.test", Workstation: "resepsjon-1"}
	sender    = store.Actor{User: "records-sender", Workstation: "resepsjon-1"}
	oslo, _   = time.LoadLocation("Europe/Oslo")
	clockTime = time.Date(2026, 11, 22, 11, 3, 0, 0, time.UTC) // 12:03 in Oslo
)

func eachStore(t *testing.T, f func(t *testing.T, st *store.Store)) {
	now := func() time.Time { return clockTime }
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.WithClock(now))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Log("DATABASE_URL not set: PostgreSQL skipped")
		return
	}
	t.Run("postgres", func(t *testing.T) {
		st, err := store.Open(context.Background(), storetest.Schema(t, url), store.WithClock(now))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
}

// admit makes a walk-in with one vital and a triage.
func admit(t *testing.T, st *store.Store, name string) store.Encounter {
	ctx := context.Background()
	p, err := st.CreatePatient(ctx, nurse, store.NewPatient{Name: name})
	require.NoError(t, err)
	e, err := st.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	require.NoError(t, st.AddObservations(ctx, nurse, e.ID, []vitals.Observation{{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin,
		Source: "manual", HostTime: clockTime, Quality: vitals.Valid}}))
	n := 1
	_, err = st.AddAssessment(ctx, nurse, store.NewAssessment{EncounterID: e.ID, Colour: triage.Green, Target: triage.DefaultTargets().For(triage.Green),
		NEWS2: &n, NEWS2Band: "low", MonitorEvery: 4 * time.Hour, EngineVersion: "t", RuleSetVersion: "t",
		Input: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)})
	require.NoError(t, err)
	return e
}

// deliver marks every due message sent, except those of refuse's
// patient, which the receiver refuses.
func deliver(t *testing.T, st *store.Store, refuse ids.Patient) {
	ctx := context.Background()
	for {
		msgs, err := st.ClaimOutbox(ctx, sender, "rec.fhir", "w", time.Minute, 100)
		require.NoError(t, err)
		if len(msgs) == 0 {
			return
		}
		for _, m := range msgs {
			if m.PatientID == refuse {
				require.NoError(t, st.OutboxRefused(ctx, sender, m.ID, "w", "HTTP 422: unknown ward"))
				continue
			}
			require.NoError(t, st.OutboxSent(ctx, sender, m.ID, "w"))
		}
	}
}

// Sent, waiting and refused patients read as such in both languages, as
// words (not colour); no routes reads as "–"; the health line has the
// totals.
func TestPatientsAndHealthLine(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		none := admit(t, st, "Før rutene")
		require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", store.OutboxKinds))
		sent := admit(t, st, "Sendt")
		refused := admit(t, st, "Avvist")
		deliver(t, st, refused.PatientID)
		waiting := admit(t, st, "Venter")
		encs := []ids.Encounter{none.ID, sent.ID, refused.ID, waiting.ID}

		nb := recordstate.Reader{Store: st, Actor: nurse, Lang: "nb", Loc: oslo}
		en := recordstate.Reader{Store: st, Actor: nurse, Lang: "en", Loc: oslo}
		pn, err := nb.Patients(ctx, encs)
		require.NoError(t, err)
		pe, err := en.Patients(ctx, encs)
		require.NoError(t, err)

		require.Equal(t, "–", pn[none.ID].Cell)
		require.Empty(t, pn[none.ID].Lines)
		require.Equal(t, "sendt", pn[sent.ID].Cell)
		require.Equal(t, "sent", pe[sent.ID].Cell)
		require.Equal(t, []string{"Journal: vitale verdier sendt 12:03", "Journal: hastegrad sendt 12:03"}, pn[sent.ID].Lines)
		require.Equal(t, "avvist", pn[refused.ID].Cell)
		require.True(t, pn[refused.ID].Refused)
		require.Contains(t, strings.Join(pn[refused.ID].Lines, "\n"), "avvist av journalsystemet; kontakt systemansvarlig")
		require.Contains(t, strings.Join(pe[refused.ID].Lines, "\n"), "refused by the record system: HTTP 422: unknown ward", "the reason, in English")
		require.NotContains(t, strings.Join(pn[refused.ID].Lines, "\n"), "HTTP", "no receiver text on a bokmål screen")
		require.Equal(t, "venter", pn[waiting.ID].Cell)
		require.Equal(t, "waiting", pe[waiting.ID].Cell)
		require.True(t, pn[waiting.ID].Waiting)
		require.False(t, pn[waiting.ID].Refused)

		line, err := nb.HealthLine(ctx)
		require.NoError(t, err)
		require.Regexp(t, `^Journal rec\.fhir: \d+ venter, \d+ avvist, sist sendt 12:03`, line)
		line, err = en.HealthLine(ctx)
		require.NoError(t, err)
		require.Regexp(t, `^Record rec\.fhir: \d+ waiting, \d+ refused, last sent 12:03`, line)
	})
}

type failing struct{ recordstate.Store }

func (failing) RecordStatuses(context.Context, store.Actor, []ids.Encounter) (map[ids.Encounter][]store.RecordStatus, error) {
	return nil, store.ErrForbidden
}

func (failing) OutboxHealth(context.Context) ([]store.OutboxTotals, error) {
	return nil, errors.New("connection refused")
}

// A failed read is an error the screen shows as Unknown, never as
// "nothing to send"; the health line is empty only without routes.
func TestFailuresAreNotHidden(t *testing.T) {
	r := recordstate.Reader{Store: failing{}, Lang: "nb"}
	_, err := r.Patients(context.Background(), []ids.Encounter{1})
	require.ErrorIs(t, err, store.ErrForbidden)
	_, err = r.HealthLine(context.Background())
	require.Error(t, err)
	require.Equal(t, "Journal: status ukjent (kunne ikke leses)", r.Unknown().Lines[0])
	require.NotEqual(t, "–", r.Unknown().Cell)
	require.Equal(t, "Record", recordstate.Reader{Lang: "en"}.Heading())
	eachStore(t, func(t *testing.T, st *store.Store) {
		line, err := recordstate.Reader{Store: st, Lang: "nb"}.HealthLine(context.Background())
		require.NoError(t, err)
		require.Empty(t, line, "no record integration configured")
	})
}
