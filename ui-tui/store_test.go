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

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/workstation/phonecall"

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
		pg, err := store.Open(ctx, storetest.Schema(t, url))
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
			calls := realCalls(st, actor)
			nid := freshNID(t, st, actor)
			_, hist, err := calls.History(ctx, nid)
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
			press(m, "enter")
			for _, q := range m.questions {
				if q.Code.String() == "H.06.01" {
					press(m, "j")
				} else {
					press(m, "n")
				}
			}
			require.Equal(t, "vitals", m.Step(), plain(m))
			toField(t, m, &m.vit, "temp_c")
			typeText(m, "38,2")
			press(m, "ctrl+s", "enter")
			require.Equal(t, "saved", m.Step(), plain(m))

			name, hist, err := calls.History(ctx, nid)
			require.NoError(t, err)
			assert.Equal(t, "Test Testesen", name)
			require.Len(t, hist, 1)
			assert.Equal(t, store.Phone, hist[0].Channel)
			assert.True(t, hist[0].IsCall)
			assert.Equal(t, phone.Haster, hist[0].Level)
			assert.Equal(t, "H.06.01", codesText(hist[0].Codes))
			assert.Equal(t, "Hodepine", hist[0].Summary)
			assert.Equal(t, "sykepleier.test", hist[0].Nurse)
			assert.Equal(t, store.OutcomeExpected, hist[0].Outcome)

			// A second call for the same person shows the first one, and
			// fills in the name.
			press(m, "enter")
			typeText(m, nid)
			press(m, "enter")
			assert.Contains(t, plain(m), "Tidligere henvendelser (1)")
			assert.Contains(t, plain(m), "HASTER H.06.01")
			assert.Equal(t, "Test Testesen", m.who.Value("name"))

			p, err := st.FindPatientByNID(ctx, actor, nid)
			require.NoError(t, err)
			encs, err := st.EncountersForPatient(ctx, actor, p.ID)
			require.NoError(t, err)
			require.Len(t, encs, 1)
			assert.Equal(t, store.Phone, encs[0].Channel)
			assert.Equal(t, triage.Yellow, encs[0].Colour, "haster puts the call on the queue as yellow")
			assert.Equal(t, time.Hour, encs[0].Target, "with the yellow target")
			as, err := st.Assessments(ctx, actor, encs[0].ID)
			require.NoError(t, err)
			require.Len(t, as, 1)
			var res phonecall.Result
			require.NoError(t, json.Unmarshal(as[0].Result, &res))
			assert.Equal(t, phone.Haster, res.Phone.Level)
			assert.Equal(t, "demo", res.Phone.IndexID)
			assert.NotNil(t, res.Engine, "the engine's assessment of the reported vitals is kept")
			assert.Contains(t, as[0].RuleSetVersion, "phone-index demo "+phone.DemoIndex().Version)
			obs, err := st.Observations(ctx, actor, encs[0].ID, time.Time{})
			require.NoError(t, err)
			require.Len(t, obs, 1)
			assert.Equal(t, "phone", obs[0].Source)
			assert.Equal(t, 38.2, obs[0].Value)

			q, err := StoreCalls{Store: st, Actor: actor}.AppendQueue(ctx, time.Now(), nil)
			require.NoError(t, err)
			found := false
			for _, e := range q {
				found = found || e.EncounterID == encs[0].ID
			}
			assert.True(t, found, "the expected haster call waits in the shared queue")
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

