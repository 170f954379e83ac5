package deskwidget

import (
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
)

// A focused button shows a ring, and a warning, danger or success button
// is drawn as a primary one while focused (white text on the focus
// colour, 4.7:1; its own dark text would be 4.1:1), and as itself again
// when the focus leaves.
func TestAFocusedButtonIsRingedAndItsTextStaysReadable(t *testing.T) {
	test.NewTempApp(t)
	for _, imp := range []widget.Importance{widget.MediumImportance, widget.HighImportance, widget.WarningImportance, widget.DangerImportance, widget.SuccessImportance} {
		b := NewButton("Legg ved likevel", func() {})
		b.Importance = imp
		other := NewButton("Avbryt", func() {})
		w := test.NewTempWindow(t, container.NewVBox(b, other))
		w.Canvas().Focus(b)
		assert.True(t, b.HasFocusMark(), "importance %v: ringed when focused", imp)
		want := imp
		if imp != widget.MediumImportance {
			want = widget.HighImportance
		}
		assert.Equal(t, want, b.Importance, "importance %v while focused", imp)
		w.Canvas().Focus(other)
		assert.False(t, b.HasFocusMark())
		assert.Equal(t, imp, b.Importance, "itself again")
	}
}
