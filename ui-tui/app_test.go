package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestApp(lang wording.Lang, noColor bool, calls *fakeCalls) *App {
	if calls == nil {
		calls = &fakeCalls{}
	}
	return NewApp(newTestContext(lang, noColor), Deps{
		Index: phone.DemoIndex(), Calls: calls, NEWS2: monitorboard.News2Chart{},
	})
}

func appText(a *App) string { return ansi.Strip(a.Render()) }

func TestAppScreensAt80x24(t *testing.T) {
	a := newTestApp("nb", false, &fakeCalls{})
	a.queue.SetEntries(sampleQueue(), testNow)
	a.monitor = monitorboard.New(a.ctx, nil, monitorboard.News2Chart{})
	for _, it := range screentest.TwoBeds() {
		switch it := it.(type) {
		case monitoring.Reading:
			a.monitor.Add(it)
		case monitoring.Status:
			a.monitor.Update(monitorboard.StatusChanged(it))
		}
	}
	a.screens[ScreenMonitor] = a.monitor
	for _, s := range []struct {
		name string
		key  string
		help string
	}{
		{"call", "f1", "enter neste"},
		{"queue", "f2", "pgup/pgdn side"},
		{"monitor", "f3", "↑↓/jk bla"},
	} {
		t.Run(s.name, func(t *testing.T) {
			press(a, s.key)
			screen := a.Render()
			lines := strings.Split(ansi.Strip(screen), "\n")
			assert.Len(t, lines, 24, "the app fills 24 lines, no more")
			for i, l := range lines {
				assert.LessOrEqual(t, ansi.StringWidth(l), 80, "line %d is wider than 80: %q", i+1, l)
			}
			help := lines[23]
			assert.Contains(t, help, s.help, "the help line names this screen's keys")
			assert.Contains(t, help, "F1-3 skjerm")
			assert.Contains(t, help, "ctrl+c slutt")
			assert.Contains(t, lines[0], "DEMO-INDEKS: ikke nasjonal indeks", "the demonstration index is labelled on every screen")
			requireGolden(t, screen)
		})
	}
}

func TestAppFollowsResize(t *testing.T) {
	a := newTestApp("en", true, &fakeCalls{})
	a.queue.SetEntries(bigQueue(200), testNow)
	press(a, "f2")
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	lines := strings.Split(appText(a), "\n")
	assert.Len(t, lines, 40)
	assert.Contains(t, appText(a), "1–33 / 200", "a taller window shows more rows")
	a.Update(tea.WindowSizeMsg{Width: 50, Height: 12})
	assert.Contains(t, appText(a), "The window is too small")
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, appText(a), "1–17 / 200")
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(38|48);`)

func TestNoColorThemeUsesNoColourAndKeepsEveryLabel(t *testing.T) {
	a := newTestApp("nb", true, &fakeCalls{})
	a.queue.SetEntries(sampleQueue(), testNow)
	for _, k := range []string{"f1", "f2", "f3"} {
		press(a, k)
		assert.False(t, colourSGR.MatchString(a.Render()), "screen %s has a colour escape under NO_COLOR", k)
	}
	press(a, "f2")
	for _, label := range []string{"[AKUTT]", "[VANLIG]", "[ORANSJE]", "[GUL]", "[BLÅ]", "[UTRIERT]", "BRUDD", "REVURDER"} {
		assert.Contains(t, appText(a), label)
	}
	colour := newTestApp("nb", false, &fakeCalls{})
	colour.queue.SetEntries(sampleQueue(), testNow)
	press(colour, "f2")
	assert.True(t, colourSGR.MatchString(colour.Render()), "the colour theme does colour the swatches")
	assert.Contains(t, appText(colour), " AKUTT ", "and keeps the text label in the swatch")
	assert.Contains(t, appText(colour), " ORANSJE ", "and keeps the text label in the swatch")
}

func TestQuitWithAnUnsavedCallAsksFirst(t *testing.T) {
	a := newTestApp("nb", true, &fakeCalls{})
	typeText(a, "123")
	_, cmd := a.Update(keyMsg("ctrl+c"))
	assert.Nil(t, cmd, "the first ctrl+c does not quit")
	assert.Contains(t, appText(a), "Samtalen er ikke lagret. Trykk ctrl+c igjen")
	_, cmd = a.Update(keyMsg("ctrl+c"))
	require.NotNil(t, cmd)
	assert.IsType(t, tea.QuitMsg{}, cmd())
}

// TestCallThroughTheProgram runs a whole call through a real tea.Program
// (teatest): keys in, screen out, the saved call checked at the end.
func TestCallThroughTheProgram(t *testing.T) {
	calls := &fakeCalls{}
	nid := syntheticNID(t, 3, 11, 52, 321)
	tm := teatest.NewTestModel(t, newTestApp("nb", false, calls),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithColorProfile(colorprofile.ANSI256)))
	waitText := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(ansi.Strip(string(b)), s) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	// The renderer repaints only what changed, so each wait looks for text
	// that the step newly puts on screen.
	waitText("Fødselsnummer")
	tm.Type(nid)
	tm.Send(keyMsg("ctrl+s"))
	ix := phone.DemoIndex()
	n := len(ix.Complaints)
	// The whole list is longer than the screen: wait for its first row.
	waitText("Pustevansker")
	tm.Type("pust")
	waitText(fmt.Sprintf("%d av %d problemer", len(ix.Search("pust", -1)), n))
	tm.Send(keyMsg("enter"))
	waitText("Spørsmål 1 av")
	cp, _ := ix.Complaint("breathing")
	qs := cp.QuestionsFor(-1)
	var keys []string
	for _, q := range qs {
		if q.Code.String() == "H.01.01" {
			keys = append(keys, "j")
		} else {
			keys = append(keys, "n")
		}
	}
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	waitText("Innringers egne målinger")
	tm.Type("24")
	tm.Send(keyMsg("down"))
	tm.Type("93")
	tm.Send(keyMsg("ctrl+s"))
	waitText("Gjør nå:")
	tm.Send(keyMsg("enter"))
	waitText("Lagret: henvendelse 1")
	tm.Send(keyMsg("ctrl+c"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*App)
	golden.RequireEqual(t, ansi.Strip(final.Render())+"\n")

	r := calls.Last()
	assert.Equal(t, nid, r.NID)
	assert.Equal(t, "breathing", r.Complaint.ID)
	assert.Equal(t, phone.Haster, r.Decision.Level)
	assert.Equal(t, "H.01.01", r.Decision.Codes[0].String())
	assert.Equal(t, store.OutcomeExpected, r.Outcome, "a haster call is an expected arrival")
	assert.Equal(t, 24.0, *r.Vitals.RR)
	assert.Equal(t, 93.0, *r.Vitals.SpO2)
}

func TestNoticeShowsUntilTheNextKey(t *testing.T) {
	a := newTestApp("nb", true, &fakeCalls{})
	a.Update(Notice{Text: "demo: seed the database: disk full"})
	lines := strings.Split(appText(a), "\n")
	assert.Equal(t, "! demo: seed the database: disk full", lines[len(lines)-1])
	press(a, "f2")
	assert.NotContains(t, appText(a), "disk full")
}
