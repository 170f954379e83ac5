package codec

import (
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// Stream is the streaming face of a protocol package's own decoder: the
// same Feed/Scan/Stats as Decoder, with the current record in the
// package's own type R instead of any.
type Stream[R any] interface {
	// Feed appends bytes from the wire.
	Feed(p []byte)
	// Scan advances to the next complete record; false when more bytes are needed.
	Scan() bool
	// Record is the current record, valid until the next Scan.
	Record() R
	// Stats returns the counters so far.
	Stats() Stats
}

// Mapping says how a protocol maps its current record into vitals. A nil
// function means the protocol never carries that kind of data (no
// numerics on an ECG line, no waveform on ASCII 1), and the adapted
// Decoder returns nil for it.
type Mapping[R any] struct {
	// Observations maps record r, received at hostTime.
	Observations func(r R, hostTime time.Time) []vitals.Observation
	// Waves returns the waveform blocks in record r, received at hostTime.
	Waves func(r R, hostTime time.Time) []vitals.Wave
	// Texts returns the labels, alarm and technical texts record r shows
	// (all of them, not only new ones); the adapted decoder reports their
	// changes as Events. Nil for protocols that send no texts.
	Texts func(r R, hostTime time.Time) Texts
}

// Adapt puts a protocol decoder behind the Decoder contract. Every
// observation and wave the mapping returns is stamped with source (the
// configured DeviceID), so the protocol's mapping never needs to know
// which device it is reading. Every protocol's NewCodec is Adapt over its
// own Decoder: the stamping lives here once, not in seven copies.
func Adapt[R any](d Stream[R], source string, m Mapping[R]) Decoder {
	return &adapted[R]{d: d, source: source, m: m}
}

// adapted is the Decoder that Adapt returns.
type adapted[R any] struct {
	d      Stream[R]
	source string
	m      Mapping[R]
	texts  textState
}

func (a *adapted[R]) Feed(p []byte) { a.d.Feed(p) }
func (a *adapted[R]) Scan() bool    { return a.d.Scan() }
func (a *adapted[R]) Stats() Stats  { return a.d.Stats() }

// Record returns the current record as any. A record type that is itself an
// interface (datex.Record, intellivue.Record) gives nil before the first
// record, not a typed nil.
func (a *adapted[R]) Record() any { return a.d.Record() }

func (a *adapted[R]) Observations(hostTime time.Time) []vitals.Observation {
	if a.m.Observations == nil {
		return nil
	}
	out := a.m.Observations(a.d.Record(), hostTime)
	for i := range out {
		out[i].Source = a.source
	}
	return out
}

func (a *adapted[R]) Waves(hostTime time.Time) []vitals.Wave {
	if a.m.Waves == nil {
		return nil
	}
	out := a.m.Waves(a.d.Record(), hostTime)
	for i := range out {
		out[i].Source = a.source
	}
	return out
}

// Events reports the texts of the current record that appeared, changed
// or went away since the previous record.
func (a *adapted[R]) Events(hostTime time.Time) []Event {
	if a.m.Texts == nil {
		return nil
	}
	out := a.texts.changes(a.m.Texts(a.d.Record(), hostTime))
	for i := range out {
		out[i].Source = a.source
		if out[i].HostTime.IsZero() {
			out[i].HostTime = hostTime
		}
	}
	return out
}

// Unknown describes the last frame of an unknown type, when the protocol's
// decoder says (it implements UnknownReporter); "" otherwise.
func (a *adapted[R]) Unknown() string {
	if u, ok := a.d.(UnknownReporter); ok {
		return u.Unknown()
	}
	return ""
}
