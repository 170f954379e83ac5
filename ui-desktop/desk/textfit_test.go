package desk

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/deskwidget/fittest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA (session 5): at five steps of larger text "Gravid eller nylig født"
// was cut at the window's edge. At every text step, in both languages,
// the triage form shows every text whole in a 1280x1024 window: labels,
// checks, radios and buttons wrap instead.
func TestTheTriageFormCutsNoTextAtAnyTextSize(t *testing.T) {
	const w, h = 1280, 1024
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.start()
			r.register(validNIDAny(t), "Kari Nordmann-Kristiansen")
			everythingShown(r, lang)
			r.win.Resize(fyne.NewSize(w, h))
			for _, s := range fittest.Steps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.win.Resize(fyne.NewSize(w, h))
				r.app.ShowTriage()
				min := r.app.Content().MinSize()
				assert.LessOrEqual(t, min.Width, float32(w), "scale %.1f: the form asks for more than the screen's width", s)
				cut := fittest.Cut(r.app.Content())
				assert.Empty(t, cut, "scale %.1f: text cut", s)
				// The sticky header leaves the form room to work in.
				hh, area := r.app.form.header.Size().Height, r.app.form.content.Size().Height
				assert.LessOrEqual(t, hh, area*0.4, "scale %.1f: the header takes %.0f of %.0f px", s, hh, area)
			}
		})
	}
}

// everythingShown puts every optional part of the triage form on screen,
// with long texts: a carried scale 2 decision, the pregnancy check, each
// hand-entry row's note, confirmation and monitor choice, the context
// note and the save message.
func everythingShown(r *rig, l i18n.Lang) {
	f := r.app.form
	f.scale2.Text = l.T("triage.scale2", "dr.kristiansen-lund", "22.11 15:04")
	f.scale2.Show()
	for _, m := range f.manual {
		m.note.SetText(l.T("manual.both", "118", "132 /min"))
		m.note.Show()
		m.confirm.Show()
		m.useDevice.Show()
	}
	f.ctxNote.SetText(l.T("triage.scale2", "dr.kristiansen-lund", "22.11 15:04"))
	f.msg.SetText(l.T("triage.scale2", "dr.kristiansen-lund", "22.11 15:04"))
	f.content.Refresh()
}

// The acknowledgement dialog at every text step shows every text whole
// inside the window.
func TestTheAcknowledgementDialogCutsNoTextAtAnyTextSize(t *testing.T) {
	const w, h = 1280, 1024
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.start()
			r.alertOnNewMonitor("Kari Nordmann-Kristiansen", 7)
			for _, s := range fittest.Steps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.win.Resize(fyne.NewSize(w, h))
				r.app.AcknowledgeTop()
				top := fittest.Dialog(r.win.Canvas())
				if !assert.NotNil(t, top, "scale %.1f: the dialog opens", s) {
					return
				}
				assert.Empty(t, fittest.Cut(top), "scale %.1f: text cut in the dialog", s)
			}
		})
	}
}

// The registration form, with its channel and sex choices
// (deskwidget.Radio) and a long message, shows every text whole at every
// text step in both languages.
func TestTheRegistrationFormCutsNoTextAtAnyTextSize(t *testing.T) {
	const w, h = 1280, 1024
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.app.reg.msg.SetText(lang.T("reg.err.id.old"))
			for _, s := range fittest.Steps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.app.ShowRegistration()
				r.win.Resize(fyne.NewSize(w+1, h))
				r.win.Resize(fyne.NewSize(w, h))
				assert.LessOrEqual(t, r.app.Content().MinSize().Width, float32(w), "scale %.1f", s)
				assert.Empty(t, fittest.Cut(r.app.Content()), "scale %.1f: text cut", s)
			}
		})
	}
}
