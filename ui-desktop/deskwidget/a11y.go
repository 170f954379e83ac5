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
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Entry is a text entry with an accessible label ("Fødselsnummer, 11
// siffer"). The screen reader reads the label and the current text.
type Entry struct {
	widget.Entry
	Label string
	// OnFocus, when set, runs each time the entry gains the focus.
	OnFocus Focus
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

// Radio is a radio group with an accessible label that says the choice.
type Radio struct {
	widget.RadioGroup
	Label string
}

var _ fyne.Accessible = (*Radio)(nil)

// NewRadio returns a horizontal radio group labelled label.
func NewRadio(label string, options []string, changed func(string)) *Radio {
	r := &Radio{Label: label}
	r.Options = options
	r.OnChanged = changed
	r.Horizontal = true
	r.Required = true
	r.ExtendBaseWidget(r)
	return r
}

// AccessibilityLabel is the label and the chosen option.
func (r *Radio) AccessibilityLabel() string { return r.Label + ": " + r.Selected }

// AccessibilityRole is button: each option is pressed to choose it.
func (r *Radio) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// List is a list with an accessible label; Describe gives the text of the
// selected row so the reader can say which patient is selected.
type List struct {
	widget.List
	Label    string
	Describe func() string

	highlight widget.ListItemID // the keyboard-highlighted row
}

var _ fyne.Accessible = (*List)(nil)

// NewList returns a list as widget.NewList does, labelled label.
func NewList(label string, length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *List {
	l := &List{Label: label}
	l.Length = length
	l.CreateItem = create
	l.UpdateItem = update
	l.OnHighlighted = func(id widget.ListItemID) { l.highlight = id }
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey adds Enter to fyne's list keys (arrows move, Space selects):
// Enter selects the highlighted row, as nurses expect from a list.
func (l *List) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if l.Length != nil && l.highlight >= 0 && l.highlight < l.Length() {
			l.Select(l.highlight)
		}
		return
	}
	l.List.TypedKey(ev)
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
