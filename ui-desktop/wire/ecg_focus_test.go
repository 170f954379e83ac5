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
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// tabChain Tabs through every focusable of w once and measures each
// one's focus mark.
func tabChain(t *testing.T, w fyne.Window) []fittest.Mark {
	t.Helper()
	marks, ok := fittest.FocusMarks(w.Canvas(), 80)
	require.True(t, ok, "the Tab chain comes round")
	require.NotEmpty(t, marks, "something takes the focus")
	return marks
}

// QA (issue 12 item 7, session 5): as a physician with no ECG waiting,
// Ctrl+E put the focus on the empty review list, which showed nothing.
// Every stop of the ECG tab's Tab chain must show its focus at 3:1 in
// both themes, an empty list says it is empty in its own area, and the
// same holds with a page open and lists with rows.
func TestEveryFocusOnTheECGTabIsSeen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)
	doctorActor := store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}
	for _, hc := range []bool{false, true} {
		t.Run(fmt.Sprintf("empty list, high contrast %v", hc), func(t *testing.T) {
			d := newECGDesk(t, st, doctorActor, t.TempDir(), i18n.NB)
			if hc {
				d.a.ToggleContrast()
			}
			d.w.Resize(fyne.NewSize(1280, 1024))
			d.a.ShowECG()
			list, ok := d.w.Canvas().Focused().(*deskwidget.List)
			require.True(t, ok, "a physician lands in the review list")
			require.Equal(t, 0, list.Length())
			assert.True(t, list.EmptyShown(), "the empty list says so")
			assert.Contains(t, list.AccessibilityLabel(), "Ingen EKG venter på tolkning")
			for _, m := range tabChain(t, d.w) {
				assert.GreaterOrEqual(t, m.Pixels, fittest.MinMark, "%s: its focus is not seen (%d px at 3:1)", m.Name, m.Pixels)
			}
		})
	}

	// With ECGs waiting and one open: the lists' rows and the page.
	nurse := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
	carts := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(carts, "ekg.xml"), restingECG(), 0o600))
	n := newECGDesk(t, st, nurse, carts, i18n.NB)
	_, err = n.a.RegisterPatient(desk.Registration{Name: "Per Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	n.a.ShowECG()
	n.typeText(t, "ekg.xml")
	n.key(t, fyne.KeyReturn)
	require.Contains(t, n.a.ECGMessage(), "er lagt ved Per Hansen")
	d := newECGDesk(t, st, doctorActor, carts, i18n.NB)
	d.w.Resize(fyne.NewSize(1280, 1024))
	d.a.ShowECG()
	d.key(t, fyne.KeyReturn)
	require.NotNil(t, d.a.ECGView(), "the page is open")
	for _, m := range tabChain(t, d.w) {
		assert.GreaterOrEqual(t, m.Pixels, fittest.MinMark, "page open: %s: its focus is not seen (%d px at 3:1)", m.Name, m.Pixels)
	}
}
