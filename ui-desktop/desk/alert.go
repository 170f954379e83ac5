package desk

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/deterioration"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// alertBar is the deterioration alert: a red banner across the top of the
// window that stays until acknowledged, and a modal pop-up when an alert is
// raised, so it cannot be missed on any tab.
type alertBar struct {
	a        *App
	badge    *deskwidget.Badge
	body     *widget.Label
	ack      *widget.Button
	retriage *widget.Button
	content  *fyne.Container
	popup    *widget.PopUp
	popTitle *deskwidget.Badge
	popBody  *widget.Label
	popWarn  *widget.Label // the question about discarding the form, hidden when none
}

func newAlertBar(a *App) *alertBar {
	l := a.lang
	b := &alertBar{a: a}
	b.badge = deskwidget.NewBadge("", 0, true)
	b.body = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.body.Wrapping = fyne.TextWrapWord
	b.ack = widget.NewButton(l.T("alert.ack"), a.AcknowledgeTop)
	b.retriage = widget.NewButton(l.T("alert.retriage"), a.RetriageTop)
	b.retriage.Importance = widget.HighImportance
	b.content = container.NewBorder(nil, nil, b.badge, container.NewHBox(b.retriage, b.ack), b.body)
	b.content.Hide()
	return b
}

// raise shows a new alert: the banner, and the pop-up over the window.
func (b *alertBar) raise(al deterioration.Alert) {
	if b.a.win == nil {
		b.show()
		return
	}
	l := b.a.lang
	title := deskwidget.NewBadge("", 0, true)
	b.popTitle = title
	title.SetAlert(l.T("alert.title", b.patient(al)))
	b.popBody = widget.NewLabelWithStyle(b.describe(al), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.popBody.Wrapping = fyne.TextWrapWord
	ack := widget.NewButton(l.T("alert.ack"), b.a.AcknowledgeTop)
	re := widget.NewButton(l.T("alert.retriage"), b.a.RetriageTop)
	re.Importance = widget.HighImportance
	if b.popup != nil {
		b.popup.Hide()
	}
	b.popWarn = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.popWarn.Importance = widget.DangerImportance
	b.popWarn.Wrapping = fyne.TextWrapWord
	b.popWarn.Hide()
	box := container.NewVBox(title, b.popBody, b.popWarn, container.NewHBox(re, ack))
	b.popup = widget.NewModalPopUp(box, b.a.win.Canvas())
	width := fyne.Max(box.MinSize().Width, 620)
	b.popup.Resize(fyne.NewSize(width, box.MinSize().Height))
	// A wrapping body knows how many lines it needs only once it has its
	// width: size again, so the pop-up fits its text without a blank band.
	b.popup.Resize(fyne.NewSize(width, box.MinSize().Height))
	b.popup.Show()
	b.a.win.Canvas().Focus(re)
	b.show()
}

// patient names the alerted encounter as the board does.
func (b *alertBar) patient(al deterioration.Alert) string {
	id, _ := strconv.ParseInt(al.EncounterID, 10, 64)
	for _, e := range b.a.queue {
		if e.EncounterID == id {
			return e.Patient
		}
	}
	return "#" + al.EncounterID
}

func (b *alertBar) describe(al deterioration.Alert) string {
	l := b.a.lang
	var why []string
	for _, r := range al.Reasons {
		switch r {
		case deterioration.ReasonRise:
			why = append(why, l.T("alert.reason.rise", al.Rise()))
		case deterioration.ReasonBandUp:
			why = append(why, l.T("alert.reason.band"))
		}
	}
	band := func(b deterioration.Band) string { return bandText(l, bandName(b)) }
	return l.T("alert.body", al.Baseline.Total, al.Reading.Total, band(al.Baseline.Band), band(al.Reading.Band)) + " " + strings.Join(why, "; ")
}

// show paints the banner for the most severe open alert, or hides it.
func (b *alertBar) show() {
	open := b.a.watch.Open()
	if len(open) == 0 {
		b.content.Hide()
		if b.popup != nil {
			b.popup.Hide()
			b.popup = nil
		}
		return
	}
	l := b.a.lang
	top := open[0]
	b.badge.SetAlert(l.T("alert.title", b.patient(top)))
	if b.popup != nil && b.popTitle != nil {
		// The pop-up always shows the alert Ctrl+K and Ctrl+R act on.
		b.popTitle.SetAlert(l.T("alert.title", b.patient(top)))
		b.popBody.SetText(b.describe(top))
	}
	text := b.describe(top)
	if len(open) > 1 {
		text += " (" + l.T("alert.open", len(open)) + ")"
	}
	b.body.SetText(text)
	b.content.Show()
	b.content.Refresh()
}

// OpenAlerts returns the unacknowledged deterioration alerts, most severe first.
func (a *App) OpenAlerts() []deterioration.Alert { return a.watch.Open() }

// Acks returns the acknowledgements made in this session.
func (a *App) Acks() []deterioration.Ack { return a.watch.Acks() }

// AcknowledgeTop acknowledges the most severe open alert as the user, and
// records it in the store.
func (a *App) AcknowledgeTop() {
	open := a.watch.Open()
	if len(open) == 0 {
		return
	}
	a.acknowledge(open[0], false, "")
}

// AckNoteLeftQueue is the note of an alert closed because its patient left
// the queue (called in, done, gone): nobody acted on it, and the record
// says so rather than posing as a nurse's acknowledgement or re-triage.
const AckNoteLeftQueue = "patient left the queue"

// acknowledge closes al in the watch and records it in the store. note is
// "" for a nurse's acknowledgement (retriage says whether a re-triage
// followed), or AckNoteLeftQueue.
func (a *App) acknowledge(al deterioration.Alert, retriage bool, note string) {
	watchNote := note
	if retriage {
		watchNote = "re-triage"
	}
	ack, err := a.watch.Acknowledge(al.ID, a.d.User, a.d.Now(), watchNote)
	if err != nil {
		a.d.Logf("acknowledge: %v", err)
		return
	}
	id, _ := strconv.ParseInt(ack.EncounterID, 10, 64)
	rec := Acknowledgement{
		EncounterID: id, AlertID: ack.AlertID, By: ack.By, At: ack.At,
		NEWS2Before: al.Baseline.Total, NEWS2After: al.Reading.Total,
		BandBefore: bandName(al.Baseline.Band), BandAfter: bandName(al.Reading.Band),
		Retriage: retriage, Note: note,
	}
	if err := a.d.Store.RecordAck(a.ctx, rec); err != nil {
		// The acknowledgement stands in the watch (the alert is closed on
		// this screen); the failure to record it must be seen, not only logged.
		a.d.Logf("record acknowledgement: %v", err)
		a.form.fail(a.lang.T("alert.ack.err", err.Error()))
	}
	a.al.show()
	a.brd.refresh(a.d.Now())
}

// bandName is a band as the store and the engine write it, "" for none.
func bandName(b deterioration.Band) string {
	if b == deterioration.BandUnknown {
		return ""
	}
	return b.String()
}

// RetriageTop acknowledges the most severe open alert ("re-triage") and
// opens the triage form for that patient.
func (a *App) RetriageTop() {
	open := a.watch.Open()
	if len(open) == 0 {
		return
	}
	al := open[0]
	id, err := strconv.ParseInt(al.EncounterID, 10, 64)
	if err != nil {
		return
	}
	// Asked before acknowledging: a press that opened nothing must not
	// close the alert.
	if !a.mayReplaceForm(id, "retriage.confirm.alert") {
		return
	}
	a.acknowledge(al, true, "")
	a.retriage(id)
}

// warn shows text in the pop-up (the question about discarding the form),
// or hides it when text is "".
func (b *alertBar) warn(text string) {
	if b.popWarn == nil {
		return
	}
	b.popWarn.SetText(text)
	if text == "" {
		b.popWarn.Hide()
	} else {
		b.popWarn.Show()
	}
	if b.popup != nil && b.popup.Visible() {
		box := b.popup.Content
		b.popup.Resize(fyne.NewSize(b.popup.Size().Width, box.MinSize().Height))
	}
}

// deviceBar is the always-visible device status line at the bottom: the
// form's monitor, its state in words on a coloured badge, and what to
// check when it is not live.
type deviceBar struct {
	a       *App
	badge   *deskwidget.Badge
	text    *widget.Label
	user    *widget.Label
	content fyne.CanvasObject
}

func newDeviceBar(a *App) *deviceBar {
	d := &deviceBar{a: a}
	d.badge = deskwidget.NewBadge(a.lang.T("triage.monitor"), 150, false)
	d.text = widget.NewLabel("")
	d.text.Wrapping = fyne.TextWrapWord
	d.user = widget.NewLabel(a.lang.T("status.user", a.d.User))
	d.content = container.NewBorder(widget.NewSeparator(), nil, d.badge, d.user, d.text)
	return d
}

// show paints the form's monitor status.
func (d *deviceBar) show() {
	l := d.a.lang
	lf := d.a.formFeed
	if lf == nil {
		d.badge.SetNeutral(l.T("triage.monitor.none"))
		d.text.SetText(l.T("device.none"))
		return
	}
	s := lf.status
	state := l.T("device." + string(s.State))
	switch s.State {
	case StateLive:
		d.badge.SetColour(triage.Green, state)
	case StateConnecting:
		d.badge.SetColour(triage.Yellow, state)
	case StateNoData:
		d.badge.SetColour(triage.Orange, state)
	default:
		d.badge.SetAlert(state)
	}
	text := l.T("device.status", d.a.choiceLabel(lf.choice), state)
	if s.State != StateLive {
		check := l.T("device.check." + string(s.State))
		if s.Hint != "" {
			check = s.Hint + "; " + check
		}
		text += " – " + l.T("device.check", check)
	}
	d.text.SetText(text)
}

// DeviceLine returns the device status line's text (tests, screen readers).
func (a *App) DeviceLine() string { return a.dev.badge.Text() + " " + a.dev.text.Text }
