// Package fittest finds text that a screen cuts: the check behind the
// desk's "nothing is cut at any text size" tests (issue 12 item 7). It
// walks what fyne draws, widget renderers included, so it imports fyne's
// test package and is for tests only.
package fittest

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
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
