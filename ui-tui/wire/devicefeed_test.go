package wire

import (
	"context"
	"testing"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/stretchr/testify/assert"
)

// fakeDevice is a DeviceSource the test feeds.
type fakeDevice struct {
	id     ids.Device
	obs    chan vitals.Observation
	status chan devices.StatusEvent
}

func (d *fakeDevice) ID() ids.Device                          { return d.id }
func (d *fakeDevice) Observations() <-chan vitals.Observation { return d.obs }
func (d *fakeDevice) Status() <-chan devices.StatusEvent      { return d.status }

func TestDeviceFeedMergesDevicesWithTheirLocations(t *testing.T) {
	a := &fakeDevice{id: "a", obs: make(chan vitals.Observation), status: make(chan devices.StatusEvent)}
	b := &fakeDevice{id: "b", obs: make(chan vitals.Observation), status: make(chan devices.StatusEvent)}
	f := monitoring.NewDeviceFeed(context.Background(), []monitoring.DeviceSource{a, b}, map[ids.Device]string{"a": "Obs 1", "b": "Obs 2"})
	go func() {
		a.obs <- obs(vitals.HR, 70, vitals.PerMin, 0)
		b.obs <- obs(vitals.SpO2, 95, vitals.Percent, 0)
		b.status <- devices.StatusEvent{Device: "b", State: devices.Live}
		close(a.obs)
		close(b.obs)
		close(a.status)
		close(b.status)
	}()
	got := map[ids.Device]string{}
	for r := range f.Readings() {
		got[r.Device] = r.Location + " " + string(r.Obs.Kind)
	}
	assert.Equal(t, map[ids.Device]string{"a": "Obs 1 hr", "b": "Obs 2 spo2"}, got)
	st := <-f.Statuses()
	assert.Equal(t, monitorboard.MonitorStatus{Device: "b", Location: "Obs 2", State: "live"}, st)
	_, open := <-f.Statuses()
	assert.False(t, open, "the feed closes when every device has stopped")
}
