package wire

import (
	"context"
	"time"

	"github.com/legevakt/workstation/ui-desktop/desk"
)

// DemoDeterioration is how long the demo's septic patient takes to
// deteriorate: short, so the alert is seen within a demo.
const DemoDeterioration = 3 * time.Minute

// openMonitors gives the monitors the form offers. In demo mode these are
// two training monitors (a septic patient who deteriorates and a stable
// one).
func openMonitors(_ context.Context, o Options) (desk.Monitors, func(), error) {
	if o.Demo {
		over := o.DemoDeterioration
		if over <= 0 {
			over = DemoDeterioration
		}
		return &DemoMonitors{Patients: map[string]Trajectory{"sim-1": Septic(over), "sim-2": Stable()}}, func() {}, nil
	}
	return nil, func() {}, nil
}
