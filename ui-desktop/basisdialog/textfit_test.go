package basisdialog

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// At the largest text the menu allows, in a 1280x1024 window, the basis
// dialog shows every text whole (issue 12 item 7: nothing cut at large
// text, dialogs included).
func TestTheBasisDialogCutsNoTextAtTheLargestText(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, s := range []float32{1, 2, desktheme.MaxScale} {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(desktheme.New(false, s))
			w := test.NewWindow(nil)
			w.Resize(fyne.NewSize(1280, 1024))
			Show(w.Canvas(), l, Choices(l), func(store.Basis, bool) {})
			assert.Empty(t, fittest.Cut(fittest.Dialog(w.Canvas())), "%s, text %.1fx", l, s)
			w.Close()
		}
	}
}
