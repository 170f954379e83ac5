// Package fittest checks what the desk draws, for tests only (it imports
// fyne's test package): text that a screen cuts, behind the "nothing is
// cut at any text size" tests, and the focus mark of every stop of a Tab
// chain, behind "every focus is seen" (issue 12 item 7).
package fittest

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// Steps are the text sizes the desk's menu reaches: desktheme.MinScale to
// MaxScale in steps of 0.1 (Ctrl+- and Ctrl+=).
func Steps() []float32 {
	var s []float32
	for v := float32(desktheme.MinScale); v <= desktheme.MaxScale+0.01; v += 0.1 {
		s = append(s, v)
	}
	return s
}

// Cut lists every visible text drawn under o that does not show whole
// within o's own area: ellipsised ("…"), wider than its own box (clipped),
// or running past o's right edge, or (outside a scroll, where text below
// the fold is scrolled to, not cut) past its bottom. An empty list:
// nothing is cut. o is a window's content or a dialog's.
func Cut(o fyne.CanvasObject) []string {
	var out []string
	d := fyne.CurrentApp().Driver()
	op, os := d.AbsolutePositionForObject(o), o.Size()
	right, bottom := op.X+os.Width, op.Y+os.Height
	var walk func(o fyne.CanvasObject, scrolled bool)
	walk = func(o fyne.CanvasObject, scrolled bool) {
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
			case p.X+m.Width > right+0.5:
				out = append(out, fmt.Sprintf("%q ends at x=%.0f, past the edge at %.0f", x.Text, p.X+m.Width, right))
			case !scrolled && p.Y+m.Height > bottom+0.5:
				out = append(out, fmt.Sprintf("%q ends at y=%.0f, past the bottom at %.0f", x.Text, p.Y+m.Height, bottom))
			}
		case *container.Scroll:
			walk(x.Content, true)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, scrolled)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, scrolled)
			}
		}
	}
	walk(o, false)
	return out
}

// Dialog is the content of the top overlay of c (a pop-up's box), nil
// when nothing is shown over the window.
func Dialog(c fyne.Canvas) fyne.CanvasObject {
	top := c.Overlays().Top()
	if w, ok := top.(fyne.Widget); ok {
		if _, pop := top.(*widget.PopUp); !pop {
			// fyne 2.8 holds a modal pop-up's box in an overlay container
			// (background first, then the box).
			if objs := test.WidgetRenderer(w).Objects(); len(objs) > 0 {
				top = objs[len(objs)-1]
			}
		}
	}
	if p, ok := top.(*widget.PopUp); ok {
		return p.Content
	}
	return top
}

// Mark is one stop of a window's Tab chain and how many pixels its focus
// changes by at least 3:1 (WCAG 2.2 2.4.13's measure of a focus
// indicator: the same pixels focused and not; 1.4.11 asks it be seen).
type Mark struct {
	Name   string
	Pixels int
}

// FocusMarks Tabs once round the focus chain of c from its first stop and
// measures each stop's focus mark; ok is false when the chain does not
// come round within max stops.
func FocusMarks(c fyne.Canvas, max int) (marks []Mark, ok bool) {
	c.Unfocus()
	c.FocusNext()
	first := c.Focused()
	if first == nil {
		return nil, true
	}
	for i := 0; i < max; i++ {
		f := c.Focused()
		on := c.Capture()
		c.Unfocus()
		off := c.Capture()
		c.Focus(f)
		name := fmt.Sprintf("%T", f)
		if a, isA := f.(fyne.Accessible); isA {
			name += " " + a.AccessibilityLabel()
		}
		marks = append(marks, Mark{name, changed(off, on)})
		c.FocusNext()
		if c.Focused() == first {
			return marks, true
		}
	}
	return marks, false
}

// changed counts the pixels that differ at least 3:1 between off and on.
func changed(off, on image.Image) int {
	n := 0
	b := on.Bounds().Intersect(off.Bounds())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if Contrast(off.At(x, y), on.At(x, y)) >= 3 {
				n++
			}
		}
	}
	return n
}

// Contrast is the WCAG 2 contrast ratio of two colours.
func Contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// MinMark is the fewest pixels a focus mark may change: a 2 px ring round
// a 13 px square. fyne's hover tint on a list row changes none.
const MinMark = 100

// Unseen Tabs once round the focus chain of c from its first stop and
// names each stop that is not wholly in view: outside the window, or
// outside the visible area of a scroll that holds it (scrolled out of
// view, or the scroll itself out of view in another). ok is false when
// the chain does not come round within max stops.
func Unseen(c fyne.Canvas, max int) (unseen []string, ok bool) {
	c.Unfocus()
	c.FocusNext()
	first := c.Focused()
	if first == nil {
		return nil, true
	}
	for i := 0; i < max; i++ {
		if o, isObj := c.Focused().(fyne.CanvasObject); isObj && !InView(c, o) {
			name := fmt.Sprintf("%T", o)
			if a, isA := o.(fyne.Accessible); isA {
				name += " " + a.AccessibilityLabel()
			}
			unseen = append(unseen, name)
		}
		c.FocusNext()
		if c.Focused() == first {
			return unseen, true
		}
	}
	return unseen, false
}

// InView reports whether o lies wholly inside c and inside the visible
// area of every scroll that holds it (half a pixel of slack).
func InView(c fyne.Canvas, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	chain, ok := deskwidget.ScrollsAbove(c, o)
	if !ok || !o.Visible() {
		return false
	}
	p, s := d.AbsolutePositionForObject(o), o.Size()
	inside := func(q fyne.Position, z fyne.Size) bool {
		return p.X >= q.X-0.5 && p.Y >= q.Y-0.5 && p.X+s.Width <= q.X+z.Width+0.5 && p.Y+s.Height <= q.Y+z.Height+0.5
	}
	if !inside(fyne.Position{}, c.Size()) {
		return false
	}
	for _, sc := range chain {
		if !inside(d.AbsolutePositionForObject(sc), sc.Size()) {
			return false
		}
	}
	return true
}

// TextsMatching returns the visible texts drawn under o that read s.
func TextsMatching(o fyne.CanvasObject, s string) []*canvas.Text {
	var out []*canvas.Text
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text == s {
				out = append(out, x)
			}
		case *container.Scroll:
			walk(x.Content)
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

// Within reports whether o's area on the window lies inside area's (half
// a pixel of slack) and o has a size.
func Within(o, area fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	p, s := d.AbsolutePositionForObject(o), o.Size()
	q, z := d.AbsolutePositionForObject(area), area.Size()
	return s.Width > 0 && s.Height > 0 && p.X >= q.X-0.5 && p.Y >= q.Y-0.5 &&
		p.X+s.Width <= q.X+z.Width+0.5 && p.Y+s.Height <= q.Y+z.Height+0.5
}
