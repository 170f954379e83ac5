package tui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
)

// benchKeys measures one keystroke handled and rendered (Update then
// View, what the program does per key) and reports the p99 latency
// besides the mean.
func benchKeys(b *testing.B, a *App, keys []tea.KeyPressMsg) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		a.Update(keys[i%len(keys)])
		_ = a.View()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkQueueKeystroke scrolls the queue board with 1,000 patients.
func BenchmarkQueueKeystroke(b *testing.B) {
	a := newTestApp("nb", false, &fakeCalls{})
	a.queue.SetEntries(bigQueue(1000), testNow)
	a.Update(keyMsg("f2"))
	keys := []tea.KeyPressMsg{keyMsg("j"), keyMsg("j"), keyMsg("pgdown"), keyMsg("k"), keyMsg("pgup"), keyMsg("G"), keyMsg("g")}
	benchKeys(b, a, keys)
}

// BenchmarkCallKeystroke types into the complaint search (search as you
// type over the index) with 1,000 patients in the queue behind it.
func BenchmarkCallKeystroke(b *testing.B) {
	a := newTestApp("nb", false, &fakeCalls{})
	a.queue.SetEntries(bigQueue(1000), testNow)
	press(a, "tab", "tab") // to the age field
	typeText(a, "40")
	a.Update(keyMsg("ctrl+s"))
	keys := []tea.KeyPressMsg{keyMsg("h"), keyMsg("o"), keyMsg("d"), keyMsg("backspace"), keyMsg("backspace"), keyMsg("backspace")}
	benchKeys(b, a, keys)
}

// BenchmarkQueueReload is a fresh snapshot of 1,000 patients arriving
// from the store (a change from another workstation), then the redraw.
func BenchmarkQueueReload(b *testing.B) {
	a := newTestApp("nb", false, &fakeCalls{})
	a.Update(keyMsg("f2"))
	q := bigQueue(1000)
	b.ReportAllocs()
	for b.Loop() {
		a.Update(queueboard.Loaded{Entries: q, At: testNow})
		_ = a.View()
	}
}

// BenchmarkQueueKeystrokeWithMonitoredPatients is BenchmarkQueueKeystroke
// with three monitored patients, one of them deteriorated: every redraw
// also looks up each visible row's deterioration flag and the line above
// the board.
func BenchmarkQueueKeystrokeWithMonitoredPatients(b *testing.B) {
	a := newTestApp("nb", false, &fakeCalls{})
	q := bigQueue(1000)
	for i, dev := range []ids.Device{"demo-sepsis", "demo-stable", "demo-brady"} {
		a.monitor.Attach(monitorboard.MonitoredPatient{Device: dev, Location: fmt.Sprintf("Obs %d", i+1), EncounterID: q[500+i].EncounterID, Label: q[500+i].Patient,
			Assessed: monitorboard.AssessedContext{At: testNow.Add(-20 * time.Minute), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(1), Band: "low"}})
	}
	a.queue.SetDeteriorated(a.monitor.Deteriorated)
	a.Update(queueboard.Loaded{Entries: q, At: testNow})
	screentest.FeedValues(a.monitor, septicNow)
	a.Update(keyMsg("f2"))
	if len(a.queue.Worsened()) != 1 {
		b.Fatal("the septic patient should be flagged")
	}
	keys := []tea.KeyPressMsg{keyMsg("j"), keyMsg("j"), keyMsg("pgdown"), keyMsg("k"), keyMsg("pgup"), keyMsg("G"), keyMsg("g")}
	benchKeys(b, a, keys)
}
