package desk

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

func intp(v int) *int { return &v }

// sampleQueue is a board of n patients: every colour, some past their
// target, some due for reassessment, one not yet triaged.
func sampleQueue(n int, now time.Time) []queue.Entry {
	items := make([]queue.Item, n)
	targets := triage.DefaultTargets()
	for i := range items {
		c := triage.Colours[i%5]
		items[i] = queue.Item{EncounterID: ids.Encounter(i + 1), Patient: fmt.Sprintf("Pasient %03d", i+1), Channel: "walk_in", Status: "waiting",
			ArrivedAt: now.Add(-time.Duration(5+i*7%200) * time.Minute), Triaged: i%11 != 3, Colour: c, Target: targets.For(c),
			LastAssessedAt: now.Add(-time.Duration(i*13%120) * time.Minute), MonitorEvery: time.Hour, NEWS2: intp(i % 9), NEWS2Band: "low"}
		if !items[i].Triaged {
			items[i].NEWS2, items[i].LastAssessedAt, items[i].MonitorEvery = nil, time.Time{}, 0
		}
	}
	return queue.Order(items, now, queue.DefaultPolicy())
}

func TestBoardRowsOrderFlagsAndWords(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	q := sampleQueue(12, r.now)
	rows := r.app.Rows(q, r.now)
	require.Len(t, rows, 12)
	for i, row := range rows {
		e := q[i]
		assert.Equal(t, e.EncounterID, row.EncounterID, "rows keep the queue's order")
		if !e.Triaged {
			assert.Equal(t, "IKKE TRIAGERT", row.Colour)
		} else {
			assert.Equal(t, e.Colour.Label("nb"), row.Colour, "every colour is written out")
		}
		assert.Equal(t, e.Breach, contains(row.Flags, "OVER MÅLTID"), "row %d breach flag", i)
		assert.Equal(t, e.ReassessmentDue, contains(row.Flags, "REVURDER"), "row %d reassessment flag", i)
	}
	assert.True(t, contains(rows[0].Flags, "OVER MÅLTID") || contains(rows[1].Flags, "OVER MÅLTID"), "the sample has breaches")
	due := 0
	for _, row := range rows {
		if contains(row.Flags, "REVURDER") {
			due++
		}
	}
	assert.Positive(t, due, "the sample has reassessments due")
	// Ten minutes later the waiting times and flags follow without a new query.
	later := r.app.Rows(q, r.now.Add(10*time.Minute))
	assert.NotEqual(t, rows[len(rows)-1].Waited, later[len(later)-1].Waited)
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// capture paints the window at size after a full layout pass. fyne's
// desktop driver re-lays out objects whose minimum size changed before
// every frame; the test driver does not, so the window is resized away and
// back to get the layout the app would show.
func capture(w fyne.Window, size fyne.Size) image.Image {
	w.Resize(size.AddWidthHeight(1, 1))
	w.Resize(size)
	return w.Canvas().Capture()
}

func TestBoardGolden(t *testing.T) {
	for _, hc := range []bool{false, true} {
		name := "board.png"
		if hc {
			name = "board-high-contrast.png"
		}
		t.Run(name, func(t *testing.T) {
			r := newRig(t, i18n.NB, nil)
			if hc {
				r.app.ToggleContrast()
			}
			r.app.SetQueue(sampleQueue(8, r.now), r.now)
			r.app.ShowBoard()
			img := capture(r.win, fyne.NewSize(1000, 520))
			if *update {
				f, err := os.Create(filepath.Join("testdata", name))
				require.NoError(t, err)
				require.NoError(t, png.Encode(f, img))
				require.NoError(t, f.Close())
			}
			test.AssertImageMatches(t, name, img)
		})
	}
}

// boardBench is a desktop showing the waiting board in a 1280x860 test
// window, with a 500-patient queue.
func boardBench(b *testing.B) (*App, fyne.Window, []queue.Entry) {
	test.NewTempApp(b)
	a, err := New(Deps{Scorer: fakeScorer{}, Store: newFakeStore(time.Now), Now: func() time.Time { return t0 }, Do: func(f func()) { f() }})
	require.NoError(b, err)
	w := test.NewTempWindow(b, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	a.ShowBoard()
	q := sampleQueue(500, t0)
	a.SetQueue(q, t0)
	w.Canvas().Capture()
	return a, w, q
}

// BenchmarkBoardRefresh measures one refresh of a 500-patient board as the
// UI goroutine does it on a queue change: the rows are rebuilt from the
// queue (wording, flags, waiting times aged to now) and the list re-binds
// and re-lays out its visible rows. Goal: under 16 ms (one frame at 60 Hz).
func BenchmarkBoardRefresh(b *testing.B) {
	a, _, q := boardBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.SetQueue(q, t0.Add(time.Duration(i)*time.Second))
	}
}

// BenchmarkBoardRefreshAllChanged is the worst case: every visible row
// changes colour, name, times and flags (two different queues in turn).
func BenchmarkBoardRefreshAllChanged(b *testing.B) {
	a, _, q := boardBench(b)
	q2 := sampleQueue(500, t0.Add(37*time.Minute))
	for i := range q2 {
		q2[i].Patient = "Annen " + q2[i].Patient
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			a.SetQueue(q2, t0.Add(37*time.Minute))
		} else {
			a.SetQueue(q, t0)
		}
	}
}

// BenchmarkBoardPaintSoftware paints the whole 1280x860 window with fyne's
// software painter (the test driver's). It is a worst-case reference: the
// real app paints with OpenGL.
func BenchmarkBoardPaintSoftware(b *testing.B) {
	_, w, _ := boardBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Canvas().Capture()
	}
}

// BenchmarkBoardRows is the data half of the refresh alone.
func BenchmarkBoardRows(b *testing.B) {
	test.NewTempApp(b)
	a, err := New(Deps{Scorer: fakeScorer{}, Store: newFakeStore(time.Now), Now: func() time.Time { return t0 }, Do: func(f func()) { f() }})
	require.NoError(b, err)
	q := sampleQueue(500, t0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = a.Rows(q, t0)
	}
}

// BenchmarkBoardScroll scrolls the 500-patient board by one row per
// step (re-binding the rows that come into view).
func BenchmarkBoardScroll(b *testing.B) {
	a, _, _ := boardBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.brd.list.ScrollTo(i % 500)
	}
}

func TestTriageFormGolden(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Kari Nordmann")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.feed.status <- DeviceStatus{State: StateLive, At: r.now}
	r.drainUntil(func() bool { return r.app.form.feed.status.State == StateLive })
	r.send(vitals.RR, 22, vitals.PerMin)
	r.send(vitals.SpO2, 93, vitals.Percent)
	r.send(vitals.HR, 104, vitals.PerMin)
	r.now = r.now.Add(75 * time.Second)
	r.send(vitals.SBP, 118, vitals.MmHg)
	r.app.form.setConsciousness("A")
	r.app.Tick()
	img := capture(r.win, fyne.NewSize(1280, 860))
	if *update {
		f, err := os.Create(filepath.Join("testdata", "triage-form.png"))
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, img))
		require.NoError(t, f.Close())
	}
	test.AssertImageMatches(t, "triage-form.png", img)
}
