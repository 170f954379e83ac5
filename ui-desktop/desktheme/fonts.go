package desktheme

import (
	_ "unsafe" // go:linkname, see fyneShaper

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/shaping"
)

// fyneShaper is fyne's one text shaper, the package variable
// fyne.io/fyne/v2/internal/painter.shaper (fyne v2.8.1, go-text/typesetting
// v0.3.4; TestFyneShaperIsTheOneThatShapes and TestPinnedTextStack keep
// this true). Every text fyne measures or draws goes through it.
//
// Why we reach it: on every theme change (high contrast, text size, a
// settings change) fyne drops its parsed fonts and parses every font
// again, new *font.Face values. The shaper keeps a harfbuzz font per
// *font.Font (an LRU of 32) and its buffer a shaping plan per *font.Face
// in a map that is never emptied, and both keep the whole parsed font
// alive: about 3 MB of Go heap stayed behind per theme change, without
// bound (measured: docs/PERFORMANCE.md, "Memory over time"). fyne offers
// no public way to reset it.
//
//go:linkname fyneShaper fyne.io/fyne/v2/internal/painter.shaper
var fyneShaper *shaping.HarfbuzzShaper

// ReleaseShapedFonts empties fyne's shaper: its harfbuzz fonts and shaping
// plans, and with them every parsed font that only they still held. The
// next text shaped builds what it needs again (one harfbuzz font and a
// plan per font in use, microseconds each). Call it on the goroutine that
// draws (fyne's UI goroutine), as fyne itself shapes only there.
func ReleaseShapedFonts() {
	if fyneShaper != nil {
		*fyneShaper = shaping.HarfbuzzShaper{}
	}
}

// ReleaseFontsOnThemeChange makes every theme change of s release the
// fonts of the theme before (ReleaseShapedFonts). fyne calls settings
// listeners on the goroutine that changed the theme, in the same step in
// which it re-parses its fonts, so no text is shaped with an old font after
// it. Call it once, right after the app is made.
func ReleaseFontsOnThemeChange(s fyne.Settings) {
	s.AddListener(func(fyne.Settings) { ReleaseShapedFonts() })
}
