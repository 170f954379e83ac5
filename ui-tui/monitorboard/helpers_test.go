package monitorboard

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// The board's tests use screentest's clock, keys, goldens and sample
// feed, as the app's tests do.
var (
	testNow = screentest.Now
	drive   = screentest.Driver{}
)

func newTestContext(lang wording.Lang, noColor bool) *screen.Context {
	return screentest.Context(lang, noColor)
}

func keyMsg(name string) tea.KeyPressMsg { return screentest.Key(name) }

func press(m tea.Model, keys ...string) tea.Model { return drive.Press(m, keys...) }

func plain(m interface{ Render() string }) string { return screentest.Plain(m) }

func requireGolden(t *testing.T, screen string) { screentest.RequireGolden(t, screen) }

func obs(k vitals.Kind, v float64, u vitals.Unit, ago time.Duration) vitals.Observation {
	return screentest.Obs(k, v, u, ago)
}

// feed gives the board a sample feed's readings and status changes in order.
func feed(m *Model, items []any) {
	for _, it := range items {
		switch it := it.(type) {
		case monitoring.Reading:
			m.Add(it)
		case monitoring.Status:
			m.Update(StatusChanged(it))
		}
	}
}
