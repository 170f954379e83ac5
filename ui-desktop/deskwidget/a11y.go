// Package deskwidget holds the widgets of the reception desktop: stock fyne
// inputs with an accessible label (fyne 2.8's fyne.Accessible, read by
// screen readers when the app is built with -tags accessibility), the
// triage colour badge that always carries its text label, the vital-sign
// tile with source, age and stale marker, the vitals trend plot, the ECG
// strip and the device status line.
//
// fyne's accessibility walk (internal/driver/glfw, v2.8.1) visits
// *fyne.Container children and asks each fyne.Accessible for its label; it
// does not look inside other widgets. So every interactive or informative
// leaf here implements fyne.Accessible itself with a label that says what it
// is and what it holds, not just its type.
package deskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Entry is a text entry with an accessible label ("Fødselsnummer, 11
// siffer"). The screen reader reads the label and the current text.
type Entry struct {
	widget.Entry
	Label string
	// OnFocus, when set, runs each time the entry gains the focus.
	OnFocus Focus

	ring *Ring // the focus mark, inside the border
}

var _ fyne.Accessible = (*Entry)(nil)

// NewEntry returns an empty single-line entry labelled label.
func NewEntry(label string) *Entry {
	e := &Entry{Label: label}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrapOff
	return e
}

// AccessibilityLabel is the label and the text typed so far.
func (e *Entry) AccessibilityLabel() string {
	if e.Text == "" {
		return e.Label
	}
	return e.Label + ": " + e.Text
}

// AccessibilityRole is text: fyne 2.8 has no role for inputs yet.
func (e *Entry) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// Check is a check box with an accessible label that says its state.
type Check struct {
	widget.Check
	Label string
	// On and Off are the spoken states, e.g. "ja"/"nei".
	On, Off string
	// OnFocus, when set, runs each time the check gains the focus.
	OnFocus Focus
}

var _ fyne.Accessible = (*Check)(nil)

// NewCheck returns a check box showing text; label is what a screen reader
// says, on/off its states.
func NewCheck(text, label, on, off string, changed func(bool)) *Check {
	c := &Check{Label: label, On: on, Off: off}
	c.Text = text
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

// AccessibilityLabel is the label and the state.
func (c *Check) AccessibilityLabel() string {
	if c.Checked {
		return c.Label + ": " + c.On
	}
	return c.Label + ": " + c.Off
}

// AccessibilityRole is button: a check box is pressed to toggle.
func (c *Check) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// Select is a drop-down with an accessible label that says the choice.
type Select struct {
	widget.Select
	Label string
	// None is spoken when nothing is chosen.
	None string
	// OnFocus, when set, runs each time the drop-down gains the focus.
	OnFocus Focus
}

var _ fyne.Accessible = (*Select)(nil)

// NewSelect returns a drop-down of options labelled label.
func NewSelect(label, none string, options []string, changed func(string)) *Select {
	s := &Select{Label: label, None: none}
	s.Options = options
	s.OnChanged = changed
	s.PlaceHolder = none
	s.ExtendBaseWidget(s)
	return s
}

// AccessibilityLabel is the label and the chosen option.
func (s *Select) AccessibilityLabel() string {
	if s.Selected == "" {
		return s.Label + ": " + s.None
	}
	return s.Label + ": " + s.Selected
}

// AccessibilityRole is button: it opens a menu when pressed.
func (s *Select) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// List is a list with an accessible label; Describe gives the text of the
// selected row so the reader can say which patient is selected.
//
// Its focus is always seen (WCAG 2.1 1.4.11, 3:1 against what is around
// it, in both themes): fyne marks the keyboard row of a focused list only
// with its hover tint (about 1.1:1 on the dark window), and an empty list
// with nothing at all. List rings the keyboard row in the theme's focus
// colour, each row inset so that the ring lies on the list's own
// background and never on a row's badge; with no rows it shows Empty in
// its area and, when focused, rings the whole list.
type List struct {
	widget.List
	Label    string
	Describe func() string
	// Empty is the text the list shows when it has no rows ("Ingen EKG
	// venter på tolkning"), so that an empty list says so where it is.
	Empty string
	// Fit, when set, makes each row as tall as its content at the list's
	// width (RowFit); without it every row is as tall as the template.
	Fit *RowFit
	// OnKey, when set, is told of every key typed on the list that does
	// not select a row (arrows, Home, End, Esc …), before it is handled.
	OnKey func(*fyne.KeyEvent)

	heights []float32         // the fitted rows' heights, with the ring's inset
	cursor  widget.ListItemID // the keyboard row: arrows move it, Enter and Space select it
	focused bool
	ring    *Ring // around the whole list: focused with no rows
	empty   *widget.Label
}

var (
	_ fyne.Accessible = (*List)(nil)
	_ fyne.Focusable  = (*List)(nil)
)

// ringWidth is the focus ring's stroke; a row is inset by ringInset so
// the ring stays on the list's background.
const (
	ringWidth = 2
	ringInset = ringWidth + 1
)

// NewList returns a list as widget.NewList does, labelled label. create
// and update see the screen's own row object, never the ring around it.
func NewList(label string, length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *List {
	l := &List{Label: label}
	l.Length = length
	l.CreateItem = func() fyne.CanvasObject { return newFocusRow(create()) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		r, ok := o.(*focusRow)
		if !ok {
			update(id, o)
			return
		}
		r.mark(l.focused && id == l.row(), focusColour(l))
		update(id, r.child)
	}
	// fyne reports the row the keyboard or the pointer is on.
	l.OnHighlighted = func(id widget.ListItemID) { l.moveCursor(id) }
	l.ExtendBaseWidget(l)
	return l
}

// rows is the number of rows now.
func (l *List) rows() int {
	if l.Length == nil {
		return 0
	}
	return l.Length()
}

// row is the keyboard row within the rows there are now (the list may
// have shrunk since the cursor moved), -1 when there are none.
func (l *List) row() widget.ListItemID {
	n := l.rows()
	if n == 0 {
		return -1
	}
	return min(max(l.cursor, 0), n-1)
}

// moveCursor makes id the keyboard row and repaints the rows it left and
// reached.
func (l *List) moveCursor(id widget.ListItemID) {
	old := l.row()
	l.cursor = id
	if old >= 0 && old != id {
		l.RefreshItem(old)
	}
	l.RefreshItem(id)
}

// TypedKey: the arrows, Home and End move the keyboard row, and Enter (as nurses expect
// from a list) and Space select it.
func (l *List) TypedKey(ev *fyne.KeyEvent) {
	cur, n := l.row(), l.rows()
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
	default:
		if l.OnKey != nil {
			l.OnKey(ev)
		}
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if cur >= 0 {
			l.Select(cur)
		}
	case fyne.KeyDown:
		if cur >= 0 && cur < n-1 {
			l.highlight(cur + 1) // fyne's own row too: it scrolls there and reports it
		}
	case fyne.KeyUp:
		if cur > 0 {
			l.highlight(cur - 1)
		}
	case fyne.KeyHome: // the first row (the board's send-on keys start with it)
		if n > 0 {
			l.highlight(0)
		}
	case fyne.KeyEnd:
		if n > 0 {
			l.highlight(n - 1)
		}
	default:
		l.List.TypedKey(ev)
	}
}

// highlight makes id the keyboard row, wholly in view.
func (l *List) highlight(id widget.ListItemID) {
	l.Highlight(id)
	l.reveal(id)
}

// FocusGained implements fyne.Focusable: the ring shows.
func (l *List) FocusGained() {
	l.focused = true
	l.List.FocusGained()
	l.paintFrame()
	if r := l.row(); r >= 0 {
		l.RefreshItem(r)
	}
	Reveal(l)
}

// FocusLost implements fyne.Focusable: the ring goes.
func (l *List) FocusLost() {
	l.focused = false
	l.List.FocusLost()
	l.paintFrame()
	if r := l.row(); r >= 0 {
		l.RefreshItem(r)
	}
}

// Cursor is the keyboard row (the ringed one when focused) within the
// rows there are now, -1 when there are none: what Enter and Space, and
// the board's send-on action, act on.
func (l *List) Cursor() widget.ListItemID { return l.row() }

// HasFocusMark reports whether a focus ring is shown: on the keyboard
// row, or around the list when it has no rows (tests).
func (l *List) HasFocusMark() bool { return l.focused }

// EmptyShown reports whether the list shows its Empty text (tests).
func (l *List) EmptyShown() bool { return l.empty != nil && l.empty.Visible() }

// paintFrame shows the empty text and the whole-list ring as the rows
// and the focus are now.
func (l *List) paintFrame() {
	if l.ring == nil {
		return
	}
	none := l.rows() == 0
	if none && l.Empty != "" {
		l.empty.SetText(l.Empty)
		l.empty.Show()
	} else {
		l.empty.Hide()
	}
	l.ring.Mark(none && l.focused, focusColour(l))
}

// CreateRenderer implements fyne.Widget: fyne's list, with the empty text
// and the whole-list ring above it.
func (l *List) CreateRenderer() fyne.WidgetRenderer {
	inner := l.List.CreateRenderer()
	l.empty = widget.NewLabel(l.Empty)
	l.empty.Wrapping = fyne.TextWrapWord
	l.empty.Hide()
	l.ring = NewRing(ringWidth)
	r := &listRenderer{inner: inner, l: l}
	l.paintFrame()
	return r
}

// listRenderer is fyne's list renderer with the empty text and the ring.
type listRenderer struct {
	inner fyne.WidgetRenderer
	l     *List
}

func (r *listRenderer) Destroy()           { r.inner.Destroy() }
func (r *listRenderer) MinSize() fyne.Size { return r.inner.MinSize() }
func (r *listRenderer) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.inner.Objects()...), r.l.empty, r.l.ring)
}

