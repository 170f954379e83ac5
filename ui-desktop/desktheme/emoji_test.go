//go:build !no_emoji

package desktheme

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLeaveOutEmojiFont: fyne's emoji fallback becomes its small symbol
// font, and text in every style is still measured (no font load error,
// a width for every character).
func TestLeaveOutEmojiFont(t *testing.T) {
	test.NewTempApp(t)
	orig := theme.DefaultEmojiFont()
	require.NotNil(t, orig)
	t.Cleanup(func() { fyneEmojiFont = orig.(*fyne.StaticResource) })
	assert.Greater(t, len(orig.Content()), 1<<20, "fyne's bundled emoji font")
	LeaveOutEmojiFont()
	assert.Same(t, theme.DefaultSymbolFont(), theme.DefaultEmojiFont())
	assert.Less(t, len(theme.DefaultEmojiFont().Content()), 64<<10)
	a := test.NewTempApp(t) // fonts parsed again, without the emoji font
	a.Settings().SetTheme(New(false, 1.3))
	for _, st := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}} {
		one := fyne.MeasureText("x", 21, st).Width
		assert.InDelta(t, 40*one, fyne.MeasureText(strings.Repeat("x", 40), 21, st).Width, 1, "%+v", st)
		assert.Greater(t, fyne.MeasureText("Åse – 38,9 °C · SpO₂ 93 %", 21, st).Width, 10*one, "%+v", st)
	}
}
