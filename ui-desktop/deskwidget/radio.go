package deskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Radio is a choice of one of a few options (a registration's channel,
// an unknown patient's sex), drawn as radio buttons, with an accessible
// label that says the choice.
//
// It replaces fyne's RadioGroup, whose items take the focus one by one
// without telling anybody: nothing could scroll a focused item into view
// (at 2x text with a banner up, Tab reached them out of sight) and its
// focus mark is fyne's hover tint. Radio is one stop of the Tab chain: it
// scrolls itself into view when it gains the focus (Reveal), rings the
// option the keyboard is on in the focus colour, as the desk's lists and
// entries do (3:1 in both themes), and the arrows move that ring while
// Space chooses the ringed option. A click chooses the option clicked.
type Radio struct {
	widget.BaseWidget
	Label      string
	Options    []string
	Selected   string
	OnChanged  func(string)
	Horizontal bool
	// OnFocus, when set, runs each time the choice gains the focus.
	OnFocus Focus

	cursor  int // the option the keyboard is on
	focused bool
	items   []*radioItem
	box     *fyne.Container
}

var (
	_ fyne.Accessible = (*Radio)(nil)
	_ fyne.Focusable  = (*Radio)(nil)
)

// NewRadio returns a horizontal choice of options labelled label.
func NewRadio(label string, options []string, changed func(string)) *Radio {
	r := &Radio{Label: label, Options: options, OnChanged: changed, Horizontal: true}
	r.ExtendBaseWidget(r)
	return r
}

// AccessibilityLabel is the label and the chosen option.
func (r *Radio) AccessibilityLabel() string { return r.Label + ": " + r.Selected }

// AccessibilityRole is button: each option is pressed to choose it.
func (r *Radio) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// SetSelected chooses option s ("" for none) and tells OnChanged when the
// choice changed.
func (r *Radio) SetSelected(s string) {
	if r.Selected == s {
		return
	}
	r.Selected = s
	for i, o := range r.Options {
		if o == s {
			r.cursor = i
		}
	}
	r.Refresh()
	if r.OnChanged != nil {
		r.OnChanged(s)
	}
}

// choose chooses option i (a click or Space); the chosen option is never
// unchosen by choosing it again.
func (r *Radio) choose(i int) {
	if i < 0 || i >= len(r.Options) {
		return
	}
	r.cursor = i
	if r.Options[i] == r.Selected {
		r.Refresh()
		return
	}
	r.SetSelected(r.Options[i])
}

// FocusGained implements fyne.Focusable: the ring on the chosen option
// (or the first), and the choice into view.
func (r *Radio) FocusGained() {
	r.focused = true
	for i, o := range r.Options {
		if o == r.Selected {
			r.cursor = i
		}
	}
	r.Refresh()
	if r.OnFocus != nil {
		r.OnFocus(r)
	}
	Reveal(r)
}

// FocusLost implements fyne.Focusable.
func (r *Radio) FocusLost() {
	r.focused = false
	r.Refresh()
}

// TypedRune implements fyne.Focusable: Space chooses the ringed option.
func (r *Radio) TypedRune(c rune) {
	if c == ' ' {
		r.choose(r.cursor)
	}
}

// TypedKey implements fyne.Focusable: the arrows move the ring, Space
// chooses.
func (r *Radio) TypedKey(ev *fyne.KeyEvent) {
	n := len(r.Options)
	if n == 0 {
		return
	}
	switch ev.Name {
	case fyne.KeyRight, fyne.KeyDown:
		r.cursor = min(r.cursor+1, n-1)
		r.Refresh()
	case fyne.KeyLeft, fyne.KeyUp:
		r.cursor = max(r.cursor-1, 0)
		r.Refresh()
	case fyne.KeySpace:
		r.choose(r.cursor)
	}
}

// Cursor is the option the keyboard is on (tests).
func (r *Radio) Cursor() int { return r.cursor }

// HasFocusMark reports whether an option is ringed (tests).
func (r *Radio) HasFocusMark() bool {
	for _, it := range r.items {
		if it.ring.Visible() {
			return true
		}
	}
	return false
}

// CreateRenderer implements fyne.Widget.
func (r *Radio) CreateRenderer() fyne.WidgetRenderer {
	r.box = &fyne.Container{}
	rr := &radioRenderer{r: r}
	rr.Refresh()
	return rr
}

type radioRenderer struct{ r *Radio }

func (rr *radioRenderer) Destroy()                     {}
func (rr *radioRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{rr.r.box} }
func (rr *radioRenderer) Layout(size fyne.Size) {
	r := rr.r
	r.box.Resize(size)
	var x, y float32
	for _, it := range r.items {
		m := it.MinSize()
		it.Move(fyne.NewPos(x, y))
		if r.Horizontal {
			it.Resize(fyne.NewSize(m.Width, size.Height))
			x += m.Width + theme.Padding()
		} else {
			it.Resize(fyne.NewSize(size.Width, m.Height))
			y += m.Height + theme.Padding()
		}
	}
}

func (rr *radioRenderer) MinSize() fyne.Size {
	var s fyne.Size
	for i, it := range rr.r.items {
		m := it.MinSize()
		gap := float32(0)
		if i > 0 {
			gap = theme.Padding()
		}
		if rr.r.Horizontal {
			s = fyne.NewSize(s.Width+gap+m.Width, max(s.Height, m.Height))
		} else {
			s = fyne.NewSize(max(s.Width, m.Width), s.Height+gap+m.Height)
		}
	}
	return s
}

func (rr *radioRenderer) Refresh() {
	r := rr.r
	for len(r.items) < len(r.Options) {
		it := newRadioItem(r, len(r.items))
		r.items = append(r.items, it)
	}
	r.items = r.items[:len(r.Options)]
	objs := make([]fyne.CanvasObject, len(r.items))
	for i, it := range r.items {
		it.set(r.Options[i], r.Options[i] == r.Selected, r.focused && i == r.cursor, focusColour(r))
		objs[i] = it
	}
	r.box.Objects = objs
	rr.Layout(r.Size())
	r.box.Refresh()
}

// radioItem is one option: the radio icon, its word, and the focus ring
// round both. A click chooses it.
type radioItem struct {
	widget.BaseWidget
	group *Radio
	index int
	icon  *widget.Icon
	text  *widget.Label
	ring  *Ring
}

var _ fyne.Tappable = (*radioItem)(nil)

func newRadioItem(g *Radio, i int) *radioItem {
	it := &radioItem{group: g, index: i, icon: widget.NewIcon(theme.RadioButtonIcon()), text: widget.NewLabel(""), ring: NewRing(ringWidth)}
	it.ExtendBaseWidget(it)
	return it
}

// set shows the option's word, whether it is chosen and whether it has
// the focus ring (in colour c).
func (it *radioItem) set(text string, chosen, ringed bool, c color.Color) {
	if it.text.Text != text {
		it.text.SetText(text)
	}
	res := theme.RadioButtonIcon()
	if chosen {
		res = theme.RadioButtonCheckedIcon()
	}
	it.icon.SetResource(res)
	it.ring.Mark(ringed, c)
}

// Tapped implements fyne.Tappable: the option is chosen, and the choice
// takes the focus as a click on any input does.
func (it *radioItem) Tapped(*fyne.PointEvent) {
	g := it.group
	if c := fyne.CurrentApp().Driver().CanvasForObject(g); c != nil {
		c.Focus(g)
	}
	g.choose(it.index)
}

// CreateRenderer implements fyne.Widget.
func (it *radioItem) CreateRenderer() fyne.WidgetRenderer { return &radioItemRenderer{it} }

type radioItemRenderer struct{ it *radioItem }

func (r *radioItemRenderer) Destroy() {}
func (r *radioItemRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.it.icon, r.it.text, r.it.ring}
}
func (r *radioItemRenderer) Refresh() {
	r.it.icon.Refresh()
	r.it.text.Refresh()
	r.it.ring.Refresh()
}

// iconSize is the radio icon's side: the theme's inline icon size.
func (r *radioItemRenderer) iconSize() float32 {
	return r.it.group.Theme().Size(theme.SizeNameInlineIcon)
}

func (r *radioItemRenderer) MinSize() fyne.Size {
	tm := r.it.text.MinSize()
	pad := theme.Padding()
	return fyne.NewSize(ringInset+pad+r.iconSize()+tm.Width+ringInset, max(tm.Height, r.iconSize()+2*pad)+2*ringInset)
}

func (r *radioItemRenderer) Layout(size fyne.Size) {
	is, pad := r.iconSize(), theme.Padding()
	tm := r.it.text.MinSize()
	r.it.icon.Resize(fyne.NewSquareSize(is))
	r.it.icon.Move(fyne.NewPos(ringInset+pad, (size.Height-is)/2))
	r.it.text.Resize(fyne.NewSize(tm.Width, tm.Height))
	r.it.text.Move(fyne.NewPos(ringInset+pad+is, (size.Height-tm.Height)/2))
	r.it.ring.Move(fyne.NewPos(0, 0))
	r.it.ring.Resize(size)
}
