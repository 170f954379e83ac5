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
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA (issue 15): at 2x text the 12-lead page sat below the fold of the ECG
// tab and had to be scrolled to. A physician who opens an ECG from the
// review list sees, in a 1280x1024 window and without scrolling, the
// title whole, the page's focus ring and at least the top half of the
// page, at the usual text size and at 2x; Esc goes back to the list.
func TestAnOpenedECGPageIsInViewWithoutScrolling(t *testing.T) {
	const winW, winH = 1280, 1024
	st, dir, n := longTitleContact(t, i18n.NB)
	// As QA had it: a file recorded two days before arrival, attached in
	// spite of the warning, so the title above the page is long.
	n.typeText(t, "gammel.xml")
	n.key(t, fyne.KeyReturn)
	require.Contains(t, n.a.ECGMessage(), "Kontroller før EKG-et legges ved")
	n.w.Canvas().FocusNext() // path -> files
	n.w.Canvas().FocusNext() // files -> the confirmation
	n.key(t, fyne.KeySpace)
	require.Contains(t, n.a.ECGMessage(), "er lagt ved Per Hansen-Kristiansen")

	doctor := store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}
	for _, scale := range []float32{1, 2} {
		t.Run(fmt.Sprintf("%gx", scale), func(t *testing.T) {
			d := newECGDeskAt(t, st, doctor, dir, i18n.NB, scale)
			d.w.Resize(fyne.NewSize(winW, winH))
			d.a.ShowECG()
			d.key(t, fyne.KeyReturn) // the first ECG waiting
			v := d.a.ECGView()
			require.NotNil(t, v, "the page is open")
			require.True(t, v.Focused(), "the page has the keys")
			// glfw lays the window out again when a minimum size changes
			// (EnsureMinSize each frame); the test canvas does not.
			d.w.Resize(fyne.NewSize(winW+1, winH))
			d.w.Resize(fyne.NewSize(winW, winH))
			drv := fyne.CurrentApp().Driver()
			cs := d.w.Canvas().Size()
			title := d.a.ECGTitleLabel()
			tp := drv.AbsolutePositionForObject(title)
			assert.True(t, title.Visible() && tp.Y >= 0 && tp.Y+title.Size().Height <= cs.Height+0.5,
				"the title is in view: y %.0f + %.0f of %.0f", tp.Y, title.Size().Height, cs.Height)
			vp, vs := drv.AbsolutePositionForObject(v), v.Size()
			off, page := v.PageArea()
			top := vp.Y + off.Y
			assert.GreaterOrEqual(t, vp.Y, float32(0), "the focus ring's top is in view")
			assert.LessOrEqual(t, top+page.Height/2, cs.Height, "the top half of the page is in view: it starts at y %.0f and is %.0f tall in a %.0f px window", top, page.Height, cs.Height)
			assert.LessOrEqual(t, vp.X+vs.Width, cs.Width+0.5, "the page is not cut on the right")
			assert.LessOrEqual(t, vp.Y+vs.Height, cs.Height+0.5, "the page and its status line are whole in view")
			assert.GreaterOrEqual(t, page.Width, float32(ecgpageMinW), "the page has at least its minimum room")

			// Signed, the title still names the file's patient and the
			// confirmed mismatch, also after a language switch there and
			// back; the keys go to the page (the form is read-only).
			// (Signed at the last size only: the list is then empty.)
			if scale == 2 {
				before := title.Text
				form := d.a.ECGSignForm()
				form.Text.SetText("sinusrytme")
				form.Sign()
				require.True(t, form.Signed(), form.Msg.Text)
				assert.True(t, d.a.ECGView().Focused(), "after signing the keys are on the page")
				d.a.ToggleLanguage()
				d.a.ToggleLanguage()
				require.NotNil(t, d.a.ECGView(), "the open page survives a language switch")
				assert.Equal(t, before, d.a.ECGTitleLabel().Text)
				d.w.Canvas().Focus(d.a.ECGView())
			}

			d.key(t, fyne.KeyEscape)
			assert.Nil(t, d.a.ECGView(), "Esc closes the page")
			d.a.ToggleLanguage()
			assert.Nil(t, d.a.ECGView(), "a closed page stays closed after a language switch")
			d.a.ToggleLanguage()
			_, onList := d.w.Canvas().Focused().(interface{ EmptyShown() bool })
			assert.True(t, onList, "the focus is on a list")
		})
	}
}

// At every text step the menu reaches, the open page's tab (title, state,
// back button, page status line and the sign form) shows every text whole
// in a 1280x1024 window.
func TestTheOpenECGPageCutsNoTextAtAnyTextStep(t *testing.T) {
	const winW, winH = 1280, 1024
	st, dir, n := longTitleContact(t, i18n.EN)
	n.typeText(t, "gammel.xml")
	n.key(t, fyne.KeyReturn)
	n.w.Canvas().FocusNext()
	n.w.Canvas().FocusNext()
	n.key(t, fyne.KeySpace)

	d := newECGDesk(t, st, store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}, dir, i18n.EN)
	d.w.Resize(fyne.NewSize(winW, winH))
	d.a.ShowECG()
	d.key(t, fyne.KeyReturn)
	require.NotNil(t, d.a.ECGView())
	for _, s := range fittest.Steps() {
		d.a.ScaleText(s - d.a.Theme().Scale)
		d.w.Resize(fyne.NewSize(winW+1, winH)) // lay out again, as glfw does when minimum sizes change
		d.w.Resize(fyne.NewSize(winW, winH))
		assert.Empty(t, fittest.Cut(d.a.Content()), "text %.1fx", s)
	}
}

// longTitleContact gives a fresh store and fyne test app, and a reception
// desk in lang on the ECG tab of a just registered walk-in with a long
// name (Per Hansen-Kristiansen, no identity number); in dir, gammel.xml is
// a cart file recorded two days before arrival, so attaching it asks for
// the separate confirmation and the page's title comes out long.
func longTitleContact(t *testing.T, lang i18n.Lang) (*store.Store, string, *ecgDesk) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	test.NewTempApp(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "gammel.xml"), restingECGWith("", "", time.Now().Add(-48*time.Hour)), 0o600))
	n := newECGDesk(t, st, store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}, dir, lang)
	_, err = n.a.RegisterPatient(desk.Registration{Name: "Per Hansen-Kristiansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	n.a.ShowECG()
	return st, dir, n
}
