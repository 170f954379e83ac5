package deskwidget

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
)

// Badge is a filled box with a bold text label: the triage colour with its
// name ("RØD"), or a flag ("OVER MÅLTID"). The text is always there, so the
// colour is never the only signal.
type Badge struct {
	widget.BaseWidget
	// Prefix is spoken before the text by a screen reader ("Hastegrad").
	Prefix string

	text   string
	fill   color.Color
	fg     color.Color
	bg     *canvas.Rectangle
	label  *canvas.Text
	minW   float32
	bigger bool
	// maxW, when > 0, is the widest the badge may be: a text wider than
	// that wraps at spaces onto more lines (SetMaxWidth).
	maxW  float32
	lines *fyne.Container // the wrapped lines, when the text wraps
}

var _ fyne.Accessible = (*Badge)(nil)

// NewBadge returns an empty (hidden-text, grey) badge. minWidth keeps
// badges of one column the same width; big makes the text heading-sized.
func NewBadge(prefix string, minWidth float32, big bool) *Badge {
	b := &Badge{Prefix: prefix, minW: minWidth, bigger: big,
		fill: color.NRGBA{R: 0xbd, G: 0xbd, B: 0xbd, A: 0xff}, fg: color.NRGBA{A: 0xff}}
	b.ExtendBaseWidget(b)
	return b
}

// SetColour paints the badge as triage colour c with its label text.
func (b *Badge) SetColour(c triage.Colour, label string) {
	s := desktheme.Current().ColourSwatch(c)
	b.Set(label, s.Fill, s.Text)
}

// SetAlert paints the badge as the deterioration alert.
func (b *Badge) SetAlert(text string) {
	s := desktheme.Current().AlertSwatch()
	b.Set(text, s.Fill, s.Text)
}

// SetNeutral paints the badge grey with black text (no triage colour).
func (b *Badge) SetNeutral(text string) {
	b.Set(text, color.NRGBA{R: 0xbd, G: 0xbd, B: 0xbd, A: 0xff}, color.NRGBA{A: 0xff})
}

// Set paints the badge with any fill and text colour.
func (b *Badge) Set(text string, fill, fg color.Color) {
	if b.text == text && b.fill == fill && b.fg == fg {
		return // unchanged: a refresh would re-shape the text for nothing
	}
	b.text, b.fill, b.fg = text, fill, fg
	b.Refresh()
}

// SetMaxWidth makes the badge at most w wide: a longer text wraps at
// spaces onto more lines, so a long alert title at large text never
// makes the window wider than the screen. 0 keeps it on one line.
func (b *Badge) SetMaxWidth(w float32) {
	if b.maxW == w {
		return
	}
	b.maxW = w
	b.Refresh()
}

// LineWidth is the badge's width with its text on one line, whatever
// its maximum width.
func (b *Badge) LineWidth() float32 {
	w := fyne.MeasureText(b.text, b.textSize(), fyne.TextStyle{Bold: true}).Width + 2*badgePadX
	return max(w, b.minW*theme.TextSize()/desktheme.BaseText)
}

// WrapMinWidth is the narrowest the badge can be with its text wrapped:
// its longest word with the badge's padding.
func (b *Badge) WrapMinWidth() float32 {
	w := float32(0)
	for _, word := range strings.Fields(b.text) {
		w = max(w, fyne.MeasureText(word, b.textSize(), fyne.TextStyle{Bold: true}).Width)
	}
	return w + 2*badgePadX
}

func (b *Badge) textSize() float32 {
	if b.bigger {
		return theme.TextHeadingSize()
	}
	return theme.TextSize()
}

// wrap splits the text into lines no wider than w (a word longer than w
// stands on a line of its own).
func (b *Badge) wrap(w float32) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(b.text) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && fyne.MeasureText(next, b.textSize(), fyne.TextStyle{Bold: true}).Width > w {
			out = append(out, line)
			next = word
		}
		line = next
	}
	return append(out, line)
}

