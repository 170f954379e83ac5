package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
)

// Every screen and step renders within the window at any size.
func TestEverySizeEveryScreen(t *testing.T) {
	for _, sz := range [][2]int{{40, 10}, {59, 15}, {60, 16}, {80, 24}, {200, 60}, {1, 1}, {0, 0}} {
		for _, lang := range []wording.Lang{"nb", "en"} {
			c := newTestContext(lang, false)
			a := NewApp(c, Deps{Calls: &fakeCalls{}})
			send(a, tea_WindowSize(sz[0], sz[1]))
			check := func(name string) {
				s := a.Render()
				lines := strings.Split(s, "\n")
				assert.LessOrEqual(t, len(lines), max(1, sz[1]), "%v %s %s: too many lines", sz, lang, name)
				for _, l := range lines {
					assert.LessOrEqual(t, ansi.StringWidth(l), max(0, sz[0]), "%v %s %s: %q", sz, lang, name, ansi.Strip(l))
				}
			}
			check("caller")
			press(a, "tab", "tab")
			typeText(a, "40")
			press(a, "ctrl+s")
			check("complaint")
			typeText(a, "hode")
			press(a, "enter")
			check("criteria")
			press(a, "n", "n", "n", "n", "n", "n", "n", "down", "down", "down", "enter")
			check("vitals")
			press(a, "ctrl+s")
			check("result")
			press(a, "+")
			check("raising")
			press(a, "enter", "enter")
			check("saved")
			press(a, "f2")
			check("queue")
			press(a, "f3")
			check("monitor")
		}
	}
	_ = fmt.Sprint
}

func tea_WindowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
