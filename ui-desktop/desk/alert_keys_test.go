package desk

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// focusables lists every focusable object under o, as Tab would reach it.
func focusables(o fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if f, ok := o.(fyne.Focusable); ok {
			out = append(out, f)
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, x := range test.WidgetRenderer(w).Objects() {
				walk(x)
			}
		}
	}
	walk(o)
	return out
}

// An alert raised while the nurse types another patient's form takes
// neither the focus nor a key; nothing on the banner can be reached with
// Tab; and Tab, Space and Enter pressed on every field of the window never
// acknowledge it: only Ctrl+K, a reason and a confirmation do.
func TestAnAlertNeverTakesTheFocusAndStrayKeysNeverAcknowledgeIt(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.halfFilled() // Siri waits on the monitor; Per's form is being typed
	r.win.Canvas().Focus(r.app.form.complaint)
	test.Type(r.app.form.complaint, " og kvalm")

	r.send(vitals.RR, 26, vitals.PerMin) // Siri: 0 -> 3 points
	require.Len(t, r.app.OpenAlerts(), 1)
	assert.Equal(t, r.app.form.complaint, r.app.win.Canvas().Focused(), "the alert took the focus")
	assert.Zero(t, r.app.win.Canvas().Overlays().List(), "nothing was opened over the form")
	test.Type(r.app.form.complaint, ", 2 dager")
	assert.Equal(t, "brystsmerter og kvalm, 2 dager", r.app.form.complaint.Text, "a key was swallowed")

	assert.Empty(t, focusables(r.app.al.content), "the banner holds something Tab can reach")

	// Tab through the whole window, pressing Space and Enter everywhere.
	c := r.win.Canvas().(test.WindowlessCanvas)
	for i := 0; i < 80; i++ {
		c.FocusNext()
		if f := c.Focused(); f != nil {
			f.TypedRune(' ')
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
		}
		for _, o := range c.Overlays().List() {
			c.Overlays().Remove(o) // a drop-down opened by Space
		}
	}
	assert.Len(t, r.app.OpenAlerts(), 1, "a stray key acknowledged the alert")
	assert.Empty(t, r.store.acks)
	assert.Contains(t, r.app.BoardText()[0]+r.app.BoardText()[1], r.app.lang.T("board.alert"), "the board flag stays")
}

// A new single parameter scoring 3 alerts even when the total rose by 1
// only and no band changed; a red rule of the engine alerts at the same
// NEWS2; each says so in words.
func TestASingleThreeAndARedRuleAlertInWords(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Siri")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 93, vitals.Percent) // 2 points
	r.send(vitals.RR, 16, vitals.PerMin)
	r.send(vitals.HR, 90, vitals.PerMin)
	r.save()

	r.send(vitals.SpO2, 91, vitals.Percent) // 3 points: a rise of 1, a new single 3
	require.Len(t, r.app.OpenAlerts(), 1)
	assert.Contains(t, r.app.al.body.Text, "SpO2 gir 3 poeng")

	r.send(vitals.HR, 140, vitals.PerMin) // the fake's red rule, NEWS2 unchanged
	open := r.app.OpenAlerts()
	require.Len(t, open, 1, "one open alert per patient")
	assert.Equal(t, 1, open[0].Updates, "the red rule folded into the open alert")
	assert.Contains(t, r.app.al.body.Text, "rød regel: puls")
	assert.Contains(t, r.app.al.body.Text, "hastegrad nå RØD")
}

// A monitored value that goes stale, and a monitor that falls silent,
// alert for a patient under continuous monitoring.
func TestStaleValuesAndASilentMonitorAlert(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.triageOnMonitor("Siri")
	r.app.Tick()
	require.Empty(t, r.app.OpenAlerts())

	r.now = r.now.Add(61 * 1e9) // past the 60 s limit of SpO2 and RR
	r.app.Tick()
	open := r.app.OpenAlerts()
	require.Len(t, open, 1)
	assert.Contains(t, r.app.al.body.Text, "stale from the monitor: SpO2, RR")

	r.feed.status <- DeviceStatus{State: StateDisconnected, At: r.now}
	r.drainUntil(func() bool { return r.app.feeds["sim-1"].status.State == StateDisconnected })
	r.app.Tick()
	open = r.app.OpenAlerts()
	require.Len(t, open, 1)
	assert.True(t, open[0].Silent)
	assert.Contains(t, r.app.al.body.Text, "the monitor sends nothing")
}
