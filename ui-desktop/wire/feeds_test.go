package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// scriptedFeed is a monitor whose values, waves and states the test sends.
type scriptedFeed struct {
	obs   chan vitals.Observation
	waves chan vitals.Wave
	st    chan desk.DeviceStatus
}

func (f *scriptedFeed) Observations() <-chan vitals.Observation { return f.obs }
func (f *scriptedFeed) Waves() <-chan vitals.Wave               { return f.waves }
func (f *scriptedFeed) Status() <-chan desk.DeviceStatus        { return f.st }
func (f *scriptedFeed) Close() error                            { return nil }

// scriptedMonitors offers one simulator, sim-1, opening to the scripted feed.
type scriptedMonitors struct{ f *scriptedFeed }

func (m scriptedMonitors) List(context.Context) ([]desk.MonitorChoice, error) {
	return []desk.MonitorChoice{{Kind: desk.MonitorSimulator, ID: "sim-1"}}, nil
}
func (m scriptedMonitors) Open(context.Context, desk.MonitorChoice) (desk.Feed, error) {
	return m.f, nil
}

// monitoredDesk is the desktop on the real engine and a real SQLite store,
// in English, with the scripted monitor on offer; now is its clock. The UI
// work the app hands over (Deps.Do) queues on calls, for the test to run.
func monitoredDesk(t *testing.T, now func() time.Time) (a *desk.App, st store.Interface, feed *scriptedFeed, calls chan func()) {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "triage.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	test.NewTempApp(t)
	calls = make(chan func(), 1024)
	feed = &scriptedFeed{obs: make(chan vitals.Observation, 16), waves: make(chan vitals.Wave), st: make(chan desk.DeviceStatus, 4)}
	a, err = desk.New(desk.Deps{
		Scorer:   Scorer{Engine: triage.NewEngine(rules.Default())},
		Store:    &Store{S: s, Actor: fixed{User: "kari", Workstation: "pc1"}, Now: now},
		Monitors: scriptedMonitors{feed}, Drafts: &desk.MemoryDrafts{}, Now: now,
		Do: func(f func()) { calls <- f }, User: "kari", Lang: i18n.EN, Theme: desktheme.New(false, 1),
		Stale: vitals.DefaultStalePolicy(),
	})
	require.NoError(t, err)
	w := test.NewTempWindow(t, a.Content())
	w.Resize(fyne.NewSize(1280, 860))
	a.Install(w)
	t.Cleanup(a.Stop)
	return a, s, feed, calls
}
