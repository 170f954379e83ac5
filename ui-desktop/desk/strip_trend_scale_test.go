package desk

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// reviewStrip renders the form's ECG strip as the painter would.
func reviewStrip(r *rig) image.Image {
	obj := test.WidgetRenderer(r.app.form.ecg).Objects()[0].(*canvas.Raster)
	return obj.Generator(360, 110)
}

func reviewCount(img image.Image, x0, x1 int, c color.Color) int {
	r0, g0, b0, _ := c.RGBA()
	n := 0
	for x := x0; x <= x1; x++ {
		for y := 12; y < img.Bounds().Dy(); y++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && b>>8 == b0>>8 {
				n++
			}
		}
	}
	return n
}

func (r *rig) reviewWave(w vitals.Wave) {
	r.t.Helper()
	r.feed.waves <- w
	deadline := time.After(2 * time.Second)
	for {
		select {
		case f := <-r.queue:
			f()
			return
		case <-deadline:
			r.t.Fatal("wave never arrived")
		}
	}
}

func (r *rig) reviewOnMonitor() {
	r.t.Helper()
	r.register(validNIDAny(r.t), "Eva")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	require.NotNil(r.t, r.app.form.feed)
}

// Lead-off samples are not an ECG: the S/5 and IntelliVue codecs keep the
// raw values of a lead-off block (only ANSAR-B NaNs them), and the strip
// must not draw them as a trace.
func TestLeadOffSamplesAreNotDrawnAsATrace(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.reviewOnMonitor()
	s := make([]float64, 500)
	for i := range s {
		s[i] = 800 * math.Sin(float64(i)/7) // amplifier noise from an open lead
	}
	r.reviewWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 250, Unit: vitals.MicroVolt, Samples: s,
		Source: "sim-1", HostTime: r.now, LeadOff: true, Quality: vitals.Invalid})
	assert.Contains(t, r.app.form.ecgText.Text, "LEADS OFF")
	img := reviewStrip(r)
	assert.Zero(t, reviewCount(img, 0, 359, theme.Color(theme.ColorNameForeground)),
		"a lead-off block is drawn as if it were an ECG")
}

// A block after lost samples (Wave.Gap) must not be joined to the one
// before as if the signal were continuous.
func TestLostSamplesBreakTheTrace(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.reviewOnMonitor()
	a, b := make([]float64, 300), make([]float64, 300)
	a[0] = 1000 // block a sits low, block b high
	for i := range b {
		b[i] = 1000
	}
	b[299] = 0
	r.reviewWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 250, Unit: vitals.MicroVolt, Samples: a, Source: "sim-1", HostTime: r.now, Quality: vitals.Valid})
	r.reviewWave(vitals.Wave{Kind: vitals.WaveECG, Rate: 250, Unit: vitals.MicroVolt, Samples: b, Source: "sim-1",
		HostTime: r.now.Add(3 * time.Second), Gap: true, Quality: vitals.Valid})
	img := reviewStrip(r)
	x := 300 * 359 / 1500
	assert.Less(t, reviewCount(img, x-1, x+1, theme.Color(theme.ColorNameForeground)), 20,
		"a vertical stroke joins the trace across lost samples")
}

// Issue 8: "text that scales"; docs: text scales 0.8x-2.5x. At 2.5x the
// vital tiles grow with their text, never cut.
func TestVitalTilesAreNotClippedAt2_5x(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.reviewOnMonitor()
	r.send(vitals.SpO2, 94, vitals.Percent)
	r.app.th = desktheme.New(false, desktheme.MaxScale)
	r.app.applyTheme()
	r.win.Resize(fyne.NewSize(1280, 860))
	r.app.form.content.Refresh()
	tile := r.app.form.tiles[vitals.SpO2]
	min, got := tile.MinSize(), tile.Size()
	assert.GreaterOrEqual(t, got.Height, min.Height, "SpO2 tile is %v high, needs %v: text cut", got.Height, min.Height)
	assert.GreaterOrEqual(t, got.Width, min.Width, "SpO2 tile is %v wide, needs %v: text cut", got.Width, min.Width)
}

// The board's waiting-time and NEWS2 columns widen with the text scale, so
// at 2.5x their text is neither cut nor run into the next column.
func TestBoardColumnsFitTheirTextAt2_5x(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.triageOnMonitor("Kari")
	r.now = r.now.Add(42 * time.Minute)
	r.app.th = desktheme.New(false, desktheme.MaxScale)
	r.app.applyTheme()
	r.app.RefreshQueue()
	row := r.app.brd.createRow().(*rowView)
	r.app.brd.updateRow(0, row)
	w := test.NewTempWindow(t, row)
	w.Resize(fyne.NewSize(1280, 200))
	assert.GreaterOrEqual(t, row.waited.Size().Width, row.waited.MinSize().Width,
		"waited %q is cut or overlaps the NEWS2 column", row.waited.Text)
	assert.GreaterOrEqual(t, row.news2.Size().Width, row.news2.MinSize().Width,
		"NEWS2 %q is cut", row.news2.Text)
}

// docs/desktop.md: "A draft that cannot be read is reported and left on
// disk; the app starts with an empty form." Not even the first keystroke
// (which saves a new draft) removes it: it is moved aside.
func TestAnUnreadableDraftIsNotOverwrittenByTheNextKeystroke(t *testing.T) {
	for name, content := range map[string]string{
		"corrupt": "garbage",
		"newer":   `{"version":2,"reg_name":"Kari Nordmann","complaint":"brystsmerter"}`,
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "desk-draft.json")
			require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
			newRig(t, i18n.NB, nil)
			a, err := New(Deps{Scorer: fakeScorer{}, Store: newFakeStore(nil), Drafts: &FileDrafts{Path: p}})
			require.NoError(t, err)
			w := test.NewTempWindow(t, a.Content())
			a.Install(w)
			test.Type(a.reg.name, "O")
			kept := false
			files, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "*"))
			for _, f := range files {
				if b, _ := os.ReadFile(f); string(b) == content {
					kept = true
				}
			}
			assert.True(t, kept, "the unreadable draft was overwritten: it is no longer on disk")
		})
	}
}

// Saving a re-triage of a patient still on the monitor merges the
// monitor's recent values into the history (time order, no duplicates);
// appending them again drew the trend back from the newest to the oldest.
func TestRetriageSaveKeepsTheTrendInTimeOrder(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	id := r.triageOnMonitor("Lise")
	for i := 0; i < 3; i++ {
		r.now = r.now.Add(time.Minute)
		r.send(vitals.SpO2, 96-float64(i), vitals.Percent)
	}
	r.app.Retriage(id)
	r.drainUntil(func() bool { return r.app.form.enc != nil && r.app.form.enc.ID == id })
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) { // let loadHistory's merge land
		select {
		case f := <-r.queue:
			f()
		case <-time.After(10 * time.Millisecond):
		}
	}
	r.save()
	require.Len(t, r.store.saved, 2)
	h := r.app.history[id]
	seen := map[time.Time]int{}
	for i, o := range h {
		if o.Kind == vitals.SpO2 {
			seen[o.HostTime]++
		}
		if i > 0 {
			assert.False(t, o.HostTime.Before(h[i-1].HostTime), "history out of time order at %d: %v after %v", i, o.HostTime, h[i-1].HostTime)
		}
	}
	for at, n := range seen {
		assert.Equal(t, 1, n, "SpO2 at %v is held %d times", at, n)
	}
}
