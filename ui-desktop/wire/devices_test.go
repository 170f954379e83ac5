package wire

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

func TestMonitorsListConfiguredDevicesFreePortsAndSimulators(t *testing.T) {
	cfg, err := devices.ParseConfig([]byte(`
[[device]]
id = "obs-1-monitor"
location = "Observasjon 1"
port = "/dev/ttyUSB0"
profile = "datex"
`))
	require.NoError(t, err)
	m := &DeviceMonitors{
		Config: cfg,
		ListPorts: func() ([]devices.PortInfo, error) {
			return []devices.PortInfo{{Name: "/dev/ttyUSB0", IsUSB: true}, {Name: "/dev/ttyUSB3", IsUSB: true, Product: "FT232R USB UART"}}, nil
		},
		Extra: &DemoMonitors{Patients: map[string]Trajectory{"sim-1": Stable()}},
	}
	list, err := m.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []desk.MonitorChoice{
		{Kind: desk.MonitorConfigured, ID: "obs-1-monitor", Location: "Observasjon 1", Path: "/dev/ttyUSB0", Profile: "datex"},
		{Kind: desk.MonitorSimulator, ID: "sim-1", Location: "stable", Profile: "demo"},
		{Kind: desk.MonitorPort, ID: "ttyUSB3", Location: "FT232R USB UART", Path: "/dev/ttyUSB3"},
	}, list, "a port used by a configured device is not offered twice")

	_, err = m.Open(context.Background(), list[2])
	assert.ErrorContains(t, err, "port /dev/ttyUSB3 has no device profile: add it to the device file")
	_, err = m.Open(context.Background(), desk.MonitorChoice{Kind: desk.MonitorConfigured, ID: "nope"})
	assert.ErrorContains(t, err, `device "nope" is not in the device file`)

	f, err := m.Open(context.Background(), list[1])
	require.NoError(t, err, "the simulator opens through the extra monitors")
	st := <-f.Status()
	assert.Equal(t, desk.StateLive, st.State)
	o := <-f.Observations()
	assert.Equal(t, "sim-1", o.Source)
	require.NoError(t, f.Close())
}
