// Package widget holds the terminal app's form inputs: a one-line text
// field that keeps every typed character, a vertical form of labelled
// fields and choices with inline messages, and the text wrapping the forms
// use (numbers are read and written by triage/wording). Widgets draw with
// a screen.Context and do no I/O.
package widget

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/ui-tui/screen"
)

// Field is one labelled input with its inline message.
type Field struct {
	ID    string // stable name, also the text id of the label ("f."+id)
	Input LineInput
	Err   string // inline error; the typed value is kept
	Note  string // inline information, e.g. the age read from the number
	// Choices makes the field a choice (air/oxygen, consciousness, sex)
	// instead of text: the values, "" first for "not asked"; each is
	// worded by the text id "c."+id+"."+value. choice is the index chosen.
	Choices []string
	Choice  int
}

// Value is the field's value: the text typed, or the chosen value.
func (f *Field) Value() string {
	if f.Choices != nil {
		return f.Choices[f.Choice]
	}
	return f.Input.Value()
}

// Choose sets a choice field to value v (no change when v is not one of
// its values).
func (f *Field) Choose(v string) {
	for i, c := range f.Choices {
		if c == v {
			f.Choice = i
		}
	}
}

// choiceKeys move a choice field through its values.
var choiceKeys = struct{ Prev, Next key.Binding }{
	Prev: key.NewBinding(key.WithKeys("left")),
	Next: key.NewBinding(key.WithKeys("right", "space")),
}

// Form is a vertical list of fields with one focused.
type Form struct {
	Fields []Field
	Focus  int
}

// NewForm returns a form of text fields (60 runes each) with the given
// ids, the first focused.
func NewForm(ids ...string) Form {
	f := Form{Fields: make([]Field, len(ids))}
	for i, id := range ids {
		f.Fields[i] = Field{ID: id, Input: LineInput{Limit: 60}}
	}
	return f
}

// Field gives the field with the id, or nil.
func (f *Form) Field(id string) *Field {
	for i := range f.Fields {
		if f.Fields[i].ID == id {
			return &f.Fields[i]
		}
	}
	return nil
}

// Value is the trimmed value of the field with the id.
func (f *Form) Value(id string) string { return strings.TrimSpace(f.Field(id).Value()) }

// Next focuses the following field (the last stays focused).
func (f *Form) Next() { f.Focus = min(len(f.Fields)-1, f.Focus+1) }

// Prev focuses the field before (the first stays focused).
func (f *Form) Prev() { f.Focus = max(0, f.Focus-1) }

// FirstError focuses the first field with an error and reports whether
// there was one.
func (f *Form) FirstError() bool {
	for i, fl := range f.Fields {
		if fl.Err != "" {
			f.Focus = i
			return true
		}
	}
	return false
}

// Edit passes a key to the focused field and clears its error once the
// nurse changes the value (the message comes back on the next check).
func (f *Form) Edit(k tea.KeyPressMsg) bool {
	fl := &f.Fields[f.Focus]
	if fl.Choices != nil {
		switch {
		case key.Matches(k, choiceKeys.Prev):
			fl.Choice = (fl.Choice + len(fl.Choices) - 1) % len(fl.Choices)
		case key.Matches(k, choiceKeys.Next):
			fl.Choice = (fl.Choice + 1) % len(fl.Choices)
		default:
			return false
		}
		fl.Err, fl.Note = "", ""
		return true
	}
	before := fl.Input.Value()
	used := fl.Input.Update(k)
	if fl.Input.Value() != before {
		fl.Err = ""
	}
	return used
}

// View renders the fields as "label: value" with their messages. The
// label column is at least labelWidth wide and as wide as the longest
// label, so the values line up whatever the language.
func (f *Form) View(c *screen.Context, labelWidth int) []string {
	for _, fl := range f.Fields {
		labelWidth = max(labelWidth, len([]rune(c.T("f."+fl.ID))))
	}
	var lines []string
	for i, fl := range f.Fields {
		focused := i == f.Focus
		marker := "  "
		label := PadRight(c.T("f."+fl.ID), labelWidth)
		if focused {
			marker = "> "
			label = c.Theme.Focus.Render(label)
		} else {
			label = c.Theme.Label.Render(label)
		}
		var line string
		if fl.Choices != nil {
			v := c.T("c." + fl.ID + "." + fl.Choices[fl.Choice])
			if focused {
				v = "‹ " + c.Theme.Focus.Render(v) + " ›"
			}
			line = marker + label + " " + v
		} else {
			line = marker + label + " " + fl.Input.View(focused)
		}
		if hint := c.T("h." + fl.ID); hint != "h."+fl.ID && hint != "" && fl.Value() == "" {
			line += c.Theme.Faint.Render("(" + hint + ")")
		}
		lines = append(lines, line)
		// Messages wrap under themselves, so a long one stays whole at 80
		// columns. An implausible value's question ("? Mente du …") is a
		// question, not an error.
		msg, head, st := fl.Note, "    ", c.Theme.Faint
		switch {
		case fl.Err == "" && strings.HasPrefix(fl.Note, "! "):
			// A note to heed that refuses nothing (an onset kept as
			// said, with no time derived): warned, in words.
			msg, head, st = strings.TrimPrefix(fl.Note, "! "), "    ! ", c.Theme.Warn
		case strings.HasPrefix(fl.Err, "? "):
			msg, head, st = strings.TrimPrefix(fl.Err, "? "), "    ? ", c.Theme.Warn
		case fl.Err != "":
			msg, head, st = fl.Err, "    ! ", c.Theme.Error
		}
		if msg != "" {
			for _, l := range Hang(head, msg, c.Width) {
				lines = append(lines, st.Render(l))
			}
		}
	}
	return lines
}

// PadRight pads s with spaces to w runes.
func PadRight(s string, w int) string {
	n := len([]rune(s))
	if n >= w {
		return s
	}
	return s + strings.Repeat(" ", w-n)
}
