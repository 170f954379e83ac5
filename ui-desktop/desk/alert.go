package desk

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/deterioration"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// alertBar is the deterioration alert: a red banner across the top of the
// window that stays until the alert is answered. It never takes the focus
// and holds nothing focusable, so typing in a form goes on undisturbed and
// no Tab, Space or Enter typed for something else can answer it. It is
// answered only by a deliberate act: re-triage and save (Ctrl+R, or a
// click on its action), or acknowledge with a written reason (Ctrl+K, or a
// click, then the reason and the confirm button).
type alertBar struct {
	lang     i18n.Lang
	svc      alertServices
	badge    *deskwidget.Badge
	body     *widget.Label
	ack      *deskwidget.ActionBadge
	retriage *deskwidget.ActionBadge
	content  *fyne.Container
	// shown is called when the banner shows another alert or new text,
	// so the banners' area scrolls back to it (nil: nothing to scroll).
	shown func()

	// The acknowledgement dialog, open only after Ctrl+K (or a click on
	// the banner's action): it asks what was done.
	dialog   *widget.PopUp
	dlgFor   string // the alert id the dialog answers
	dlgTitle *deskwidget.Badge
	dlgBody  *widget.Label
	reason   *deskwidget.Entry
	confirm  *deskwidget.Button
	dlgWarn  *widget.Label // the question about discarding the form, or a missing reason
}

// alertServices is what the banner needs from the rest of the desktop:
// the open alerts, words about the alerted patient, the three deliberate
// answers and the window's canvas for the acknowledgement dialog.
type alertServices struct {
	// open lists the unacknowledged alerts, most severe first.
	open func() []deterioration.Alert
	// patient names encounter id with its sex, age and temporary id.
	patient func(id ids.Encounter) string
	// partial words an incomplete NEWS2 of encounter id ("NEWS2 minst N
	// (mangler …)").
	partial func(id ids.Encounter, total int) string
	// ruleNames words the red rules of encounter id by their fields.
	ruleNames func(id ids.Encounter, rules []string) string
	// retriage re-triages the top alert's patient (Ctrl+R); ack
	// acknowledges al with the nurse's reason, typed in the dialog.
	retriage func()
	ack      func(al deterioration.Alert, reason string)
	// canvas is the window's canvas, nil before the window exists.
	canvas func() fyne.Canvas
}

func newAlertBar(l i18n.Lang, svc alertServices) *alertBar {
	b := &alertBar{lang: l, svc: svc}
	b.badge = deskwidget.NewBadge("", 0, true)
	b.body = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.body.Wrapping = fyne.TextWrapWord
	b.ack = deskwidget.NewActionBadge("", l.T("alert.ack.open"), b.askTop)
	b.retriage = deskwidget.NewActionBadge("", l.T("alert.retriage.open"), svc.retriage)
	b.content = container.New(&bannerLayout{}, b.badge, b.body, container.NewHBox(b.retriage, b.ack))
	b.content.Hide()
	return b
}

// raise shows a new or updated alert on the banner. It never moves the
// focus and opens nothing over the form.
func (b *alertBar) raise(al deterioration.Alert) {
	b.show()
	if b.dialog != nil && b.dlgFor == al.ID {
		b.dlgBody.SetText(b.describe(al))
	}
}

// patient names the alerted encounter as the board does, with the sex, age
// and temporary id when known.
func (b *alertBar) patient(al deterioration.Alert) string {
	return b.svc.patient(al.EncounterID)
}

