package vitals

import "time"

// StalePolicy says how old an observation may be before it is stale: shown,
// marked stale and left out of scoring. Limits are per source class and kind.
type StalePolicy struct {
	Device map[Kind]time.Duration // by kind, for values from a device (or the ECG)
	Manual time.Duration          // measured by a nurse and typed in
	Phone  time.Duration          // reported by a caller
	// DeviceDefault applies to device kinds not in Device.
	DeviceDefault time.Duration
}

// DefaultStalePolicy returns the documented defaults:
//   - device continuous numerics (hr, pr, spo2, rr, etco2): 60 s, as the
//     LNhealth S/5 driver expires values (shared/reference/protocols.md §4.6);
//   - device NIBP (sbp, dbp, map): 600 s, the same driver's NIBP expiry;
//   - device temperature: 600 s (a slow-moving value, read like NIBP);
//   - manual entries: 30 min, one triage encounter at reception;
//   - phone reports: 60 min, the length of one call and its call-back.
func DefaultStalePolicy() StalePolicy {
	return StalePolicy{
		Device: map[Kind]time.Duration{
			HR: 60 * time.Second, PR: 60 * time.Second, SpO2: 60 * time.Second,
			RR: 60 * time.Second, EtCO2: 60 * time.Second,
			SBP: 600 * time.Second, DBP: 600 * time.Second, MAP: 600 * time.Second,
			Temp: 600 * time.Second,
		},
		Manual:        30 * time.Minute,
		Phone:         60 * time.Minute,
		DeviceDefault: 60 * time.Second,
	}
}

// MaxAge is the oldest o may be and still be scored.
func (p StalePolicy) MaxAge(o Observation) time.Duration {
	switch o.Source {
	case SourceManual:
		return p.Manual
	case SourcePhone:
		return p.Phone
	}
	if d, ok := p.Device[o.Kind]; ok {
		return d
	}
	return p.DeviceDefault
}

// Stale reports whether o is older than its maximum age at now. A value
// stamped in the future by up to its maximum age is not stale: workstation
// clocks differ a little, and a shared store mixes their stamps. Further
// in the future the clocks disagree (one was stepped back) and how old the
// value really is cannot be known, so it is stale too: otherwise an old
// value would be scored as fresh, silently.
func (p StalePolicy) Stale(o Observation, now time.Time) bool {
	age, limit := o.Age(now), p.MaxAge(o)
	return age > limit || age < -limit
}
