package desk

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// BenchmarkVitalsToScreen measures one observation from the monitor feed's
// channel to the value on its tile: the pump goroutine receives it and
// hands it to the UI goroutine (here the benchmark's own, as fyne.Do does
// with the driver's), which updates the tile, re-scores the form and
// repaints the result. Goal: well under 100 ms.
func BenchmarkVitalsToScreen(b *testing.B) {
	test.NewTempApp(b)
	queue := make(chan func(), 16)
	feed := newFakeFeed()
	mons := &fakeMonitors{list: []MonitorChoice{{Kind: MonitorSimulator, ID: "sim-1"}}, feeds: map[string]*fakeFeed{"sim-1": feed}}
	now := t0
	a, err := New(Deps{Scorer: fakeScorer{stale: vitals.DefaultStalePolicy()}, Store: newFakeStore(func() time.Time { return now }), Monitors: mons,
		Now: func() time.Time { return now }, Do: func(f func()) { queue <- f }, Lang: i18n.NB, Theme: desktheme.New(false, 1)})
	require.NoError(b, err)
	w := test.NewTempWindow(b, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	a.ShowTriage()
	require.NoError(b, a.ConnectMonitor(mons.list[0]))
	b.Cleanup(a.Stop)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := float64(90 + i%10)
		feed.obs <- vitals.Observation{Kind: vitals.SpO2, Value: v, Unit: vitals.Percent, Source: "sim-1", HostTime: now, Quality: vitals.Valid}
		f := <-queue
		f()
		if a.form.tiles[vitals.SpO2].View().Value == "" {
			b.Fatal("the tile shows nothing")
		}
	}
}
