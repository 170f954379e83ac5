package wire

import (
	"context"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
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
