package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The nurse raises the level, goes back to correct a reported value and
// assesses again: her raise and its reason stand, on screen and saved.
func TestRaiseSurvivesReassessing(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t)
	m.store = calls
	typeText(m, "38") // temperature
	press(m, "ctrl+s")
	require.Equal(t, phone.Haster, m.Decision().Level, "all no: the safe default")
	press(m, "+")
	typeText(m, "forvirret i telefonen")
	press(m, "enter")
	require.Equal(t, phone.Akutt, m.Decision().Level)

	press(m, "esc") // back to the vitals to correct the temperature
	require.Equal(t, "vitals", m.Step())
	press(m, "backspace")
	typeText(m, "9") // 38 -> 39
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	assert.Equal(t, phone.Akutt, m.Decision().Level, "the nurse's raise is lost when the vitals are corrected")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	assert.Equal(t, phone.Akutt, calls.last().Decision.Level, "saved below the level the nurse raised it to")
}

// Two queue reads overlap (a change notice while the 10 s refresh is still
// reading): the older snapshot arriving last does not replace the newer one.
func TestOlderQueueSnapshotDoesNotReplaceNewer(t *testing.T) {
	c := newTestContext("en", true)
	m := NewQueueModel(c, nil)
	old := []queue.Entry{{Position: 1, Item: queue.Item{EncounterID: 1, Patient: "Old Snapshot", Channel: "phone", ArrivedAt: testNow.Add(-time.Minute), Triaged: true, Colour: triage.Green}}}
	fresh := []queue.Entry{{Position: 1, Item: queue.Item{EncounterID: 2, Patient: "Fresh Snapshot", Channel: "phone", ArrivedAt: testNow.Add(-time.Minute), Triaged: true, Colour: triage.Red}}}
	t1, t2 := testNow.Add(-2*time.Second), testNow.Add(-time.Second)
	m.Update(queueLoadedMsg{entries: fresh, at: t2, own: true}) // issued second, answered first
	m.Update(queueLoadedMsg{entries: old, at: t1, own: true})   // issued first, answered last
	s := ansi.Strip(m.Render())
	assert.Contains(t, s, "Fresh Snapshot", "the board went back to an older snapshot:\n%s", s)
	assert.NotContains(t, s, "Updated 14:29:58", "the 'Updated' time went backwards")
}

// Every screen and step renders within the window at any size.
func TestEverySizeEveryScreen(t *testing.T) {
	for _, sz := range [][2]int{{40, 10}, {59, 15}, {60, 16}, {80, 24}, {200, 60}, {1, 1}, {0, 0}} {
		for _, lang := range []string{"nb", "en"} {
			c := newTestContext(lang, false)
			a := NewApp(c, Deps{Scorer: EngineScorer{Engine: triage.NewEngine(nil)}, Calls: &fakeCalls{}})
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
			press(a, "n", "n", "n", "n")
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
	m := toVitals(t)
	m.store = calls
	typeText(m, "39")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	press(m, "esc") // back to the vitals
	press(m, "backspace")
	typeText(m, "7") // 39 -> 37
	require.Equal(t, "37", m.vit.field("temp").input.Value())
	press(m, "esc", "esc", "esc") // up to A.06.02
	require.Equal(t, "criteria", m.Step())
	press(m, "j") // akutt: ends the questions
	require.Equal(t, "result", m.Step())
	require.Equal(t, phone.Akutt, m.Decision().Level)
	assert.NotContains(t, plain(m), "39,0", "the result shows a temperature the nurse corrected away")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	rec := calls.last()
	require.Len(t, rec.Vitals, 1)
	assert.Equal(t, 37.0, rec.Vitals[0].Value, "the saved temperature is not the one in the form")
}

// The engine's reasons for reported vitals are worded in the nurse's
// language on the result screen ("puls 130: minst oransje"), the same
// wording as the desktop's, never the engine's raw "hr 130 (> 119 /min)".
func TestReportedVitalsReasonsAreInTheNursesLanguage(t *testing.T) {
	m := toVitals(t)
	typeText(m, "39,5")
	press(m, "down")
	typeText(m, "130")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	s := plain(m)
	assert.Contains(t, s, "puls 130:", s)
	assert.Contains(t, s, "minst oransje (adult.hr.orange.high)", s)
	assert.NotContains(t, s, "hr 130", "a raw engine field name on a bokmål screen")
	assert.NotContains(t, s, "()", "an empty threshold")
}
