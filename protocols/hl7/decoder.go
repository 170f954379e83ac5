package hl7

import (
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
)

// MaxMessage is the largest message accepted, in bytes between the MLLP
// start and end blocks. A vital-signs ORU is a few kilobytes; the limit
// leaves room for senders that add waveform OBX and bounds memory when an
// end block is lost.
const MaxMessage = 1 << 20

// Decoder reads MLLP frames and parses the HL7 messages in them. Any split
// of the stream gives the same messages. Errors it survives, in Stats:
//   - framing: bytes outside a frame (other than CR and LF between frames),
//     once per run; an end block not followed by CR (the message is kept);
//   - length: a start block inside a frame (the frame before it was cut
//     short and is dropped), a message longer than MaxMessage (dropped up to
//     the next start block);
//   - unknown record: a frame that does not start with a well-formed MSH;
//   - value: segments with an impossible name (left out of the message);
//     a message with a segment with a control character, or with an OBX
//     of a vital sign whose number, unit or time cannot be read, once per
//     message (kept; Observations leaves the value out or marks it): HL7
//     has no checksum, and these are what line noise inside a frame looks
//     like (hasControl, unreadableVital).
type Decoder struct {
	unknown  string // why the last block was not a message
	in       []byte
	pos      int
	inFrame  bool
	overflow bool // dropping an over-long frame up to the next start block
	afterEnd bool // the last byte was an end block: a CR should follow
	noise    bool // counting a run of bytes outside frames
	buf      []byte
	rec      Message
	stats    codec.Stats
}

// NewDecoder returns a decoder at the start of a stream.
func NewDecoder() *Decoder { return &Decoder{} }

// Feed appends bytes from the wire; any split of the stream is fine. Call
// Scan until it returns false after each Feed.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// Scan advances to the next message; false when more bytes are needed.
func (d *Decoder) Scan() bool {
	for d.pos < len(d.in) {
		c := d.in[d.pos]
		d.pos++
		if d.afterEnd {
			d.afterEnd = false
			if c == CarriageRet {
				continue
			}
			d.stats.Count(codec.ErrFraming)
		}
		if !d.inFrame {
			switch {
			case c == StartBlock:
				d.inFrame, d.overflow, d.noise = true, false, false
				d.buf = d.buf[:0]
			case d.overflow || c == '\r' || c == '\n':
			case !d.noise:
				d.noise = true
				d.stats.Count(codec.ErrFraming)
				d.stats.Resyncs++
			}
			continue
		}
		switch c {
		case StartBlock:
			d.stats.Count(codec.ErrLength) // the frame before was cut short
			d.stats.Resyncs++
			d.buf = d.buf[:0]
			continue
		case EndBlock:
			d.inFrame = false
			d.afterEnd = true
			if d.deliver() {
				return true
			}
			continue
		}
		if len(d.buf) == MaxMessage {
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
			d.inFrame, d.overflow = false, true
			d.buf = d.buf[:0]
			continue
		}
		d.buf = append(d.buf, c)
	}
	d.in, d.pos = d.in[:0], 0
	return false
}

func (d *Decoder) deliver() bool {
	m, bad, garbled, err := parseMessage(d.buf)
	d.buf = d.buf[:0]
	if err != nil {
		d.unknown = err.Error()
		d.stats.Count(codec.ErrUnknown)
		return false
	}
	for range bad {
		d.stats.Count(codec.ErrValue)
	}
	// Garbled content is one error per message however many segments it
	// touched: a sender that writes every message so (a unit of its own)
	// must not count more errors than frames, which would read as wrong
	// line settings (devices' rate hint) or another protocol (a file read).
	if garbled > 0 {
		d.stats.Count(codec.ErrValue)
	}
	d.rec = m
	d.stats.Frames++
	d.stats.Records++
	return true
}

// Unknown says why the last MLLP block counted as unknown_record was not
// an HL7 message (codec.UnknownReporter), for dissection.
func (d *Decoder) Unknown() string { return d.unknown }

// Record is the current message, valid until the next Scan.
func (d *Decoder) Record() Message { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }

// hasControl reports whether a segment holds a control character other
// than a tab: HL7 writes those as escapes (\X..\), so one on the wire is
// line noise, which no checksum would otherwise show (a value error,
// parseMessage's garbled).
func hasControl(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7F {
			return true
		}
	}
	return false
}

// unreadableVital reports whether s is an OBX naming a vital sign with a
// value whose number, unit or time cannot be read: a field the stream
// garbled or the sender wrote wrong. A leads-off blank is not one.
func unreadableVital(s Segment) bool {
	if s.Name != "OBX" {
		return false
	}
	r := resultOf(s, time.UTC)
	if _, ok := KindOf(r.ID); !ok {
		return false
	}
	if text := strings.TrimSpace(r.Value.Value()); text == "" || text == `""` {
		return false
	}
	_, _, number := numericValue(r)
	_, unit := UnitOf(r.Units)
	return !number || !unit || r.TimeErr != nil
}
