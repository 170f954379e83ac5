package screen

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Screen is one tab of the app. The app knows its screens only through
// this interface: a new screen is a type implementing it plus one line in
// the app's list (tui.NewApp), and the tab, its F-key and its help line follow.
type Screen interface {
	// Init starts the screen's live subscriptions.
	Init() tea.Cmd
	// Update takes the keys while the screen is shown and every other
	// message always; a screen ignores messages that are not its own.
	Update(msg tea.Msg) (tea.Model, tea.Cmd)
	// Render draws the body (pure); the app frames it.
	Render() string
	// Resize tells the screen the window changed (the Context holds the
	// size).
	Resize()
	// ShortHelp lists the keys that work now.
	ShortHelp() []key.Binding
	// TitleID is the text id of the tab's name.
	TitleID() string
}
