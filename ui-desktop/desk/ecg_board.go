package desk

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// The board's part of the ECG workflow: each queue read also reads the
// ECG state of the patients in the queue from the store (ECGs.Board), so
// a suspected STEMI signed on any workstation shows on every reception
// board, as a flag on the patient's row and on a red banner across the
// window, for as long as the patient is in the queue. Nothing of it is
// held only in this workstation's memory: a restart, a language switch or
// another desk shows the same, so it cannot be lost.

// ecgBanner is the suspected-STEMI banner above the tabs. Like the
// deterioration banner it never takes the focus.
type ecgBanner struct {
	badge   *deskwidget.Badge
	body    *widget.Label
	content *fyne.Container
}

func newECGBanner() *ecgBanner {
	b := &ecgBanner{badge: deskwidget.NewBadge("", 0, true)}
	b.body = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.body.Wrapping = fyne.TextWrapWord
	b.content = container.New(&bannerLayout{}, b.badge, b.body)
	b.content.Hide()
	return b
}

// addECGTab builds the ECG tab and the suspected-STEMI banner with the
// other screens; the tab only when the desk has the ECG workflow.
func (a *App) addECGTab() {
	a.ecgBan = newECGBanner()
	old := a.ecg // the screen before a language switch, nil at start
	a.ecg, a.ecgTab = nil, nil
	if a.d.ECGs != nil {
		a.ecg = newECGScreen(a)
		a.ecg.carryOver(old)
		// The tab scrolls within itself: fyne makes every tab as tall as
		// the tallest asks, and the ECG tab's lists asked 692 px at 1x
		// (1049 at 2x), so with a banner up every tab scrolled in the
		// window's scroll and the tab bar slid under the banner (QA G10).
		a.ecgTab = container.NewTabItem(a.lang.T("tab.ecg"), container.NewVScroll(a.ecg.content))
		a.tabs.Append(a.ecgTab)
	}
	a.showECGBanner(a.queue)
}

// refreshECG reads the ECG state of the patients in q (with the queue, on
// the UI goroutine); a failed read keeps the last state shown.
func (a *App) refreshECG(q []queue.Entry) {
	if a.d.ECGs == nil {
		return
	}
	encs := make([]ids.Encounter, len(q))
	for i, e := range q {
		encs[i] = e.EncounterID
	}
	flags, err := a.d.ECGs.Board(a.ctx, encs)
	if err != nil {
		a.d.Logf("ECG board: %v", err) // ids only, never patient data
		return
	}
	a.ecgFlags = flags // the banner follows with the board (refreshBoard)
	if a.ecg != nil && a.tabs.Selected() == a.ecgTab {
		a.ecg.showPatient()
		a.ecg.refresh()
	}
}

// ecgRowFlags are a board row's ECG flags: suspected STEMI first (an
// alert), then ECGs waiting for a physician.
func (a *App) ecgRowFlags(enc ids.Encounter) []string {
	f, ok := a.ecgFlags[enc]
	if !ok {
		return nil
	}
	var out []string
	if f.STEMI {
		out = append(out, a.lang.T("ecg.flag.stemi"))
	}
	if f.Waiting > 0 {
		out = append(out, a.lang.T("ecg.flag.waiting"))
	}
	return out
}

// showECGBanner paints the banner for the patients in queue q with a
// signed suspected STEMI (the earliest signed first), or hides it.
func (a *App) showECGBanner(q []queue.Entry) {
	b, l := a.ecgBan, a.lang
	if b == nil {
		return
	}
	inQueue := make(map[ids.Encounter]bool, len(q))
	for _, e := range q {
		inQueue[e.EncounterID] = true
	}
	var stemi []ids.Encounter
	for id, f := range a.ecgFlags {
		if f.STEMI && inQueue[id] {
			stemi = append(stemi, id)
		}
	}
	if len(stemi) == 0 {
		b.content.Hide()
		return
	}
	sort.Slice(stemi, func(i, j int) bool {
		x, y := a.ecgFlags[stemi[i]], a.ecgFlags[stemi[j]]
		if !x.STEMIAt.Equal(y.STEMIAt) {
			return x.STEMIAt.Before(y.STEMIAt)
		}
		return stemi[i] < stemi[j]
	})
	top := a.ecgFlags[stemi[0]]
	b.badge.SetAlert(l.T("ecg.alert.title", a.patientLabel(stemi[0])))
	text := l.T("ecg.alert.body", top.STEMIBy, top.STEMIAt.Local().Format("15:04"))
	if len(stemi) > 1 {
		text += " (" + l.T("ecg.alert.more", len(stemi)) + ")"
	}
	if b.content.Visible() && b.body.Text == text {
		return // the board refreshes every second: paint only changes
	}
	setText(b.body, text)
	b.content.Show()
	b.content.Refresh()
}

// ECGBannerText returns the suspected-STEMI banner's text, "" when hidden.
func (a *App) ECGBannerText() string {
	if a.ecgBan == nil || !a.ecgBan.content.Visible() {
		return ""
	}
	return a.ecgBan.badge.Text() + " " + a.ecgBan.body.Text
}
