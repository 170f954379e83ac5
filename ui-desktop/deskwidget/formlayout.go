package deskwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FormLayout is fyne's form layout (labels on the left, their fields on
// the right, row by row) whose label column never makes the form wider
// than its room. fyne's gives the labels their one-line width, so at large
// text a long label ("Fødselsnummer / D-nummer (11 siffer)") pushed the
// fields, and everything the tabs share a width with, past the screen's
// edge. Here the label column is the labels' one-line width as long as
// the widest field keeps its minimum beside it (then it is fyne's layout),
// else what the field leaves, never narrower than the longest word; a label that does not fit wraps at words (the layout turns word
// wrapping on for a *widget.Label in the label column). The form's minimum
// width is the longest label word beside the widest field, so no text is
// cut at any text size.
type FormLayout struct {
	labelW float32 // the label column's width in the last layout, 0 before
}

// NewFormLayout returns a two-column form layout; pass label, field,
// label, field… to container.New.
func NewFormLayout() *FormLayout { return &FormLayout{} }

// skip reports whether a row takes no room: both hidden, or a hidden
// field beside an empty label (a check box's row, shown on demand).
func skip(label, field fyne.CanvasObject) bool {
	if field.Visible() {
		return false
	}
	if !label.Visible() {
		return true
	}
	l, ok := label.(*widget.Label)
	return ok && l.Text == ""
}

// oneLine is o's width on one line: a wrapping label's text measured,
// anything else its minimum width.
func oneLine(o fyne.CanvasObject) float32 {
	l, ok := o.(*widget.Label)
	if !ok || l.Wrapping == fyne.TextWrapOff {
		return o.MinSize().Width
	}
	th := l.Theme()
	size := th.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = th.Size(l.SizeName)
	}
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding)
}

// wrapLabels turns word wrapping on for the labels of the label column and
// returns the column's one-line width and its narrowest (longest word).
func wrapLabels(objs []fyne.CanvasObject) (natural, narrowest float32) {
	for i := 0; i+1 < len(objs); i += 2 {
		o, f := objs[i], objs[i+1]
		if skip(o, f) {
			continue
		}
		if l, ok := o.(*widget.Label); ok && l.Wrapping == fyne.TextWrapOff && l.Truncation == fyne.TextTruncateOff {
			l.Wrapping = fyne.TextWrapWord
		}
		natural = max(natural, oneLine(o))
		// A wrapped label's minimum width at width 0 is its longest word.
		narrowest = max(narrowest, minWidthOf(o))
	}
	return natural, narrowest
}

// minWidthOf is o's minimum width; a wrapping label's is its longest word.
func minWidthOf(o fyne.CanvasObject) float32 {
	l, ok := o.(*widget.Label)
	if !ok || l.Wrapping == fyne.TextWrapOff {
		return o.MinSize().Width
	}
	th := l.Theme()
	size := th.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = th.Size(l.SizeName)
	}
	w := float32(0)
	start := 0
	rs := []rune(l.Text)
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || rs[i] == ' ' {
			if i > start {
				w = max(w, fyne.MeasureText(string(rs[start:i]), size, l.TextStyle).Width)
			}
			start = i + 1
		}
	}
	return w + 2*th.Size(theme.SizeNameInnerPadding)
}

// column is the label column's width for a form width (less the gap)
// whose widest field needs fieldW: the fields get their minimum first.
func column(natural, narrowest, fieldW, width float32) float32 {
	if width <= 0 {
		return natural
	}
	return max(narrowest, min(natural, width-fieldW))
}

// fieldWidth is the widest field's minimum width.
func fieldWidth(objs []fyne.CanvasObject) float32 {
	var w float32
	for i := 0; i+1 < len(objs); i += 2 {
		if !skip(objs[i], objs[i+1]) {
			w = max(w, objs[i+1].MinSize().Width)
		}
	}
	return w
}

// rowHeight is the height of a row whose label is w wide.
func rowHeight(label, field fyne.CanvasObject, w float32) float32 {
	if l, ok := label.(*widget.Label); ok && l.Wrapping != fyne.TextWrapOff && w > 0 {
		if l.Size().Width != w {
			l.Resize(fyne.NewSize(w, l.Size().Height))
		}
	}
	return max(label.MinSize().Height, field.MinSize().Height)
}

// Layout implements fyne.Layout.
func (f *FormLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	natural, narrowest := wrapLabels(objs)
	lw := column(natural, narrowest, fieldWidth(objs), size.Width-theme.Padding())
	f.labelW = lw
	pad := theme.Padding()
	fw := max(0, size.Width-lw-pad)
	var y float32
	for i := 0; i+1 < len(objs); i += 2 {
		label, field := objs[i], objs[i+1]
		if skip(label, field) {
			label.Resize(fyne.Size{})
			field.Resize(fyne.Size{})
			continue
		}
		h := rowHeight(label, field, lw)
		label.Move(fyne.NewPos(0, y))
		label.Resize(fyne.NewSize(lw, h))
		field.Move(fyne.NewPos(lw+pad, y))
		field.Resize(fyne.NewSize(fw, h))
		y += h + pad
	}
}

// MinSize implements fyne.Layout: the longest label word beside the
// widest field; the height of the rows as last laid out.
func (f *FormLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	natural, narrowest := wrapLabels(objs)
	lw := f.labelW
	if lw <= 0 {
		lw = natural
	}
	var fieldW, h float32
	rows := 0
	for i := 0; i+1 < len(objs); i += 2 {
		label, field := objs[i], objs[i+1]
		if skip(label, field) {
			continue
		}
		fieldW = max(fieldW, field.MinSize().Width)
		h += rowHeight(label, field, lw)
		rows++
	}
	pad := theme.Padding()
	if rows > 1 {
		h += float32(rows-1) * pad
	}
	return fyne.NewSize(narrowest+pad+fieldW, h)
}
