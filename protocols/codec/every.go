package codec

import "time"

// Every paces an emulator that sends once per Period (a monitor's numerics
// line, an HL7 sender's ORU). The zero schedule is due at once.
type Every struct {
	// Period is the time between sends.
	Period time.Duration
	next   time.Time
}

// Due reports whether a send is due at now and, if so, schedules the next
// one a Period after the previous. A tick that comes a little late sends
// once and keeps the device's own rhythm; after a pause longer than a
// Period (a suspended simulator) the schedule restarts at now, so the
// emulator never sends a burst of old values to catch up.
func (e *Every) Due(now time.Time) bool {
	if !e.next.IsZero() && now.Before(e.next) {
		return false
	}
	if e.next.IsZero() || now.Sub(e.next) > e.Period {
		e.next = now
	}
	e.next = e.next.Add(e.Period)
	return true
}
