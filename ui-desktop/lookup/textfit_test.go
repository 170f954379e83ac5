package lookup

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// At the usual, double and the largest text, in a 1280x1024 window, the
// look-up shows every text whole, with a patient found (issue 12 item 7:
// nothing cut at large text, dialogs included).
func TestTheLookupCutsNoTextAtLargeText(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, s := range []float32{1, 2, desktheme.MaxScale} {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(desktheme.New(false, s))
			w := test.NewWindow(nil)
			w.Resize(fyne.NewSize(1280, 1024))
			f := &fakeStore{}
			d := Show(context.Background(), w.Canvas(), l, f, nil)
			d.SetNID("15858010060")
			d.Search()
			require.NotNil(t, d.Basis)
			d.Basis.Choose(store.BasisConsent)
			d.Basis.Open()
			require.NotEmpty(t, d.Result())
			assert.Empty(t, fittest.Cut(fittest.Dialog(w.Canvas())), "%s, text %.1fx", l, s)
			w.Close()
		}
	}
}
