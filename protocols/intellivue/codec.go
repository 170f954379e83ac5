package intellivue

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the IntelliVue decoder behind the protocols/codec
// contract. Records are the record types of this package, as pointers.
// Observations and waves carry cfg.DeviceID as their source. Waves come
// from the decoder, not the record alone: it keeps the sample period and
// scale the monitor announced earlier in the conversation. Likewise the
// ECG heart rate is Invalid while the decoder's ECG is lead-off
// (Decoder.ECGLeadsOff), whatever the numeric's own state says.
//
// Unlike the package-level Observations, the codec remembers the NIBP it
// has emitted on its stream and drops the monitor's repeats of it
// (shared/reference/protocols.md §4.6; docs/protocols/intellivue.md): a
// measurement is known by its own absolute time stamp and value, and is
// emitted once, valid when its time stamp was at most NIBPMaxAge older
// than the result at first sight, questionable otherwise. Calling
// Observations again for the same record gives the same answer.
func NewCodec(cfg codec.Config) codec.Decoder { return NewCodecIn(cfg, time.UTC) }

// NewCodecIn is NewCodec with the monitor's absolute times read in loc:
// the IntelliVue's clock is its local wall clock and its time stamps carry
// no zone (a monitor in Oslo stamps Oslo time). Host times are not
// affected; the NIBP age is a difference of two monitor stamps and does
// not depend on loc.
func NewCodecIn(cfg codec.Config, loc *time.Location) codec.Decoder {
	if loc == nil {
		loc = time.UTC
	}
	d := NewDecoder()
	d.loc = loc
	s := &scanCounted{Decoder: d}
	var f nibpRepeats
	var memo []bool        // the decisions for the current record's numerics
	var decided uint64     // the scan whose decisions memo holds
	var alarms codec.Texts // what the last alarm poll result listed
	return codec.Adapt[Record](s, cfg.DeviceID, codec.Mapping[Record]{
		Observations: func(r Record, hostTime time.Time) []vitals.Observation {
			first := decided != s.n
			decided = s.n
			i, kept := 0, 0
			leadsOff := d.ECGLeadsOff()
			var fromLeads []int // indices in obs of values measured through the ECG leads
			obs := observations(r, hostTime, loc, func(n Numeric, o vitals.Observation) bool {
				if first {
					memo = append(memo[:i], f.keep(n, o))
				}
				keep := i < len(memo) && memo[i]
				i++
				if keep {
					if leadsOff && throughECGLeads(n.PhysioID) {
						fromLeads = append(fromLeads, kept)
					}
					kept++
				}
				return keep
			})
			for _, j := range fromLeads {
				obs[j].Quality, obs[j].Value = vitals.Invalid, 0
			}
			return obs
		},
		Waves: func(_ Record, hostTime time.Time) []vitals.Wave { return d.Waves(hostTime) },
		// The alarm lists come from alert-monitor poll results only; the
		// results between them leave the alarms as the last one said.
		Texts: func(r Record, hostTime time.Time) codec.Texts {
			if t, ok := Texts(r, hostTime); ok {
				alarms = append(alarms[:0], t...)
			}
			return alarms
		},
	})
}

// scanCounted counts the records the decoder delivered, so that NewCodec
// decides about each record's NIBP once, however often it is asked.
type scanCounted struct {
	*Decoder
	n uint64
}

// Scan advances the decoder and counts a delivered record.
func (s *scanCounted) Scan() bool {
	ok := s.Decoder.Scan()
	if ok {
		s.n++
	}
	return ok
}

// nibpKey identifies one NIBP measurement of one kind: the numeric's own
// time stamp (attribute 0x0990), its value and unit as sent.
type nibpKey struct {
	stamp AbsoluteTime
	value Float
	unit  uint16
}

// nibpRepeats tells, on one stream of poll results, a new NIBP measurement
// from the monitor's repeats of the last one. The monitor sends its last
// NIBP in every numerics result (every 1,024 ms) until the next
// measurement, with the time stamp of the measurement. So, per kind (sbp,
// dbp, map):
//
//   - a stamp and value other than the last kept ones are a measurement not
//     seen before: kept (Observations makes it questionable when the stamp
//     is more than NIBPMaxAge older than the result, valid otherwise);
//   - the same stamp and value again are a repeat: dropped;
//   - an Invalid value (no measurement) is kept each time, and the kind's
//     last measurement is forgotten: whatever comes next is a first sight;
//   - a value without a valid time stamp of its own cannot be told from a
//     repeat: kept each time, as the package-level Observations maps it.
//
// Other kinds are always kept. The zero value has seen nothing.
type nibpRepeats struct {
	last map[vitals.Kind]nibpKey
}

// keep reports whether numeric n, mapped to o, is to be emitted, and
// remembers it.
func (f *nibpRepeats) keep(n Numeric, o vitals.Observation) bool {
	if !o.Kind.BloodPressure() {
		return true
	}
	if o.Quality == vitals.Invalid {
		delete(f.last, o.Kind)
		return true
	}
	if !n.HasAbsTime {
		return true
	}
	if _, ok := n.AbsTime.Time(time.UTC); !ok {
		return true
	}
	k := nibpKey{stamp: n.AbsTime, value: n.Value, unit: n.Unit}
	if last, ok := f.last[o.Kind]; ok && last == k {
		return false
	}
	if f.last == nil {
		f.last = make(map[vitals.Kind]nibpKey, 3)
	}
	f.last[o.Kind] = k
	return true
}
