// Package basis is the terminal app's need-to-know dialog: when a store
// call is refused because the patient is outside the user's service
// queue, the app shell shows it over the screen. The user picks a listed
// reason (workstation/session.BasisChoices) or emergency access (break
// the glass, named as such and explained), may add a note (required for
// "annet"), and the refused call runs again with that basis, which the
// store records in every audit entry of the call.
package basis

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-tui/login"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/session"
)

// Outcome is what the user did with the dialog.
type Outcome int

// The outcomes of a key press.
const (
	Open      Outcome = iota // still choosing
	Chosen                   // Basis holds the choice
	Cancelled                // the call stays refused
)

// KeyMap holds the dialog's keys.
type KeyMap struct {
	Up, Down, Confirm, Cancel key.Binding
}

// Dialog is the basis dialog for one refused call.
type Dialog struct {
	ctx     *screen.Context
	choices []session.BasisChoice
	sel     int
	note    widget.LineInput
	err     string
	keys    KeyMap
	// Basis is the user's choice once Update returned Chosen.
	Basis store.Basis
}

// New opens the dialog in c's language.
func New(c *screen.Context) *Dialog {
	l := c.Lang
	d := &Dialog{ctx: c, choices: session.BasisChoices(l), keys: KeyMap{
		Up:      key.NewBinding(key.WithKeys("up"), key.WithHelp("↑↓", login.Word(l, "tui.basis.k.choose"))),
		Down:    key.NewBinding(key.WithKeys("down")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", login.Word(l, "tui.basis.k.open"))),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", login.Word(l, "tui.basis.k.cancel"))),
	}}
	d.note.Limit = 200
	return d
}

// ShortHelp lists the dialog's keys.
func (d *Dialog) ShortHelp() []key.Binding {
	return []key.Binding{d.keys.Up, d.keys.Confirm, d.keys.Cancel}
}

// Selected is the choice under the cursor.
func (d *Dialog) Selected() session.BasisChoice { return d.choices[d.sel] }

// Update takes a key: arrows choose, typing writes the note, enter
// confirms (a reason that needs a note asks for it), esc cancels.
func (d *Dialog) Update(k tea.KeyPressMsg) Outcome {
	switch {
	case key.Matches(k, d.keys.Cancel):
		return Cancelled
	case key.Matches(k, d.keys.Up):
		d.sel = max(0, d.sel-1)
		d.err = ""
	case key.Matches(k, d.keys.Down):
		d.sel = min(len(d.choices)-1, d.sel+1)
		d.err = ""
	case key.Matches(k, d.keys.Confirm):
		b, ok := d.choices[d.sel].Basis(d.note.Value())
		if !ok {
			d.err = session.BasisDialog(d.ctx.Lang).NoteNeeded
			return Open
		}
		d.Basis = b
		return Chosen
	default:
		d.note.Update(k)
	}
	return Open
}

// Render draws the dialog as the screen body.
func (d *Dialog) Render() string {
	c, l := d.ctx, d.ctx.Lang
	th := c.Theme
	t := session.BasisDialog(l)
	lines := append([]string{th.Title.Render(t.Title), ""}, login.Wrap(t.Why, c.Width, "  ")...)
	lines = append(lines, "")
	for i, ch := range d.choices {
		mark := "   "
		label := ch.Label
		if ch.NoteRequired {
			label += " " + login.Word(l, "tui.basis.note_req")
		}
		if i == d.sel {
			mark = " › "
			label = th.Selected.Render(label)
		}
		if ch.Emergency {
			lines = append(lines, "")
			label = th.Warn.Render("!! ") + label
		}
		lines = append(lines, mark+label)
	}
	if ch := d.choices[d.sel]; ch.Emergency {
		lines = append(lines, "")
		for _, w := range login.Wrap(ch.Help, c.Width, "   ") {
			lines = append(lines, "   "+th.Warn.Render(strings.TrimPrefix(w, "   ")))
		}
	}
	lines = append(lines, "", "  "+th.Label.Render(widget.PadRight(login.Word(l, "tui.basis.note"), 10))+d.note.View(true))
	if d.err != "" {
		lines = append(lines, "  "+th.Error.Render("! "+d.err))
	}
	return strings.Join(lines, "\n")
}
