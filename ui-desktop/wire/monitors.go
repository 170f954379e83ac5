package wire

import (
	"context"
	"fmt"
	"time"

	"github.com/legevakt/workstation/devices"

	"github.com/legevakt/workstation/ui-desktop/desk"
)

// DemoDeterioration is how long the demo's septic patient takes to
// deteriorate: short, so the alert is seen within a demo.
const DemoDeterioration = 3 * time.Minute

// openMonitors gives the monitors the form offers: the devices of the
// workstation's device file, the serial ports found on the machine, and in
// demo mode two training monitors (a septic patient who deteriorates and a
// stable one).
func openMonitors(_ context.Context, o Options) (desk.Monitors, func(), error) {
	m := &DeviceMonitors{}
	if o.DevicesFile != "" {
		cfg, err := devices.LoadConfig(o.DevicesFile)
		if err != nil {
			return nil, func() {}, fmt.Errorf("device file: %w", err)
		}
		m.Config = cfg
	}
	if o.Demo {
		over := o.DemoDeterioration
		if over <= 0 {
			over = DemoDeterioration
		}
		m.Extra = &DemoMonitors{Patients: map[string]Trajectory{"sim-1": Septic(over), "sim-2": Stable()}}
	}
	return m, func() {}, nil
}
