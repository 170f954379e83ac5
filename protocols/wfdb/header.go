// Package wfdb reads PhysioNet WFDB records: header files (.hea), signal
// files in formats 212 and 16, and MIT-format annotation files (.atr and
// friends), as described in the WFDB Applications Guide (header(5),
// signal(5), annot(5)).
//
// The package is sans-I/O in the sense of ARCHITECTURE.md: every reader
// takes an io.Reader and never opens files itself. OpenRecord accepts an
// fs.FS, so the caller decides where records come from (os.DirFS for a
// directory, an embed.FS or fstest.MapFS in tests).
package wfdb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DefaultRate is the sampling frequency a header implies when it names
// none (header(5): "If omitted, 250 is assumed").
const DefaultRate = 250

// DefaultGain is the ADC gain (units per millivolt) implied when a signal
// line gives none or gives 0 (header(5)).
const DefaultGain = 200

// maxHeaderLine bounds a header line so a corrupt file cannot make the
// scanner grow without limit.
const maxHeaderLine = 64 << 10

// maxHeaderBytes bounds a whole header file: the longest real headers
// (a few dozen signals and some comment lines) are a few kilobytes; a file
// that goes on (a link to a device, a huge comment block) is refused
// there rather than read to its end.
const maxHeaderBytes = 1 << 20

// maxGain bounds an ADC gain (units per physical unit); real records have
// gains of about 100 to 10^5 per mV.
const maxGain = 1e9

// MaxSignals bounds the signal count of a header; real records have at
// most a few dozen, and the bound keeps a corrupt count from allocating.
const MaxSignals = 4096

// Header is the content of a single-segment WFDB header file.
type Header struct {
	Record      string   // record name as written in the record line
	NumSignals  int      // number of signals (length of Signals)
	Rate        float64  // sampling frequency, samples per second per signal
	CounterFreq float64  // counter frequency, 0 if not given
	BaseCounter float64  // base counter value, 0 if not given
	NumSamples  int64    // samples per signal, 0 if not given (unknown)
	BaseTime    string   // base time as written (HH:MM:SS), "" if not given
	BaseDate    string   // base date as written (DD/MM/YYYY), "" if not given
	Signals     []Signal // one per signal, in header order
	Comments    []string // comment lines after the signal lines, without "#"
}

// Signal describes one signal line of a header.
type Signal struct {
	FileName        string  // signal file name, relative to the header's directory
	Format          int     // storage format (16, 212, ...)
	SamplesPerFrame int     // samples of this signal per frame; 1 if not given
	Skew            int     // skew in frames (recorded, not applied by Reader)
	ByteOffset      int64   // bytes to skip at the start of the file before the first sample
	Gain            float64 // ADC units per physical unit
	Baseline        int     // ADC value of physical zero
	Units           string  // physical units, "mV" if not given
	ADCResolution   int     // bits, 0 if not given
	ADCZero         int     // ADC value of the middle of the input range
	InitialValue    int     // value of the first sample (for difference formats)
	Checksum        int     // 16-bit checksum of all samples
	BlockSize       int     // block size for special files, 0 normally
	Description     string  // free text, e.g. "MLII"
}

// Physical converts an ADC value of this signal to physical units
// ((v - baseline) / gain).
func (s Signal) Physical(v int) float64 {
	g := s.Gain
	if g == 0 {
		g = DefaultGain
	}
	return float64(v-s.Baseline) / g
}

// ErrMultiSegment is returned for a multi-segment record header, which
// this reader does not follow (the MIT-BIH records are single-segment).
var ErrMultiSegment = errors.New("wfdb: multi-segment records are not supported")

// ParseHeader reads a WFDB header file. Comment lines before the record
// line are skipped; comment lines after the signal lines are kept in
// Comments. It reports malformed fields by line number and field name.
func ParseHeader(r io.Reader) (Header, error) {
	var h Header
	lr := &io.LimitedReader{R: r, N: maxHeaderBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 4096), maxHeaderLine)
	line := 0
	gotRecord := false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "#") {
			if gotRecord && len(h.Signals) == h.NumSignals {
				h.Comments = append(h.Comments, strings.TrimSpace(strings.TrimPrefix(text, "#")))
			}
			continue
		}
		if !gotRecord {
			if err := parseRecordLine(text, &h); err != nil {
				return Header{}, fmt.Errorf("wfdb header line %d: %w", line, err)
			}
			gotRecord = true
			continue
		}
		if len(h.Signals) >= h.NumSignals {
			// Extra non-comment lines (some writers add info lines) are
			// tolerated: the signal specification is complete.
			continue
		}
		s, err := parseSignalLine(text)
		if err != nil {
			return Header{}, fmt.Errorf("wfdb header line %d (signal %d): %w", line, len(h.Signals), err)
		}
		h.Signals = append(h.Signals, s)
	}
	if err := sc.Err(); err != nil {
		return Header{}, fmt.Errorf("wfdb header: reading line %d: %w", line+1, err)
	}
	if lr.N <= 0 {
		return Header{}, fmt.Errorf("wfdb header: more than %d bytes (line %d): not a header, not read further", maxHeaderBytes, line)
	}
	if !gotRecord {
		return Header{}, errors.New("wfdb header: no record line")
	}
	if len(h.Signals) != h.NumSignals {
		return Header{}, fmt.Errorf("wfdb header: record line announces %d signals, found %d signal lines", h.NumSignals, len(h.Signals))
	}
	return h, nil
}

