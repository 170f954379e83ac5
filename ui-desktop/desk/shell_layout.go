package desk

// The window's layout around the tabs: the alert banners above, the device
// bar below. With larger text (2x, 2.5x) and several alerts their natural
// size is more than a screen; laid out as a plain border they made the
// window grow past the screen and cut what was below it (issue 12 item 7).
// Here every part has a bounded share of the window and scrolls within it,
// so the window's minimum size stays small and nothing is cut.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// Shares of the window's height the banners and the device bar may take
// at most; the tabs keep the rest (at least 35%), so the form with its
// sticky header stays usable however many banners are up.
const (
	bannerShare = 0.4
	deviceShare = 0.25
)

// region is the banners' or the device bar's part of the window: its
// content in a vertical scroll, in a box whose minimum height is the
// content's up to a limit (its share of the window's last height). The
// box's minimum follows the content's, so when a banner appears or the
// device bar's text wraps onto another line the window lays out again
// (a bare scroll's minimum never changes, and the window would not), and
// it never exceeds the limit, so the window does not grow.
type region struct {
	scroll *container.Scroll
	box    *fyne.Container
	lay    *regionLayout
}

func newRegion(content fyne.CanvasObject, share float32) *region {
	r := &region{scroll: container.NewVScroll(content)}
	r.lay = &regionLayout{scroll: r.scroll, share: share}
	r.box = container.New(r.lay, r.scroll)
	return r
}

// regionLayout is a region's box's layout.
type regionLayout struct {
	scroll *container.Scroll
	share  float32 // of the window's height
	limit  float32 // the share of the window's last height; 0 before the first layout
}

// fallbackScreen is the screen height assumed before the first layout.
const fallbackScreen = 1024

// wanted is the height the content asks for up to the limit, 0 when
// nothing in it is shown.
func (l *regionLayout) wanted() float32 {
	c := l.scroll.Content
	if c == nil || !c.Visible() {
		return 0
	}
	limit := l.limit
	if limit <= 0 {
		limit = fallbackScreen * l.share
	}
	return min(c.MinSize().Height, limit)
}

func (l *regionLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) { l.scroll.Resize(size) }

func (l *regionLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(l.scroll.MinSize().Width, l.wanted())
}

// shellLayout places top (the banners) at the top, bottom (the device
// bar) at the bottom and the tabs between, as container.NewBorder does,
// with the same padding, so at the usual text size the window looks as
// before. Unlike a border's, top and bottom get at most their share of
// the window's height and scroll within it.
type shellLayout struct {
	top, bottom *region
}

// Layout gives top and bottom their content's height up to their share
// and the tabs the rest.
func (l *shellLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	var y0, y1 float32 = 0, size.Height
	l.top.lay.limit, l.bottom.lay.limit = size.Height*l.top.lay.share, size.Height*l.bottom.lay.share
	if h := l.top.lay.wanted(); h > 0 {
		l.top.box.Resize(fyne.NewSize(size.Width, h+clipSlack(h, l.top.lay.limit)))
		l.top.box.Move(fyne.NewPos(0, 0))
		y0 = h + pad
	} else {
		l.top.box.Resize(fyne.NewSize(size.Width, 0))
	}
	if h := l.bottom.lay.wanted(); h > 0 {
		l.bottom.box.Resize(fyne.NewSize(size.Width, h+clipSlack(h, l.bottom.lay.limit)))
		l.bottom.box.Move(fyne.NewPos(0, size.Height-h))
		y1 = size.Height - h - pad
	} else {
		l.bottom.box.Resize(fyne.NewSize(size.Width, 0))
	}
	for _, o := range objects {
		if o == l.top.box || o == l.bottom.box || !o.Visible() {
			continue
		}
		o.Resize(fyne.NewSize(size.Width, max(0, y1-y0)))
		o.Move(fyne.NewPos(0, y0))
	}
	// A banner that came up (or text made larger) shortened the tabs:
	// the field being typed into stays in view (QA F6).
	if app := fyne.CurrentApp(); app != nil && app.Driver() != nil && len(objects) > 0 {
		deskwidget.RevealFocused(app.Driver().CanvasForObject(objects[0]))
	}
}

// clipSlack is the pixel a scroll that holds all of its content (h below
// its share) is made taller by: a scroll clips to whole pixels, which
// took the last row of the device bar's badge at a fractional height.
// The content keeps its place; the spare row is empty.
func clipSlack(h, limit float32) float32 {
	if h < limit {
		return 1
	}
	return 0
}

