package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// keyAlphabet maps fuzz bytes onto the keys a nurse can press.
var keyAlphabet = []string{"enter", "tab", "shift+tab", "esc", "backspace", "up", "down", "pgdown", "pgup",
	"f1", "f2", "f3", "home", "end", "left", "ctrl+s", "ctrl+n", "ctrl+u", "j", "n", "y", "g", "G", "k",
	"0", "1", "5", "9", ",", "-", "a", "ø", " "}

// FuzzAppKeys presses any sequence of keys on the whole app: it never
// panics and every frame fits 80x24.
func FuzzAppKeys(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5})
	f.Add([]byte("\x19\x19\x15\x00\x18\x18\x18\x18\x15"))
	f.Fuzz(func(t *testing.T, seq []byte) {
		a := newTestApp("nb", false, &fakeCalls{})
		a.queue.SetEntries(sampleQueue(), testNow)
		for _, b := range seq {
			k := keyAlphabet[int(b)%len(keyAlphabet)]
			if k == "ctrl+c" {
				continue
			}
			a.Update(keyMsg(k))
			// Commands (saves) are left unrun: the app must draw any state.
		}
		lines := strings.Split(a.Render(), "\n")
		if len(lines) > 24 {
			t.Fatalf("%d lines", len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Fatalf("line of width %d: %q", w, l)
			}
		}
		_ = a.View()
		var _ tea.Model = a
	})
}
