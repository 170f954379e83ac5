package desk

import (
	"image"
	"os"
	"os/exec"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA F10: fyne drops the renderers of what has not been drawn for its
// cache time (FYNE_CACHE, a minute by default), so the Registration tab,
// hidden that long behind the board, came back with its focused identity
// entry not drawn at all. The cache time is read when fyne starts, so the
// test runs itself again with a short one.
func TestATabHiddenPastFynesCacheTimeIsDrawnWhenShownAgain(t *testing.T) {
	if os.Getenv("DESK_TAB_CACHE_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestATabHiddenPastFynesCacheTimeIsDrawnWhenShownAgain$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DESK_TAB_CACHE_CHILD=1", "FYNE_CACHE=20ms")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		return
	}
	r := newRig(t, i18n.NB, nil)
	r.app.ToggleContrast() // as QA ran it; the dark theme lost it too
	r.app.ShowBoard()
	time.Sleep(50 * time.Millisecond) // past the cache time: not an assertion on time
	// The first paint cleans fyne's cache: the hidden tab's renderers go.
	r.win.Canvas().Capture()
	r.app.ShowRegistration()
	require.Equal(t, r.app.reg.id, r.win.Canvas().Focused())
	img := r.win.Canvas().Capture()

	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.app.reg.id)
	size := r.app.reg.id.Size()
	require.Greater(t, size.Width, float32(20), "the entry has its room in the form")
	sc := r.win.Canvas().Scale()
	rect := image.Rect(int(pos.X*sc), int(pos.Y*sc), int((pos.X+size.Width)*sc), int((pos.Y+size.Height)*sc))
	bg := img.At(rect.Min.X-2, rect.Min.Y+rect.Dy()/2) // the form's background beside the entry
	br, bgG, bb, _ := bg.RGBA()
	drawn := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr != br || cg != bgG || cb != bb {
				drawn++
			}
		}
	}
	// Its border alone (3 px in high contrast) round the box is hundreds
	// of pixels; not drawn, it is a dot of the focus ring's corner.
	assert.Greater(t, drawn, 2*(rect.Dx()+rect.Dy()), "the focused identity entry is drawn (%d px differ from the background)", drawn)
}
