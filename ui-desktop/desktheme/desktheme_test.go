package desktheme

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage"
)

// luminance is the WCAG 2 relative luminance of c.
func luminance(c color.NRGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestEveryTriageSwatchIsReadable(t *testing.T) {
	for _, hc := range []bool{false, true} {
		th := New(hc, 1)
		for _, c := range append(append([]triage.Colour{}, triage.Colours...), triage.Colour(9)) {
			s := th.ColourSwatch(c)
			assert.GreaterOrEqual(t, contrast(s.Fill, s.Text), 4.5, "%s label on its fill (high contrast %v): contrast below WCAG AA", c, hc)
		}
		s := th.AlertSwatch()
		assert.GreaterOrEqual(t, contrast(s.Fill, s.Text), 4.5, "alert banner text")
	}
}

func TestTriageColoursAreDistinctFills(t *testing.T) {
	seen := map[color.NRGBA]triage.Colour{}
	th := New(false, 1)
	for _, c := range triage.Colours {
		f := th.ColourSwatch(c).Fill
		prev, dup := seen[f]
		assert.False(t, dup, "%s and %s share a fill", c, prev)
		seen[f] = c
	}
}

func TestHighContrastIsBlackOnWhite(t *testing.T) {
	th := New(true, 1)
	assert.Equal(t, color.NRGBA{A: 0xff}, th.Color(theme.ColorNameForeground, theme.VariantDark))
	assert.Equal(t, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, th.Color(theme.ColorNameBackground, theme.VariantDark))
	assert.Greater(t, th.Size(theme.SizeNameInputBorder), New(false, 1).Size(theme.SizeNameInputBorder))
	test.AssertAllColorNamesDefined(t, th, "high contrast")
	test.AssertAllColorNamesDefined(t, New(false, 1), "default")
}

func TestTextScales(t *testing.T) {
	tests := []struct {
		name  string
		scale float32
		want  float32
	}{
		{"scale 1 is the base size", 1, BaseText},
		{"scale 1.5 is half as large again", 1.5, BaseText * 1.5},
		{"zero means the base size", 0, BaseText},
		{"too small is clamped to the minimum", 0.1, BaseText * MinScale},
		{"too large is clamped to the maximum", 9, BaseText * MaxScale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, Theme{Scale: tt.scale}.Size(theme.SizeNameText), 0.001)
		})
	}
	assert.Greater(t, Theme{Scale: 1}.Size(theme.SizeNameHeadingText), Theme{Scale: 1}.Size(theme.SizeNameText))
}

// The focus mark stands out at least 3:1 from what is around it (WCAG 2.1
// 1.4.11) and text on it stays at least 4.5:1 (1.4.3), in the dark, light
// and high-contrast themes.
func TestTheFocusMarkIsVisibleInEveryTheme(t *testing.T) {
	nrgba := func(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }
	for _, tc := range []struct {
		name string
		th   Theme
		v    fyne.ThemeVariant
	}{
		{"dark", New(false, 1), theme.VariantDark},
		{"dark, whatever the system asks", New(false, 1), theme.VariantLight},
		{"high contrast", New(true, 1), theme.VariantLight},
	} {
		t.Run(tc.name, func(t *testing.T) {
			focus := nrgba(tc.th.Color(theme.ColorNameFocus, tc.v))
			assert.Equal(t, uint8(0xff), focus.A, "an opaque mark: its contrast does not depend on what is under it")
			for _, around := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
				c := contrast(focus, nrgba(tc.th.Color(around, tc.v)))
				assert.GreaterOrEqual(t, c, 3.0, "focus on %s: %.2f:1", around, c)
			}
			for _, text := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameForegroundOnPrimary} {
				c := contrast(focus, nrgba(tc.th.Color(text, tc.v)))
				assert.GreaterOrEqual(t, c, 4.5, "%s on focus: %.2f:1", text, c)
			}
		})
	}
}

// fyne paints a focused button in the focus colour: the button's own fill
// (medium, warning) must differ from it by 3:1, or the focus is not seen.
// Primary buttons cannot (their white text bounds them), so
// deskwidget.Button rings them.
func TestAFocusedButtonChangesAtLeast3To1(t *testing.T) {
	nrgba := func(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }
	for _, hc := range []bool{false, true} {
		th := New(hc, 1)
		focus := nrgba(th.Color(theme.ColorNameFocus, theme.VariantDark))
		for _, n := range []fyne.ThemeColorName{theme.ColorNameButton, theme.ColorNameWarning} {
			c := contrast(focus, nrgba(th.Color(n, theme.VariantDark)))
			assert.GreaterOrEqual(t, c, 3.0, "high contrast %v: focus on %s: %.2f:1", hc, n, c)
		}
		c := contrast(nrgba(th.Color(theme.ColorNameWarning, theme.VariantDark)), nrgba(th.Color(theme.ColorNameForegroundOnWarning, theme.VariantDark)))
		assert.GreaterOrEqual(t, c, 4.5, "text on a warning button: %.2f:1", c)
	}
}

// Dialogs are shaded, never blurred, in every variant: fyne's blur keeps
// a window-sized texture for the session and redraws it every frame.
func TestDialogsAreNotBlurred(t *testing.T) {
	for _, hc := range []bool{false, true} {
		for _, scale := range []float32{1, 1.2, 2} {
			assert.Zero(t, New(hc, scale).Size(theme.SizeNameModalBlurRadius), "high contrast %t, scale %g", hc, scale)
		}
	}
	assert.NotZero(t, theme.DefaultTheme().Size(theme.SizeNameModalBlurRadius), "fyne's own theme blurs: the case above is needed")
}