func (b *alertBar) describe(al deterioration.Alert) string {
	l, id := b.lang, al.EncounterID
	var why []string
	for _, r := range al.Reasons {
		switch r {
		case deterioration.ReasonRise:
			why = append(why, l.T("alert.reason.rise", al.Rise()))
		case deterioration.ReasonBandUp:
			why = append(why, l.T("alert.reason.band"))
		case deterioration.ReasonThree:
			why = append(why, l.T("alert.reason.three", paramList(l, al.NewThrees)))
		case deterioration.ReasonRedRule:
			why = append(why, l.T("alert.reason.red", b.svc.ruleNames(id, al.NewRedRules)))
		case deterioration.ReasonColourUp:
			why = append(why, l.T("alert.reason.colour", al.Reading.Colour.Label(l)))
		case deterioration.ReasonStale:
			why = append(why, l.T("alert.reason.stale", paramList(l, al.Stale)))
		case deterioration.ReasonSilent:
			why = append(why, l.T("alert.reason.silent"))
		}
	}
	band := func(b deterioration.Band) string { return bandText(l, bandName(b)) }
	text := l.T("alert.body", al.Baseline.Total, al.Reading.Total, band(al.Baseline.Band), band(al.Reading.Band))
	if !al.Reading.Complete {
		// An incomplete set is a lower bound: say so, with what is missing.
		text = b.svc.partial(id, al.Reading.Total) + ". " + text
	}
	text += " " + strings.Join(why, "; ")
	if al.Updates > 0 {
		text += " (" + l.T("alert.updated", al.Updated.Local().Format("15:04")) + ")"
	}
	return text
}

// show paints the banner for the most severe open alert, or hides it.
func (b *alertBar) show() {
	open := b.svc.open()
	if len(open) == 0 {
		b.content.Hide()
		b.closeDialog()
		return
	}
	l := b.lang
	top := open[0]
	b.badge.SetAlert(l.T("alert.title", b.patient(top)))
	text := b.describe(top)
	if len(open) > 1 {
		text += " (" + l.T("alert.open", len(open)) + ")"
	}
	changed := !b.content.Visible() || b.body.Text != text
	b.body.SetText(text)
	b.ack.SetNeutral(l.T("alert.ack.open"))
	b.retriage.SetNeutral(l.T("alert.retriage.open"))
	b.content.Show()
	b.content.Refresh()
	if changed && b.shown != nil {
		b.shown() // the newest alert in view, however many banners are up
	}
	if b.dialog != nil {
		still := false
		for _, al := range open {
			still = still || al.ID == b.dlgFor
		}
		if !still {
			b.closeDialog() // answered elsewhere (re-triage saved, patient left)
		}
	}
}

