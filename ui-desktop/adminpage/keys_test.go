package adminpage

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// The review list answers the keyboard: the arrows move, Enter chooses.
func TestReviewListByKeyboard(t *testing.T) {
	test.NewTempApp(t)
	p := New(context.Background(), i18n.NB, newFake(), "admin")
	w := test.NewTempWindow(t, p.Content())
	w.Resize(fyne.NewSize(1000, 700))
	p.FocusFirst(w.Canvas())
	assert.Equal(t, "admin.review", p.FocusName(w.Canvas().Focused()))
	p.review.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.review.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Equal(t, 1, p.item)
	p.review.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	p.review.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	assert.Equal(t, 0, p.item)
	w.Canvas().FocusNext()
	assert.Equal(t, "admin.note", p.FocusName(w.Canvas().Focused()), "Tab from the list goes to the note")
}
