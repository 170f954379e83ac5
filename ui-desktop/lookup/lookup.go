// Package lookup is the reception desktop's "find patient" dialog: a
// patient found by identity number and their earlier contacts. A patient
// outside reception's waiting queue is outside the nurse's need to know:
// the store refuses with *store.BasisRequiredError, the basis dialog asks
// why (or offers emergency access), and the look-up is repeated with that
// basis, which the store records in the audit log.
package lookup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/basisdialog"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Contact is one earlier visit or call as the dialog lists it.
type Contact struct {
	Arrived   time.Time
	Channel   string // "walk_in", "phone" or "ambulance"
	Open      bool   // still in the queue
	Triaged   bool
	Colour    triage.Colour
	Complaint string
}

// Found is the patient a look-up found.
type Found struct {
	Patient  string // the name or temporary id
	Contacts []Contact
}

// Backend finds a patient by identity number as the logged-in user,
// with basis b (the zero Basis for none). It returns
// *store.BasisRequiredError when the patient is outside the user's queue
// and b is empty, and an error wrapping store.ErrNotFound when there is
// no such patient. (wire.Lookup is the real one.)
type Backend interface {
	Find(ctx context.Context, nid string, b store.Basis) (Found, error)
}

// Dialog is one open look-up.
type Dialog struct {
	ctx     context.Context
	lang    i18n.Lang
	be      Backend
	canvas  fyne.Canvas
	choices []basisdialog.Choice
	onClose func()

	popup  *widget.PopUp
	nid    *deskwidget.EscEntry
	result *widget.Label
	basis  *widget.Label
	// Basis is the dialog asking for a basis while it is open (tests).
	Basis *basisdialog.Dialog

	found   bool
	used    store.BasisReason
	outcome string
}

// Outcome names what the last search gave, for automation: "" (none
// yet), "invalid" (the number), "none" (no such patient), "basis" (asked
// for), "cancelled", "error" or "found".
func (d *Dialog) Outcome() string { return d.outcome }

// NIDLen is how many characters the number field holds.
func (d *Dialog) NIDLen() int { return len([]rune(d.nid.Text)) }

// Found reports whether a patient is shown, and the reason of the basis
// they were opened with ("" for the service's own patient).
func (d *Dialog) Found() (bool, store.BasisReason) { return d.found, d.used }

// Show opens the look-up over c; onClose (may be nil) runs when it closes.
func Show(ctx context.Context, c fyne.Canvas, lang i18n.Lang, be Backend, onClose func()) *Dialog {
	d := &Dialog{ctx: ctx, lang: lang, be: be, canvas: c, choices: basisdialog.Choices(lang), onClose: onClose}
	d.nid = deskwidget.NewEscEntry(lang.T("find.nid"), d.Close)
	d.nid.SetPlaceHolder(lang.T("reg.id.placeholder"))
	d.nid.OnSubmitted = func(string) { d.Search() }
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.basis = widget.NewLabel("")
	d.basis.Wrapping = fyne.TextWrapWord
	d.basis.TextStyle.Bold = true
	d.basis.Importance = widget.DangerImportance
	search := deskwidget.NewButton(lang.T("find.submit"), d.Search)
	search.Importance = widget.HighImportance
	closeB := deskwidget.NewButton(lang.T("find.close"), d.Close)
	title := widget.NewLabelWithStyle(lang.T("find.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	nidLabel := widget.NewLabel(lang.T("find.nid"))
	nidLabel.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title, nidLabel, d.nid,
		container.NewHBox(search, closeB), d.basis, d.result)
	// It scrolls within a box as wide as its widest line needs (at least
	// 680, at most the window) and as tall as the window allows: a fixed
	// 680 x 420 cut the patient found at large text.
	d.popup = widget.NewModalPopUp(container.NewVScroll(box), c)
	wide, high := max(680, box.MinSize().Width+2*theme.Padding()), max(420, c.Size().Height*2/3)
	if cs := c.Size(); cs.Width > 720 && cs.Height > 460 { // else the window is not laid out yet
		wide, high = min(wide, cs.Width-40), min(high, cs.Height-40)
	}
	d.popup.Resize(fyne.NewSize(wide, high))
	d.popup.Show()
	c.Focus(d.nid)
	return d
}

// SetNID types the identity number.
func (d *Dialog) SetNID(s string) { d.nid.SetText(s) }

// Result is what the dialog shows of the patient found ("" before a search).
func (d *Dialog) Result() string { return d.result.Text }

// BasisShown is the line naming the basis the record was opened with.
func (d *Dialog) BasisShown() string { return d.basis.Text }

// Visible reports whether the dialog is open.
func (d *Dialog) Visible() bool { return d.popup.Visible() }

// Search looks the typed number up; outside the queue it asks for the
// basis first.
func (d *Dialog) Search() {
	d.basis.SetText("")
	d.found, d.used = false, ""
	nid := strings.TrimSpace(d.nid.Text)
	if _, err := patient.Parse(nid); err != nil {
		// Checked here, before anything reaches the store: the same
		// words as the registration form.
		d.result.SetText(i18n.NIDError(d.lang, err))
		return
	}
	d.find(nid, store.Basis{})
}

func (d *Dialog) find(nid string, b store.Basis) {
	f, err := d.be.Find(d.ctx, nid, b)
	var need *store.BasisRequiredError
	switch {
	case errors.As(err, &need) && b.Reason == "":
		d.result.SetText("")
		d.outcome = "basis"
		d.Basis = basisdialog.Show(d.canvas, d.lang, d.choices, func(b store.Basis, ok bool) {
			d.Basis = nil
			if !ok {
				d.result.SetText(d.lang.T("find.cancelled"))
				d.outcome = "cancelled"
				d.canvas.Focus(d.nid)
				return
			}
			d.find(nid, b)
		})
		return
	case errors.Is(err, store.ErrNotFound):
		d.result.SetText(d.lang.T("find.none"))
		d.outcome = "none"
	case err != nil:
		d.result.SetText(d.lang.T("find.err", err))
		d.outcome = "error"
	default:
		if b.Reason != "" {
			d.basis.SetText(basisdialog.Used(b, d.lang))
		}
		d.result.SetText(d.words(f))
		d.found, d.used, d.outcome = true, b.Reason, "found"
	}
	d.canvas.Focus(d.nid)
}

func (d *Dialog) words(f Found) string {
	l := d.lang
	var b strings.Builder
	b.WriteString(f.Patient)
	b.WriteString("\n")
	if len(f.Contacts) == 0 {
		b.WriteString(l.T("find.contacts.none"))
		return b.String()
	}
	b.WriteString(l.T("find.contacts", len(f.Contacts)))
	for _, c := range f.Contacts {
		colour := l.T("find.untriaged")
		if c.Triaged {
			colour = c.Colour.Label(l)
		}
		status := l.T("find.status.closed")
		if c.Open {
			status = l.T("find.status.open")
		}
		line := l.T("find.contact", c.Arrived.Local().Format("02.01.2006 15:04"), l.T("find.channel."+c.Channel), colour, status)
		if c.Complaint != "" {
			line += " · " + c.Complaint
		}
		fmt.Fprintf(&b, "\n• %s", line)
	}
	return b.String()
}

// Close closes the look-up (and a basis dialog it opened).
func (d *Dialog) Close() {
	if d.Basis != nil {
		d.Basis.Cancel()
	}
	if !d.popup.Visible() {
		return
	}
	d.popup.Hide()
	if d.onClose != nil {
		d.onClose()
	}
}
