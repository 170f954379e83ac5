package deskwidget

import "fyne.io/fyne/v2"

// EscEntry is a labelled single-line entry on which Esc runs OnEscape
// (close or cancel the dialog or page it sits on) instead of reaching
// the entry. The login page, the basis dialog and the patient look-up
// share it, so Esc means the same everywhere.
type EscEntry struct {
	Entry
	// OnEscape runs on Esc; nil lets the entry have the key.
	OnEscape func()
}

// NewEscEntry returns an empty entry labelled label on which Esc runs
// onEscape.
func NewEscEntry(label string, onEscape func()) *EscEntry {
	e := &EscEntry{OnEscape: onEscape}
	e.Label = label
	e.Wrapping = fyne.TextWrapOff
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs OnEscape on Esc and hands every other key to the entry.
func (e *EscEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
