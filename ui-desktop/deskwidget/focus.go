package deskwidget

import "fyne.io/fyne/v2"

// Focus tells a screen when one of its inputs gains the keyboard focus, so
// it can scroll the input into view: fyne's scroll containers do not
// follow the focus by themselves, and a field Tab reaches below the fold
// would be typed into unseen.
type Focus func(fyne.CanvasObject)

// FocusGained implements fyne.Focusable: the entry's own handling, then
// OnFocus, then into view.
func (e *Entry) FocusGained() {
	e.Entry.FocusGained()
	e.markFocus(true)
	if e.OnFocus != nil {
		e.OnFocus(e)
	}
	Reveal(e)
}

// FocusGained implements fyne.Focusable: the check's own handling, then
// OnFocus, then into view.
func (c *Check) FocusGained() {
	c.Check.FocusGained()
	if c.OnFocus != nil {
		c.OnFocus(c)
	}
	Reveal(c)
}

// FocusGained implements fyne.Focusable: the drop-down's own handling,
// then OnFocus, then into view.
func (s *Select) FocusGained() {
	s.Select.FocusGained()
	if s.OnFocus != nil {
		s.OnFocus(s)
	}
	Reveal(s)
}
