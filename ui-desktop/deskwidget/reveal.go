package deskwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Reveal scrolls every scroll container that holds o, innermost first,
// so that o is in the part of the window the nurse sees: fyne's scrolls
// do not follow the focus, and a scroll inside another (the form's inside
// the tabs' scroll, which a banner or large text makes shorter than the
// tab) can show o within its own area while that area is itself scrolled
// out of view. Each scroll is moved only as far as needed, with a little
// room around o; a scroll that already shows o does not move.
//
// Every focusable of this package calls Reveal when it gains the focus;
// screens call it again when the window's layout changes (RevealFocused).
func Reveal(o fyne.CanvasObject) {
	app := fyne.CurrentApp()
	if o == nil || app == nil || app.Driver() == nil {
		return
	}
	d := app.Driver()
	if chain, ok := ScrollsAbove(d.CanvasForObject(o), o); ok {
		revealIn(d, chain, o)
	}
}

// ScrollsAbove returns the scroll containers that hold o on c, outermost
// first; ok is false when o is not shown on c (nor on its pop-ups).
func ScrollsAbove(c fyne.Canvas, o fyne.CanvasObject) (chain []*container.Scroll, ok bool) {
	if c == nil {
		return nil, false
	}
	roots := []fyne.CanvasObject{c.Content()}
	if ov := c.Overlays(); ov != nil {
		roots = append(roots, ov.List()...)
	}
	// First o itself; then, for the parts of fyne's own widgets (a radio
	// group's items), the widget whose area holds o's.
	d := fyne.CurrentApp().Driver()
	for _, within := range []func(fyne.CanvasObject) bool{nil, func(w fyne.CanvasObject) bool { return holds(d, w, o) }} {
		for _, r := range roots {
			chain = chain[:0]
			if scrollsAbove(r, o, within, &chain) {
				return chain, true
			}
		}
	}
	return nil, false
}

// RevealFocused reveals the object that has the focus on c, if any: after
// the window's layout changed (a banner came up and the tabs lost height),
// the focused field may be out of view without the focus having moved.
func RevealFocused(c fyne.Canvas) {
	if c == nil {
		return
	}
	if o, ok := c.Focused().(fyne.CanvasObject); ok {
		Reveal(o)
	}
}

// revealIn moves the scrolls of chain (outermost first, all holding o)
// so o is in view in each.
func revealIn(d fyne.Driver, chain []*container.Scroll, o fyne.CanvasObject) {
	// A scroll whose content grew since it was laid out (a part shown in
	// a tab that scrolls within itself: the window's layout never hears
	// of it) lays its content out again first, or o has no place yet.
	for _, s := range chain {
		if c := s.Content; c != nil {
			if m, z := c.MinSize(), c.Size(); z.Height < m.Height-0.5 || z.Width < m.Width-0.5 {
				s.Refresh()
			}
		}
	}
	top := d.AbsolutePositionForObject(o).Y
	bottom := top + o.Size().Height
	pad := 2 * theme.Padding()
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i]
		if s.Content == nil || s.Direction == container.ScrollNone || s.Direction == container.ScrollHorizontalOnly {
			continue
		}
		y0 := d.AbsolutePositionForObject(s).Y
		view := s.Size().Height
		if view <= 0 {
			continue
		}
		off := s.Offset.Y
		switch {
		case bottom-top+2*pad > view || top < y0: // taller than the view: its top
			off -= y0 - top + pad
		case bottom > y0+view:
			off += bottom - (y0 + view) + pad
		}
		most := max(s.Content.Size().Height, s.Content.MinSize().Height) - view
		off = max(0, min(off, most))
		if delta := off - s.Offset.Y; delta != 0 {
			s.ScrollToOffset(fyne.NewPos(s.Offset.X, off))
			top, bottom = top-delta, bottom-delta
		}
		// For the scrolls outside this one, only the part of o this one
		// shows counts.
		top, bottom = max(top, y0), min(bottom, y0+view)
		if bottom < top {
			bottom = top
		}
	}
}

// Holds reports whether w's area on the window holds o's (the items of a
// radio group are fyne's own: a screen tells them by the group's area).
func Holds(w, o fyne.CanvasObject) bool {
	app := fyne.CurrentApp()
	if app == nil || app.Driver() == nil || w == nil || o == nil {
		return false
	}
	return holds(app.Driver(), w, o)
}

// holds reports whether w's area on the window holds o's.
func holds(d fyne.Driver, w, o fyne.CanvasObject) bool {
	wp, op := d.AbsolutePositionForObject(w), d.AbsolutePositionForObject(o)
	ws, os := w.Size(), o.Size()
	return os.Width > 0 && os.Height > 0 && op.X >= wp.X && op.Y >= wp.Y &&
		op.X+os.Width <= wp.X+ws.Width+0.5 && op.Y+os.Height <= wp.Y+ws.Height+0.5
}

// scrollsAbove reports whether o is root or inside it (or, with within,
// inside a widget within accepts), collecting the
// scroll containers on the way down (outermost first). It looks through
// the containers the desk builds its screens from: fyne's containers,
// scrolls, tabs and splits.
func scrollsAbove(root, o fyne.CanvasObject, within func(fyne.CanvasObject) bool, chain *[]*container.Scroll) bool {
	if root == nil || !root.Visible() {
		return false
	}
	if root == o {
		return true
	}
	var kids []fyne.CanvasObject
	switch r := root.(type) {
	case *fyne.Container:
		kids = r.Objects
	case *container.Scroll:
		*chain = append(*chain, r)
		if scrollsAbove(r.Content, o, within, chain) {
			return true
		}
		*chain = (*chain)[:len(*chain)-1]
		return false
	case *container.AppTabs:
		if s := r.Selected(); s != nil {
			kids = []fyne.CanvasObject{s.Content}
		}
	case *container.DocTabs:
		if s := r.Selected(); s != nil {
			kids = []fyne.CanvasObject{s.Content}
		}
	case *container.Split:
		kids = []fyne.CanvasObject{r.Leading, r.Trailing}
	case fyne.Widget:
		return within != nil && within(r)
	}
	for _, k := range kids {
		if scrollsAbove(k, o, within, chain) {
			return true
		}
	}
	return false
}