// askAck opens the acknowledgement dialog for al: the reason field has the
// focus, and the confirm button stays disabled until a reason is typed.
func (b *alertBar) askAck(al deterioration.Alert) {
	cv := b.svc.canvas()
	if cv == nil {
		return
	}
	b.closeDialog()
	l := b.lang
	b.dlgFor = al.ID
	b.dlgTitle = deskwidget.NewBadge("", 0, true)
	b.dlgTitle.SetAlert(l.T("alert.ack.title", b.patient(al)))
	b.dlgBody = widget.NewLabelWithStyle(b.describe(al), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.dlgBody.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(l.T("alert.ack.hint"))
	hint.Wrapping = fyne.TextWrapWord
	b.reason = deskwidget.NewEntry(l.T("alert.ack.reason.a11y"))
	b.reason.SetPlaceHolder(l.T("alert.ack.reason"))
	b.confirm = deskwidget.NewButton(l.T("alert.ack.confirm"), func() { b.confirmAck(b.reason.Text) })
	b.confirm.Importance = widget.HighImportance
	b.confirm.Disable()
	b.reason.OnChanged = func(s string) {
		if strings.TrimSpace(s) == "" {
			b.confirm.Disable()
		} else {
			b.confirm.Enable()
			b.dlgWarn.Hide()
		}
	}
	b.reason.OnSubmitted = b.confirmAck
	cancel := deskwidget.NewButton(l.T("alert.ack.cancel"), b.closeDialog)
	b.dlgWarn = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.dlgWarn.Importance = widget.DangerImportance
	b.dlgWarn.Wrapping = fyne.TextWrapWord
	b.dlgWarn.Hide()
	box := container.NewVBox(deskwidget.Fit(b.dlgTitle), b.dlgBody, hint, widget.NewLabel(l.T("alert.ack.reason")), b.reason, b.dlgWarn,
		container.NewHBox(b.confirm, cancel))
	b.dialog = widget.NewModalPopUp(box, cv)
	width := fyne.Max(box.MinSize().Width, 640)
	b.dialog.Resize(fyne.NewSize(width, box.MinSize().Height))
	// A wrapping body knows its height only once it has its width.
	b.dialog.Resize(fyne.NewSize(width, box.MinSize().Height))
	b.dialog.Show()
	cv.Focus(b.reason)
}

func (b *alertBar) closeDialog() {
	if b.dialog == nil {
		return
	}
	b.dialog.Hide()
	b.dialog, b.dlgFor = nil, ""
}

// OpenAlerts returns the unacknowledged deterioration alerts, most severe first.
func (a *App) OpenAlerts() []deterioration.Alert { return a.watch.Open() }

// Acks returns the acknowledgements made in this session.
func (a *App) Acks() []deterioration.Ack { return a.watch.Acks() }

// AcknowledgeTop asks to acknowledge the most severe open alert: it opens
// the dialog that asks what was done. Nothing is acknowledged until the
// reason is typed and confirmed (ConfirmAck).
func (a *App) AcknowledgeTop() { a.al.askTop() }

// ConfirmAck acknowledges the alert the dialog was opened for with reason,
// the nurse's words for what was done. An empty reason acknowledges
// nothing and says so.
func (a *App) ConfirmAck(reason string) { a.al.confirmAck(reason) }

// askTop opens the acknowledgement dialog for the most severe open alert.
func (b *alertBar) askTop() {
	if open := b.svc.open(); len(open) > 0 {
		b.askAck(open[0])
	}
}

// confirmAck acknowledges the alert the dialog was opened for with reason;
// an empty reason acknowledges nothing and says so in the dialog.
func (b *alertBar) confirmAck(reason string) {
	if b.dialog == nil {
		return
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		b.dlgWarn.SetText(b.lang.T("alert.ack.need"))
		b.dlgWarn.Show()
		return
	}
	for _, al := range b.svc.open() {
		if al.ID == b.dlgFor {
			b.closeDialog()
			b.svc.ack(al, reason)
			return
		}
	}
	b.closeDialog()
}

// AckNoteLeftQueue is the note of an alert closed because its patient left
// the queue (called in, done, gone): nobody acted on it, and the record
// says so rather than posing as a nurse's acknowledgement or re-triage.
const AckNoteLeftQueue = "patient left the queue"

// acknowledge closes al in the watch and records it in the store. note is
// the nurse's reason for acknowledging without re-triage, "" when a saved
// re-triage answered it (retriage), or AckNoteLeftQueue.
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
	rec := Acknowledgement{
		EncounterID: ack.EncounterID, AlertID: ack.AlertID, By: ack.By, At: ack.At,
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
	a.refreshBoard(a.d.Now())
}

// bandName is a band as the store and the engine write it, "" for none.
func bandName(b deterioration.Band) string {
	if b == deterioration.BandUnknown {
		return ""
	}
	return b.String()
}

// RetriageTop opens the triage form for the patient of the most severe
// open alert. The alert stays open, on the banner and the board, until
// that re-triage is saved: the record then says what was done.
func (a *App) RetriageTop() {
	open := a.watch.Open()
	if len(open) == 0 {
		return
	}
	id := open[0].EncounterID
	if !a.form.mayReplace(id, "retriage.confirm.alert") {
		return
	}
	a.form.retriage(id)
}

// warn shows text on the banner (the question about discarding the form)
// under the alert's own text, which stays (QA G14: the question replaced
// why the patient alerts), or takes it off when text is "".
func (b *alertBar) warn(text string) {
	b.show()
	if text == "" || !b.content.Visible() {
		return
	}
	b.body.SetText(b.body.Text + "\n" + text)
}

// deviceBar is the always-visible device status line at the bottom: the
// form's monitor, its state in words on a coloured badge, and what to
// check when it is not live.
//
// It knows only its language and what it is given to show, not the App.
type deviceBar struct {
	lang  i18n.Lang
	badge *deskwidget.Badge
	text  *widget.Label
	// unstored and unstoredText say that monitor values are not in the
	// store yet (kept and retried by the recorder); hidden otherwise.
	unstored     *deskwidget.Badge
	unstoredText *widget.Label
	unstoredRow  *fyne.Container
	user         *widget.Label
	records      *widget.Label // the outbox's health line; hidden without a record system
	content      fyne.CanvasObject
}

func newDeviceBar(l i18n.Lang, user string) *deviceBar {
	d := &deviceBar{lang: l}
	d.badge = deskwidget.NewBadge(l.T("triage.monitor"), 150, false)
	d.text = widget.NewLabel("")
	d.text.Wrapping = fyne.TextWrapWord
	d.user = widget.NewLabel(l.T("status.user", user))
	d.unstored = deskwidget.NewBadge(l.T("record.badge"), 150, false)
	d.unstored.SetAlert(l.T("record.badge"))
	d.unstoredText = widget.NewLabel("")
	d.unstoredText.Wrapping = fyne.TextWrapWord
	d.unstoredRow = container.NewBorder(nil, nil, d.unstored, nil, d.unstoredText)
	d.unstoredRow.Hide()
	d.records = newRecordsLabel()
	d.content = container.NewVBox(container.NewBorder(widget.NewSeparator(), nil, d.badge, d.user, d.text), d.unstoredRow, d.records)
	return d
}

// showRecording says on the bar, in the nurse's language, when monitor
// values are not stored: the store refused them (kept and retried), and
// whether they sit in a spool file or only in memory. Hidden once a
// flush wrote everything. The store's error itself is logged by the
// wiring (it names ids, never patient data) and not shown: it is English.
func (d *deviceBar) showRecording(s monitoring.Stats) {
	if s.LastErr == nil && !s.OverBound {
		if d.unstoredRow.Visible() {
			d.unstoredRow.Hide()
			d.unstoredText.SetText("")
		}
		return
	}
	l := d.lang
	parts := []string{l.T("record.pending", s.Pending)}
	if s.Spooled > 0 {
		parts = append(parts, l.T("record.spooled", s.Spooled))
	}
	if s.OverBound || s.SpoolErr != nil {
		parts = append(parts, l.T("record.overbound"))
	}
	parts = append(parts, l.T("record.help"))
	setText(d.unstoredText, strings.Join(parts, "; "))
	d.unstoredRow.Show()
}

// showDevice paints the form's monitor and its status on the device bar.
func (a *App) showDevice() {
	if lf := a.form.feed; lf != nil {
		a.dev.show(&lf.choice, lf.status)
		return
	}
	a.dev.show(nil, DeviceStatus{})
}

// show paints monitor m's status s; m nil: no monitor.
func (d *deviceBar) show(m *MonitorChoice, s DeviceStatus) {
	l := d.lang
	if m == nil {
		d.badge.SetNeutral(l.T("triage.monitor.none"))
		d.text.SetText(l.T("device.none"))
		return
	}
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
	text := l.T("device.status", monitorLabel(l, *m), state)
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
func (a *App) DeviceLine() string {
	line := a.dev.badge.Text() + " " + a.dev.text.Text
	if a.dev.unstoredRow.Visible() {
		line += "\n" + a.dev.unstored.Text() + " " + a.dev.unstoredText.Text
	}
	if a.dev.records.Visible() {
		line += "\n" + a.dev.records.Text
	}
	return line
}
