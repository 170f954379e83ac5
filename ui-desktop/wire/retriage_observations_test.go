package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// A re-triage of a waiting patient who is still on the monitor does not
// store the monitor's latest values a second time: they were stored as
// they arrived (the watch's flush) or at the first save.
func TestRetriageDoesNotStoreMonitorValuesTwice(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	require.NoError(t, err)
	defer st.Close()
	feed := &scriptedFeed{obs: make(chan vitals.Observation, 16), waves: make(chan vitals.Wave), st: make(chan desk.DeviceStatus, 4)}
	test.NewTempApp(t)
	calls := make(chan func(), 1024)
	now := time.Now()
	a, err := desk.New(desk.Deps{
		Scorer:   Scorer{Engine: triage.NewEngine(rules.Default())},
		Store:    &Store{S: st, Actor: store.Actor{User: "kari", Workstation: "pc1"}},
		Monitors: scriptedMonitors{feed},
		Drafts:   &desk.MemoryDrafts{},
		Do:       func(f func()) { calls <- f },
		Now:      func() time.Time { return now },
		User:     "kari", Lang: i18n.EN, Theme: desktheme.New(false, 1), Stale: vitals.DefaultStalePolicy(),
	})
	require.NoError(t, err)
	w := test.NewTempWindow(t, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	a.Start()
	defer a.Stop()
	drain := func() {
		for {
			select {
			case f := <-calls:
				f()
			case <-time.After(200 * time.Millisecond):
				return
			}
		}
	}
	e, err := a.RegisterPatient(desk.Registration{Name: "Kari", Arrived: now.Add(-5 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	drain()
	require.Len(t, a.MonitorChoices(), 1)
	require.NoError(t, a.ConnectMonitor(a.MonitorChoices()[0]))
	for _, o := range []vitals.Observation{
		{Kind: vitals.HR, Value: 90, Unit: "/min"}, {Kind: vitals.RR, Value: 18, Unit: "/min"},
		{Kind: vitals.SpO2, Value: 97, Unit: "%"}, {Kind: vitals.SBP, Value: 120, Unit: "mm[Hg]"},
		{Kind: vitals.Temp, Value: 37, Unit: "Cel"},
	} {
		o.HostTime, o.Source, o.Quality = now, "sim-1", vitals.Valid
		feed.obs <- o
	}
	drain()
	a.SetConsciousness("A")
	a.SetAge("40")
	a.SaveTriage()
	a.Tick()
	drain()
	first, err := st.Observations(ctx, store.Actor{User: "kari"}, e.ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, first, 5, "the first triage stores the five monitor values")

	// Re-triage the same patient, still on the same monitor; nothing new arrives.
	a.Retriage(e.ID)
	drain()
	a.SetConsciousness("A")
	a.SaveTriage()
	a.Tick()
	drain()
	as, err := st.Assessments(ctx, store.Actor{User: "kari"}, e.ID)
	require.NoError(t, err)
	require.Len(t, as, 2, "the re-triage was saved: %s", a.FormMessage())
	got, err := st.Observations(ctx, store.Actor{User: "kari"}, e.ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, got, 5, "the same five readings must not be stored again by the re-triage")
}
