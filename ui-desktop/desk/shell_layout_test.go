package desk

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// alertOnNewMonitor registers name on a monitor of its own, saves a
// normal triage and sends an SpO2 of 85 (0 -> 3 points): an alert.
func (r *rig) alertOnNewMonitor(name string, n int) {
	r.t.Helper()
	id := fmt.Sprintf("mon-%d", n)
	feed := newFakeFeed()
	r.mons.feeds[id] = feed
	r.mons.list = append(r.mons.list, MonitorChoice{Kind: MonitorConfigured, ID: id, Location: "Obs " + id, Path: "/dev/ttyUSB" + id, Profile: "intellivue"})
	r.app.setChoices(r.mons.list, nil)
	open := len(r.app.OpenAlerts())
	r.register(validNIDAny(r.t), name)
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[len(r.mons.list)-1]))
	require.NotNil(r.t, r.app.form.feed)
	base := vitals.Observation{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent, Source: id, HostTime: r.now, Quality: vitals.Valid}
	feed.obs <- base // a triage measures something (a save with nothing measured is refused)
	r.drainUntil(func() bool { lf := r.app.feeds[id]; return lf != nil && lf.latest[vitals.SpO2] == base })
	r.save()
	feed.obs <- vitals.Observation{Kind: vitals.SpO2, Value: 85, Unit: vitals.Percent, Source: id, HostTime: r.now, Quality: vitals.Valid}
	r.drainUntil(func() bool { return len(r.app.OpenAlerts()) == open+1 })
}

// visible reports whether o lies wholly inside the window w, and is given
// at least its minimum size (so its text is not cut).
func visibleIn(t *testing.T, w fyne.Window, o fyne.CanvasObject) bool {
	t.Helper()
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	s, c := o.Size(), w.Canvas().Size()
	return o.Visible() && p.X >= 0 && p.Y >= 0 && p.X+s.Width <= c.Width+0.5 && p.Y+s.Height <= c.Height+0.5 &&
		s.Width+0.5 >= o.MinSize().Width && s.Height+0.5 >= o.MinSize().Height
}

// Issue 12 item 7: nothing is cut at 2x text, and the window never grows
// past the screen. Before, the banners, the form's sticky header and the
// device bar were outside any scroll, so their minimum size made the
// window grow (1280x1618 at 2x, 1913x7572 at 2.5x with alerts). Now, with
// three open alerts and a patient on the form, the window's content asks
// for no more than a 1280x1024 screen; the alert banner (badge, text and
// actions), the patient, NEWS2 and the colour are in the window at their
// full size (at 2.5x the alert's text may go on below the banners' area,
// which scrolls), and the rest of the form scrolls.
func TestTheWindowNeverGrowsPastTheScreenWithLargeTextAndAlerts(t *testing.T) {
	screen := fyne.NewSize(1280, 1024)
	for _, scale := range []float32{2, desktheme.MaxScale} {
		t.Run(fmt.Sprintf("%.1fx", scale), func(t *testing.T) {
			r := newRig(t, i18n.NB, nil)
			r.start()
			for i, name := range []string{"Mona Kristiansen-Haugland", "Siri Johannessen", "Per Andreas Løvaas"} {
				r.alertOnNewMonitor(name, 3+i)
			}
			require.Len(t, r.app.OpenAlerts(), 3)
			r.register(validNIDAny(t), "Kari Nordmann-Bergersen")
			r.app.th = desktheme.New(false, scale)
			r.app.applyTheme()
			capture(r.win, screen) // a full layout pass at the screen's size
			capture(r.win, screen) // again: wrapped text settles at its width

			min := r.app.Content().MinSize()
			assert.LessOrEqual(t, min.Width, screen.Width, "the window would grow wider than the screen")
			assert.LessOrEqual(t, min.Height, screen.Height, "the window would grow taller than the screen")

			al := r.app.al
			require.True(t, al.content.Visible())
			top := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.app.top).Y + r.app.top.Size().Height
			for name, o := range map[string]fyne.CanvasObject{"alert badge": al.badge, "alert text": al.body,
				"re-triage action": al.retriage, "acknowledge action": al.ack} {
				assert.True(t, visibleIn(t, r.win, o), "%s cut or outside the window", name)
				bottom := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y + o.Size().Height
				if o == al.body && scale > 2 {
					// At 2.5x a long text may go on below the area, which
					// scrolls; its first line is in view.
					bottom = fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y + 2*theme.TextSize()
				}
				assert.LessOrEqual(t, bottom, top+0.5, "%s below the banners' area: scrolled out of view", name)
			}
			assert.LessOrEqual(t, r.app.top.Size().Height, screen.Height*bannerShare+0.5, "the banners take more than their share")

			f := r.app.form
			for name, o := range map[string]fyne.CanvasObject{"patient": f.patient, "NEWS2": f.news2, "colour": f.colour} {
				assert.True(t, visibleIn(t, r.win, o), "sticky header's %s cut or outside the window", name)
			}
			assert.Greater(t, f.scroll.Content.MinSize().Height, f.scroll.Size().Height, "the form is taller than its room: it must scroll")
			assert.Greater(t, f.scroll.Size().Height, float32(0), "the form has room below its header")
		})
	}
}

// The banners' area scrolls back to the deterioration alert when a new
// alert arrives, so the newest is in view even after the nurse scrolled
// the banners.
func TestANewAlertScrollsTheBannersBackToIt(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.alertOnNewMonitor("Mona", 3)
	r.app.th = desktheme.New(false, desktheme.MaxScale)
	r.app.applyTheme()
	capture(r.win, fyne.NewSize(1280, 600))
	capture(r.win, fyne.NewSize(1280, 600))
	require.Greater(t, r.app.top.Content.MinSize().Height, r.app.top.Size().Height, "the banners overflow their area at 2.5x in 600 pixels")
	r.app.top.ScrollToBottom()
	require.Greater(t, r.app.top.Offset.Y, float32(0))
	r.alertOnNewMonitor("Siri", 4)
	assert.Zero(t, r.app.top.Offset.Y, "the banners' area is back at the alert")
}
