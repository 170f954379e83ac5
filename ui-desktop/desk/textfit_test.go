package desk

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// cutText lists every visible text drawn under o that does not show
// whole within the window of width winW: ellipsised ("…"), wider than
// its own box (clipped), or running past the window's right edge.
func cutText(o fyne.CanvasObject, winW float32) []string {
	var out []string
	d := fyne.CurrentApp().Driver()
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if strings.TrimSpace(x.Text) == "" {
				return
			}
			p, m, s := d.AbsolutePositionForObject(x), x.MinSize(), x.Size()
			switch {
			case strings.HasSuffix(x.Text, "…"):
				out = append(out, fmt.Sprintf("%q ellipsised", x.Text))
			case m.Width > s.Width+0.5:
				out = append(out, fmt.Sprintf("%q needs %.0f px, has %.0f", x.Text, m.Width, s.Width))
			case p.X+m.Width > winW+0.5:
				out = append(out, fmt.Sprintf("%q ends at x=%.0f, past the window's %.0f", x.Text, p.X+m.Width, winW))
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// textSteps are the text sizes the menu reaches: 0.8 to 2.5 in steps of
// 0.1 (Ctrl+- and Ctrl+=).
func textSteps() []float32 {
	var s []float32
	for v := float32(desktheme.MinScale); v <= desktheme.MaxScale+0.01; v += 0.1 {
		s = append(s, v)
	}
	return s
}

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
			for _, s := range textSteps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.win.Resize(fyne.NewSize(w, h))
				r.app.ShowTriage()
				min := r.app.Content().MinSize()
				assert.LessOrEqual(t, min.Width, float32(w), "scale %.1f: the form asks for more than the screen's width", s)
				cut := cutText(r.app.Content(), w)
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
			for _, s := range textSteps() {
				r.app.th.Scale = s
				r.app.applyTheme()
				r.win.Resize(fyne.NewSize(w, h))
				r.app.AcknowledgeTop()
				top := r.win.Canvas().Overlays().Top()
				if !assert.NotNil(t, top, "scale %.1f: the dialog opens", s) {
					return
				}
				assert.Empty(t, cutText(top, w), "scale %.1f: text cut in the dialog", s)
			}
		})
	}
}
