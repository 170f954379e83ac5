package ansarb

import (
	"bytes"

	"github.com/legevakt/workstation/protocols/codec"
)

// Decoder finds messages by their FF "ANSAR-B " header. Any split of the
// stream gives the same messages. Errors it survives, in Stats:
//   - framing: bytes before a header (once per run of such bytes);
//   - length: a header inside a message (the message before it was cut
//     short and is dropped), a text section longer than MaxText without the
//     FE end byte (dropped; the decoder hunts for the next header);
//   - value: a text line that is not NAME=count;values;label;alarm (left
//     out of the message).
type Decoder struct {
	in      []byte
	pos     int
	hunting bool // dropping bytes before a header; counted once per run
	rec     Message
	stats   codec.Stats
}

// NewDecoder returns a decoder at the start of a stream.
func NewDecoder() *Decoder { return &Decoder{} }

// Feed appends bytes from the wire; any split of the stream is fine. Call
// Scan until it returns false after each Feed.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// headerAt returns the index in b of the first header, or of a header
// prefix running to the end of b; -1 when there is neither.
func headerAt(b []byte) int {
	for i := 0; i < len(b); i++ {
		i0 := bytes.IndexByte(b[i:], Start)
		if i0 < 0 {
			return -1
		}
		i += i0
		n := min(len(header), len(b)-i)
		if bytes.Equal(b[i:i+n], header[:n]) {
			return i
		}
	}
	return -1
}

func (d *Decoder) skip(n int) {
	if n <= 0 {
		return
	}
	if !d.hunting {
		d.hunting = true
		d.stats.Count(codec.ErrFraming)
		d.stats.Resyncs++
	}
	d.pos += n
}

// Scan advances to the next complete message; false when more bytes are needed.
func (d *Decoder) Scan() bool {
	for {
		b := d.in[d.pos:]
		h := headerAt(b)
		if h < 0 {
			d.skip(len(b))
			return false
		}
		d.skip(h)
		b = d.in[d.pos:]
		if len(b) < HeaderLen+WaveLen {
			return false
		}
		d.hunting = false
		text := b[HeaderLen+WaveLen:]
		end := bytes.IndexByte(text, End)
		limit := len(text)
		if end >= 0 {
			limit = end
		}
		// A header after ours and before our end means ours was cut short.
		if next := bytes.Index(b[1:HeaderLen+WaveLen+limit], header); next >= 0 {
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
			d.pos += 1 + next
			continue
		}
		if (end < 0 && len(text) > MaxText) || end > MaxText {
			// The end byte was lost: drop the message; the bytes up to the
			// next header belong to it, so they are not counted again.
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
			d.pos += HeaderLen + WaveLen + MaxText
			d.hunting = true
			continue
		}
		if end < 0 {
			return false
		}
		d.rec = d.parse(b[HeaderLen:HeaderLen+WaveLen], text[:end])
		d.pos += HeaderLen + WaveLen + end + 1
		d.stats.Frames++
		d.stats.Records++
		return true
	}
}

func (d *Decoder) parse(wave, text []byte) Message {
	var m Message
	n := copy(m.ECG[:], wave)
	n += copy(m.Resp[:], wave[n:])
	n += copy(m.Pleth[:], wave[n:])
	n += copy(m.P1[:], wave[n:])
	copy(m.P2[:], wave[n:])
	m.Params = []Param{}
	for line := range bytes.FieldsFuncSeq(text, func(r rune) bool { return r == '\r' || r == '\n' }) {
		p, err := ParseParam(string(line))
		if err != nil {
			d.stats.Count(codec.ErrValue)
			continue
		}
		m.Params = append(m.Params, p)
	}
	return m
}

// Record is the current message, valid until the next Scan.
func (d *Decoder) Record() Message { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }
