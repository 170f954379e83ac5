package nonin

import (
	"github.com/legevakt/workstation/protocols/codec"
)

// Decoder reads DF2 frames and delivers whole packets. Any split of the
// stream gives the same packets. A frame is accepted when it starts with 01,
// its STATUS has bit 7 set and its checksum holds; anything else makes the
// decoder drop one byte and hunt for the next good frame. A packet is
// delivered when its 25th frame arrives; frames before the first SYNC are
// skipped (the stream was joined mid-packet).
//
// Errors (counted once per loss of sync, not per byte dropped while
// hunting; bytes before the first frame count too, so a stream that is not
// DF2 at all shows up as errors, not as silence): a frame that looks right but fails its checksum as checksum;
// other bytes where a frame should start as framing; a SYNC frame before a
// packet was complete, or a 26th frame without SYNC, as length.
type Decoder struct {
	in         []byte
	pos        int
	hunting    bool // dropping bytes to find a frame; errors counted once per hunt
	expectSync bool // a packet just completed: the next frame must have SYNC
	cur        Packet
	n          int // frames of cur so far; 0 when waiting for SYNC
	rec        Packet
	stats      codec.Stats
}

// NewDecoder returns a DF2 decoder at the start of a stream.
func NewDecoder() *Decoder { return &Decoder{} }

// Feed appends bytes from the wire; any split of the stream is fine. Call
// Scan until it returns false after each Feed.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// Scan advances to the next complete packet; false when more bytes are needed.
func (d *Decoder) Scan() bool {
	for len(d.in)-d.pos >= FrameLen {
		b := d.in[d.pos : d.pos+FrameLen]
		header := b[0] == FrameStart && b[1]&StatusAlways != 0
		if !header || b[0]+b[1]+b[2]+b[3] != b[4] {
			if !d.hunting {
				if header {
					d.stats.Count(codec.ErrChecksum)
				} else {
					d.stats.Count(codec.ErrFraming)
				}
				d.stats.Resyncs++
				d.hunting = true
				d.n = 0 // the packet in progress lost a frame: drop it
				d.expectSync = false
			}
			d.pos++
			continue
		}
		d.pos += FrameLen
		d.hunting = false
		d.stats.Frames++
		f := Frame{Status: b[1], Pleth: b[2], Data: b[3]}
		switch {
		case f.Status&StatusSync != 0:
			if d.n > 0 {
				d.stats.Count(codec.ErrLength) // packet cut short
			}
			d.cur.Frames[0] = f
			d.n = 1
		case d.n == 0:
			if d.expectSync {
				d.stats.Count(codec.ErrLength) // packet longer than 25 frames
			}
			d.expectSync = false
			continue
		default:
			d.cur.Frames[d.n] = f
			d.n++
		}
		d.expectSync = false
		if d.n == FramesPerPacket {
			d.rec = d.cur
			d.n = 0
			d.expectSync = true
			d.stats.Records++
			return true
		}
	}
	return false
}

// Record is the current packet, valid until the next Scan.
func (d *Decoder) Record() Packet { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }

// Decoder8 reads DF8 records: a byte with bit 7 set followed by three with
// bit 7 clear. The format has no checksum, so the decoder trusts an
// alignment only when it repeats: out of sync (at the start and after
// any malformed record) a record is delivered once the two records after
// it are in place too (their first bytes have bit 7 set, the bytes between
// have it clear). Three in a row cannot be found in a format-2 stream, so
// an oximeter set to the other format gives framing errors, never values;
// the price is that the first value after a loss of sync comes two records
// (two seconds) late. Misaligned bytes are counted as one framing error
// per loss of sync and dropped.
type Decoder8 struct {
	in      []byte
	pos     int
	hunting bool
	synced  bool
	rec     Frame8
	stats   codec.Stats
}

// NewDecoder8 returns a DF8 decoder at the start of a stream.
func NewDecoder8() *Decoder8 { return &Decoder8{} }

// Feed appends bytes from the wire; any split of the stream is fine.
func (d *Decoder8) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// frame8At reports whether b[i:i+4] is a well-formed DF8 record: the
// framing bits, an SpO2 the format can send (0-100 %, or 127 for no
// value) and a pulse rate it can send (0-321 /min, the oximeter's range
// ends at 321, or 511 for no value). The value tests reject many chance
// alignments in another protocol's bytes, which the bit-7 pattern alone
// lets through.
func frame8At(b []byte, i int) bool {
	if b[i]&0x80 == 0 || (b[i+1]|b[i+2]|b[i+3])&0x80 != 0 {
		return false
	}
	hr := JoinHR(b[i], b[i+1])
	return (b[i+2] <= 100 || b[i+2] == MissingSpO2) && (hr <= MaxHR || hr == MissingHR)
}

// Scan advances to the next record; false when more bytes are needed.
func (d *Decoder8) Scan() bool {
	for len(d.in)-d.pos >= 4 {
		if !frame8At(d.in, d.pos) {
			d.lose()
			d.pos++
			continue
		}
		if !d.synced {
			// Confirm the alignment: two more records behind this one
			// (the third only needs its first byte).
			if len(d.in)-d.pos < 9 {
				return false
			}
			if !frame8At(d.in, d.pos+4) || d.in[d.pos+8]&0x80 == 0 {
				d.lose()
				d.pos++
				continue
			}
			d.synced = true
		}
		b := d.in[d.pos : d.pos+4]
		d.pos += 4
		d.hunting = false
		d.rec = Frame8{Status: b[0], HRLow: b[1], SpO2: b[2], Status2: b[3]}
		d.stats.Frames++
		d.stats.Records++
		return true
	}
	return false
}

// lose counts one framing error per loss of sync and starts hunting.
func (d *Decoder8) lose() {
	d.synced = false
	if !d.hunting {
		d.stats.Count(codec.ErrFraming)
		d.stats.Resyncs++
		d.hunting = true
	}
}

// Record is the current record, valid until the next Scan.
func (d *Decoder8) Record() Frame8 { return d.rec }

// Stats returns the counters so far.
func (d *Decoder8) Stats() codec.Stats { return d.stats }
