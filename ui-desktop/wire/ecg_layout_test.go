package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Issue 15 (QA under Xvfb): with an ECG page open the window grew to
// 1350 px on a 1280 px screen and every tab was cut on the right from
// then on. The page scales within its area instead (squares kept square),
// so the desk's content asks for no more than the screen's width with a
// page open, at the usual text size and at 2x, and the form column beside
// the page stays in the window.
// ecgpageMinW is the page's minimum width: 1 px per millimetre of A4.
const ecgpageMinW = 297

func TestAnOpenECGPageNeverMakesTheWindowWiderThanTheScreen(t *testing.T) {
	const screenW = 1280
	for _, scale := range []float32{1, 2} {
		t.Run(fmt.Sprintf("%gx", scale), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
			require.NoError(t, err)
			defer st.Close()
			test.NewTempApp(t)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "ekg.xml"), restingECG(), 0o600))
			nurse := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
			d := newECGDeskAt(t, st, nurse, dir, i18n.NB, scale)
			before := d.a.Content().MinSize().Width
			_, err = d.a.RegisterPatient(desk.Registration{Name: "Per Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
			require.NoError(t, err)
			d.a.ShowECG()
			d.typeText(t, "ekg.xml")
			d.key(t, fyne.KeyReturn)
			require.Contains(t, d.a.ECGMessage(), "er lagt ved Per Hansen")
			d.a.ShowECG()
			d.w.Canvas().FocusNext() // path -> files
			d.w.Canvas().FocusNext() // files -> the contact's ECGs
			d.key(t, fyne.KeyReturn)
			require.NotNil(t, d.a.ECGView(), "the page is open")

			min := d.a.Content().MinSize()
			assert.LessOrEqual(t, min.Width, float32(screenW), "an open page would make the window wider than the screen (%g before it opened)", before)
			d.w.Resize(fyne.NewSize(screenW, 1024))
			form := d.a.ECGSignForm()
			require.NotNil(t, form)
			p := fyne.CurrentApp().Driver().AbsolutePositionForObject(form.Button)
			assert.LessOrEqual(t, p.X+form.Button.Size().Width, float32(screenW)+0.5, "the Signer button is cut on the right")
			v := d.a.ECGView()
			vp := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
			assert.Greater(t, v.Size().Width, float32(ecgpageMinW)-0.5, "the page has at least its minimum room")
			assert.LessOrEqual(t, vp.X+v.Size().Width, p.X+0.5, "the page lies left of the form, inside the window")
		})
	}
}
