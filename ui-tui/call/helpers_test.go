package call

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// The call screen's tests use screentest's clock, keys, goldens and fake
// phone call service, as the app's tests do.
var (
	testNow = screentest.Now
	drive   = screentest.Driver{}
)

type fakeCalls = screentest.Calls

func clockAt(t time.Time) func() time.Time { return screentest.ClockAt(t) }

func newTestContext(lang wording.Lang, noColor bool) *screen.Context {
	return screentest.Context(lang, noColor)
}

func syntheticNID(t testing.TB, day, month, year2, individual int) string {
	return screentest.SyntheticNID(t, day, month, year2, individual)
}

func keyMsg(name string) tea.KeyPressMsg { return screentest.Key(name) }

func typeText(m tea.Model, s string) tea.Model { return drive.Type(m, s) }

func press(m tea.Model, keys ...string) tea.Model { return drive.Press(m, keys...) }

func send(m tea.Model, msg tea.Msg) tea.Model { return drive.Send(m, msg) }

func requireGolden(t *testing.T, screen string) { screentest.RequireGolden(t, screen) }

func code(t testing.TB, s string) phone.Code { return screentest.Code(t, s) }

// newCall is a call screen on the demo index and the fake service (nil:
// a fresh one).
func newCall(lang wording.Lang, calls Service) *Model {
	if calls == nil {
		calls = &fakeCalls{}
	}
	return New(newTestContext(lang, false), phone.DemoIndex(), calls)
}

func realCalls(st *store.Store, a store.Actor) *phonecall.Service { return screentest.RealCalls(st, a) }

func openStores(t *testing.T) map[string]*store.Store { return screentest.Stores(t) }
