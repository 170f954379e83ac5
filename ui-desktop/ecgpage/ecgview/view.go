// Package ecgview is the desktop's 12-lead ECG page: the standard page of
// package ecgpage shown in a fyne widget, with the paper speed (25 or
// 50 mm/s) and gain (5, 10 or 20 mm/mV) changed from the keyboard, and a
// status line in bokmål or English that names the settings and whether
// the ECG is confirmed, in words (never colour alone).
//
// The page is drawn at a whole number of pixels per millimetre and shown
// with its aspect ratio kept, so grid squares are never stretched.
package ecgview

import (
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/ui-desktop/ecgpage"
)

// Keys of the page.
const (
	KeySpeed25  = '1' // 25 mm/s
	KeySpeed50  = '2' // 50 mm/s
	KeyGainUp   = '+' // next gain: 5 -> 10 -> 20 mm/mV
	KeyGainDown = '-' // previous gain
)

var gains = []float64{5, 10, 20}

// View shows one ECG page. Create it with New; it is focusable, so the
// keys work once it has focus (a click, or Tab from the window).
type View struct {
	widget.BaseWidget
	in      ecgpage.Input
	lang    string
	pxPerMM int
	img     *canvas.Image
	ring    *canvas.Rectangle // the focus ring, shown while the keys work
	status  *widget.Label
	err     error
	focused bool
	// OnEscape, when set, runs on Esc while the page has the focus (the
	// desk closes the page).
	OnEscape func()
}

// New returns a page for in; lang is "nb" or "en"; pxPerMM the drawing
// resolution (4 is about a 1200-pixel-wide page).
func New(in ecgpage.Input, lang string, pxPerMM int) *View {
	if in.SpeedMMS == 0 {
		in.SpeedMMS = 25
	}
	if in.GainMMmV == 0 {
		in.GainMMmV = 10
	}
	if pxPerMM < 1 {
		pxPerMM = 4
	}
	v := &View{in: in, lang: lang, pxPerMM: pxPerMM}
	v.img = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	v.img.FillMode = canvas.ImageFillContain // keeps the aspect ratio: squares stay square
	v.img.ScaleMode = canvas.ImageScaleSmooth
	// One pixel per millimetre at least: the page scales up into the room
	// it has (ImageFillContain) and never asks for more than a small
	// screen leaves beside the desk's columns (issue 15: a minimum of
	// 2 px/mm made the window 1350 px wide on a 1280 px screen).
	v.img.SetMinSize(fyne.NewSize(float32(ecgpage.A4W), float32(ecgpage.A4H)))
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.ring = canvas.NewRectangle(color.Transparent)
	v.ring.StrokeWidth = 3
	v.ring.Hide()
	v.ExtendBaseWidget(v)
	v.redraw()
	return v
}

// HeightFor is the view's height at width w: the page at its aspect (A4
// landscape) and the status line under it.
func (v *View) HeightFor(w float32) float32 {
	return w*float32(ecgpage.A4H)/float32(ecgpage.A4W) + v.statusHeight(w)
}

// PageArea is where the page is drawn, relative to the view: the image
// area less the bands ImageFillContain leaves to keep the page's aspect.
func (v *View) PageArea() (fyne.Position, fyne.Size) {
	d := fyne.CurrentApp().Driver()
	off := d.AbsolutePositionForObject(v.img).Subtract(d.AbsolutePositionForObject(v))
	box := v.img.Size()
	w, h := box.Width, box.Width*float32(ecgpage.A4H)/float32(ecgpage.A4W)
	if h > box.Height {
		w, h = box.Height*float32(ecgpage.A4W)/float32(ecgpage.A4H), box.Height
	}
	return off.AddXY((box.Width-w)/2, (box.Height-h)/2), fyne.NewSize(w, h)
}

// Speed and Gain are the current settings.
func (v *View) Speed() float64 { return v.in.SpeedMMS }

// Gain is the current gain in mm/mV.
func (v *View) Gain() float64 { return v.in.GainMMmV }

// Status is the status line as shown.
func (v *View) Status() string { return v.status.Text }

// Image is the page as currently drawn.
func (v *View) Image() image.Image { return v.img.Image }

func (v *View) redraw() {
	p, err := ecgpage.Build(v.in)
	v.err = err
	if err == nil {
		v.img.Image = ecgpage.Raster(p, v.pxPerMM)
		v.img.Refresh()
	}
	v.status.SetText(v.statusText())
}

