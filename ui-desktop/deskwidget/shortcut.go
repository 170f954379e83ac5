package deskwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// entryKeys are the keys an entry uses itself with Ctrl (word moves and
// deletes); every other Ctrl shortcut belongs to the window.
var entryKeys = map[fyne.KeyName]bool{
	fyne.KeyLeft: true, fyne.KeyRight: true, fyne.KeyUp: true, fyne.KeyDown: true,
	fyne.KeyHome: true, fyne.KeyEnd: true, fyne.KeyBackspace: true, fyne.KeyDelete: true,
}

// TypedShortcut gives the entry its own shortcuts (copy, paste, undo, word
// moves) and passes every other to the window's shortcuts. fyne hands a
// focused entry every shortcut the main menu does not carry and the entry
// drops those it does not know; so a second key for a menu action (Ctrl+=
// beside the menu's Ctrl++) did nothing while the nurse was typing.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if c, ok := s.(*desktop.CustomShortcut); ok && !entryKeys[c.KeyName] {
		if w, ok := e.window().(fyne.Shortcutable); ok {
			w.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// window is the canvas the entry is on: the one it was drawn on, or the
// window whose focus it holds (a focused entry on a tab not shown was
// never drawn there).
func (e *Entry) window() fyne.Canvas {
	app := fyne.CurrentApp()
	if app == nil || app.Driver() == nil {
		return nil
	}
	if c := app.Driver().CanvasForObject(e); c != nil {
		return c
	}
	for _, w := range app.Driver().AllWindows() {
		if w.Canvas().Focused() == fyne.Focusable(e) {
			return w.Canvas()
		}
	}
	return nil
}
