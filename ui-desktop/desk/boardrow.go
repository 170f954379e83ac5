package desk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
)

// A board row shows everything a nurse needs of a waiting patient at every
// text size: the colour in words, the patient, sex, age and temporary id,
// the waiting time against the target, NEWS2 (with "minst" and what is
// missing), every flag and the record line. Nothing is ellipsised: each
// text wraps at words, and the row is as tall as its content at the
// board's width (deskwidget.RowFit). Where the room allows, the row is as
// it always was, one band: colour | patient | flags | waited | NEWS2. With
// less room (many flags, larger text) the flags go under the patient, and
// with less still the waiting time and NEWS2 go right under the patient,
// then the flags: what matters first stays at the top of the row.

// rowView is one board row: a widget (so fyne paints its children) that
// keeps its parts, so updateRow need not search the tree.
type rowView struct {
	widget.BaseWidget
	box     *fyne.Container
	colour  *deskwidget.Badge
	patient *widget.Label
	ident   *widget.Label
	record  *widget.Label
	waited  *widget.Label
	news2   *widget.Label
	flagBox *fyne.Container // the flag badges, laid out by the row
	flags   []*deskwidget.Badge
	prefix  string // the flags' accessible prefix
	lay     *rowLayout
}

func (b *boardScreen) createRow() fyne.CanvasObject {
	wrap := func(l *widget.Label) *widget.Label { l.Wrapping = fyne.TextWrapWord; return l }
	r := &rowView{colour: deskwidget.NewBadge(b.lang.T("board.col.colour"), 150, false),
		patient: wrap(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		ident:   wrap(widget.NewLabel("")), waited: wrap(widget.NewLabel("")), news2: wrap(widget.NewLabel("")),
		record: wrap(widget.NewLabel("")), prefix: b.lang.T("board.col.flags")}
	r.record.Hide()
	r.flagBox = container.NewWithoutLayout()
	r.lay = &rowLayout{r: r}
	r.box = container.New(r.lay, r.colour, r.patient, r.ident, r.record, r.flagBox, r.waited, r.news2)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer implements fyne.Widget.
func (r *rowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// flag returns the row's i-th flag badge, adding badges as a row needs
// them: a row shows every flag it has, however many.
func (r *rowView) flag(i int) *deskwidget.Badge {
	for len(r.flags) <= i {
		f := deskwidget.NewBadge(r.prefix, 0, false)
		f.Hide()
		r.flags = append(r.flags, f)
		r.flagBox.Add(f)
	}
	return r.flags[i]
}

// HeightAt lays the row out at width and returns the height it needs
// (deskwidget.Measured).
func (r *rowView) HeightAt(width float32) float32 { return r.lay.arrange(width, 0) }

// rowLayout places a board row's parts (rowView) for the width it is
// given; its arrangement is the one heightAt measures.
type rowLayout struct {
	r     *rowView
	lastH float32 // the height of the last arrangement
}

// Layout implements fyne.Layout.
func (l *rowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) { l.arrange(size.Width, size.Height) }

// MinSize implements fyne.Layout: at least the colour and the longest
// word of any text beside it; as tall as the last arrangement.
func (l *rowLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	r := l.r
	w := float32(0)
	for _, lb := range []*widget.Label{r.patient, r.ident, r.record, r.waited, r.news2} {
		if lb.Visible() {
			w = max(w, deskwidget.LongestWord(lb))
		}
	}
	for _, f := range r.flags {
		if f.Visible() {
			w = max(w, f.WrapMinWidth())
		}
	}
	h := max(l.lastH, r.colour.MinSize().Height)
	return fyne.NewSize(r.colour.MinSize().Width+theme.Padding()+w, h)
}

// column is a fixed-width column at text scale 1 that widens with the
// text up to 1.5x (the board's columns stay aligned down the board), and
// never narrower than the longest word of what it holds.
func column(base float32, l *widget.Label) float32 {
	return max(base*min(theme.TextSize()/desktheme.BaseText, 1.5), deskwidget.LongestWord(l))
}

// arrange places the parts for width (the colour badge as tall as rowH,
// or as the row when rowH is smaller) and returns the row's height.
func (l *rowLayout) arrange(width, rowH float32) float32 {
	r := l.r
	pad := theme.Padding()
	cm := r.colour.MinSize()
	x0 := cm.Width + pad
	room := max(width-x0, 0)
	var shown []*deskwidget.Badge
	var flagsW, flagMin float32
	for _, f := range r.flags {
		if f.Visible() {
			shown = append(shown, f)
			flagsW += f.LineWidth() + pad
			flagMin = max(flagMin, f.WrapMinWidth())
		}
	}
	var midMin float32
	for _, lb := range []*widget.Label{r.patient, r.ident, r.record} {
		if lb.Visible() {
			midMin = max(midMin, deskwidget.LongestWord(lb))
		}
	}
	// The patient column keeps at least a fifth of the room beside the
	// flags, and nearly half under them (else the flags stand one to a
	// line), and never less than its longest word.
	waitW, newsW := column(230, r.waited), column(190, r.news2)
	right := waitW + pad + newsW
	midW := room - right - pad - flagsW
	mode := rowWide
	switch {
	case midW >= max(midMin, room/5):
	case room-right-pad >= max(midMin, flagMin, room*0.45):
		mode, midW = rowFlagsUnder, room-right-pad
	default:
		mode, midW = rowStacked, room
	}

	// The patient column: name and identity, then (stacked) the waiting
	// time and NEWS2, then the flags; the record line last, across the
	// row.
	place := func(lb *widget.Label, x, y, w float32) float32 {
		if !lb.Visible() {
			return 0
		}
		h := deskwidget.WrappedHeight(lb, w)
		lb.Move(fyne.NewPos(x, y))
		lb.Resize(fyne.NewSize(w, h))
		return h
	}
	y := float32(0)
	for _, lb := range []*widget.Label{r.patient, r.ident} {
		if h := place(lb, x0, y, midW); h > 0 {
			y += h + pad
		}
	}
	if mode == rowStacked {
		// Under the patient, before anything else: clinically first.
		r.setAlign(fyne.TextAlignLeading)
		// Each on one line when it fits, side by side when both do.
		waitW = min(room, max(waitW, deskwidget.OneLine(r.waited)))
		newsW = min(room, max(newsW, deskwidget.OneLine(r.news2)))
		if waitW+pad+newsW <= room {
			wh := place(r.waited, x0, y, waitW)
			nh := place(r.news2, x0+waitW+pad, y, newsW)
			y += max(wh, nh) + pad
		} else {
			for _, lb := range []*widget.Label{r.waited, r.news2} {
				if h := place(lb, x0, y, room); h > 0 {
					y += h + pad
				}
			}
		}
	}
	midH := max(y-pad, 0)

	// The flags: beside the patient column on one line (as tall as the
	// row, as they always were), or flowing under it.
	r.flagBox.Move(fyne.NewPos(0, 0))
	r.flagBox.Resize(fyne.NewSize(width, 0))
	var flagsH float32
	bandH := midH
	if mode == rowWide {
		x := x0 + midW + pad
		for _, f := range shown {
			f.SetMaxWidth(0)
			flagsH = max(flagsH, f.MinSize().Height)
			f.Move(fyne.NewPos(x, 0))
			x += f.LineWidth() + pad
		}
	} else if len(shown) > 0 {
		fy := midH + pad
		x := x0
		lineH := float32(0)
		for _, f := range shown {
			f.SetMaxWidth(midW)
			m := f.MinSize()
			fw := min(m.Width, midW)
			if x > x0 && x+fw > x0+midW {
				x, fy, lineH = x0, fy+lineH+pad, 0
			}
			f.Move(fyne.NewPos(x, fy))
			f.Resize(fyne.NewSize(fw, m.Height))
			x += fw + pad
			lineH = max(lineH, m.Height)
		}
		bandH = fy + lineH
	}

	top := bandH
	if mode != rowStacked {
		// Waiting time and NEWS2 in their right-hand columns.
		r.setAlign(fyne.TextAlignTrailing)
		wh := place(r.waited, width-right, 0, waitW)
		nh := place(r.news2, width-newsW, 0, newsW)
		top = max(bandH, wh, nh, flagsH)
	}
	// The record line across the row under everything else.
	rowHeight := top
	if rh := place(r.record, x0, top+pad, room); rh > 0 {
		rowHeight = top + pad + rh
	}
	rowHeight = max(rowHeight, cm.Height)
	full := max(rowH, rowHeight)
	r.colour.Move(fyne.NewPos(0, 0))
	r.colour.Resize(fyne.NewSize(cm.Width, full))
	if mode == rowWide {
		for _, f := range shown {
			f.Resize(fyne.NewSize(f.LineWidth(), top))
		}
	}
	l.lastH = rowHeight
	return rowHeight
}

// The three arrangements of a board row, widest first.
const (
	rowWide       = iota // colour | patient | flags | waited | NEWS2
	rowFlagsUnder        // the flags under the patient
	rowStacked           // the waiting time and NEWS2 under the patient, the flags under them
)

// setAlign aligns the waiting time (trailing in its column, leading when
// it stands under the patient).
func (r *rowView) setAlign(a fyne.TextAlign) {
	if r.waited.Alignment != a {
		r.waited.Alignment = a
		r.waited.Refresh()
	}
}
