package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// extraMonitors is one more source of monitors for List and Open.
type extraMonitors struct{ opened []string }

func (e *extraMonitors) List(context.Context) ([]desk.MonitorChoice, error) {
	return []desk.MonitorChoice{{Kind: desk.MonitorSimulator, ID: "training-1", Profile: "training"}}, nil
}

func (e *extraMonitors) Open(_ context.Context, c desk.MonitorChoice) (desk.Feed, error) {
	e.opened = append(e.opened, c.ID)
	return nil, nil
}

func TestMonitorsListConfiguredDevicesSimulatorsAndFreePorts(t *testing.T) {
	cfg, err := devices.ParseConfig([]byte(`
[[device]]
id = "obs-1-monitor"
location = "Observasjon 1"
port = "/dev/ttyUSB0"
profile = "datex"
`))
	require.NoError(t, err)
	extra := &extraMonitors{}
	m := &DeviceMonitors{
		Config:     cfg,
		Simulators: []devices.DeviceConfig{{ID: "sim-1", Location: "Obs 9", Port: "/tmp/x/sim-1", Profile: "masimo"}},
		ListPorts: func() ([]devices.PortInfo, error) {
			return []devices.PortInfo{{Name: "/dev/ttyUSB0", IsUSB: true}, {Name: "/dev/ttyUSB3", IsUSB: true, Product: "FT232R USB UART"}}, nil
		},
		Extra: extra,
	}
	list, err := m.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []desk.MonitorChoice{
		{Kind: desk.MonitorConfigured, ID: "obs-1-monitor", Location: "Observasjon 1", Path: "/dev/ttyUSB0", Profile: "datex"},
		{Kind: desk.MonitorSimulator, ID: "sim-1", Location: "Obs 9", Path: "/tmp/x/sim-1", Profile: "masimo"},
		{Kind: desk.MonitorSimulator, ID: "training-1", Profile: "training"},
		{Kind: desk.MonitorPort, ID: "ttyUSB3", Location: "FT232R USB UART", Path: "/dev/ttyUSB3"},
	}, list, "a port used by a configured device is not offered twice")

	_, err = m.Open(context.Background(), list[3])
	assert.ErrorContains(t, err, "port /dev/ttyUSB3 has no device profile: add it to the device file")
	_, err = m.Open(context.Background(), desk.MonitorChoice{Kind: desk.MonitorConfigured, ID: "nope"})
	assert.ErrorContains(t, err, `device "nope" is not in the device file`)
	_, _ = m.Open(context.Background(), list[2])
	assert.Equal(t, []string{"training-1"}, extra.opened, "a monitor that is not ours goes to the extra monitors")
}

// TestASimulatedMonitorFeedsTheDesktop runs a real simulator on a
// pseudo-terminal (devices.StartSimulator, the fast septic scenario) and
// opens it as the triage form does: the status goes live and the
// scenario's vitals arrive, ECG waves included.
func TestASimulatedMonitorFeedsTheDesktop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc, err := fastSepsis(time.Minute)
	require.NoError(t, err)
	dir := t.TempDir()
	sim, err := devices.StartSimulator(ctx, "datex", sc, devices.WithLinkPath(filepath.Join(dir, "sim-1")))
	require.NoError(t, err)
	defer sim.Close()
	m := &DeviceMonitors{Simulators: []devices.DeviceConfig{{ID: "sim-1", Port: sim.Path(), Profile: "datex"}},
		ListPorts: func() ([]devices.PortInfo, error) { return nil, nil }}
	f, err := m.Open(ctx, desk.MonitorChoice{Kind: desk.MonitorSimulator, ID: "sim-1"})
	require.NoError(t, err)
	defer f.Close()

	kinds := map[vitals.Kind]bool{}
	live, waves := false, 0
	deadline := time.After(10 * time.Second)
	for !(live && kinds[vitals.SpO2] && kinds[vitals.RR] && waves > 0) {
		select {
		case s := <-f.Status():
			live = live || s.State == desk.StateLive
		case o := <-f.Observations():
			kinds[o.Kind] = true
			assert.Equal(t, "sim-1", o.Source)
			assert.NotEqual(t, vitals.Valid, o.Quality, "a simulator's values are marked simulated (demo), never valid")
		case w := <-f.Waves():
			if w.Kind == vitals.WaveECG {
				waves++
			}
		case <-deadline:
			t.Fatalf("after 10 s: live %v, kinds %v, ECG blocks %d", live, kinds, waves)
		}
	}
}

func TestFastSepsisKeepsTheCourseAndCompressesTheTime(t *testing.T) {
	sc, err := fastSepsis(3 * time.Minute)
	require.NoError(t, err)
	assert.Equal(t, 3*time.Minute, sc.Length())
	start, end := sc.Values(0), sc.Values(3*time.Minute)
	assert.Equal(t, 96.0, start[vitals.SpO2])
	assert.Equal(t, 89.0, end[vitals.SpO2])
	assert.Equal(t, 30.0, end[vitals.RR])
	_, err = fastSepsis(time.Second)
	assert.ErrorContains(t, err, "at least 10s")
}
