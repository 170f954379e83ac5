// Package ecgascii decodes and encodes the common hobby-board ECG stream:
// one ASCII ADC value per line, "!" for leads off, as the SparkFun AD8232
// example sketch prints it (9600 baud, Serial.println, so lines end in CR LF).
//
// The stream carries no time stamp and no rate: the sample rate comes from
// configuration (codec.Config.SampleRate, default DefaultRate) and times
// are the host's. Values are raw ADC counts; the board's analogue gain and
// the ADC reference vary between boards, so the decoder does not pretend to
// know millivolts (waves are in vitals.NoUnit, counts).
//
// The package is pure: bytes in, records out; no ports, files, clocks or
// goroutines.
package ecgascii

import (
	"strconv"
)

// DefaultRate is the sample rate assumed when the configuration gives none,
// in samples per second. The SparkFun sketch has no fixed rate (about
// 150-250 S/s depending on the board); 250 S/s is the common setting of
// sketches that pace the ADC with a timer.
const DefaultRate = 250

// MaxLine is the longest line accepted, in bytes, without its line ending.
// A sample is at most four digits ("4095"); the limit leaves room for
// spaces a sketch may print, and bounds the decoder's memory on a stream
// that never sends a line ending (wrong baud rate, binary device).
const MaxLine = 32

// Sample range accepted: the 10-bit ADC of the Arduino sketch prints
// 0-1023, the 12-bit ADCs of ESP32 and STM32 boards 0-4095. Anything else
// is rejected rather than plotted: a line cut short by a board reset joins
// the next one ("51" + "512" reads 51512), and the range is what catches it.
const (
	MinValue = 0
	MaxValue = 4095
)

// Sample is one line of the stream: an ADC value, or leads off.
type Sample struct {
	// Value is the ADC reading; zero when LeadOff.
	Value int `json:"value"`
	// LeadOff is true for a "!" line: the AD8232 LO+ or LO- output was high.
	LeadOff bool `json:"lead_off,omitempty"`
}

// AppendSample appends the line for s (with CR LF, as Serial.println ends it).
func AppendSample(dst []byte, s Sample) []byte {
	if s.LeadOff {
		return append(dst, '!', '\r', '\n')
	}
	dst = strconv.AppendInt(dst, int64(s.Value), 10)
	return append(dst, '\r', '\n')
}

// parseLine reads one line without its ending. ok is false for a line that
// is neither an integer in range nor "!".
func parseLine(line []byte) (s Sample, ok bool) {
	line = trimSpace(line)
	if len(line) == 1 && line[0] == '!' {
		return Sample{LeadOff: true}, true
	}
	if len(line) == 0 || len(line) > 6 { // sign and five digits at most before the range check
		return Sample{}, false
	}
	neg := false
	i := 0
	if line[0] == '-' || line[0] == '+' {
		neg = line[0] == '-'
		i = 1
		if len(line) == 1 {
			return Sample{}, false
		}
	}
	v := 0
	for ; i < len(line); i++ {
		c := line[i]
		if c < '0' || c > '9' {
			return Sample{}, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	if v < MinValue || v > MaxValue {
		return Sample{}, false
	}
	return Sample{Value: v}, true
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
