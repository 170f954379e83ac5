package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every screen and step renders within the window at any size.
func TestEverySizeEveryScreen(t *testing.T) {
	for _, sz := range [][2]int{{40, 10}, {59, 15}, {60, 16}, {80, 24}, {200, 60}, {1, 1}, {0, 0}} {
		for _, lang := range []string{"nb", "en"} {
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

// The nurse corrects a reported temperature (39 -> 37), goes back up the
// questions and answers an akutt criterion yes: the result and the saved
// call carry the value in the form, 37, not the one corrected away.
func TestCorrectedVitalIsWhatIsSaved(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t, calls)
	toField(t, m, &m.vit, "temp_c")
	typeText(m, "39")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	press(m, "esc") // back to the vitals
	press(m, "backspace")
	typeText(m, "7") // 39 -> 37
	require.Equal(t, "37", m.vit.Field("temp_c").Input.Value())
	press(m, "esc") // to the criteria
	require.Equal(t, "criteria", m.Step())
	m.qi = 0
	press(m, "j") // akutt: ends the questions
	require.Equal(t, "result", m.Step())
	require.Equal(t, phone.Akutt, m.Decision().Level)
	assert.NotContains(t, plain(m), "39 °C", "the result shows a temperature the nurse corrected away")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	r := calls.Last()
	require.NotNil(t, r.Vitals.TempC)
	assert.Equal(t, 37.0, *r.Vitals.TempC, "the saved temperature is not the one in the form")
}

// The reasons for reported vitals are worded in the nurse's language on
// the result screen, one line per value, never the engine's raw field
// names.
func TestReportedVitalsReasonsAreInTheNursesLanguage(t *testing.T) {
	m := toVitals(t, nil)
	toField(t, m, &m.vit, "hr")
	typeText(m, "130")
	press(m, "tab", "tab")
	typeText(m, "39,5")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	s := plain(m)
	assert.Contains(t, s, "Puls 130/min", s)
	assert.Equal(t, 1, strings.Count(s, "Puls 130/min"), "one line per value")
	assert.NotContains(t, s, "hr 130", "a raw engine field name on a bokmål screen")
	assert.NotContains(t, s, "oxygen not recorded", "English on a bokmål screen")
	assert.NotContains(t, s, "()", "an empty threshold")
}
