package deskwidget

import (
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// golden renders o alone in a window of size and compares it with
// testdata/name (rewritten with -update). The desk theme is applied so the
// goldens show what the nurses see; fonts are fyne's bundled ones, so the
// software painter's output is the same on every machine.
func golden(t *testing.T, name string, o fyne.CanvasObject, size fyne.Size, th desktheme.Theme) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, th)
	w := test.NewTempWindow(t, o)
	w.SetPadded(false)
	w.Resize(size)
	img := w.Canvas().Capture()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, img))
		require.NoError(t, f.Close())
	}
	test.AssertImageMatches(t, name, img)
}

func TestBadgeGoldens(t *testing.T) {
	for _, hc := range []bool{false, true} {
		name := "badges.png"
		if hc {
			name = "badges-high-contrast.png"
		}
		t.Run(name, func(t *testing.T) {
			th := desktheme.New(hc, 1)
			test.NewTempApp(t)
			test.ApplyTheme(t, th)
			box := container.NewVBox()
			for _, c := range triage.Colours {
				b := NewBadge("Hastegrad", 160, false)
				b.SetColour(c, c.Label("nb"))
				box.Add(b)
			}
			alert := NewBadge("", 160, true)
			alert.SetAlert("FORVERRING")
			box.Add(alert)
			golden(t, name, box, fyne.NewSize(220, 300), th)
		})
	}
}

func TestBadgeAlwaysCarriesItsTextLabel(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range triage.Colours {
		b := NewBadge("Hastegrad", 0, false)
		b.SetColour(c, c.Label("nb"))
		assert.Equal(t, "Hastegrad: "+c.Label("nb"), b.AccessibilityLabel())
		assert.NotEmpty(t, b.Text(), "%s has no text", c)
	}
}

func TestVitalTileGoldens(t *testing.T) {
	tests := []struct {
		name string
		view VitalView
	}{
		{"vital-fresh.png", VitalView{Name: "SpO2", Value: "94", Unit: "%", Source: "kilde monitor-1", Age: "3 s siden"}},
		{"vital-stale.png", VitalView{Name: "RF", Value: "22", Unit: "/min", Source: "kilde monitor-1", Age: "2 min siden", Marker: "FORELDET"}},
		{"vital-missing.png", VitalView{Name: "Temp", Value: "–"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			v := NewVitalTile(tt.view.Name, "–")
			v.Set(tt.view)
			golden(t, tt.name, v, fyne.NewSize(200, 120), desktheme.New(false, 1))
		})
	}
}

func TestVitalTileReadsOutEverythingItShows(t *testing.T) {
	test.NewTempApp(t)
	v := NewVitalTile("RF", "–")
	v.Set(VitalView{Name: "RF", Value: "22", Unit: "/min", Source: "kilde monitor-1", Age: "2 min siden", Marker: "FORELDET"})
	assert.Equal(t, "RF 22 /min, kilde monitor-1, 2 min siden, FORELDET", v.AccessibilityLabel())
}

// ecgSignal is a clean synthetic lead: an R wave each period.
func ecgSignal(rate, bpm float64, n int) ([]float64, []int) {
	s := make([]float64, n)
	var beats []int
	period := 60 / bpm
	for i := range s {
		t := float64(i) / rate
		ph := math.Mod(t, period) - period/2
		s[i] = math.Exp(-ph * ph / (2 * 0.012 * 0.012))
	}
	for b := period / 2; b < float64(n)/rate; b += period {
		beats = append(beats, int(math.Round(b*rate)))
	}
	return s, beats
}

func TestECGStripGolden(t *testing.T) {
	test.NewTempApp(t)
	e := NewECGStrip("EKG", 6*time.Second)
	s, beats := ecgSignal(250, 72, 1000)
	e.Push(s, 250, beats)
	assert.Equal(t, len(beats), e.Beats())
	golden(t, "ecg-strip.png", e, fyne.NewSize(360, 110), desktheme.New(false, 1))
}

func TestECGStripKeepsOnlyItsWindow(t *testing.T) {
	test.NewTempApp(t)
	e := NewECGStrip("EKG", 2*time.Second)
	s, beats := ecgSignal(100, 60, 500) // 5 s at 60/min: 5 beats, 2 s kept
	e.Push(s[:250], 100, beats[:3])
	e.Push(s[250:], 100, []int{beats[3] - 250, beats[4] - 250, -10})
	assert.Equal(t, 2, e.Beats(), "only the beats of the last 2 s stay marked")
	e.Push(s[:10], 200, nil)
	assert.Equal(t, 0, e.Beats(), "a new rate starts the strip afresh")
}

func TestSparklineGolden(t *testing.T) {
	test.NewTempApp(t)
	s := NewSparkline("SpO2", 80, 100)
	t0 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	var pts []Point
	for i := 0; i <= 30; i++ {
		pts = append(pts, Point{T: t0.Add(time.Duration(i) * time.Minute), V: 97 - float64(i)/5})
	}
	s.Set(pts, t0, t0.Add(30*time.Minute))
	golden(t, "sparkline.png", s, fyne.NewSize(240, 44), desktheme.New(false, 1))
}

func TestListSelectsTheHighlightedRowOnEnter(t *testing.T) {
	test.NewTempApp(t)
	rows := []string{"Kari", "Ola", "Per"}
	var picked []widget.ListItemID
	l := NewList("Venteliste", func() int { return len(rows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(rows[id]) })
	l.OnSelected = func(id widget.ListItemID) { picked = append(picked, id) }
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(200, 200))
	w.Canvas().Focus(l)
	l.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	l.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	l.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Equal(t, []widget.ListItemID{2}, picked, "Enter picks the third row after two arrow presses")
	l.Describe = func() string { return rows[2] }
	assert.Equal(t, "Venteliste: Per", l.AccessibilityLabel())
}

func TestABadgeColumnGrowsWithTheTextScale(t *testing.T) {
	for _, scale := range []float32{1, 1.2, 2.5} {
		t.Run(fmt.Sprintf("at %.1fx", scale), func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(desktheme.New(false, scale))
			wide := NewBadge("", 150, false)
			wide.SetNeutral("IKKE TRIAGERT")
			short := NewBadge("", 150, false)
			short.SetColour(triage.Blue, "BLÅ")
			test.NewTempWindow(t, container.NewVBox(wide, short))
			assert.Equal(t, wide.MinSize().Width, short.MinSize().Width, "the longest label fits the column width")
		})
	}
}
