package deskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Ring is a focus ring: four solid edges of a fixed width just inside its
// area, drawn as filled rectangles (exact in every painter), hidden until
// marked.
type Ring struct {
	widget.BaseWidget
	width float32
	edges [4]*canvas.Rectangle
}

// NewRing returns a hidden ring whose edges are width wide.
func NewRing(width float32) *Ring {
	r := &Ring{width: width}
	for i := range r.edges {
		r.edges[i] = canvas.NewRectangle(color.Transparent)
	}
	r.ExtendBaseWidget(r)
	r.Hide()
	return r
}

// Mark shows the ring in colour c, or hides it.
func (r *Ring) Mark(on bool, c color.Color) {
	if !on {
		if r.Visible() {
			r.Hide()
		}
		return
	}
	for _, e := range r.edges {
		e.FillColor = c
	}
	r.Show()
	r.Refresh()
}

// Colour is the ring's colour (tests).
func (r *Ring) Colour() color.Color { return r.edges[0].FillColor }

// CreateRenderer implements fyne.Widget.
func (r *Ring) CreateRenderer() fyne.WidgetRenderer { return &ringRenderer{r} }

type ringRenderer struct{ r *Ring }

func (rr *ringRenderer) Destroy()           {}
func (rr *ringRenderer) MinSize() fyne.Size { return fyne.Size{} }
func (rr *ringRenderer) Refresh() {
	rr.Layout(rr.r.Size())
	for _, e := range rr.r.edges {
		e.Refresh()
	}
}
func (rr *ringRenderer) Objects() []fyne.CanvasObject {
	e := rr.r.edges
	return []fyne.CanvasObject{e[0], e[1], e[2], e[3]}
}

func (rr *ringRenderer) Layout(size fyne.Size) {
	w, e := rr.r.width, rr.r.edges
	e[0].Move(fyne.NewPos(0, 0)) // top
	e[0].Resize(fyne.NewSize(size.Width, w))
	e[1].Move(fyne.NewPos(0, size.Height-w)) // bottom
	e[1].Resize(fyne.NewSize(size.Width, w))
	e[2].Move(fyne.NewPos(0, 0)) // left
	e[2].Resize(fyne.NewSize(w, size.Height))
	e[3].Move(fyne.NewPos(size.Width-w, 0)) // right
	e[3].Resize(fyne.NewSize(w, size.Height))
}

// ringed is a widget renderer with a ring drawn over it, inset from the
// widget's edges.
type ringed struct {
	inner fyne.WidgetRenderer
	ring  *Ring
	inset func() float32
}

func (r *ringed) Destroy()           { r.inner.Destroy() }
func (r *ringed) MinSize() fyne.Size { return r.inner.MinSize() }
func (r *ringed) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.inner.Objects()...), r.ring)
}

func (r *ringed) Layout(size fyne.Size) {
	r.inner.Layout(size)
	in := r.inset()
	r.ring.Move(fyne.NewPos(in, in))
	r.ring.Resize(fyne.NewSize(size.Width-2*in, size.Height-2*in))
}

func (r *ringed) Refresh() {
	r.inner.Refresh()
	r.ring.Refresh()
}

// variant is the app's theme variant (dark when there is no app).
func variant() fyne.ThemeVariant {
	if a := fyne.CurrentApp(); a != nil {
		return a.Settings().ThemeVariant()
	}
	return theme.VariantDark
}

// CreateRenderer implements fyne.Widget: fyne's entry with a ring in the
// focus colour just inside its border while it has the focus. fyne marks
// a focused entry only by its border turning the primary blue, about
// 1.5:1 from the unfocused border in the dark theme; the ring lies on the
// input background, 3.1:1 (dark) and 4.6:1 (high contrast) from it.
func (e *Entry) CreateRenderer() fyne.WidgetRenderer {
	e.ring = NewRing(ringWidth)
	return &ringed{inner: e.Entry.CreateRenderer(), ring: e.ring, inset: func() float32 {
		return e.Theme().Size(theme.SizeNameInputBorder)
	}}
}

// markFocus shows or hides the entry's ring.
func (e *Entry) markFocus(on bool) {
	if e.ring != nil {
		e.ring.Mark(on, e.Theme().Color(theme.ColorNameFocus, variant()))
	}
}

// FocusLost implements fyne.Focusable: the entry's own handling, then the
// ring goes.
func (e *Entry) FocusLost() {
	e.Entry.FocusLost()
	e.markFocus(false)
}

// Button is a button whose focus is always seen: fyne paints a focused
// button in the focus colour, which on the primary or warning fill, or on
// the dark theme's grey, differs from the unfocused button by less than
// 3:1 (WCAG 2.1 1.4.11). Button adds a ring in the button's text colour
// just inside its edges while it has the focus: the text colour is at
// least 4.5:1 from the fill it stands on.
type Button struct {
	widget.Button
	ring *Ring
	// shown is the importance the button has when not focused: a warning,
	// danger or success button is drawn as a primary one while focused,
	// because fyne keeps its dark text on the focus colour (4.1:1, under
	// WCAG's 4.5:1 for text), where the primary's white text has 4.7:1.
	shown   widget.Importance
	swapped bool
}

// NewButton returns a button labelled label that calls tapped.
func NewButton(label string, tapped func()) *Button {
	b := &Button{}
	b.Text = label
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer implements fyne.Widget.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	b.ring = NewRing(ringWidth)
	return &ringed{inner: b.Button.CreateRenderer(), ring: b.ring, inset: func() float32 { return ringInset }}
}

// FocusGained implements fyne.Focusable: the ring, and the button into
// view.
func (b *Button) FocusGained() {
	defer Reveal(b)
	switch b.Importance {
	case widget.WarningImportance, widget.DangerImportance, widget.SuccessImportance:
		b.shown, b.swapped = b.Importance, true
		b.Importance = widget.HighImportance
	}
	b.Button.FocusGained()
	if b.ring == nil {
		return
	}
	fg := theme.ColorNameForeground
	switch b.Importance {
	case widget.HighImportance:
		fg = theme.ColorNameForegroundOnPrimary
	case widget.WarningImportance:
		fg = theme.ColorNameForegroundOnWarning
	case widget.DangerImportance:
		fg = theme.ColorNameForegroundOnError
	case widget.SuccessImportance:
		fg = theme.ColorNameForegroundOnSuccess
	}
	b.ring.Mark(true, b.Theme().Color(fg, variant()))
}

// FocusLost implements fyne.Focusable.
func (b *Button) FocusLost() {
	if b.swapped {
		b.Importance, b.swapped = b.shown, false
	}
	b.Button.FocusLost()
	if b.ring != nil {
		b.ring.Mark(false, nil)
	}
}

// HasFocusMark reports whether the button shows its focus ring (tests).
func (b *Button) HasFocusMark() bool { return b.ring != nil && b.ring.Visible() }

// MinSize implements fyne.Widget: a single-line entry is at least as wide
// as its placeholder, so a hint such as "Målt kl. (TT:MM)" is never cut
// at large text (fyne clips it at the entry's edge).
func (e *Entry) MinSize() fyne.Size {
	m := e.Entry.MinSize()
	if e.MultiLine || e.PlaceHolder == "" {
		return m
	}
	th := e.Theme()
	w := fyne.MeasureText(e.PlaceHolder, th.Size(theme.SizeNameText), e.TextStyle).Width +
		2*th.Size(theme.SizeNameInnerPadding) + 2*th.Size(theme.SizeNameInputBorder)
	return fyne.NewSize(max(m.Width, w), m.Height)
}
