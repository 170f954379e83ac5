package devices

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// ClockOffsetLimit is the difference between a device's clock and the
// host's above which the status reports it (a wrong device_zone gives a
// whole hour; a clock set by hand drifts by seconds to minutes).
const ClockOffsetLimit = 60 * time.Second

// clockWindow is how many values with a device time the offset estimate
// looks back over; the freshest of them (the smallest host-minus-device
// difference) is taken as the clock offset.
const clockWindow = 16

// clockSettle is how many values with a device time it takes before the
// offset estimate is trusted; until then the device clock is taken to
// agree with the host's.
const clockSettle = 5

// freshness tells stale values from fresh ones by the device's own time
// stamp: a value whose device time is older than maxAge, after allowing
// for the clock offset, is stale (a monitor's buffered backlog at the
// start of a session) and loses valid quality.
type freshness struct {
	maxAge time.Duration
	diffs  []time.Duration // host minus device time of the last values
	offset time.Duration   // the clock offset estimate, once settled
	off    bool            // offset exceeds ClockOffsetLimit
	Stale  int             // values marked stale
}

// check marks o questionable when it is stale and reports whether the
// clock offset judgement changed (so the status can say so).
func (f *freshness) check(o *vitals.Observation) bool {
	if o.DeviceTime.IsZero() || o.HostTime.IsZero() || f.maxAge <= 0 {
		return false
	}
	diff := o.HostTime.Sub(o.DeviceTime)
	f.diffs = append(f.diffs, diff)
	if len(f.diffs) > clockWindow {
		f.diffs = f.diffs[1:]
	}
	var ref time.Duration
	changed := false
	if len(f.diffs) >= clockSettle {
		ref = f.diffs[0]
		for _, d := range f.diffs[1:] {
			ref = min(ref, d)
		}
		f.offset = ref
		off := ref > ClockOffsetLimit || ref < -ClockOffsetLimit
		changed = off != f.off
		f.off = off
	}
	if age := diff - ref; age > f.maxAge && o.Quality == vitals.Valid {
		o.Quality = vitals.Questionable
		f.Stale++
	}
	return changed
}

// noteClock reports a device clock offset beyond ClockOffsetLimit in the
// status (or its end), keeping the state.
func (d *Device) noteClock(offset time.Duration, off bool) {
	d.mu.Lock()
	if off {
		d.clock = offset
	} else {
		d.clock = 0
	}
	state, hint := d.state, d.hint
	d.mu.Unlock()
	if off {
		hint = fmt.Sprintf("the device clock is %s behind the host clock (ahead if negative): check the device's clock and the profile's device_zone", offset.Round(time.Second))
	} else if hint != "" && len(hint) > 16 && hint[:16] == "the device clock" {
		hint = ""
	}
	d.setState(state, hint, "")
}

// maxAge is the staleness limit of the profile's values by device time:
// MaxAge when set, else half the silence watchdog and at least 2 s (the
// S/5: 7.5 s, one and a half of its 5 s periods; IntelliVue 5 s; Masimo
// and the oximeters 2 s, twice their 1 s period).
func (p Profile) maxAge() time.Duration {
	if p.MaxAge > 0 {
		return p.MaxAge
	}
	return max(p.Silence/2, 2*time.Second)
}

// inputFlusher is the part of a serial port that discards its input
// buffer (go.bug.st/serial has it).
type inputFlusher interface {
	ResetInputBuffer() error
}

// flushInput drops what waited in the port's input buffer before the
// session (serial ports and pseudo-terminals opened with go.bug.st/serial
// can; a port without ResetInputBuffer is left as it is). What a monitor
// buffers itself arrives afterwards and is caught by freshness.
func flushInput(port Port) {
	if f, ok := port.(inputFlusher); ok {
		_ = f.ResetInputBuffer()
	}
}
