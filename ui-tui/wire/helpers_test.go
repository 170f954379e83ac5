package wire

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// The adapters' tests use the screens' shared test kit (screentest).

var testNow = screentest.Now

func newTestContext(lang wording.Lang, noColor bool) *screen.Context {
	return screentest.Context(lang, noColor)
}

func obs(k vitals.Kind, v float64, u vitals.Unit, ago time.Duration) vitals.Observation {
	return screentest.Obs(k, v, u, ago)
}

func plain(m interface{ Render() string }) string { return screentest.Plain(m) }

func realCalls(st *store.Store, a store.Actor) *phonecall.Service { return screentest.RealCalls(st, a) }

func openStores(t *testing.T) map[string]*store.Store { return screentest.Stores(t) }
