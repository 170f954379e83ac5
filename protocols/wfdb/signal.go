package wfdb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
)

// Invalid sample values: the ADC value a format uses for "no sample"
// (signal(5)). Reader passes them through; callers map them to gaps.
const (
	Invalid212 = -2048  // format 212: the most negative 12-bit value
	Invalid16  = -32768 // format 16: the most negative 16-bit value
)

// InvalidSample returns the "no sample" value of a supported format and
// false for formats without one.
func InvalidSample(format int) (int, bool) {
	switch format {
	case 212:
		return Invalid212, true
	case 16:
		return Invalid16, true
	}
	return 0, false
}

// Reader decodes the frames of one signal file in format 212 or 16. A
// frame holds one sample of every signal stored in the file, in header
// order. Only one sample per signal per frame is supported.
type Reader struct {
	r      io.Reader
	format int
	nsig   int
	buf    []byte // read-ahead; buf[pos:end] not yet decoded
	pos    int
	end    int
	err    error // sticky error of r, returned once buf is drained
	// Format 212 packs pairs of consecutive samples (across frame
	// boundaries) into 3 bytes; half holds the second sample of a pair
	// when the first has been delivered.
	half    int
	hasHalf bool
}

// NewReader returns a Reader for a file holding numSignals interleaved
// signals in the given format (212 or 16). It does not skip a byte
// offset: discard Signal.ByteOffset bytes from r first.
func NewReader(r io.Reader, format, numSignals int) (*Reader, error) {
	if format != 212 && format != 16 {
		return nil, fmt.Errorf("wfdb: signal format %d: want 212 or 16", format)
	}
	if numSignals < 1 || numSignals > MaxSignals {
		return nil, fmt.Errorf("wfdb: %d signals in one file: want 1..%d", numSignals, MaxSignals)
	}
	return &Reader{r: r, buf: make([]byte, 64<<10), format: format, nsig: numSignals}, nil
}