// Text returns the badge's label.
func (b *Badge) Text() string { return b.text }

// AccessibilityLabel is the prefix and the text ("Hastegrad: RØD").
func (b *Badge) AccessibilityLabel() string {
	if b.Prefix == "" {
		return b.text
	}
	return b.Prefix + ": " + b.text
}

// AccessibilityRole is text.
func (b *Badge) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// CreateRenderer implements fyne.Widget.
func (b *Badge) CreateRenderer() fyne.WidgetRenderer {
	b.bg = canvas.NewRectangle(b.fill)
	b.bg.CornerRadius = 4
	b.label = canvas.NewText(b.text, b.fg)
	b.label.TextStyle = fyne.TextStyle{Bold: true}
	b.label.Alignment = fyne.TextAlignCenter
	r := &badgeRenderer{b: b}
	b.lines = container.New(layout.NewCustomPaddedVBoxLayout(0))
	b.lines.Hide()
	r.content = container.NewStack(b.bg, container.New(layout.NewCustomPaddedLayout(2, 2, badgePadX, badgePadX), b.label, b.lines))
	r.Refresh()
	return r
}

// badgePadX is the room left and right of a badge's text.
const badgePadX = 8

type badgeRenderer struct {
	b       *Badge
	content *fyne.Container
}

func (r *badgeRenderer) Layout(s fyne.Size)           { r.content.Resize(s) }
func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.content} }
func (r *badgeRenderer) Destroy()                     {}
func (r *badgeRenderer) MinSize() fyne.Size {
	m := r.content.MinSize()
	// The column width grows with the text (Ctrl+=), so the widest label
	// still fits and the column stays aligned at every scale.
	if w := r.b.minW * theme.TextSize() / desktheme.BaseText; m.Width < w {
		m.Width = w
	}
	return m
}
func (r *badgeRenderer) Refresh() {
	b := r.b
	b.bg.FillColor = b.fill
	b.label.Text = b.text
	b.label.Color = b.fg
	b.label.TextSize = b.textSize()
	b.bg.Refresh()
	b.label.Refresh()
	r.wrapLines()
}

// wrapLines shows the text on one line (the label) when it fits the
// badge's maximum width, else as wrapped lines.
func (r *badgeRenderer) wrapLines() {
	b := r.b
	if b.maxW <= 0 || b.label.MinSize().Width+2*badgePadX <= b.maxW {
		b.lines.Hide()
		b.label.Show()
		return
	}
	b.label.Hide()
	b.lines.Objects = b.lines.Objects[:0]
	for _, line := range b.wrap(b.maxW - 2*badgePadX) {
		t := canvas.NewText(line, b.fg)
		t.TextStyle, t.TextSize, t.Alignment = b.label.TextStyle, b.label.TextSize, fyne.TextAlignCenter
		b.lines.Objects = append(b.lines.Objects, t)
	}
	b.lines.Show()
	b.lines.Refresh()
}

// Fit lays b out at most as wide as its room, wrapping its text there: it
// asks only for its longest word's width (or its one line, if shorter),
// so a long badge at large text ("Kvitter forverring – …" at 2x) never
// makes a dialog or a tab wider than the screen.
func Fit(b *Badge) *fyne.Container { return container.New(badgeFit{b}, b) }

// badgeFit is Fit's layout.
type badgeFit struct{ b *Badge }

// Layout implements fyne.Layout.
func (f badgeFit) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	f.b.SetMaxWidth(size.Width)
	m := f.b.MinSize()
	f.b.Move(fyne.NewPos(0, 0))
	f.b.Resize(fyne.NewSize(min(m.Width, size.Width), m.Height))
}

// MinSize implements fyne.Layout.
func (f badgeFit) MinSize([]fyne.CanvasObject) fyne.Size {
	if !f.b.Visible() {
		return fyne.Size{}
	}
	return fyne.NewSize(min(f.b.WrapMinWidth(), f.b.LineWidth()), f.b.MinSize().Height)
}
