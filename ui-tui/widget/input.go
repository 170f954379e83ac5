package widget

import (
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// InputKeyMap holds the editing keys of a one-line text field.
type InputKeyMap struct {
	Backspace, Delete, Left, Right, Home, End, KillBefore key.Binding
}

// inputKeys are the editing keys every text field uses (emacs-style
// alternatives as in a shell).
var inputKeys = InputKeyMap{
	Backspace:  key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
	Delete:     key.NewBinding(key.WithKeys("delete", "ctrl+d")),
	Left:       key.NewBinding(key.WithKeys("left", "ctrl+b")),
	Right:      key.NewBinding(key.WithKeys("right", "ctrl+f")),
	Home:       key.NewBinding(key.WithKeys("home", "ctrl+a")),
	End:        key.NewBinding(key.WithKeys("end", "ctrl+e")),
	KillBefore: key.NewBinding(key.WithKeys("ctrl+u")),
}

// LineInput is a one-line text field. It is ours rather than bubbles'
// textinput because it needs no cursor blink (so views are deterministic
// and cost nothing while idle) and keeps every typed character: nothing is
// dropped when a value is refused.
type LineInput struct {
	value []rune
	pos   int // cursor, in runes
	Limit int // maximum runes, 0 for no limit
}

// Value is the text typed.
func (in *LineInput) Value() string { return string(in.value) }

// SetValue replaces the text and puts the cursor at its end.
func (in *LineInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

// Update edits the field for a key press and reports whether the key was
// used. Printable text (also pasted text) is inserted at the cursor.
func (in *LineInput) Update(k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, inputKeys.Backspace):
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
		return true
	case key.Matches(k, inputKeys.Delete):
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
		return true
	case key.Matches(k, inputKeys.Left):
		in.pos = max(0, in.pos-1)
		return true
	case key.Matches(k, inputKeys.Right):
		in.pos = min(len(in.value), in.pos+1)
		return true
	case key.Matches(k, inputKeys.Home):
		in.pos = 0
		return true
	case key.Matches(k, inputKeys.End):
		in.pos = len(in.value)
		return true
	case key.Matches(k, inputKeys.KillBefore):
		in.value = in.value[in.pos:]
		in.pos = 0
		return true
	}
	if k.Text == "" || k.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
		return false
	}
	in.insert(k.Text)
	return true
}

// insert puts printable runes of s at the cursor, up to the limit.
func (in *LineInput) insert(s string) {
	for _, r := range s {
		if r < ' ' || r == utf8.RuneError || r == 0x7f {
			continue
		}
		if in.Limit > 0 && len(in.value) >= in.Limit {
			return
		}
		in.value = append(in.value, 0)
		copy(in.value[in.pos+1:], in.value[in.pos:])
		in.value[in.pos] = r
		in.pos++
	}
}

var cursorStyle = lipgloss.NewStyle().Reverse(true)

// View shows the value, with the cursor as a reversed cell when focused.
func (in *LineInput) View(focused bool) string {
	if !focused {
		return string(in.value)
	}
	var b strings.Builder
	b.WriteString(string(in.value[:in.pos]))
	if in.pos < len(in.value) {
		b.WriteString(cursorStyle.Render(string(in.value[in.pos])))
		b.WriteString(string(in.value[in.pos+1:]))
	} else {
		b.WriteString(cursorStyle.Render(" "))
	}
	return b.String()
}
