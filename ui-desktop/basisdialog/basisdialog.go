// Package basisdialog asks a user why they open a patient outside their
// service's waiting queue (need-to-know, docs/security.md): a listed
// reason and a note, or emergency access (break the glass), clearly named
// as such. The store refuses such an opening with *store.BasisRequiredError
// until the actor carries a basis; the caller retries with the one chosen
// here. The dialog is keyboard-only friendly: Tab moves, Space chooses a
// reason, Enter in the note opens, Esc cancels.
package basisdialog

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/session"
)

// Choice is one reason as the dialog offers it, worded once for both
// front ends by the session package.
type Choice = session.BasisChoice

// Choices are the reasons in lang (session.BasisChoices): the listed ones
// and emergency access last.
func Choices(lang i18n.Lang) []Choice { return session.BasisChoices(lang) }

// Dialog is one open basis dialog.
type Dialog struct {
	lang       i18n.Lang
	choices    []Choice // the listed reasons; emergency access has its button
	noteNeeded string
	done       func(store.Basis, bool)
	finished   bool

	canvas    fyne.Canvas
	popup     *widget.PopUp
	reasons   *widget.RadioGroup
	note      *deskwidget.EscEntry
	open      *deskwidget.Button
	emergency *deskwidget.Button
	cancel    *deskwidget.Button
	msg       *widget.Label
}

// Show opens the dialog over c. done is called once, on the UI goroutine:
// with the basis and true when the user opened the record, or false when
// they cancelled (nothing is opened then).
func Show(c fyne.Canvas, lang i18n.Lang, choices []Choice, done func(b store.Basis, ok bool)) *Dialog {
	d := &Dialog{lang: lang, done: done}
	var labels []string
	emergency := Choice{Reason: store.BasisEmergency, Emergency: true, Label: store.BasisLabel(store.BasisEmergency, lang)}
	for _, ch := range choices {
		if ch.Emergency {
			emergency = ch // its own button, set apart
			continue
		}
		d.choices = append(d.choices, ch)
		labels = append(labels, ch.Label)
	}
	texts := session.BasisDialog(lang)
	d.noteNeeded = texts.NoteNeeded
	d.reasons = widget.NewRadioGroup(labels, nil)
	d.note = deskwidget.NewEscEntry(lang.T("basis.note"), d.Cancel)
	d.note.OnSubmitted = func(string) { d.Open() }
	d.open = deskwidget.NewButton(lang.T("basis.open"), d.Open)
	d.open.Importance = widget.HighImportance
	// The button names the access; what follows the dash ("logges og
	// følges opp") is said by the help above it: a button cannot wrap,
	// and the whole line ran past a 1280 px screen at large text.
	name, _, _ := strings.Cut(emergency.Label, " – ")
	d.emergency = deskwidget.NewButton(strings.ToUpper(name), d.Emergency)
	d.emergency.Importance = widget.DangerImportance
	d.cancel = deskwidget.NewButton(lang.T("basis.cancel"), d.Cancel)
	d.msg = widget.NewLabel("")
	d.msg.Wrapping = fyne.TextWrapWord
	d.msg.Importance = widget.DangerImportance
	title := widget.NewLabelWithStyle(texts.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(texts.Why + " " + lang.T("basis.logged"))
	intro.Wrapping = fyne.TextWrapWord
	info := widget.NewLabel(emergency.Help)
	info.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title, intro,
		widget.NewLabel(lang.T("basis.reason")), d.reasons,
		widget.NewLabel(lang.T("basis.note")), d.note,
		d.msg, container.NewHBox(d.open, d.cancel),
		widget.NewSeparator(), info, d.emergency)
	d.canvas = c
	d.popup = widget.NewModalPopUp(container.NewVScroll(box), c)
	d.popup.Show()
	// A fixed width so that the wrapped texts take their height inside
	// the dialog (a wrapped label's size is only known for a width).
	h := float32(660)
	if ch := c.Size().Height - 40; ch > 200 && ch < h {
		h = ch
	}
	// As wide as its widest line needs (a button at large text), within
	// the window.
	wide := max(700, box.MinSize().Width+2*theme.Padding())
	if cw := c.Size().Width; cw > 740 { // else the window is not laid out yet
		wide = min(wide, cw-40)
	}
	d.popup.Resize(fyne.NewSize(wide, h))
	c.Focus(d.note)
	return d
}

// Choose selects the listed reason r (as the user would with Space).
func (d *Dialog) Choose(r store.BasisReason) {
	for _, ch := range d.choices {
		if ch.Reason == r {
			d.reasons.SetSelected(ch.Label)
		}
	}
}

// SetNote types the note.
func (d *Dialog) SetNote(s string) { d.note.SetText(s) }

// Message is what the dialog says is missing ("" when nothing).
func (d *Dialog) Message() string { return d.msg.Text }

// Visible reports whether the dialog is still open.
func (d *Dialog) Visible() bool { return d.popup.Visible() }

// Open opens the record with the chosen reason; it refuses (with a
// message, the dialog staying open) without a reason, or "annet" without
// a note.
func (d *Dialog) Open() {
	for _, ch := range d.choices {
		if ch.Label != d.reasons.Selected {
			continue
		}
		b, ok := ch.Basis(d.note.Text)
		if !ok {
			d.msg.SetText(d.noteNeeded)
			d.canvas.Focus(d.note)
			return
		}
		d.finish(b, true)
		return
	}
	d.msg.SetText(d.lang.T("basis.err.reason"))
}

// Emergency opens the record with emergency access (break the glass),
// with the note if one was written.
func (d *Dialog) Emergency() {
	d.finish(store.Basis{Reason: store.BasisEmergency, Note: strings.TrimSpace(d.note.Text)}, true)
}

// Cancel closes the dialog; nothing is opened.
func (d *Dialog) Cancel() { d.finish(store.Basis{}, false) }

func (d *Dialog) finish(b store.Basis, ok bool) {
	if d.finished {
		return
	}
	d.finished = true
	d.popup.Hide()
	d.done(b, ok)
}

// Used words the basis a record was opened with, for the screen that
// opened it: emergency access stands out.
func Used(b store.Basis, lang i18n.Lang) string {
	if b.Reason == store.BasisEmergency {
		return lang.T("basis.used.emergency")
	}
	t := store.BasisLabel(b.Reason, lang)
	if b.Note != "" {
		t += ": " + b.Note
	}
	return lang.T("basis.used", t)
}
