package ecgview

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// Finding is one quick finding the form offers: the code stored and the
// label shown (the integrator passes them in the user's language).
type Finding struct {
	Code  string
	Label string
}

// SignForm is the physician's interpretation and signature: free text,
// quick findings as check boxes, and a Sign button. Tab moves through the
// fields; Space or Enter on the button signs. OnSign is called with the
// text and the ticked codes; its error is shown and the form stays open.
// After a signature the form is read-only (a signed ECG cannot change).
type SignForm struct {
	widget.BaseWidget
	Text *TextEntry
	// Checks are the quick findings: the desk's checks, which scroll
	// themselves into view when Tab reaches them (fyne's do not: at 2x
	// text the lower findings took the focus out of sight).
	Checks []*deskwidget.Check
	Button *deskwidget.Button
	Msg    *widget.Label

	findings []Finding
	lang     string
	onSign   func(text string, codes []string) error
	signed   bool
}

// FindingCode is the code of the finding the i-th check box ticks, "" when
// there is none.
func (f *SignForm) FindingCode(i int) string {
	if i < 0 || i >= len(f.findings) {
		return ""
	}
	return f.findings[i].Code
}

var signWords = map[string]map[string]string{
	"nb": {"placeholder": "Tolkning (fritekst)", "sign": "Signer", "yes": "ja", "no": "nei", "empty": "Skriv en tolkning eller kryss av et funn før du signerer.", "signed": "Signert. EKG-et kan ikke endres."},
	"en": {"placeholder": "Interpretation (free text)", "sign": "Sign", "yes": "yes", "no": "no", "empty": "Write an interpretation or tick a finding before signing.", "signed": "Signed. The ECG can no longer change."},
}

func words(lang string) map[string]string {
	if w, ok := signWords[lang]; ok {
		return w
	}
	return signWords["en"]
}

// TextEntry is the interpretation: several lines, wrapped at words. Tab
// leaves it for the findings, as everywhere else on the desktop (fyne's
// multi-line entry would type a tab character and keep the keyboard user
// in the field); Enter starts a new line.
type TextEntry struct {
	deskwidget.Entry // its focus ring (fyne's own mark is hardly seen)
}

func newTextEntry(label string) *TextEntry {
	e := &TextEntry{}
	e.Label = label
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab implements fyne.Tabbable: Tab moves the focus on.
func (e *TextEntry) AcceptsTab() bool { return false }

// NewSignForm returns the form; lang is "nb" or "en".
func NewSignForm(findings []Finding, lang string, onSign func(text string, codes []string) error) *SignForm {
	f := &SignForm{findings: findings, lang: lang, onSign: onSign}
	w := words(lang)
	f.Text = newTextEntry(w["placeholder"])
	f.Text.SetPlaceHolder(w["placeholder"])
	f.Text.SetMinRowsVisible(3)
	for _, fd := range findings {
		f.Checks = append(f.Checks, deskwidget.NewCheck(fd.Label, fd.Label, w["yes"], w["no"], nil))
	}
	f.Button = deskwidget.NewButton(w["sign"], f.Sign)
	f.Msg = widget.NewLabel("")
	f.Msg.Wrapping = fyne.TextWrapWord
	f.ExtendBaseWidget(f)
	return f
}

// Sign validates and calls OnSign.
func (f *SignForm) Sign() {
	if f.signed {
		return
	}
	w := words(f.lang)
	text := strings.TrimSpace(f.Text.Text)
	var codes []string
	for i, c := range f.Checks {
		if c.Checked {
			codes = append(codes, f.findings[i].Code)
		}
	}
	if text == "" && len(codes) == 0 {
		f.Msg.SetText(w["empty"])
		return
	}
	if err := f.onSign(text, codes); err != nil {
		f.Msg.SetText(err.Error())
		return
	}
	f.signed = true
	f.lock(w["signed"])
}

// lock makes every field read-only and shows msg.
func (f *SignForm) lock(msg string) {
	f.Text.Disable()
	for _, c := range f.Checks {
		c.Disable()
	}
	f.Button.Disable()
	f.Msg.SetText(msg)
}

// ShowSigned shows an interpretation already signed (text, the ticked
// finding codes) read-only, with note (who signed and when): a signed ECG
// cannot change, and the form never offers to sign it again.
func (f *SignForm) ShowSigned(text string, codes []string, note string) {
	f.Text.SetText(text)
	for i, fd := range f.findings {
		f.Checks[i].SetChecked(slices.Contains(codes, fd.Code))
	}
	f.signed = true
	f.lock(note)
}

// Refuse makes the form read-only for a user who may not sign, with the
// reason in note; nothing is signed and Signed stays false.
func (f *SignForm) Refuse(note string) { f.lock(note) }

// Signed reports whether the form has signed.
func (f *SignForm) Signed() bool { return f.signed }

// CreateRenderer lays the form out: text, findings one under the other
// (a narrow side panel never cuts a label, at any text size), button and
// message.
func (f *SignForm) CreateRenderer() fyne.WidgetRenderer {
	box := container.NewVBox(f.Text)
	for _, c := range f.Checks {
		box.Add(c)
	}
	box.Add(f.Button)
	box.Add(f.Msg)
	return widget.NewSimpleRenderer(box)
}
