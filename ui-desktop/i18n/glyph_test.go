package i18n

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"
)

// TestEveryCharacterIsInTheFont: a character fyne's bundled font lacks is
// drawn as a box (an arrow was), unreadable to the nurse. Every character
// of every text, in both languages, must have a glyph in the regular and
// the bold font.
func TestEveryCharacterIsInTheFont(t *testing.T) {
	for _, res := range []fyne.Resource{theme.DefaultTextFont(), theme.DefaultTextBoldFont()} {
		f, err := sfnt.Parse(res.Content())
		require.NoError(t, err, res.Name())
		var buf sfnt.Buffer
		for _, l := range Langs {
			for _, k := range l.Keys() {
				for _, r := range l.T(k) {
					g, err := f.GlyphIndex(&buf, r)
					require.NoError(t, err)
					assert.NotZero(t, g, "%s %s: %q (U+%04X) has no glyph in %s", l, k, r, r, res.Name())
				}
			}
		}
	}
}
