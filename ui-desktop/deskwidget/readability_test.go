package deskwidget

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
)

func reviewLum(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

func reviewContrast(a, b color.Color) float64 {
	la, lb := reviewLum(a), reviewLum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// docs/desktop.md: "When a monitor drops, its last values stay on the
// tiles with their age and go FORELDET"; a stale value must stay readable
// (34 px bold is large text: WCAG AA 3:1), in both fyne variants.
func TestAStaleValueStaysReadable(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a := test.NewTempApp(t)
		a.Settings().SetTheme(variantTheme{desktheme.New(false, 1), v})
		tile := NewVitalTile("RF", "–")
		tile.Set(VitalView{Name: "RF", Value: "22", Unit: "/min", Marker: "FORELDET"})
		test.NewTempWindow(t, tile)
		fg, bg := tile.value.Color, theme.Color(theme.ColorNameBackground)
		assert.GreaterOrEqual(t, reviewContrast(fg, bg), 3.0, "variant %v: the stale value %v on %v is not readable", v, fg, bg)
	}
}

// variantTheme is the desk theme in one fixed fyne variant (light or dark,
// as the workstation's system setting picks).
type variantTheme struct {
	desktheme.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

func countColour(img image.Image, x0, x1, y0, y1 int, c color.Color) int {
	r0, g0, b0, _ := c.RGBA()
	n := 0
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && b>>8 == b0>>8 {
				n++
			}
		}
	}
	return n
}

// A trend with no data for 23 minutes (monitor off, patient away) must
// not draw a line through the gap as if values had been measured there.
func TestTheTrendDoesNotDrawThroughAGap(t *testing.T) {
	test.NewTempApp(t)
	s := NewSparkline("SpO2", 80, 100)
	t0 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	var pts []Point
	for _, m := range []int{0, 1, 2, 25, 26, 27} {
		pts = append(pts, Point{T: t0.Add(time.Duration(m) * time.Minute), V: 97})
	}
	s.Set(pts, t0, t0.Add(30*time.Minute))
	test.WidgetRenderer(s)
	img := s.raster.Generator(240, 44)
	x := 13 * 239 / 30 // 13 minutes: no value was measured then
	fg := theme.Color(theme.ColorNameForeground)
	assert.Zero(t, countColour(img, x-2, x+2, 2, 41, fg), "a line is drawn through 23 minutes without data")
}