// MinSize is the widest part's width and the tabs' height plus top's and
// bottom's, each at most its share of the window's last height.
func (l *shellLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var s fyne.Size
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if (o == l.top.box || o == l.bottom.box) && m.Height > 0 {
			s.Height += pad
		}
	}
	return s
}

// bannerLayout lays a banner out as its badge, its text and its actions
// (objects in that order; actions may be absent) side by side, as a
// border would, when they fit the width it was last given with room for
// the text; else stacked: the badge, the actions, the text across the
// full width. Its minimum width is its widest part's, so a banner never
// makes the window wider: at 2x text the badge and two actions alone
// are wider than a 1280-pixel screen.
type bannerLayout struct {
	width float32 // the width of the last Layout, 0 before the first
}

// parts splits objects into the badge, the text and the actions (nil
// when the banner has none).
func (b *bannerLayout) parts(objects []fyne.CanvasObject) (badge, body, actions fyne.CanvasObject) {
	badge, body = objects[0], objects[1]
	if len(objects) > 2 {
		actions = objects[2]
	}
	return badge, body, actions
}

// sideBySide reports whether the badge and the actions leave the text at
// least a third of width.
func (b *bannerLayout) sideBySide(objects []fyne.CanvasObject, width float32) bool {
	badge, _, actions := b.parts(objects)
	used := badge.MinSize().Width + theme.Padding()
	if bd, ok := badge.(*deskwidget.Badge); ok {
		used = bd.LineWidth() + theme.Padding() // its one-line width, wrapped or not
	}
	if actions != nil {
		used += actions.MinSize().Width + theme.Padding()
	}
	return width > 0 && used <= width*2/3
}

// Layout places the parts for size, remembering its width.
func (b *bannerLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	b.width = size.Width
	badge, body, actions := b.parts(objects)
	pad := theme.Padding()
	side := b.sideBySide(objects, size.Width)
	if bd, ok := badge.(*deskwidget.Badge); ok {
		// Stacked, a title wider than the window wraps.
		bd.SetMaxWidth(map[bool]float32{true: 0, false: size.Width}[side])
	}
	if side {
		bw := badge.MinSize().Width // one line: SetMaxWidth(0) above
		badge.Resize(fyne.NewSize(bw, size.Height))
		badge.Move(fyne.NewPos(0, 0))
		left, right := bw+pad, float32(0)
		if actions != nil {
			aw := actions.MinSize().Width
			actions.Resize(fyne.NewSize(aw, size.Height))
			actions.Move(fyne.NewPos(size.Width-aw, 0))
			right = aw + pad
		}
		body.Resize(fyne.NewSize(size.Width-left-right, size.Height))
		body.Move(fyne.NewPos(left, 0))
		return
	}
	// Stacked: the title, the actions, then the text, so the actions stay
	// in view in the banners' area when a long text has to scroll.
	y := float32(0)
	bm := badge.MinSize()
	badge.Resize(fyne.NewSize(min(bm.Width, size.Width), bm.Height))
	badge.Move(fyne.NewPos(0, y))
	y += bm.Height + pad
	if actions != nil {
		am := actions.MinSize()
		actions.Resize(fyne.NewSize(min(am.Width, size.Width), am.Height))
		actions.Move(fyne.NewPos(0, y))
		y += am.Height + pad
	}
	body.Resize(fyne.NewSize(size.Width, body.MinSize().Height))
	body.Move(fyne.NewPos(0, y))
	// The text's height once it wraps at the full width.
	body.Resize(fyne.NewSize(size.Width, body.MinSize().Height))
}

// MinSize is the widest part's width, and the height of the arrangement
// the last width gave (side by side before the first layout).
func (b *bannerLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	badge, body, actions := b.parts(objects)
	bm, tm := badge.MinSize(), body.MinSize()
	var am fyne.Size
	if actions != nil {
		am = actions.MinSize()
	}
	bw := bm.Width
	if bd, ok := badge.(*deskwidget.Badge); ok {
		bw = min(bw, bd.WrapMinWidth()) // it wraps when stacked
	}
	w := max(bw, tm.Width, am.Width)
	if b.width == 0 || b.sideBySide(objects, b.width) {
		return fyne.NewSize(w, max(bm.Height, tm.Height, am.Height))
	}
	h := bm.Height + theme.Padding() + tm.Height
	if actions != nil {
		h += theme.Padding() + am.Height
	}
	return fyne.NewSize(w, h)
}
