package desk

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA F6: with an alert banner up (taking ~170 px of an 860-pixel window)
// Tab moved the focus to triage-form fields that stayed scrolled out of
// view (form.rr, form.hr): the form's own scroll followed the focus, but
// the tabs' scroll around it, shortened by the banner, did not. Every
// stop of the registration, triage and board Tab chains is wholly in
// view, with a banner up and without, at 1x and 2x text.
func TestEveryFocusOfTheTabChainsIsScrolledIntoView(t *testing.T) {
	for _, scale := range []float32{1, 2} {
		for _, banner := range []bool{false, true} {
			t.Run(fmt.Sprintf("%.1fx banner %v", scale, banner), func(t *testing.T) {
				r := newRig(t, i18n.EN, nil)
				r.start()
				if banner {
					r.alertOnNewMonitor("Kari Pedersen", 3)
					require.True(t, r.app.al.content.Visible())
				}
				r.app.th = desktheme.New(false, scale)
				r.app.applyTheme()
				r.app.SetQueue(sampleQueue(3, r.now), r.now)
				size := fyne.NewSize(1280, 860)
				for name, show := range map[string]func(){
					"registration": r.app.ShowRegistration,
					"triage":       func() { r.register(validNIDAny(t), "Erik Moen") },
					"board":        r.app.ShowBoard,
				} {
					show()
					capture(r.win, size)
					unseen, ok := fittest.Unseen(r.win.Canvas(), 120)
					require.True(t, ok, "%s: the Tab chain comes round", name)
					assert.Empty(t, unseen, "%s: focused out of view", name)
				}
			})
		}
	}
}

// A banner that comes up while a field has the focus leaves that field in
// view (the tabs lose height; the field does not move out of sight).
func TestABannerThatComesUpKeepsTheFocusedFieldInView(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	size := fyne.NewSize(1280, 860)
	r.alertOnNewMonitor("Kari Pedersen", 3)
	r.app.al.content.Hide() // as before the alert came
	r.register(validNIDAny(t), "Erik Moen")
	capture(r.win, size)
	f := r.app.form
	field := f.manual[f.kinds[len(f.kinds)-1]].entry // the last hand-entry row
	r.win.Canvas().Focus(field)
	// The nurse has the field at the foot of the form's area, as after
	// Tabbing down to it.
	d := fyne.CurrentApp().Driver()
	foot := d.AbsolutePositionForObject(field).Y + field.Size().Height - d.AbsolutePositionForObject(f.scroll).Y - f.scroll.Size().Height
	f.scroll.ScrollToOffset(fyne.NewPos(0, f.scroll.Offset.Y+foot))
	require.True(t, fittest.InView(r.win.Canvas(), field), "the field in view before the banner")
	r.app.al.show() // the banner comes up
	capture(r.win, size)
	require.True(t, r.app.al.content.Visible())
	require.Equal(t, field, r.win.Canvas().Focused(), "the focus stays in the field")
	assert.True(t, fittest.InView(r.win.Canvas(), field), "the field out of view after the banner came up")
}
