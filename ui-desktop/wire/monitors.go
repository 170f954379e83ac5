package wire

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// DemoDeterioration is how long the demo's septic patient takes to
// deteriorate: the built-in scenario's course (30 minutes) compressed, so
// the alert is seen within a demo.
const DemoDeterioration = 3 * time.Minute

// demoMonitor is one simulated monitor of --demo: a real protocol on a
// pseudo-terminal, opened by the device layer exactly as a serial port.
type demoMonitor struct {
	id                          ids.Device
	location, profile, scenario string
}

// demoMonitors: a GE S/5 (with ECG) on a septic patient, a Philips
// IntelliVue on a stable adult, and a Masimo oximeter on a bradycardic one.
var demoMonitors = []demoMonitor{
	{"sim-1", "Obs 1 (sepsis)", "datex", ""},
	{"sim-2", "Obs 2", "intellivue", "stable-adult"},
	{"sim-3", "Obs 3", "masimo", "bradycardia"},
}

// fastSepsis is the built-in septic-deterioration course (devices/scenario)
// run over the given time instead of 30 minutes.
func fastSepsis(over time.Duration) (*scenario.Scenario, error) {
	if over < 10*time.Second {
		return nil, fmt.Errorf("demo deterioration %s: at least 10s", over)
	}
	base, err := scenario.Builtin("septic-deterioration")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"septic-deterioration-fast\"\ndescription = \"%s, over %s\"\nrhythm = \"%s\"\n", base.Name, over, base.Rhythm)
	length := base.Length()
	for _, p := range base.Points {
		at := over
		if length > 0 {
			at = time.Duration(float64(p.At) / float64(length) * float64(over))
		}
		fmt.Fprintf(&b, "\n[[point]]\nat = \"%s\"\n", at)
		for k, v := range p.Values {
			fmt.Fprintf(&b, "%s = %g\n", k, v)
		}
	}
	return scenario.Parse([]byte(b.String()))
}

// openMonitors gives the monitors the form offers: the devices of the
// workstation's device file, the serial ports found on the machine, and in
// demo mode three simulated monitors on pseudo-terminals in dir.
func openMonitors(ctx context.Context, o Options, dir string) (desk.Monitors, func(), error) {
	m := &DeviceMonitors{}
	closeAll := func() {}
	if o.DevicesFile != "" {
		cfg, err := devices.LoadConfig(o.DevicesFile)
		if err != nil {
			return nil, closeAll, fmt.Errorf("device file: %w", err)
		}
		m.Config = cfg
	}
	if !o.Demo {
		return m, closeAll, nil
	}
	over := o.DemoDeterioration
	if over <= 0 {
		over = DemoDeterioration
	}
	var sims []*devices.Simulator
	closeAll = func() {
		for _, s := range sims {
			_ = s.Close()
		}
	}
	for _, dm := range demoMonitors {
		var sc *scenario.Scenario
		var err error
		if dm.scenario == "" {
			sc, err = fastSepsis(over)
		} else {
			sc, err = scenario.Builtin(dm.scenario)
		}
		if err != nil {
			return nil, closeAll, fmt.Errorf("demo scenario for %s: %w", dm.id, err)
		}
		sim, err := devices.StartSimulator(ctx, dm.profile, sc, devices.WithLinkPath(filepath.Join(dir, dm.id.String())))
		if err != nil {
			return nil, closeAll, fmt.Errorf("demo: simulated %s monitor: %w", dm.profile, err)
		}
		sims = append(sims, sim)
		m.Simulators = append(m.Simulators, devices.DeviceConfig{ID: dm.id, Location: dm.location, Port: sim.Path(), Profile: dm.profile})
	}
	return m, closeAll, nil
}
