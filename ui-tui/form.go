package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/ui-tui/screen"
)

// formField is one labelled input with its inline message.
type formField struct {
	id    string // stable name, also the text id of the label ("f."+id)
	input lineInput
	err   string // inline error; the typed value is kept
	note  string // inline information, e.g. the age read from the number
	// choices makes the field a choice (air/oxygen, consciousness, sex)
	// instead of text: the values, "" first for "not asked"; each is
	// worded by the text id "c."+id+"."+value. choice is the index chosen.
	choices []string
	choice  int
}

// Value is the field's value: the text typed, or the chosen value.
func (f *formField) Value() string {
	if f.choices != nil {
		return f.choices[f.choice]
	}
	return f.input.Value()
}

// choose sets a choice field to value v (no change when v is not one of
// its values).
func (f *formField) choose(v string) {
	for i, c := range f.choices {
		if c == v {
			f.choice = i
		}
	}
}

// choiceKeys move a choice field through its values.
var choiceKeys = struct{ Prev, Next key.Binding }{
	Prev: key.NewBinding(key.WithKeys("left")),
	Next: key.NewBinding(key.WithKeys("right", "space")),
}

// form is a vertical list of fields with one focused.
type form struct {
	fields []formField
	focus  int
}

func newForm(ids ...string) form {
	f := form{fields: make([]formField, len(ids))}
	for i, id := range ids {
		f.fields[i] = formField{id: id, input: lineInput{limit: 60}}
	}
	return f
}

func (f *form) field(id string) *formField {
	for i := range f.fields {
		if f.fields[i].id == id {
			return &f.fields[i]
		}
	}
	return nil
}

func (f *form) value(id string) string { return strings.TrimSpace(f.field(id).Value()) }

func (f *form) next() { f.focus = min(len(f.fields)-1, f.focus+1) }
func (f *form) prev() { f.focus = max(0, f.focus-1) }

// firstError focuses the first field with an error and reports whether
// there was one.
func (f *form) firstError() bool {
	for i, fl := range f.fields {
		if fl.err != "" {
			f.focus = i
			return true
		}
	}
	return false
}

// edit passes a key to the focused field and clears its error once the
// nurse changes the value (the message comes back on the next check).
func (f *form) edit(k tea.KeyPressMsg) bool {
	fl := &f.fields[f.focus]
	if fl.choices != nil {
		switch {
		case key.Matches(k, choiceKeys.Prev):
			fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
		case key.Matches(k, choiceKeys.Next):
			fl.choice = (fl.choice + 1) % len(fl.choices)
		default:
			return false
		}
		fl.err, fl.note = "", ""
		return true
	}
	before := fl.input.Value()
	used := fl.input.Update(k)
	if fl.input.Value() != before {
		fl.err = ""
	}
	return used
}

// view renders the fields as "label: value" with their messages. The
// label column is at least labelWidth wide and as wide as the longest
// label, so the values line up whatever the language.
func (f *form) view(c *screen.Context, labelWidth int) []string {
	for _, fl := range f.fields {
		labelWidth = max(labelWidth, len([]rune(c.T("f."+fl.id))))
	}
	var lines []string
	for i, fl := range f.fields {
		focused := i == f.focus
		marker := "  "
		label := padRight(c.T("f."+fl.id), labelWidth)
		if focused {
			marker = "> "
			label = c.Theme.Focus.Render(label)
		} else {
			label = c.Theme.Label.Render(label)
		}
		var line string
		if fl.choices != nil {
			v := c.T("c." + fl.id + "." + fl.choices[fl.choice])
			if focused {
				v = "‹ " + c.Theme.Focus.Render(v) + " ›"
			}
			line = marker + label + " " + v
		} else {
			line = marker + label + " " + fl.input.View(focused)
		}
		if hint := c.T("h." + fl.id); hint != "h."+fl.id && hint != "" && fl.Value() == "" {
			line += c.Theme.Faint.Render("(" + hint + ")")
		}
		lines = append(lines, line)
		// Messages wrap under themselves, so a long one stays whole at 80
		// columns. An implausible value's question ("? Mente du …") is a
		// question, not an error.
		msg, head, st := fl.note, "    ", c.Theme.Faint
		switch {
		case strings.HasPrefix(fl.err, "? "):
			msg, head, st = strings.TrimPrefix(fl.err, "? "), "    ? ", c.Theme.Warn
		case fl.err != "":
			msg, head, st = fl.err, "    ! ", c.Theme.Error
		}
		if msg != "" {
			for _, l := range hang(head, msg, c.Width) {
				lines = append(lines, st.Render(l))
			}
		}
	}
	return lines
}

func padRight(s string, w int) string {
	n := len([]rune(s))
	if n >= w {
		return s
	}
	return s + strings.Repeat(" ", w-n)
}

// parseNumber reads a number typed by a nurse: a decimal comma or point,
// no thousands separators. ok is false for anything else.
func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" || strings.ContainsAny(s, "eE_xXpP") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false // "NaN" and "Inf" parse as floats but are no reading
	}
	return v, true
}

// formatRange writes a range in the language's decimal style.
func formatRange(lang string, lo, hi float64, decimals int, unit string) string {
	f := func(v float64) string {
		s := strconv.FormatFloat(v, 'f', decimals, 64)
		if lang != "en" {
			s = strings.ReplaceAll(s, ".", ",")
		}
		return s
	}
	return fmt.Sprintf("%s–%s %s", f(lo), f(hi), unit)
}