func (v *View) statusText() string {
	confirmed := map[string][2]string{"nb": {"ikke bekreftet", "bekreftet"}, "en": {"unconfirmed", "confirmed"}}
	help := map[string]string{
		"nb": "Hastighet: 1 = 25 mm/s, 2 = 50 mm/s · Forsterkning: + / −",
		"en": "Speed: 1 = 25 mm/s, 2 = 50 mm/s · Gain: + / −",
	}
	lang := v.lang
	if lang != "nb" {
		lang = "en"
	}
	c := confirmed[lang][0]
	if v.in.Signed {
		c = confirmed[lang][1]
	}
	if v.err != nil {
		return v.err.Error()
	}
	return fmt.Sprintf("%g mm/s · %g mm/mV · %s    %s", v.in.SpeedMMS, v.in.GainMMmV, c, help[lang])
}

// SetSpeed sets 25 or 50 mm/s.
func (v *View) SetSpeed(mms float64) {
	if mms != 25 && mms != 50 || mms == v.in.SpeedMMS {
		return
	}
	v.in.SpeedMMS = mms
	v.redraw()
}

// SetSigned redraws the page as signed by by: the header says confirmed
// and names the signer, and the status line says confirmed.
func (v *View) SetSigned(by string) {
	v.in.Signed, v.in.SignedBy = true, by
	v.redraw()
}

// Signed reports whether the page shows a signed ECG.
func (v *View) Signed() bool { return v.in.Signed }

// StepGain moves the gain one step up (+1) or down (−1) within 5, 10, 20.
func (v *View) StepGain(dir int) {
	i := 0
	for k, g := range gains {
		if g == v.in.GainMMmV {
			i = k
		}
	}
	i += dir
	if i < 0 || i >= len(gains) {
		return
	}
	v.in.GainMMmV = gains[i]
	v.redraw()
}

// TypedRune handles the page's keys.
func (v *View) TypedRune(r rune) {
	switch r {
	case KeySpeed25:
		v.SetSpeed(25)
	case KeySpeed50:
		v.SetSpeed(50)
	case KeyGainUp, '=':
		v.StepGain(1)
	case KeyGainDown:
		v.StepGain(-1)
	}
}

// TypedKey handles the keypad's plus and minus.
func (v *View) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyEscape:
		if v.OnEscape != nil {
			v.OnEscape()
		}
	case fyne.KeyPlus:
		v.StepGain(1)
	case fyne.KeyMinus:
		v.StepGain(-1)
	}
}

// FocusGained and FocusLost make the page focusable; a ring in the
// theme's focus colour shows that the page's keys work.
func (v *View) FocusGained() {
	v.focused = true
	v.ring.StrokeColor = theme.Color(theme.ColorNameFocus)
	v.ring.Show()
	v.ring.Refresh()
}

// FocusLost is called when the page loses the keyboard focus.
func (v *View) FocusLost() {
	v.focused = false
	v.ring.Hide()
}

// Focused reports whether the page has the keyboard focus.
func (v *View) Focused() bool { return v.focused }

// Tapped gives the page the focus.
func (v *View) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp(); c != nil {
		if w := c.Driver().CanvasForObject(v); w != nil {
			w.Focus(v)
		}
	}
}

// CreateRenderer shows the page above its status line.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&viewLayout{v: v}, container.NewStack(v.img, v.ring), v.status))
}

// statusHeight is the status line's height at width w (it wraps).
func (v *View) statusHeight(w float32) float32 {
	if v.status.Size().Width != w {
		v.status.Resize(fyne.NewSize(w, v.status.Size().Height))
	}
	return v.status.MinSize().Height
}

// viewLayout puts the page above its status line. The status wraps at the
// view's width (at least the page's minimum): a wrapped label asked before
// it has a width is one word a line, and that height once made the whole
// ECG tab, and every tab with it, taller than the window.
type viewLayout struct{ v *View }

// Layout implements fyne.Layout.
func (l *viewLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	st := l.v.statusHeight(size.Width)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, max(0, size.Height-st)))
	objs[1].Move(fyne.NewPos(0, size.Height-st))
	objs[1].Resize(fyne.NewSize(size.Width, st))
}

// MinSize implements fyne.Layout.
func (l *viewLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	page := objs[0].MinSize()
	w := max(page.Width, l.v.Size().Width)
	return fyne.NewSize(page.Width, page.Height+l.v.statusHeight(w))
}

// AccessibilityLabel is what a screen reader says of the page: the ECG's
// settings, whether it is confirmed, and the keys.
func (v *View) AccessibilityLabel() string {
	if v.lang == "nb" {
		return "EKG-side: " + v.status.Text
	}
	return "ECG page: " + v.status.Text
}

// AccessibilityRole is text: the page is read, not pressed.
func (v *View) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }
