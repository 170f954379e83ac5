package wire

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA F4: at 2x text, after a file that disagrees with the contact, Tab
// put the focus on «Legg ved likevel» below the visible part of the tab:
// no ring on screen, the reason cut, and a Space would confirm unseen.
// At every text step from 1x to the largest, in an 860-pixel window, the
// focused button and the reason above it are in view.
func TestTheMismatchConfirmationIsInViewWhenTabReachesIt(t *testing.T) {
	st, dir, mine, nurse := disagreeingFile(t)
	for _, scale := range []float32{1, 2, 2.5} {
		d := newECGDeskAt(t, st, nurse, dir, i18n.NB, scale)
		_, err := d.a.RegisterPatient(desk.Registration{NID: mine, Name: "Maja Eriksen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
		require.NoError(t, err)
		d.w.Resize(fyne.NewSize(1280, 860))
		d.a.ShowECG()
		d.typeText(t, "old.xml")
		d.key(t, fyne.KeyReturn)
		require.Contains(t, d.a.ECGMessage(), "Kontroller før EKG-et legges ved")
		c := d.w.Canvas()
		c.FocusNext() // path -> files
		c.FocusNext() // files -> the confirmation button
		btn, ok := c.Focused().(*deskwidget.Button)
		require.True(t, ok, "%.1fx: Tab reaches the confirmation: %T", scale, c.Focused())
		assert.True(t, fittest.InView(c, btn), "%.1fx: «%s» has the focus out of view", scale, btn.Text)
	}
}
