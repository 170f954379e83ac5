package deskwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// RowFit makes each row of a List as tall as its content needs at the
// list's width: fyne's list makes every row as tall as its template, so a
// row whose text wraps at large text (or holds more than the template)
// would be cut or ellipsised. A list with a RowFit sets each row's height
// whenever it is refreshed or its width changes.
type RowFit struct {
	// Height is the height row id needs when it is width wide (the row's
	// own width, inside the focus ring's inset).
	Height func(id widget.ListItemID, width float32) float32
	// Key, when set, names everything but the width and the text size
	// that row id's height depends on (its texts): heights are then kept
	// per key, so a board refreshed every second measures only rows
	// whose text changed.
	Key func(id widget.ListItemID) string

	cache map[fitKey]float32
}

type fitKey struct {
	key          string
	width, scale float32
}

// height is row id's height at width, from the cache when it has it.
func (f *RowFit) height(id widget.ListItemID, width float32) float32 {
	if f.Key == nil {
		return f.Height(id, width)
	}
	k := fitKey{f.Key(id), width, theme.TextSize()}
	if h, ok := f.cache[k]; ok {
		return h
	}
	if f.cache == nil || len(f.cache) > 4096 {
		// Bounded: waiting times change a row's key every minute.
		f.cache = map[fitKey]float32{}
	}
	h := f.Height(id, width)
	f.cache[k] = h
	return h
}

// fitRows sets every row's height for the list's width now.
func (l *List) fitRows() {
	if l.Fit == nil || l.Fit.Height == nil {
		return
	}
	w := l.Size().Width - 2*ringInset
	if w <= 0 {
		return
	}
	n := l.rows()
	l.heights = l.heights[:0]
	for id := 0; id < n; id++ {
		h := l.Fit.height(id, w) + 2*ringInset
		l.heights = append(l.heights, h)
		// SetItemHeight repaints only a row whose height changed.
		l.SetItemHeight(id, h)
	}
}

// reveal scrolls the list so that all of row id is in view: fyne's list
// scrolls by its template's height, so a fitted row taller than the
// template could stay half below the fold.
func (l *List) reveal(id widget.ListItemID) {
	if l.Fit == nil || id < 0 || id >= len(l.heights) {
		return
	}
	sep := l.Theme().Size(theme.SizeNamePadding)
	var top float32
	for i := 0; i < id; i++ {
		top += l.heights[i] + sep
	}
	h, view, off := l.heights[id], l.Size().Height, l.GetScrollOffset()
	switch {
	case h > view || top < off:
		off = top
	case top+h > off+view:
		off = top + h - view
	default:
		return
	}
	l.ScrollToOffset(off)
}

// ScrollTo scrolls row id wholly into view.
func (l *List) ScrollTo(id widget.ListItemID) {
	l.List.ScrollTo(id)
	l.reveal(id)
}

// Resize implements fyne.Widget: a new width refits the rows.
func (l *List) Resize(s fyne.Size) {
	old := l.Size()
	l.List.Resize(s)
	if s.Width != old.Width {
		l.fitRows()
	}
}

// Refresh implements fyne.Widget: the rows are refitted (their texts may
// have changed), then repainted.
func (l *List) Refresh() {
	l.fitRows()
	l.List.Refresh()
}

// WrappedHeight is the height label l needs when it is width wide: its
// text wrapped there (a label that does not wrap: its one line).
func WrappedHeight(l *widget.Label, width float32) float32 {
	if !l.Visible() {
		return 0
	}
	if l.Size().Width != width {
		l.Resize(fyne.NewSize(width, l.Size().Height))
	}
	return l.MinSize().Height
}

// LongestWord is the narrowest l can be without a word broken: its
// longest word with the label's padding (a label that does not wrap: its
// one line).
func LongestWord(l *widget.Label) float32 { return minWidthOf(l) }

// OneLine is the width l needs for its text on one line.
func OneLine(l *widget.Label) float32 { return oneLine(l) }

// Measured is an object that knows the height it needs at a width (a
// list row of a screen's own layout).
type Measured interface {
	HeightAt(width float32) float32
}

