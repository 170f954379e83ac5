package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openStores gives a fresh SQLite store, and a PostgreSQL one when
// DATABASE_URL is set (make test always sets it).
func openStores(t *testing.T) map[string]*store.Store {
	t.Helper()
	out := map[string]*store.Store{}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "tui.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	out["sqlite"] = st
	if url := os.Getenv("DATABASE_URL"); url != "" {
		pg, err := store.Open(ctx, url)
		require.NoError(t, err)
		t.Cleanup(func() { _ = pg.Close() })
		out["postgres"] = pg
	}
	return out
}

// TestSavedCallsComeBackAsHistoryAndInTheQueue saves real calls through
// the call screen into a real store and reads them back.
func TestSavedCallsComeBackAsHistoryAndInTheQueue(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			calls := StoreCalls{Store: st, Actor: actor, Targets: triage.DefaultTargets(), Index: phone.DemoIndex(), Lang: "nb"}
			nid := freshNID(t, st, actor)
			hist, err := calls.History(ctx, nid)
			require.NoError(t, err)
			assert.Empty(t, hist, "a first-time caller has no history")

			// First call: haster from a criterion, vitals reported.
			m := newCall("nb", calls)
			m.ctx.Now = time.Now
			typeText(m, nid)
			press(m, "enter")
			typeText(m, "Test Testesen")
			press(m, "ctrl+s")
			typeText(m, "hodepine")
			press(m, "enter", "n", "n", "j", "n")
			typeText(m, "38,2")
			press(m, "ctrl+s", "enter")
			require.Equal(t, "saved", m.Step(), plain(m))

			hist, err = calls.History(ctx, nid)
			require.NoError(t, err)
			require.Len(t, hist, 1)
			assert.Equal(t, "phone", hist[0].Channel)
			assert.Equal(t, "HASTER H.06.01", hist[0].Label)
			assert.Equal(t, "Hodepine (H.06.01)", hist[0].Summary)
			assert.Equal(t, "sykepleier.test", hist[0].Nurse)

			// A second call for the same person shows the first one.
			press(m, "enter")
			typeText(m, nid)
			press(m, "enter")
			assert.Contains(t, plain(m), "Tidligere henvendelser (1)")
			assert.Contains(t, plain(m), "HASTER H.06.01")

			p, err := st.FindPatientByNID(ctx, actor, nid)
			require.NoError(t, err)
			encs, err := st.EncountersForPatient(ctx, actor, p.ID)
			require.NoError(t, err)
			require.Len(t, encs, 1)
			assert.Equal(t, store.Phone, encs[0].Channel)
			assert.Equal(t, triage.Yellow, encs[0].Colour, "haster puts the call on the queue as yellow")
			as, err := st.Assessments(ctx, actor, encs[0].ID)
			require.NoError(t, err)
			require.Len(t, as, 1)
			var res PhoneResult
			require.NoError(t, json.Unmarshal(as[0].Result, &res))
			assert.Equal(t, phone.Haster, res.Phone.Level)
			assert.Equal(t, "demo", res.Phone.IndexID)
			assert.NotEmpty(t, res.Engine, "the engine's assessment of the reported vitals is kept")
			assert.Contains(t, as[0].RuleSetVersion, "phone-index demo "+phone.DemoIndex().Version)
			obs, err := st.Observations(ctx, actor, encs[0].ID, time.Time{})
			require.NoError(t, err)
			require.Len(t, obs, 1)
			assert.Equal(t, "phone", obs[0].Source)
			assert.Equal(t, 38.2, obs[0].Value)

			q, err := calls.Queue(ctx, time.Now())
			require.NoError(t, err)
			found := false
			for _, e := range q {
				found = found || e.EncounterID == encs[0].ID
			}
			assert.True(t, found, "the saved call waits in the shared queue")
		})
	}
}

// freshNID finds a valid synthetic identity number not yet in st (a
// shared PostgreSQL test database keeps patients between runs).
func freshNID(t *testing.T, st *store.Store, a store.Actor) string {
	t.Helper()
	start := int(time.Now().UnixNano() % 400)
	for i := 0; i < 500; i++ {
		ind := (start + i) % 500
		s := fmt.Sprintf("0989%02d%03d", 61, ind)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		k1, k2, ok := patient.ControlDigits(nine)
		if !ok {
			continue
		}
		nid := fmt.Sprintf("%s%d%d", s, k1, k2)
		if _, err := st.FindPatientByNID(context.Background(), a, nid); errors.Is(err, store.ErrNotFound) {
			return nid
		}
	}
	t.Fatal("no free synthetic identity number left for 09.09.1961")
	return ""
}

func TestUnknownCallerIsSavedWithATemporaryID(t *testing.T) {
	st := openStores(t)["sqlite"]
	calls := StoreCalls{Store: st, Actor: store.Actor{User: "x"}, Targets: triage.DefaultTargets(), Index: phone.DemoIndex(), Lang: "en"}
	ix := phone.DemoIndex()
	c, _ := ix.Complaint("chest-pain")
	d, err := phone.Decide(ix, c, []phone.Code{{Level: phone.Akutt, Chapter: 2, Number: 1}}, phone.VitalsFinding{})
	require.NoError(t, err)
	ref, err := calls.SaveCall(context.Background(), CallRecord{Patient: Patient{AgeYears: 60}, Nurse: "x", StartedAt: time.Now(), DecidedAt: time.Now(), Complaint: "chest-pain", Decision: d})
	require.NoError(t, err)
	assert.Contains(t, ref, "UKJENT-")
	q, err := calls.Queue(context.Background(), time.Now())
	require.NoError(t, err)
	require.NotEmpty(t, q)
	assert.Equal(t, triage.Red, q[0].Colour, "akutt goes on the queue as red")
	assert.Equal(t, "phone", q[0].Channel)
}

func TestStoreWatchTicksOnChange(t *testing.T) {
	st := openStores(t)["sqlite"]
	calls := StoreCalls{Store: st, Actor: store.Actor{User: "x"}, Targets: triage.DefaultTargets(), Index: phone.DemoIndex()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := calls.Watch(ctx)
	require.NoError(t, err)
	_, err = st.CreatePatient(ctx, store.Actor{User: "other"}, store.NewPatient{Name: "Fra annen arbeidsstasjon"})
	require.NoError(t, err)
	select {
	case _, ok := <-ch:
		require.True(t, ok)
	case <-time.After(5 * time.Second):
		t.Fatal("no change tick within 5 s of a committed change (the store polls every 250 ms)")
	}
	cancel()
	for range ch {
	}
}
