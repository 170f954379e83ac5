package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/queuefeed"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreWatchTicksOnChange(t *testing.T) {
	st := openStores(t)["sqlite"]
	calls := queuefeed.Feed{Store: st, Actor: store.Actor{User: "x"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := calls.Changes(ctx)
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
	src := queuefeed.Feed{Store: here, Actor: store.Actor{User: "a"}}
	board := queueboard.New(bc, src)
	ch, err := src.Changes(ctx)
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

	feed, err := monitoring.NewStoreFeed(ctx, here, store.Actor{User: "phone"}, time.Now)
	require.NoError(t, err)
	merged := monitoring.Merge(ctx, feed, nil)

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
		assert.Equal(t, ids.Device("desk-mon-1"), r.Device)
		assert.Equal(t, "Overvåket Pasient", r.Location)
		assert.NotEqual(t, vitals.SourceManual, r.Obs.Source)
	}
	mc := newTestContext("nb", true)
	mc.Now = time.Now
	m := monitorboard.New(mc, merged, monitorboard.News2Chart{})
	for _, r := range got {
		m.Add(r)
	}
	assert.Contains(t, plain(m), "Overvåket Pasient\n")
	assert.NotContains(t, plain(m), "desk-mon-1", "a device id is not a word for the nurse (QA F8)")
	assert.Contains(t, plain(m), "Puls 112")
}
