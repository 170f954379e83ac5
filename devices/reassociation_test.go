//go:build linux

package devices

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/protocols/intellivue"
	"github.com/legevakt/workstation/triage/vitals"
)

// An IntelliVue monitor that reboots under a running host is associated
// again by the host's own session, over the pty and the serial port: the
// rebooted monitor aborts the old association's polls and the host
// re-associates within intellivue.RebootRecovery of the monitor coming up,
// so the device's 10 s data watchdog never has to reopen the port.
func TestAnIntelliVueRebootIsRecoveredByReAssociationWithoutReopeningThePort(t *testing.T) {
	noLeaks(t)
	const rebootAt, bootFor = 5 * time.Second, 3 * time.Second
	sc := mustParse(t, `name = "reboot"`+stableBody+`
[[event]]
at = "5s"
kind = "monitor_reboot"
duration = "3s"
`)
	clock := fastClock(4)
	start := clock()
	up := start.Add(rebootAt + bootFor)
	e := runE2E(t, "intellivue", sc, []Option{WithClock(clock, nil)}, []Option{WithClock(clock, nil), WithTick(10 * time.Millisecond)})
	e.waitUntil("a valid heart rate from the rebooted monitor", 15*time.Second, func() bool {
		if e.sim.Stats().Reboots != 1 {
			return false
		}
		o, ok := e.latest(up)[vitals.HR]
		return ok && o.Quality == vitals.Valid
	})

	e.mu.Lock()
	defer e.mu.Unlock()
	var first time.Time
	for _, o := range e.obs {
		if o.Kind == vitals.HR && o.Quality == vitals.Valid && !o.HostTime.Before(up) {
			first = o.HostTime
			break
		}
	}
	// The simulated clock runs 4x the wall clock; 2 s of simulated slack
	// is half a second of scheduling delay on a loaded machine.
	assert.Less(t, first.Sub(up), intellivue.RebootRecovery+2*time.Second, "values again soon after the monitor is up")
	assert.EqualValues(t, 1, e.dev.Stats().Sessions, "recovered on the open port, not by the data watchdog's reopen")
	for _, s := range e.status {
		assert.NotEqual(t, NoData, s.State, "no data watchdog fired (%s)", s.Hint)
	}
}
