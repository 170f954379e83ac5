package deskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
)

// ActionBadge is a badge that does something when clicked, and is never
// focusable: Tab passes over it and no Space or Enter typed for another
// field can press it. The deterioration banner's actions are ActionBadges,
// reached from the keyboard only through their own shortcuts, so an alert
// can never be answered by a stray key.
type ActionBadge struct {
	Badge
	// OnTapped runs on a click.
	OnTapped func()
}

var _ fyne.Tappable = (*ActionBadge)(nil)

// NewActionBadge returns an action with text, drawn as a light badge with
// a dark border-like fill so it reads as a button on the alert's red.
func NewActionBadge(prefix, text string, tapped func()) *ActionBadge {
	a := &ActionBadge{OnTapped: tapped}
	a.Prefix, a.minW = prefix, 0
	a.fill, a.fg = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, color.NRGBA{A: 0xff}
	a.text = text
	a.ExtendBaseWidget(a)
	return a
}

// Tapped implements fyne.Tappable.
func (a *ActionBadge) Tapped(*fyne.PointEvent) {
	if a.OnTapped != nil {
		a.OnTapped()
	}
}

// AccessibilityRole is a button: it acts when activated.
func (a *ActionBadge) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }
