package devices

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Trace is one step of a decoder over the stream, for dissection and
// statistics: a frame or record completed, or errors noticed. Offsets count
// the bytes of one direction of the stream (for a raw dump, the file).
type Trace struct {
	// Start and End delimit the bytes since the previous step: the frame,
	// or the bytes the decoder dropped. End is one past the last byte.
	Start, End uint64
	// Time is the host time of the chunk holding the last byte (zero for a
	// raw dump without --start).
	Time time.Time
	// Frames is the number of frames that completed at End.
	Frames uint64
	// Errors are the errors the decoder noticed at the byte End-1.
	Errors []codec.ErrorKind
	// Record is the record completed at End, nil if none; valid only
	// during the callback.
	Record any
	// Fields is the record's fields by name for dissection (the
	// protocol's Describe, or the record itself).
	Fields any
	// Unknown describes a frame counted as unknown_record (its type code),
	// when the protocol says.
	Unknown string
	// Trusted says whether the record's values may be valid: a run of
	// well-formed records of this protocol preceded it.
	Trusted bool
	// Bytes are the bytes from Start, at most MaxTraceBytes of them;
	// valid only during the callback.
	Bytes []byte
}

// MaxTraceBytes bounds the bytes a Trace carries, so a long run of noise
// before the next frame does not grow memory.
const MaxTraceBytes = 64 << 10

// StreamHandler receives what a StreamDecoder finds; nil functions skip
// that kind. An error from a handler stops the decoding and is returned.
type StreamHandler struct {
	Observation func(vitals.Observation) error
	Wave        func(vitals.Wave) error
	Event       func(codec.Event) error
	// Record is called with every record, before its values are handed
	// out (a host answers it here).
	Record func(rec any, t time.Time) error
	// Trace, when set, makes the decoder feed byte by byte and report
	// every frame and error at its byte offset. Slower; for dissect,
	// statistics and verify.
	Trace func(Trace) error
}

// trustErrors are the error kinds that break a run of well-formed frames:
// bytes that are not a frame of this protocol. An unknown record is a
// well-formed frame of a type we do not read; a value error is a field.
func trustBreaking(st codec.Stats) uint64 {
	return st.ErrorCount(codec.ErrFraming) + st.ErrorCount(codec.ErrChecksum) + st.ErrorCount(codec.ErrLength)
}

// StreamDecoder decodes one direction of a byte stream the same way for
// every command (decode, replay, verify, dissect, identify) and for live
// sessions, so they agree on every count: waveform samples of one chunk
// are merged into one block per channel, and a record's values are valid
// only after a run of well-formed records of the protocol (TrustRun):
// after a framing, checksum or length error, or at the start, values are
// questionable until the run is complete again. Bytes of another protocol
// thus never give valid values, even where a few happen to form frames.
type StreamDecoder struct {
	dec      codec.Decoder
	describe func(any) any
	need     int
	run      int
	last     uint64 // trust-breaking errors at the last record
	h        StreamHandler
	waves    []vitals.Wave
	prev     codec.Stats // at the last trace step
	mark     uint64      // offset of the last trace step
	span     []byte      // bytes since mark (at most MaxTraceBytes)
	unknown  codec.UnknownReporter
	events   codec.EventSource

	// Observations, Waves, Events and Valid count what was handed out
	// (Valid: observations and wave blocks of valid quality).
	Observations, Waves, Events, Valid int
	// Records counts the records; Chunks the chunks fed.
	Records, Chunks int

	// MaxBytesWithoutFrame, when not zero, ends Chunk with an error
	// wrapping ErrNotThisProtocol once more than this many bytes came
	// without a frame, from the start or since the last frame. Readers of
	// files (decode, replay, verify, dissect) set it to
	// MaxFileBytesWithoutFrame, so bytes that never form a frame (another
	// protocol, noise, a link to a device that never ends) end the read
	// with a clear error; a live session leaves it zero: a device sending
	// noise is shown as such and never given up.
	MaxBytesWithoutFrame uint64
	frames, frameAt      uint64 // Frames and Bytes at the last frame seen
}

// MaxFileBytesWithoutFrame is how many bytes of a file the device-side
// decoder reads without a frame before it gives up: 4 MiB, about 70
// minutes of noise at 9600 baud and 6 minutes at 115200, while a real
// device sends a frame every second or faster.
const MaxFileBytesWithoutFrame = 4 << 20

// NewStreamDecoder wraps dec (of protocol proto) with the trust rule and
// the handler.
func NewStreamDecoder(proto Protocol, dec codec.Decoder, h StreamHandler) *StreamDecoder {
	s := &StreamDecoder{dec: dec, need: proto.trustRun(), h: h, describe: proto.Describe}
	s.unknown, _ = dec.(codec.UnknownReporter)
	s.events, _ = dec.(codec.EventSource)
	return s
}