// ReadFrame fills dst (which must hold at least the file's signal count)
// with the next frame. It returns io.EOF at a clean end of the file and
// io.ErrUnexpectedEOF when the file ends inside a frame.
func (r *Reader) ReadFrame(dst []int) error {
	if len(dst) < r.nsig {
		return fmt.Errorf("wfdb: frame buffer holds %d samples, file has %d signals", len(dst), r.nsig)
	}
	for i := 0; i < r.nsig; i++ {
		v, err := r.next()
		if err != nil {
			if err == io.EOF && i > 0 {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		dst[i] = v
	}
	return nil
}

// fill makes at least want bytes available if the file has them and
// returns how many are.
func (r *Reader) fill(want int) int {
	for r.end-r.pos < want && r.err == nil {
		if r.pos > 0 {
			r.end = copy(r.buf, r.buf[r.pos:r.end])
			r.pos = 0
		}
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.err = err
		} else if n == 0 {
			r.err = io.ErrNoProgress
		}
	}
	return r.end - r.pos
}

func (r *Reader) next() (int, error) {
	if r.format == 212 && r.hasHalf {
		r.hasHalf = false
		return r.half, nil
	}
	want := 2
	if r.format == 212 {
		want = 3
	}
	have := r.fill(want)
	if have < want {
		if r.format == 212 && have == 2 && r.err == io.EOF {
			// A file with an odd number of samples ends with the first
			// sample of a pair in two bytes.
			b := r.buf[r.pos:]
			r.pos += 2
			return signExtend12(int(b[0]) | int(b[1]&0x0F)<<8), nil
		}
		err := r.err
		if err == io.EOF && have > 0 {
			err = io.ErrUnexpectedEOF
		}
		r.pos = r.end
		return 0, err
	}
	b := r.buf[r.pos : r.pos+want]
	r.pos += want
	if r.format == 16 {
		return int(int16(uint16(b[0]) | uint16(b[1])<<8)), nil
	}
	r.half = signExtend12(int(b[2]) | int(b[1]&0xF0)<<4)
	r.hasHalf = true
	return signExtend12(int(b[0]) | int(b[1]&0x0F)<<8), nil
}

func signExtend12(v int) int {
	if v&0x800 != 0 {
		return v - 0x1000
	}
	return v
}

// Record is a header with all its samples, as ADC values, one slice per
// signal in header order.
type Record struct {
	Header  Header
	Samples [][]int
}

// Physical returns signal i in physical units, with invalid samples as
// NaN (the gap marker of vitals.Wave).
func (rec *Record) Physical(i int) ([]float64, error) {
	if i < 0 || i >= len(rec.Samples) {
		return nil, fmt.Errorf("wfdb: signal %d: record %s has signals 0..%d", i, rec.Header.Record, len(rec.Samples)-1)
	}
	s := rec.Header.Signals[i]
	bad, hasBad := InvalidSample(s.Format)
	out := make([]float64, len(rec.Samples[i]))
	for k, v := range rec.Samples[i] {
		if hasBad && v == bad {
			out[k] = math.NaN()
			continue
		}
		out[k] = s.Physical(v)
	}
	return out, nil
}

// MaxRecordSamples bounds the samples of all signals together that
// ReadRecord holds (6 Mi samples, 48 MiB as int: a two-signal record at
// 360/s of about 2 h 25 min, far more than the 30-minute MIT-BIH records),
// so neither a header's declared size nor an endless signal file can
// exhaust memory. Longer records are refused with a clear error.
const MaxRecordSamples = 6 << 20

// maxStreamOffset bounds the byte offset skipped at the start of a signal
// file that is not a regular file (a pipe, a device): real offsets are a
// prefix of a few hundred bytes, and skipping a header's huge offset in an
// endless stream would never end.
const maxStreamOffset = 1 << 20

// ReadRecord reads the header NAME.hea and every signal file it names
// from fsys. name may contain a directory ("mitdb/100"); signal file
// names are relative to the header's directory. Signals sharing a file
// must share its format. When the header gives a sample count, reading
// stops there; a shorter file is an error.
func ReadRecord(fsys fs.FS, name string) (*Record, error) {
	hf, err := fsys.Open(name + ".hea")
	if err != nil {
		return nil, fmt.Errorf("wfdb: open header of record %s: %w", name, err)
	}
	h, err := ParseHeader(hf)
	hf.Close()
	if err != nil {
		return nil, fmt.Errorf("wfdb: record %s: %w", name, err)
	}
	if h.NumSignals > 0 && h.NumSamples > MaxRecordSamples/int64(h.NumSignals) {
		return nil, fmt.Errorf("wfdb: record %s: %d signals of %d samples: at most %d samples in all are read", name, h.NumSignals, h.NumSamples, MaxRecordSamples)
	}
	rec := &Record{Header: h, Samples: make([][]int, h.NumSignals)}
	dir := path.Dir(name)
	for first := 0; first < h.NumSignals; {
		// Signals of one file are consecutive in the header (header(5)).
		last := first + 1
		for last < h.NumSignals && h.Signals[last].FileName == h.Signals[first].FileName {
			last++
		}
		if err := readGroup(fsys, path.Join(dir, h.Signals[first].FileName), rec, first, last); err != nil {
			return nil, fmt.Errorf("wfdb: record %s: %w", name, err)
		}
		first = last
	}
	return rec, nil
}

func readGroup(fsys fs.FS, file string, rec *Record, first, last int) error {
	sigs := rec.Header.Signals[first:last]
	for i, s := range sigs {
		if s.Format != sigs[0].Format {
			return fmt.Errorf("signal %d format %d differs from format %d of the other signals in %s", first+i, s.Format, sigs[0].Format, file)
		}
		if s.SamplesPerFrame != 1 {
			return fmt.Errorf("signal %d: %d samples per frame: only 1 is supported", first+i, s.SamplesPerFrame)
		}
	}
	f, err := fsys.Open(file)
	if err != nil {
		return fmt.Errorf("open signal file: %w", err)
	}
	defer f.Close()
	fi, statErr := f.Stat()
	regular := statErr == nil && fi.Mode().IsRegular()
	if off := sigs[0].ByteOffset; regular && off > fi.Size() {
		return fmt.Errorf("%s: the header's byte offset %d is past the end of the %d-byte file", file, off, fi.Size())
	} else if !regular && off > maxStreamOffset {
		return fmt.Errorf("%s: byte offset %d in a file of unknown length: at most %d skipped", file, off, maxStreamOffset)
	}
	if off := sigs[0].ByteOffset; off > 0 {
		if _, err := io.CopyN(io.Discard, f, off); err != nil {
			return fmt.Errorf("skip %d-byte offset of %s: %w", off, file, err)
		}
	}
	rd, err := NewReader(f, sigs[0].Format, len(sigs))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	want := rec.Header.NumSamples
	// Never size buffers from the header alone: a regular file tells how
	// many frames it can hold, and a header claiming more is refused now;
	// a stream of unknown length grows its buffers up to the record limit.
	limit := int64(MaxRecordSamples / rec.Header.NumSignals)
	capacity := want
	if regular {
		frames := framesIn(fi.Size()-sigs[0].ByteOffset, sigs[0].Format, len(sigs))
		if want > frames {
			return fmt.Errorf("%s: the header declares %d samples per signal, the file holds %d", file, want, frames)
		}
		if want == 0 {
			capacity = frames
		}
	}
	if capacity == 0 || capacity > limit {
		// Unknown length (a pipe or device): room for the most that will be
		// read, once, rather than repeated growth (about twice the memory).
		capacity = limit
	}
	for i := first; i < last; i++ {
		rec.Samples[i] = make([]int, 0, capacity)
	}
	frame := make([]int, len(sigs))
	var n int64
	for want == 0 || n < want {
		err := rd.ReadFrame(frame)
		if errors.Is(err, io.EOF) && want == 0 {
			break
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("%s: frame %d of %d: %w", file, n, want, err)
		}
		if n >= limit {
			return fmt.Errorf("%s: more than %d samples per signal (%d in all for %d signals): not read further", file, limit, MaxRecordSamples, rec.Header.NumSignals)
		}
		for k, v := range frame {
			rec.Samples[first+k] = append(rec.Samples[first+k], v)
		}
		n++
	}
	return nil
}

// framesIn is how many whole frames of nsig signals size bytes hold.
func framesIn(size int64, format, nsig int) int64 {
	if size <= 0 {
		return 0
	}
	if format == 212 {
		// 3 bytes per pair of samples; an odd final sample takes 2.
		samples := size / 3 * 2
		if size%3 == 2 {
			samples++
		}
		return samples / int64(nsig)
	}
	return size / int64(2*nsig)
}
