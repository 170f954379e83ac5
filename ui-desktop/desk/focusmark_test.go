package desk

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Every stop of the registration, triage and board tabs' Tab chains shows
// its focus: at least fittest.MinMark pixels change 3:1 between focused
// and not, in the dark and the high-contrast theme (issue 12 item 7; QA
// found the class on the ECG tab's empty list).
func TestEveryFocusOnTheDeskTabsIsSeen(t *testing.T) {
	// Each capture is a full software render: the triage form (the most
	// stops) and registration (its channel and sex choices) in both
	// themes, the board in one.
	for _, hc := range []bool{false, true} {
		t.Run(fmt.Sprintf("high contrast %v", hc), func(t *testing.T) {
			r := newRig(t, i18n.NB, nil)
			r.start()
			if hc {
				r.app.ToggleContrast()
			}
			r.app.SetQueue(sampleQueue(3, r.now), r.now)
			r.win.Resize(fyne.NewSize(1280, 860))
			shows := []func(){r.app.ShowRegistration, func() { r.register(validNIDAny(t), "Kari Nordmann") }}
			if hc {
				shows = []func(){r.app.ShowRegistration, func() { r.register(validNIDAny(t), "Kari Nordmann") }, r.app.ShowBoard}
			}
			for _, show := range shows {
				show()
				marks, ok := fittest.FocusMarks(r.win.Canvas(), 80)
				require.True(t, ok, "the Tab chain comes round")
				require.NotEmpty(t, marks)
				for _, m := range marks {
					assert.GreaterOrEqual(t, m.Pixels, fittest.MinMark, "%s: its focus is not seen (%d px at 3:1)", m.Name, m.Pixels)
				}
			}
		})
	}
}
