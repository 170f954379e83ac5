package tui

import (
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

func TestParseNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"38,5", 38.5, true}, {"38.5", 38.5, true}, {" 120 ", 120, true}, {"-5", -5, true},
		{"", 0, false}, {"38,5,1", 0, false}, {"NaN", 0, false}, {"inf", 0, false}, {"1e2", 0, false},
		{"0x1F", 0, false}, {"1_000", 0, false}, {"førti", 0, false},
	}
	for _, c := range cases {
		v, ok := parseNumber(c.in)
		assert.Equal(t, c.ok, ok, "%q", c.in)
		if ok {
			assert.Equal(t, c.want, v, "%q", c.in)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"38,5", "NaN", "1e309", "-0", "٣٨"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseNumber(s)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("parseNumber(%q) accepted %v", s, v)
		}
	})
}

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