// Decoder returns the wrapped decoder.
func (s *StreamDecoder) Decoder() codec.Decoder { return s.dec }

// Stats returns the decoder's counters.
func (s *StreamDecoder) Stats() codec.Stats { return s.dec.Stats() }

// Trusted reports whether the decoder is in a run of well-formed records
// long enough for valid values.
func (s *StreamDecoder) Trusted() bool { return s.run >= s.need }

// Chunk feeds the bytes of one read or capture chunk received at t and
// hands out what they complete.
func (s *StreamDecoder) Chunk(p []byte, t time.Time) error {
	s.Chunks++
	s.waves = s.waves[:0]
	if s.h.Trace == nil {
		s.dec.Feed(p)
		if err := s.scan(t); err != nil {
			return err
		}
	} else {
		for i := range p {
			if len(s.span) < MaxTraceBytes {
				s.span = append(s.span, p[i])
			}
			s.dec.Feed(p[i : i+1])
			if err := s.scan(t); err != nil {
				return err
			}
		}
	}
	if err := s.drought(); err != nil {
		return err
	}
	for _, w := range s.waves {
		s.Waves++
		if w.Quality == vitals.Valid {
			s.Valid++
		}
		if s.h.Wave != nil {
			if err := s.h.Wave(w); err != nil {
				return err
			}
		}
	}
	return nil
}

// drought is MaxBytesWithoutFrame's check, after each chunk.
func (s *StreamDecoder) drought() error {
	if s.MaxBytesWithoutFrame == 0 {
		return nil
	}
	st := s.dec.Stats()
	if st.Frames != s.frames {
		s.frames, s.frameAt = st.Frames, st.Bytes
		return nil
	}
	if st.Bytes-s.frameAt <= s.MaxBytesWithoutFrame {
		return nil
	}
	if s.frames == 0 {
		return fmt.Errorf("%d bytes without a frame, not read further: %w", st.Bytes, ErrNotThisProtocol)
	}
	return fmt.Errorf("%d bytes without a frame after byte %d, not read further: %w", st.Bytes-s.frameAt, s.frameAt, ErrNotThisProtocol)
}

func (s *StreamDecoder) scan(t time.Time) error {
	for {
		ok := s.dec.Scan()
		if ok {
			s.Records++
			st := s.dec.Stats()
			if n := trustBreaking(st); n > s.last {
				s.run = 0
				s.last = n
			}
			s.run++
		}
		if s.h.Trace != nil {
			if err := s.trace(ok, t); err != nil {
				return err
			}
		}
		if !ok {
			return nil
		}
		if err := s.deliver(t); err != nil {
			return err
		}
	}
}

// trace reports a step when the counters moved or a record completed.
func (s *StreamDecoder) trace(rec bool, t time.Time) error {
	st := s.dec.Stats()
	if !rec && st.Frames == s.prev.Frames && st.TotalErrors() == s.prev.TotalErrors() {
		return nil
	}
	tr := Trace{Start: s.mark, End: st.Bytes, Time: t, Frames: st.Frames - s.prev.Frames, Trusted: rec && s.Trusted()}
	for _, k := range codec.ErrorKinds() {
		for n := st.ErrorCount(k) - s.prev.ErrorCount(k); n > 0; n-- {
			tr.Errors = append(tr.Errors, k)
			if k == codec.ErrUnknown && s.unknown != nil {
				tr.Unknown = s.unknown.Unknown()
			}
		}
	}
	if rec {
		tr.Record = s.dec.Record()
		tr.Fields = tr.Record
		if s.describe != nil {
			tr.Fields = s.describe(tr.Record)
		}
	}
	tr.Bytes = s.span
	s.prev, s.mark = st, st.Bytes
	err := s.h.Trace(tr)
	s.span = s.span[:0]
	return err
}

func (s *StreamDecoder) deliver(t time.Time) error {
	if s.h.Record != nil {
		if err := s.h.Record(s.dec.Record(), t); err != nil {
			return err
		}
	}
	trusted := s.Trusted()
	for _, o := range s.dec.Observations(t) {
		if !trusted && o.Quality == vitals.Valid {
			o.Quality = vitals.Questionable
		}
		s.Observations++
		if o.Quality == vitals.Valid {
			s.Valid++
		}
		if s.h.Observation != nil {
			if err := s.h.Observation(o); err != nil {
				return err
			}
		}
	}
	ws := s.dec.Waves(t)
	if !trusted {
		for i := range ws {
			if ws[i].Quality == vitals.Valid {
				ws[i].Quality = vitals.Questionable
			}
		}
	}
	s.waves = mergeWaves(s.waves, ws)
	if s.events != nil {
		for _, e := range s.events.Events(t) {
			s.Events++
			if s.h.Event != nil {
				if err := s.h.Event(e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