func parseRecordLine(text string, h *Header) error {
	f := strings.Fields(text)
	name := f[0]
	if strings.Contains(name, "/") {
		return ErrMultiSegment
	}
	h.Record = name
	h.Rate = DefaultRate
	if len(f) < 2 {
		return fmt.Errorf("record line %q: missing number of signals", text)
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 0 || n > MaxSignals {
		return fmt.Errorf("number of signals %q: want an integer 0..%d", f[1], MaxSignals)
	}
	h.NumSignals = n
	if len(f) > 2 {
		if err := parseFrequency(f[2], h); err != nil {
			return err
		}
	}
	if len(f) > 3 {
		ns, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil || ns < 0 {
			return fmt.Errorf("number of samples %q: want a non-negative integer", f[3])
		}
		h.NumSamples = ns
	}
	if len(f) > 4 {
		h.BaseTime = f[4]
	}
	if len(f) > 5 {
		h.BaseDate = f[5]
	}
	return nil
}

// parseFrequency reads "fs[/counterfreq[(basecounter)]]".
func parseFrequency(s string, h *Header) error {
	fs, rest, hasCounter := strings.Cut(s, "/")
	v, err := strconv.ParseFloat(fs, 64)
	if err != nil || !(v > 0) || v > 1e9 {
		return fmt.Errorf("sampling frequency %q: want a positive number up to 1e9", fs)
	}
	h.Rate = v
	if !hasCounter {
		return nil
	}
	cf, base, hasBase := strings.Cut(rest, "(")
	c, err := strconv.ParseFloat(cf, 64)
	if err != nil || c < 0 {
		return fmt.Errorf("counter frequency %q: want a non-negative number", cf)
	}
	h.CounterFreq = c
	if hasBase {
		b, err := strconv.ParseFloat(strings.TrimSuffix(base, ")"), 64)
		if err != nil {
			return fmt.Errorf("base counter value %q: want a number", base)
		}
		h.BaseCounter = b
	}
	return nil
}

func parseSignalLine(text string) (Signal, error) {
	f := strings.Fields(text)
	s := Signal{SamplesPerFrame: 1, Gain: DefaultGain, Units: "mV"}
	if len(f) < 2 {
		return Signal{}, fmt.Errorf("signal line %q: want at least file name and format", text)
	}
	s.FileName = f[0]
	if err := parseFormat(f[1], &s); err != nil {
		return Signal{}, err
	}
	baselineGiven := false
	if len(f) > 2 {
		g, err := parseGain(f[2], &s)
		if err != nil {
			return Signal{}, err
		}
		baselineGiven = g
	}
	ints := []struct {
		name string
		dst  *int
	}{
		{"ADC resolution", &s.ADCResolution},
		{"ADC zero", &s.ADCZero},
		{"initial value", &s.InitialValue},
		{"checksum", &s.Checksum},
		{"block size", &s.BlockSize},
	}
	for i, it := range ints {
		if len(f) <= 3+i {
			break
		}
		v, err := strconv.Atoi(f[3+i])
		if err != nil {
			return Signal{}, fmt.Errorf("%s %q: want an integer", it.name, f[3+i])
		}
		*it.dst = v
	}
	if len(f) > 8 {
		s.Description = strings.Join(f[8:], " ")
	}
	if !baselineGiven {
		// header(5): the baseline defaults to the ADC zero.
		s.Baseline = s.ADCZero
	}
	return s, nil
}

// parseFormat reads "format[xsamp][:skew][+offset]".
func parseFormat(tok string, s *Signal) error {
	end := len(tok)
	if i := strings.IndexByte(tok, '+'); i >= 0 {
		off, err := strconv.ParseInt(tok[i+1:], 10, 64)
		if err != nil || off < 0 {
			return fmt.Errorf("byte offset %q: want a non-negative integer", tok[i+1:])
		}
		s.ByteOffset = off
		end = i
	}
	if i := strings.IndexByte(tok[:end], ':'); i >= 0 {
		sk, err := strconv.Atoi(tok[i+1 : end])
		if err != nil {
			return fmt.Errorf("skew %q: want an integer", tok[i+1:end])
		}
		s.Skew = sk
		end = i
	}
	if i := strings.IndexByte(tok[:end], 'x'); i >= 0 {
		spf, err := strconv.Atoi(tok[i+1 : end])
		if err != nil || spf < 1 || spf > 1<<16 {
			return fmt.Errorf("samples per frame %q: want an integer 1..65536", tok[i+1:end])
		}
		s.SamplesPerFrame = spf
		end = i
	}
	fm, err := strconv.Atoi(tok[:end])
	if err != nil || fm < 0 {
		return fmt.Errorf("format %q: want a non-negative integer", tok[:end])
	}
	s.Format = fm
	return nil
}

// parseGain reads "gain[(baseline)][/units]" and reports whether a
// baseline was given.
func parseGain(tok string, s *Signal) (bool, error) {
	if g, u, ok := strings.Cut(tok, "/"); ok {
		s.Units = u
		tok = g
	}
	baselineGiven := false
	if g, b, ok := strings.Cut(tok, "("); ok {
		v, err := strconv.Atoi(strings.TrimSuffix(b, ")"))
		if err != nil {
			return false, fmt.Errorf("baseline %q: want an integer", b)
		}
		s.Baseline = v
		baselineGiven = true
		tok = g
	}
	v, err := strconv.ParseFloat(tok, 64)
	// NaN and infinities parse as floats; a NaN gain made every sample
	// NaN and the detector silently found no beats.
	if err != nil || !(v >= 0 && v <= maxGain) {
		return false, fmt.Errorf("ADC gain %q: want a number 0..%g (0 means the default %d)", tok, maxGain, DefaultGain)
	}
	if v == 0 {
		v = DefaultGain
	}
	s.Gain = v
	return baselineGiven, nil
}
