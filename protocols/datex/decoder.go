package datex

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/legevakt/workstation/protocols/codec"
)

// Error kinds used inside the package; errNone means the record is good.
const (
	errNone    = codec.ErrorKind(255)
	errLength  = codec.ErrLength
	errUnknown = codec.ErrUnknown
)

// Decoder is the streaming S/5 decoder. Feed it bytes in any split; Scan
// delivers one record per good frame. Frames with a bad checksum, a length
// that disagrees with the header, a broken escape or an unknown main type
// are dropped and counted, and decoding goes on at the next 0x7E. The zero
// value is ready to use.
type Decoder struct {
	unknown string // the type codes of the last unknown_record
	in      []byte // bytes fed and not yet scanned, from pos
	pos     int
	frame   []byte // unescaped bytes since the last flag
	inFrame bool   // a frameFlag has been seen
	esc     bool   // the previous byte was 0x7D
	drop    bool   // the current frame is too long: skip to the next flag
	garbage bool   // inside a run of bytes before the first flag
	stats   codec.Stats
	rec     Record

	// Reused records, so that steady decoding does not allocate.
	phdbReq  PHDBRequest
	waveReq  WaveRequest
	phdb     PHDB
	waves    WaveRecord
	alarmReq AlarmRequest
	alarm    AlarmStatus
	samples  []int16
}

// NewDecoder returns an empty decoder.
func NewDecoder() *Decoder { return &Decoder{} }

// Feed appends bytes from the wire; any split of the stream is fine. The
// decoder copies p.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// Scan advances to the next complete record; false when more bytes are
// needed.
func (d *Decoder) Scan() bool {
	d.rec = nil
	in := d.in
	for d.pos < len(in) {
		c := in[d.pos]
		d.pos++
		if !d.inFrame {
			if c == frameFlag {
				d.inFrame = true
				d.garbage = false
				d.frame = d.frame[:0]
				continue
			}
			if !d.garbage {
				// Bytes before the first frameFlag: we joined mid-frame.
				d.garbage = true
				d.stats.Resyncs++
				d.stats.Count(codec.ErrFraming)
			}
			continue
		}
		switch c {
		case frameFlag:
			if d.drop {
				d.drop = false
				d.frame = d.frame[:0]
				continue
			}
			if d.esc {
				// 0x7D 0x7E: the sender aborted the frame.
				d.esc = false
				d.frame = d.frame[:0]
				d.stats.Count(codec.ErrFraming)
				d.stats.Resyncs++
				continue
			}
			if len(d.frame) == 0 {
				continue // back-to-back flags: an end frameFlag followed by a start flag
			}
			rec, kind := d.finish()
			d.frame = d.frame[:0]
			if kind == errNone {
				d.rec = rec
				d.stats.Frames++
				d.stats.Records++
				return true
			}
			d.stats.Count(kind)
			d.stats.Resyncs++
			continue
		case escape:
			if !d.drop {
				d.esc = true
			}
			continue
		}
		if d.drop {
			continue
		}
		if d.esc {
			c ^= escBit
			d.esc = false
		}
		d.frame = append(d.frame, c)
		// Fast path: copy the run of ordinary bytes that follows, found
		// with the vectorised IndexByte.
		rest := in[d.pos:]
		end := bytes.IndexByte(rest, frameFlag)
		if end < 0 {
			end = len(rest)
		}
		if e := bytes.IndexByte(rest[:end], escape); e >= 0 {
			end = e
		}
		d.frame = append(d.frame, rest[:end]...)
		d.pos += end
		if len(d.frame) > MaxRecordLen+1 {
			// Longer than any record: a lost frameFlag or line noise.
			d.drop = true
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
		}
	}
	return false
}

// finish checks the frame's checksum and parses the record.
func (d *Decoder) finish() (Record, codec.ErrorKind) {
	f := d.frame
	if len(f) < HeaderLen+1 {
		return nil, codec.ErrLength
	}
	body, sum := f[:len(f)-1], f[len(f)-1]
	if Checksum(body) != sum {
		return nil, codec.ErrChecksum
	}
	rec, kind := d.parseRecord(body)
	if kind == errUnknown {
		d.unknown = describeRecord(body)
	}
	return rec, kind
}

// Unknown describes the last frame counted as unknown_record by its type
// codes (codec.UnknownReporter), for dissection.
func (d *Decoder) Unknown() string { return d.unknown }

// describeRecord names a record's main type and its subrecord types.
func describeRecord(b []byte) string {
	if len(b) < HeaderLen {
		return "record shorter than its header"
	}
	main := int16(binary.LittleEndian.Uint16(b[14:]))
	var types []string
	for i := 0; i < maxDescriptors; i++ {
		p := 16 + 3*i
		if p+2 >= len(b) || b[p+2] == descriptorEnd {
			break
		}
		types = append(types, fmt.Sprint(b[p+2]))
	}
	if len(types) == 0 {
		return fmt.Sprintf("main type %d, no subrecords", main)
	}
	return fmt.Sprintf("main type %d, subrecord types %s", main, strings.Join(types, ", "))
}

// Record returns the record of the last successful Scan; it and the slices
// inside it are valid until the next Scan.
func (d *Decoder) Record() Record { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }
