package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// testNow is the fixed clock of every test (screentest.Now).
var testNow = screentest.Now

func clockAt(t time.Time) func() time.Time { return screentest.ClockAt(t) }

// newTestContext is an 80x24 context on the fixed clock, in UTC.
func newTestContext(lang wording.Lang, noColor bool) *screen.Context {
	return screentest.Context(lang, noColor)
}

func syntheticNID(t testing.TB, day, month, year2, individual int) string {
	return screentest.SyntheticNID(t, day, month, year2, individual)
}

// drive runs the app's commands in tests; the once-a-second redraw and the
// queue's periodic re-read only re-arm themselves and are not fed back.
var drive = screentest.Driver{Skip: func(msg tea.Msg) bool {
	switch msg.(type) {
	case tickMsg, queueboard.Refresh:
		return true
	}
	return false
}}

func obs(k vitals.Kind, v float64, u vitals.Unit, ago time.Duration) vitals.Observation {
	return screentest.Obs(k, v, u, ago)
}

func keyMsg(name string) tea.KeyPressMsg { return screentest.Key(name) }

func typeText(m tea.Model, s string) tea.Model { return drive.Type(m, s) }

func press(m tea.Model, keys ...string) tea.Model { return drive.Press(m, keys...) }

func send(m tea.Model, msg tea.Msg) tea.Model { return drive.Send(m, msg) }

func runCmd(m tea.Model, cmd tea.Cmd, depth int) tea.Model { return drive.Run(m, cmd, depth) }

func requireGolden(t *testing.T, screen string) { screentest.RequireGolden(t, screen) }

func sampleQueue() []queue.Entry { return screentest.SampleQueue() }

func bigQueue(n int) []queue.Entry { return screentest.BigQueue(n) }

type fakeCalls = screentest.Calls

var testEngine = screentest.Engine

// newCall is a call screen on the demo index and the fake service (nil:
// a fresh one).
func newCall(lang wording.Lang, calls call.Service) *call.Model {
	if calls == nil {
		calls = &fakeCalls{}
	}
	return call.New(newTestContext(lang, false), phone.DemoIndex(), calls)
}

func plain(m interface{ Render() string }) string { return screentest.Plain(m) }

func code(t testing.TB, s string) phone.Code { return screentest.Code(t, s) }

func realCalls(st *store.Store, a store.Actor) *phonecall.Service { return screentest.RealCalls(st, a) }

func openStores(t *testing.T) map[string]*store.Store { return screentest.Stores(t) }
