//go:build !no_emoji

package desktheme

import (
	_ "unsafe" // go:linkname, see fyneEmojiFont

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fyneEmojiFont is fyne's bundled colour emoji font, the package variable
// fyne.io/fyne/v2/theme.emoji (a *fyne.StaticResource in builds without
// the no_emoji tag; fyne v2.8.1, pinned by TestPinnedTextStack).
//
//go:linkname fyneEmojiFont fyne.io/fyne/v2/theme.emoji
var fyneEmojiFont *fyne.StaticResource

// LeaveOutEmojiFont stops fyne from loading its 4.2 MB colour emoji font,
// as building with fyne's no_emoji tag does, but for every build of the
// app. fyne parses that font once for every text style in use (regular,
// bold, italic, monospace) and again on every theme change, as a fallback
// for characters the text font lacks; the desk never needs it: every
// character of every text it shows is in the bundled Noto Sans
// (i18n.TestEveryCharacterIsInTheFont), and a character no bundled font has
// still falls back to the system's fonts. Measured under Xvfb: 18 MB less
// resident memory (about 13 MB of Go heap and 5 MB of the binary's pages;
// docs/PERFORMANCE.md).
//
// fyne takes a nil emoji font for "none" only when its variable is an
// interface (the no_emoji build); here it is a pointer, so the slot is
// given fyne's own 9 KB symbol font, already in the same fallback list.
// Call it once, before the first window is shown.
func LeaveOutEmojiFont() {
	if sym, ok := theme.DefaultSymbolFont().(*fyne.StaticResource); ok && sym != nil {
		fyneEmojiFont = sym
	}
}
