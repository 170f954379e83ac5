package ecgascii

import (
	"math"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Decoder reads the stream line by line. Any split of the stream gives the
// same samples. A line that is not a sample is counted and skipped: binary
// bytes as framing errors, other text as value errors, a line longer than
// MaxLine as a length error (the decoder then drops bytes up to the next
// line ending, so memory stays bounded).
type Decoder struct {
	in       []byte
	pos      int
	line     [MaxLine]byte
	n        int
	overflow bool // dropping the rest of an over-long line
	rec      Sample
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

// Scan advances to the next sample; false when more bytes are needed.
func (d *Decoder) Scan() bool {
	for d.pos < len(d.in) {
		c := d.in[d.pos]
		d.pos++
		if c == '\n' || c == '\r' {
			if d.overflow {
				d.overflow = false
				d.n = 0
				continue
			}
			if d.n == 0 {
				continue // the LF of CR LF, or a blank line
			}
			line := d.line[:d.n]
			d.n = 0
			s, ok := parseLine(line)
			if !ok {
				if isText(line) {
					d.stats.Count(codec.ErrValue)
				} else {
					d.stats.Count(codec.ErrFraming)
				}
				continue
			}
			d.rec = s
			d.stats.Frames++
			d.stats.Records++
			return true
		}
		if d.overflow {
			continue
		}
		if d.n == MaxLine {
			d.overflow = true
			d.n = 0
			d.stats.Count(codec.ErrLength)
			d.stats.Resyncs++
			continue
		}
		d.line[d.n] = c
		d.n++
	}
	d.in, d.pos = d.in[:0], 0
	return false
}

// Record is the current sample, valid until the next Scan.
func (d *Decoder) Record() Sample { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }

func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			if c != '\t' {
				return false
			}
		}
	}
	return true
}

// Wave maps one sample to a one-sample ECG block at rate samples per
// second. A lead-off sample is NaN with LeadOff set and quality invalid.
func Wave(s Sample, rate float64, source string, hostTime time.Time) vitals.Wave {
	w := vitals.Wave{
		Kind:     vitals.WaveECG,
		Channel:  "ADC",
		Rate:     rate,
		Unit:     vitals.NoUnit,
		Source:   source,
		HostTime: hostTime,
		Quality:  vitals.Valid,
	}
	if s.LeadOff {
		w.Samples = []float64{math.NaN()}
		w.LeadOff = true
		w.Quality = vitals.Invalid
		return w
	}
	w.Samples = []float64{float64(s.Value)}
	return w
}
