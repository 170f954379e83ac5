package deskwidget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The choice is one Tab stop that says when it has the focus: the ring
// is on the chosen option (the first when none), the arrows move it and
// Space chooses; choosing the chosen option again never unchooses it;
// a click chooses and takes the focus.
func TestRadioIsOneFocusableStopDrivenByArrowsAndSpace(t *testing.T) {
	test.NewTempApp(t)
	var changes []string
	r := NewRadio("Kjønn", []string{"kvinne", "mann"}, func(s string) { changes = append(changes, s) })
	focused := 0
	r.OnFocus = func(fyne.CanvasObject) { focused++ }
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(400, 100))
	c := w.Canvas()

	require.False(t, r.HasFocusMark())
	c.Focus(r)
	assert.Equal(t, 1, focused, "the choice tells when it gains the focus")
	assert.True(t, r.HasFocusMark(), "the ringed option shows the focus")
	assert.Equal(t, 0, r.Cursor())
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	assert.Equal(t, 1, r.Cursor())
	assert.Empty(t, r.Selected, "the arrows only move the ring")
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	assert.Equal(t, "mann", r.Selected)
	r.TypedRune(' ')
	assert.Equal(t, "mann", r.Selected, "choosing the chosen option keeps it")
	assert.Equal(t, []string{"mann"}, changes)
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	assert.Equal(t, 1, r.Cursor(), "the ring stops at the last option")
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	r.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	assert.Equal(t, 0, r.Cursor())
	assert.Equal(t, "Kjønn: mann", r.AccessibilityLabel())

	c.Unfocus()
	assert.False(t, r.HasFocusMark())
	test.Tap(r.items[0])
	assert.Equal(t, "kvinne", r.Selected)
	assert.Equal(t, r, c.Focused(), "a click takes the focus")
	c.Unfocus()
	c.Focus(r)
	assert.Equal(t, 0, r.Cursor(), "the ring starts on the chosen option")
}

// The ring is drawn in the theme's focus colour, as the lists' and
// entries' rings (whose 3:1 is measured on the desk's screens).
func TestRadioRingsInTheFocusColour(t *testing.T) {
	test.NewTempApp(t)
	r := NewRadio("Kanal", []string{"Oppmøtt", "Telefon"}, nil)
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(400, 100))
	w.Canvas().Focus(r)
	assert.Equal(t, r.Theme().Color(theme.ColorNameFocus, variant()), r.items[0].ring.Colour())
	assert.True(t, r.items[0].ring.Visible())
	assert.False(t, r.items[1].ring.Visible())
}
