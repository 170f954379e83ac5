package datex

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the S/5 decoder behind the protocols/codec contract.
// Records are a *PHDBRequest, *WaveRequest, *PHDB, *WaveRecord,
// *AlarmRequest or *AlarmStatus.
// Observations and waves carry cfg.DeviceID as their source.
//
// Unlike the package-level Observations, the codec remembers the NIBP it
// has emitted on its stream and drops the monitor's repeats of it
// (shared/reference/protocols.md §4.6; docs/protocols/datex.md): one NIBP measurement
// gives one sbp, dbp and map observation, valid when it was fresh at first
// sight, questionable when it already carried the "older than 60 s" bit.
// Calling Observations again for the same record gives the same answer.
//
// The displayed alarms come from alarm status records only (Texts); the
// records between them leave the alarms as the last status said, so an
// alarm is one event when it appears and one when a status no longer
// shows it.
func NewCodec(cfg codec.Config) codec.Decoder {
	s := &scanCounted{Decoder: NewDecoder()}
	var alarms codec.Texts // what the last alarm status showed
	var f nibpRepeats
	var memo []bool    // the decisions for the current record's NIBP groups
	var decided uint64 // the scan whose decisions memo holds
	return codec.Adapt[Record](s, cfg.DeviceID, codec.Mapping[Record]{
		Observations: func(r Record, hostTime time.Time) []vitals.Observation {
			first := decided != s.n
			decided = s.n
			i := 0
			return observations(r, hostTime, func(g PressureGroup) bool {
				if first {
					memo = append(memo[:i], f.keep(g))
				}
				keep := i < len(memo) && memo[i]
				i++
				return keep
			})
		},
		Waves: Waves,
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

// nibpRepeats tells, on one stream of displayed values, a new NIBP
// measurement from the monitor's repeats of the last one. The S/5 sends
// its last NIBP in every record until the next measurement, with label bit
// 8 ("older than 60 s") set once the measurement is a minute old; the
// record carries no time of measurement. So a measurement is known by its
// values (sys, dia, mean) and the old bit:
//
//   - values that differ from the last kept measurement are a new
//     measurement (kept; Observations makes it questionable if the old
//     bit is already set, valid otherwise);
//   - the same values again, with or without the old bit, are a repeat
//     (dropped), except when the old bit was set and is now clear: the
//     monitor measured again and got the same values (kept, valid);
//   - an NIBP with no measurement (inactive group, calibrating, all values
//     special) is kept, and the last measurement is forgotten: whatever
//     comes next is a first sight.
//
// The zero value has seen nothing.
type nibpRepeats struct {
	has bool
	key [3]Value
	old bool // the last record with the kept measurement had the old bit
}

// keep reports whether the NIBP group g of the next displayed-values
// subrecord on the stream is to be mapped (a first sight of a measurement,
// or no measurement), and remembers it.
func (f *nibpRepeats) keep(g PressureGroup) bool {
	if !nibpMeasured(g) {
		f.has = false
		return true
	}
	key := [3]Value{g.Sys, g.Dia, g.Mean}
	old := g.Label&NIBPOlder60s != 0
	if f.has && key == f.key && (old || !f.old) {
		f.old = f.old || old
		return false
	}
	f.has, f.key, f.old = true, key, old
	return true
}

// nibpMeasured reports whether the group carries a measurement: it exists,
// is active, is not calibrating, and one of its values is not special.
func nibpMeasured(g PressureGroup) bool {
	if !g.Exists() || !g.Active() || g.Label&NIBPCalib != 0 {
		return false
	}
	return !g.Sys.Special() || !g.Dia.Special() || !g.Mean.Special()
}