// TestQueueBoardSeesAnotherWorkstationsCall runs two workstations on one
// PostgreSQL database: a call saved at one appears on the other's queue
// board through LISTEN/NOTIFY. The latency is logged for docs/PERFORMANCE.md
// (the issue asks for under 1 s); the test only guards against a hang.
func TestQueueBoardSeesAnotherWorkstationsCall(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Skip("no DATABASE_URL (make test sets one)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := storetest.Schema(t, url)
	open := func() *store.Store {
		st, err := store.Open(ctx, dsn)
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	here, there := open(), open()
	bc := newTestContext("nb", true)
	bc.Now = time.Now
	src := StoreCalls{Store: here, Actor: store.Actor{User: "a"}}
	board := queueboard.New(bc, src)
	ch, err := src.Watch(ctx)
	require.NoError(t, err)
	board.Update(queueboard.Watching{Ch: ch})
	board.Update(board.Reload()())
	before := len(board.Entries())

	other := realCalls(there, store.Actor{User: "b"})
	ix := phone.DemoIndex()
	c, _ := ix.Complaint("stroke")
	d, err := phone.Decide(ix, c, phone.Call{AgeYears: -1, Yes: []phone.Code{{Level: phone.Akutt, Chapter: 7, Number: 1}}})
	require.NoError(t, err)
	saved := time.Now()
	_, err = other.Save(ctx, phonecall.Record{Name: "Annen Arbeidsstasjon", AgeYears: 80, StartedAt: saved, DecidedAt: saved,
		Complaint: c, Decision: d, Outcome: store.OutcomeWaiting})
	require.NoError(t, err)

	got := make(chan tea.Msg, 1)
	go func() { got <- queueboard.WaitChange(ch)() }()
	select {
	case msg := <-got:
		require.IsType(t, queueboard.Changed{}, msg)
	case <-time.After(10 * time.Second):
		t.Fatal("no change notice from the other workstation")
	}
	board.Update(board.Reload()())
	t.Logf("another workstation's call on this board after %v", time.Since(saved).Round(time.Millisecond))
	assert.Greater(t, len(board.Entries()), before)
	found := false
	for _, e := range board.Entries() {
		found = found || e.Patient == "Annen Arbeidsstasjon" && !e.ArrivedAt.Before(saved.Add(-time.Second))
	}
	assert.True(t, found, "the other workstation's call is on this board")
}

// TestStoreMonitorFeedFollowsAnotherWorkstationsMonitors stores monitor
// values from a second handle on the same database (another workstation)
// and reads them from the feed with the patient's name; values typed by a
// nurse are not monitor values.
func TestStoreMonitorFeedFollowsAnotherWorkstationsMonitors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "shared.db")
	here, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer here.Close()
	there, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer there.Close()

	feed, err := NewStoreMonitorFeed(ctx, here, store.Actor{User: "phone"}, time.Now)
	require.NoError(t, err)
	merged := MergeFeeds(ctx, feed, nil)

	desk := store.Actor{User: "reception"}
	p, err := there.CreatePatient(ctx, desk, store.NewPatient{Name: "Overvåket Pasient"})
	require.NoError(t, err)
	e, err := there.CreateEncounter(ctx, desk, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn})
	require.NoError(t, err)
	now := time.Now()
	require.NoError(t, there.AddObservations(ctx, desk, e.ID, []vitals.Observation{
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "desk-mon-1", HostTime: now, Quality: vitals.Valid},
		{Kind: vitals.Temp, Value: 38.1, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: now, Quality: vitals.Valid},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "desk-mon-1", HostTime: now, Quality: vitals.Valid},
	}))
	var got []monitorboard.MonitorReading
	for len(got) < 2 {
		select {
		case r := <-merged.Readings():
			got = append(got, r)
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d readings arrived from the store", len(got))
		}
	}
	for _, r := range got {
		assert.Equal(t, "desk-mon-1", r.Device)
		assert.Equal(t, "Overvåket Pasient", r.Location)
		assert.NotEqual(t, vitals.SourceManual, r.Obs.Source)
	}
	mc := newTestContext("nb", true)
	mc.Now = time.Now
	m := monitorboard.New(mc, merged, monitorboard.News2Chart{})
	for _, r := range got {
		m.Add(r)
	}
	assert.Contains(t, plain(m), "Overvåket Pasient  desk-mon-1")
	assert.Contains(t, plain(m), "Puls 112")
}

// flakyStore fails the first registration as a lost connection would,
// after the transaction began.
type flakyStore struct {
	*store.Store
	failed bool
}

func (f *flakyStore) Register(ctx context.Context, a store.Actor, r store.Registration) (store.Registered, error) {
	if !f.failed {
		f.failed = true
		return store.Registered{}, fmt.Errorf("registration not stored: connection reset")
	}
	return f.Store.Register(ctx, a, r)
}

// TestARetriedSaveDoesNotWriteTheCallTwice: the first save fails; the
// call is saved in one transaction, so the retry leaves one encounter with
// one assessment and no untriaged twin waiting in the queue.
func TestARetriedSaveDoesNotWriteTheCallTwice(t *testing.T) {
	st := openStores(t)["sqlite"]
	actor := store.Actor{User: "x"}
	calls := realCalls(st, actor)
	calls.Store = &flakyStore{Store: st}
	m := newCall("nb", calls)
	m.ctx.Now = time.Now
	m.who.Field("age").Input.SetValue("40")
	press(m, "ctrl+s")
	typeText(m, "hodepine")
	press(m, "enter")
	for m.qi < len(m.questions) {
		press(m, "n")
	}
	for m.vsel < len(m.vanligs) {
		press(m, "down")
	}
	press(m, "enter")
	toField(t, m, &m.vit, "temp_c")
	typeText(m, "38")
	press(m, "ctrl+s", "enter")
	require.Equal(t, "result", m.Step())
	assert.Contains(t, plain(m), "Ikke lagret: databasen svarte ikke (ingenting er lagret)")
	press(m, "enter")
	require.Equal(t, "saved", m.Step(), plain(m))

	q, err := st.Queue(context.Background(), actor, time.Now())
	require.NoError(t, err)
	require.Len(t, q, 1, "one encounter, not an untriaged twin")
	assert.True(t, q[0].Triaged)
	assert.Equal(t, triage.Yellow, q[0].Colour, "the safe default haster, saved as the nurse's choice")
	as, err := st.Assessments(context.Background(), actor, q[0].EncounterID)
	require.NoError(t, err)
	assert.Len(t, as, 1)
	obs, err := st.Observations(context.Background(), actor, q[0].EncounterID, time.Time{})
	require.NoError(t, err)
	assert.Len(t, obs, 1, "the observations are not written twice")
}