func (r *listRenderer) Layout(size fyne.Size) {
	r.inner.Layout(size)
	r.l.empty.Move(fyne.NewPos(0, 0))
	r.l.empty.Resize(fyne.NewSize(size.Width, max(r.l.empty.MinSize().Height, 0)))
	r.l.ring.Move(fyne.NewPos(0, 0))
	r.l.ring.Resize(size)
}

func (r *listRenderer) Refresh() {
	r.inner.Refresh()
	r.l.paintFrame()
	r.Layout(r.l.Size())
}

// focusColour is the theme's focus colour where o is drawn.
func focusColour(o fyne.Widget) color.Color {
	v := theme.VariantDark
	if a := fyne.CurrentApp(); a != nil {
		v = a.Settings().ThemeVariant()
	}
	if w, ok := o.(interface{ Theme() fyne.Theme }); ok {
		return w.Theme().Color(theme.ColorNameFocus, v)
	}
	return theme.Color(theme.ColorNameFocus)
}

// focusRow is one row of a List: the screen's row object, inset, and the
// focus ring around it.
type focusRow struct {
	widget.BaseWidget
	child fyne.CanvasObject
	ring  *Ring
}

func newFocusRow(child fyne.CanvasObject) *focusRow {
	r := &focusRow{child: child, ring: NewRing(ringWidth)}
	r.ExtendBaseWidget(r)
	return r
}

// mark shows the ring in colour c, or hides it.
func (r *focusRow) mark(on bool, c color.Color) { r.ring.Mark(on, c) }

// CreateRenderer implements fyne.Widget.
func (r *focusRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(insetLayout{}, r.child, r.ring))
}

// insetLayout puts its first object ringInset inside its area and the
// others (the ring) over the whole area.
type insetLayout struct{}

// Layout implements fyne.Layout.
func (insetLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for i, o := range objs {
		if i == 0 {
			o.Move(fyne.NewPos(ringInset, ringInset))
			o.Resize(fyne.NewSize(size.Width-2*ringInset, size.Height-2*ringInset))
			continue
		}
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize implements fyne.Layout.
func (insetLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 {
		return fyne.Size{}
	}
	return objs[0].MinSize().AddWidthHeight(2*ringInset, 2*ringInset)
}

// AccessibilityLabel is the label and the selected row.
func (l *List) AccessibilityLabel() string {
	if l.Describe != nil {
		if d := l.Describe(); d != "" {
			return l.Label + ": " + d
		}
	}
	return l.Label
}

// AccessibilityRole is text, not container: fyne's walk skips the labels
// of containers, and the selected row must be read out.
func (l *List) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }
