package masimo

import (
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// MaxLine is the longest line accepted, in bytes. A Radical-7 line with all
// rainbow parameters is about 200 bytes; the limit bounds memory on a stream
// that never sends a line ending (wrong baud rate, wrong output mode).
const MaxLine = 512

// Decoder reads ASCII 1 lines. Any split of the stream gives the same
// records. Location is the zone the device clock is read in; the line does
// not say, so it defaults to UTC (set it to the clinic's zone when the
// monitor's clock is set to local time).
type Decoder struct {
	unknown  string // the last line counted as unknown_record
	Location *time.Location

	in       []byte
	pos      int
	line     []byte
	overflow bool
	rec      Record
	stats    codec.Stats
}

// NewDecoder returns a decoder reading device time as UTC.
func NewDecoder() *Decoder { return &Decoder{Location: time.UTC, line: make([]byte, 0, MaxLine)} }

// Feed appends bytes from the wire; any split of the stream is fine. Call
// Scan until it returns false after each Feed.
func (d *Decoder) Feed(p []byte) {
	d.stats.Bytes += uint64(len(p))
	d.in, d.pos = codec.Refill(d.in, d.pos, p)
}

// Scan advances to the next line with at least one key=value pair; false
// when more bytes are needed. Errors it survives are counted in Stats:
// tokens that are neither pairs nor the date/time (line noise) as framing,
// lines longer than MaxLine as length, text lines without any pair of a
// known key (another output mode, another device's text) as unknown record and binary ones as framing, values that are neither numbers nor
// dashes as value errors (the field is then left out of the record).
func (d *Decoder) Scan() bool {
	for d.pos < len(d.in) {
		c := d.in[d.pos]
		d.pos++
		if c != '\n' && c != '\r' {
			if d.overflow {
				continue
			}
			if len(d.line) == MaxLine {
				d.overflow = true
				d.line = d.line[:0]
				d.stats.Count(codec.ErrLength)
				d.stats.Resyncs++
				continue
			}
			d.line = append(d.line, c)
			continue
		}
		if d.overflow {
			d.overflow = false
			continue
		}
		if len(d.line) == 0 {
			continue
		}
		loc := d.Location
		if loc == nil {
			loc = time.UTC
		}
		r, res := parseLine(string(d.line), loc)
		// A line of pairs none of which is an ASCII 1 key with a readable
		// value (SN, SPO2, BPM, ALARM, EXC...) is another format's text
		// (ANSAR-B's HR=1;75;;), not a Masimo line.
		if res.pairs == 0 || res.known == 0 {
			if printable(strings.ReplaceAll(string(d.line), " ", "")) {
				d.unknown = fmt.Sprintf("a text line with no ASCII 1 pair: %q", clip(string(d.line)))
				d.stats.Count(codec.ErrUnknown)
			} else {
				d.stats.Count(codec.ErrFraming)
			}
			d.line = d.line[:0]
			continue
		}
		d.line = d.line[:0]
		if res.garbage {
			d.stats.Count(codec.ErrFraming)
		}
		for range res.badVals {
			d.stats.Count(codec.ErrValue)
		}
		d.rec = r
		d.stats.Frames++
		d.stats.Records++
		return true
	}
	d.in, d.pos = d.in[:0], 0
	return false
}

// Unknown shows the last line counted as unknown_record
// (codec.UnknownReporter), for dissection.
func (d *Decoder) Unknown() string { return d.unknown }

// Record is the current line, valid until the next Scan.
func (d *Decoder) Record() Record { return d.rec }

// Stats returns the counters so far.
func (d *Decoder) Stats() codec.Stats { return d.stats }

// Quality is what the EXC word says about the line's values: invalid when
// the oximeter reads no finger (no sensor, defective, sensor off,
// unrecognised sensor); questionable for the signal-quality exceptions
// (low perfusion, pulse search, interference, ambient light, low signal IQ)
// and for any bit this package does not know; valid otherwise.
func Quality(exc uint32) vitals.Quality {
	switch {
	case exc&excInvalid != 0:
		return vitals.Invalid
	case exc != 0:
		return vitals.Questionable
	}
	return vitals.Valid
}

// maxPlausible bounds what the oximeter can display (SpO2 0-100 %, pulse
// rate 0-240 /min on the Radical-7 range); beyond it a value is invalid.
var maxPlausible = map[vitals.Kind]float64{vitals.SpO2: 100, vitals.PR: 240}

// Observations maps a line to SpO2 (%) and pulse rate (/min, kind pr).
// Missing values (dashes, absent keys) are not observations. The device
// time is the line's date and time. Source is left empty for the caller
// (NewCodec sets the configured device id).
func Observations(r Record, hostTime time.Time) []vitals.Observation {
	q := Quality(r.Exc)
	if r.BadExc && q == vitals.Valid { // the device's sensor status is unknown
		q = vitals.Questionable
	}
	var out []vitals.Observation
	add := func(k vitals.Kind, v Reading, u vitals.Unit) {
		if !v.Present {
			return
		}
		vq := q
		if v.Value < 0 || v.Value > maxPlausible[k] {
			vq = vitals.Invalid // a corrupted line, not a patient
		}
		out = append(out, vitals.Observation{Kind: k, Value: v.Value, Unit: u, DeviceTime: r.Time, HostTime: hostTime, Quality: vq})
	}
	add(vitals.SpO2, r.SpO2, vitals.Percent)
	add(vitals.PR, r.BPM, vitals.PerMin)
	return out
}

// clip shortens a line for a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