// Template is a RowFit that measures each row on one row object of the
// list's own kind, off screen: made by create, filled by update, measured
// by HeightAt; key names what a row's height depends on (its texts).
func Template(create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), key func(widget.ListItemID) string) *RowFit {
	var row fyne.CanvasObject
	return &RowFit{Key: key, Height: func(id widget.ListItemID, width float32) float32 {
		if row == nil {
			row = create()
		}
		update(id, row)
		return HeightAt(row, width)
	}}
}

// Column is a vertical box of its visible objects, each as wide as the
// column and as tall as it needs at that width: a wrapping label is
// measured wrapped at the column's width before it is placed (fyne's
// VBox reads its height before the new width reaches it, so a label
// that wraps to more lines at large text overlapped the next one).
type Column struct {
	lastW float32 // the width of the last layout, 0 before
}

// NewColumn returns a container laying objs out as a Column.
func NewColumn(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&Column{}, objs...)
}

// HeightAt is the height o needs when it is width wide: a wrapping label
// wrapped there, a Column's or Beside's objects, a badge wrapped there;
// anything else its minimum height.
func HeightAt(o fyne.CanvasObject, width float32) float32 {
	if o == nil || !o.Visible() {
		return 0
	}
	switch x := o.(type) {
	case Measured:
		return x.HeightAt(width)
	case *widget.Label:
		if x.Wrapping != fyne.TextWrapOff {
			return WrappedHeight(x, width)
		}
	case *Badge:
		x.SetMaxWidth(width)
		return x.MinSize().Height
	case *fyne.Container:
		switch c := x.Layout.(type) {
		case *Column:
			return c.height(x.Objects, width)
		case Beside:
			return c.height(x.Objects, width)
		}
	}
	return o.MinSize().Height
}

// height is the column's height at width.
func (c *Column) height(objs []fyne.CanvasObject, width float32) float32 {
	var h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h += HeightAt(o, width)
		n++
	}
	if n > 1 {
		h += float32(n-1) * theme.Padding()
	}
	return h
}

// Layout implements fyne.Layout.
func (c *Column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	c.lastW = size.Width
	var y float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := HeightAt(o, size.Width)
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + theme.Padding()
	}
}

// MinSize implements fyne.Layout: as wide as its widest word (or
// widest object that does not wrap), as tall as at the last width.
func (c *Column) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *widget.Label:
			w = max(w, minWidthOf(x))
		case *Badge:
			w = max(w, x.WrapMinWidth())
		default:
			w = max(w, o.MinSize().Width)
		}
	}
	width := c.lastW
	if width <= 0 {
		width = w
	}
	return fyne.NewSize(w, c.height(objs, width))
}

// Beside lays out two objects side by side: the first at its minimum
// width and as tall as the pair, the second in the rest of the width, as
// tall as it needs there (a Column or a wrapping label).
type Beside struct{}

// NewBeside returns a container laying first and rest out as Beside.
func NewBeside(first, rest fyne.CanvasObject) *fyne.Container {
	return container.New(Beside{}, first, rest)
}

// height is the pair's height at width.
func (Beside) height(objs []fyne.CanvasObject, width float32) float32 {
	if len(objs) < 2 {
		return 0
	}
	fm := objs[0].MinSize()
	return max(fm.Height, HeightAt(objs[1], max(width-fm.Width-theme.Padding(), 0)))
}

// Layout implements fyne.Layout.
func (b Beside) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) < 2 {
		return
	}
	fm := objs[0].MinSize()
	h := max(size.Height, b.height(objs, size.Width))
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(fm.Width, h))
	x := fm.Width + theme.Padding()
	objs[1].Move(fyne.NewPos(x, 0))
	objs[1].Resize(fyne.NewSize(max(size.Width-x, 0), HeightAt(objs[1], max(size.Width-x, 0))))
}

// MinSize implements fyne.Layout.
func (b Beside) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) < 2 {
		return fyne.Size{}
	}
	fm, rm := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fm.Width+theme.Padding()+rm.Width, max(fm.Height, rm.Height))
}
