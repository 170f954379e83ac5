package wire

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
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
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// luminance is the WCAG 2 relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

func contrastOf(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// markPixels counts the pixels that differ at least 3:1 between the
// unfocused and the focused picture: the focus mark as WCAG 2.2 2.4.13
// measures it (the same pixels in both states), which 1.4.11 asks of a
// visible focus.
func markPixels(off, on image.Image) int {
	n := 0
	b := on.Bounds().Intersect(off.Bounds())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if contrastOf(off.At(x, y), on.At(x, y)) >= 3 {
				n++
			}
		}
	}
	return n
}

// minMark is the fewest pixels a focus mark may change: a ring of 2 px
// around a 13 px square; fyne's hover tint on a list row changes none.
const minMark = 100

// focusMark is one stop of the Tab chain and how much its focus changes.
type focusMark struct {
	name   string
	pixels int
}

// tabChain Tabs through every focusable of w once, from the first, and
// measures each one's focus mark.
func tabChain(t *testing.T, w fyne.Window) []focusMark {
	t.Helper()
	c := w.Canvas()
	c.Unfocus()
	c.FocusNext()
	first := c.Focused()
	require.NotNil(t, first, "something takes the focus")
	var out []focusMark
	for i := 0; i < 80; i++ {
		f := c.Focused()
		on := c.Capture()
		c.Unfocus()
		off := c.Capture()
		c.Focus(f)
		name := fmt.Sprintf("%T", f)
		if a, ok := f.(fyne.Accessible); ok {
			name += " " + a.AccessibilityLabel()
		}
		out = append(out, focusMark{name, markPixels(off, on)})
		c.FocusNext()
		if c.Focused() == first {
			return out
		}
	}
	t.Fatalf("the Tab chain does not come round")
	return nil
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
				assert.GreaterOrEqual(t, m.pixels, minMark, "%s: its focus is not seen (%d px at 3:1)", m.name, m.pixels)
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
		assert.GreaterOrEqual(t, m.pixels, minMark, "page open: %s: its focus is not seen (%d px at 3:1)", m.name, m.pixels)
	}
}
