// Package desktheme is the look of the reception desktop: fyne's default
// theme with text that scales (readable from a step away, larger on demand)
// and a high-contrast variant (black on white, thick borders, no greys),
// plus the triage colour palette with a readable text colour for each.
//
// Colour never carries a signal alone: every place that paints a triage
// colour also writes its text label (triage.Colour.Label).
package desktheme

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/legevakt/workstation/triage"
)

// Scale limits: text may be made 0.8 to 2.5 times the base size.
const (
	MinScale = 0.8
	MaxScale = 2.5
	// BaseText is the body text size at scale 1. fyne's default is 14;
	// reception screens are read from a step away, so the base is larger.
	BaseText = 16
)

// Theme is a fyne.Theme with text scaling and a high-contrast switch.
// Build it with New and replace it (app.Settings().SetTheme) to change.
type Theme struct {
	HighContrast bool
	Scale        float32 // text scale, clamped to [MinScale, MaxScale]
}

var _ fyne.Theme = Theme{}

// New returns a theme with the scale clamped into its accepted range.
func New(highContrast bool, scale float32) Theme {
	return Theme{HighContrast: highContrast, Scale: ClampScale(scale)}
}

// ClampScale keeps a text scale within [MinScale, MaxScale]; 0 means 1.
func ClampScale(s float32) float32 {
	switch {
	case s == 0 || s != s: // 0 or NaN
		return 1
	case s < MinScale:
		return MinScale
	case s > MaxScale:
		return MaxScale
	}
	return s
}

// Color implements fyne.Theme. The normal theme is always fyne's dark
// variant and high contrast always black on white, whatever the system
// asks for: each was checked for contrast (focus mark, swatches) as it is,
// and fyne's light variant has mid-grey text that no focus fill can carry
// at 4.5:1 while standing 3:1 off white.
func (t Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		return t.FocusColour()
	}
	switch n {
	case theme.ColorNameWarning:
		// A focused button is painted in the focus colour: fyne's orange
		// (#FF9800) differs from it by 2.5:1 only, this amber by 3.3:1
		// (dark) and 3.0:1 (high contrast), with black text at 13:1.
		return color.NRGBA{R: 0xff, G: 0xd5, B: 0x4f, A: 0xff}
	case theme.ColorNameForegroundOnWarning:
		return color.NRGBA{A: 0xff}
	}
	if !t.HighContrast {
		if n == theme.ColorNameButton {
			// fyne's #28292E differs from the focus colour by 2.8:1; a
			// focused button must change by 3:1 (WCAG 2.1 1.4.11).
			return color.NRGBA{R: 0x20, G: 0x21, B: 0x24, A: 0xff}
		}
		return theme.DefaultTheme().Color(n, theme.VariantDark)
	}
	black := color.NRGBA{A: 0xff}
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	switch n {
	case theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground,
		theme.ColorNameInputBackground, theme.ColorNameHeaderBackground:
		return white
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator,
		theme.ColorNamePlaceHolder, theme.ColorNameDisabled, theme.ColorNameScrollBar:
		return black
	case theme.ColorNameButton, theme.ColorNameDisabledButton:
		return color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return color.NRGBA{B: 0xb0, A: 0xff} // dark blue, 10:1 on white
	case theme.ColorNameSelection:
		return color.NRGBA{R: 0xff, G: 0xe0, A: 0xff} // yellow highlight behind black text
	case theme.ColorNameHover, theme.ColorNamePressed:
		return color.NRGBA{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff}
	case theme.ColorNameError:
		return color.NRGBA{R: 0xb0, A: 0xff}
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError:
		return white
	case theme.ColorNameShadow:
		return color.NRGBA{A: 0x66}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// Font implements fyne.Theme.
func (t Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon implements fyne.Theme.
func (t Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size implements fyne.Theme: text sizes follow the scale; high contrast
// thickens borders and separators so focus and fields are seen.
func (t Theme) Size(n fyne.ThemeSizeName) float32 {
	s := ClampScale(t.Scale)
	switch n {
	case theme.SizeNameText:
		return BaseText * s
	case theme.SizeNameCaptionText:
		return (BaseText - 2) * s
	case theme.SizeNameHeadingText:
		return (BaseText + 8) * s
	case theme.SizeNameSubHeadingText:
		return (BaseText + 3) * s
	case theme.SizeNameInlineIcon:
		return 20 * s
	case theme.SizeNameInputBorder:
		if t.HighContrast {
			return 3
		}
	case theme.SizeNameSeparatorThickness:
		if t.HighContrast {
			return 2
		}
	case theme.SizeNameModalBlurRadius:
		// No blur behind a dialog: the dimmed shade still marks it modal.
		// fyne 2.8 blurs by copying the window into a texture of the
		// window's size, kept for the rest of the session (4.3 MiB at
		// 1280x860 under Xvfb's software OpenGL, from the first dialog
		// on), and blurs it in two passes on every frame the dialog is
		// open, on the CPU where there is no GPU (docs/PERFORMANCE.md,
		// "Memory").
		return 0
	}
	return theme.DefaultTheme().Size(n)
}

// Swatch is how a triage colour is painted: its fill and the text colour
// that is readable on it (contrast at least 4.5:1, WCAG AA).
type Swatch struct {
	Fill color.NRGBA
	Text color.NRGBA
}

// FocusColour is the focus mark: the whole background of a focused
// drop-down, the circle behind a focused check box, the fill of a focused
// button. fyne's own is its primary blue at half opacity, which on the
// high-contrast theme put black text on dark blue (about 1.6:1). Ours is
// opaque and chosen so that, WCAG 2.1 AA, the mark stands out at least 3:1
// from the window and input backgrounds around it (1.4.11) and the text
// drawn on it keeps at least 4.5:1 (1.4.3), in either theme:
//   - dark: #1D6BD0 (relative luminance 0.153): 3.1:1 on the input
//     background, 3.5:1 on the window, 4.7:1 under the light text;
//   - high contrast: #2A72DC (0.177): 4.6:1 on white, 4.5:1 under black
//     text and 4.6:1 under the white text of a primary button.
func (t Theme) FocusColour() color.NRGBA {
	if !t.HighContrast {
		return color.NRGBA{R: 0x1d, G: 0x6b, B: 0xd0, A: 0xff}
	}
	return color.NRGBA{R: 0x2a, G: 0x72, B: 0xdc, A: 0xff}
}

// ColourSwatch returns the paint for a triage colour. The fills are the
// usual triage hues, darkened where white text must be read on them; the
// high-contrast palette darkens them further. An unknown colour is grey
// with black text, never a triage hue.
func (t Theme) ColourSwatch(c triage.Colour) Swatch {
	black := color.NRGBA{A: 0xff}
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	switch c {
	case triage.Red:
		if t.HighContrast {
			return Swatch{color.NRGBA{R: 0x9e, A: 0xff}, white}
		}
		return Swatch{color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}, white}
	case triage.Orange:
		return Swatch{color.NRGBA{R: 0xff, G: 0x8f, B: 0x00, A: 0xff}, black}
	case triage.Yellow:
		return Swatch{color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0xff}, black}
	case triage.Green:
		if t.HighContrast {
			return Swatch{color.NRGBA{R: 0x1b, G: 0x5e, B: 0x20, A: 0xff}, white}
		}
		return Swatch{color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}, white}
	case triage.Blue:
		if t.HighContrast {
			return Swatch{color.NRGBA{R: 0x0d, G: 0x47, B: 0xa1, A: 0xff}, white}
		}
		return Swatch{color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff}, white}
	}
	return Swatch{color.NRGBA{R: 0xbd, G: 0xbd, B: 0xbd, A: 0xff}, black}
}

// AlertSwatch is the paint of the deterioration alert banner: it must not be
// missed, so it is the strongest red with white bold text in both themes.
func (t Theme) AlertSwatch() Swatch {
	return Swatch{color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff}, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}}
}

// Current returns the app's theme as a Theme when it is one, else the
// default (no high contrast, scale 1), so widgets can ask for swatches.
func Current() Theme {
	if a := fyne.CurrentApp(); a != nil {
		if t, ok := a.Settings().Theme().(Theme); ok {
			return t
		}
	}
	return Theme{Scale: 1}
}
