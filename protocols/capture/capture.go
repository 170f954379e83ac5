// Package capture reads and writes the workstation's recorded-stream file
// format: a header naming the protocol, the serial line settings, the start
// time and the device, followed by timestamped chunks of bytes with their
// direction (from the device or to it). Recordings made by `triagectl
// record` are replayed by `triagectl replay` and decoded by `triagectl
// decode`; docs/capture-format.md is the byte-level description.
//
// Layout (all integers little-endian):
//
//	magic    8 bytes  "LVCAP\x00" + version u16 (1)
//	hdrlen   u32      length of the JSON header that follows (at most 64 KiB)
//	header   JSON     {"protocol":..,"baud":..,"data_bits":..,"parity":..,"stop_bits":..,"start":..,"device_id":..}
//	chunk*   dir u8 (1 from device, 2 to device) | time i64 (Unix ns, host clock)
//	         | len u32 (at most MaxChunk) | data | crc u32 (CRC-32/IEEE of dir..data)
//
// The CRC per chunk lets a reader tell a damaged file from a truncated one;
// the reader never trusts a length before checking it against MaxChunk, so a
// hostile file cannot make it allocate more than MaxChunk bytes.
package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
	"time"
)

// Version is the format version this package writes and reads.
const Version = 1

// MaxChunk is the largest data length of one chunk. A serial read never
// returns more than a few kilobytes; the limit keeps a damaged length field
// from making the reader allocate without bound.
const MaxChunk = 1 << 20

// maxHeader bounds the JSON header for the same reason.
const maxHeader = 64 << 10

// magicPrefix opens every capture file; the version follows it.
var magicPrefix = []byte("LVCAP\x00")

// magicLen is the length of the magic including the version.
const magicLen = 8

// chunkHead is dir u8 + time i64 + len u32.
const chunkHead = 1 + 8 + 4

// Errors the reader returns; test with errors.Is.
var (
	// ErrNotCapture means the input does not start with the capture magic.
	ErrNotCapture = errors.New("capture: not a capture file (magic \"LVCAP\" missing)")
	// ErrTruncated means the file ends inside the magic, the header or a
	// chunk, as a recording cut short by a crash or a full disk does. The
	// wrapping error says where ("capture: file ends inside chunk 3 ..."),
	// so this text only names the kind.
	ErrTruncated = errors.New("truncated recording")
	// ErrCorrupt means a chunk's CRC, direction or length is wrong.
	ErrCorrupt = errors.New("capture: damaged chunk")
)

// Direction says which way a chunk travelled on the line.
type Direction uint8

// Directions of a chunk.
const (
	FromDevice Direction = 1 // bytes the device sent to the host (received)
	ToDevice   Direction = 2 // bytes the host sent to the device (requests, ACKs)
)

// String returns "rx" for FromDevice and "tx" for ToDevice.
func (d Direction) String() string {
	switch d {
	case FromDevice:
		return "rx"
	case ToDevice:
		return "tx"
	}
	return fmt.Sprintf("direction(%d)", uint8(d))
}

// Header describes a recording.
type Header struct {
	Protocol string    `json:"protocol"`            // protocol package name, e.g. "datex"
	Baud     int       `json:"baud,omitempty"`      // line settings the port was opened with
	DataBits int       `json:"data_bits,omitempty"` // 5..8
	Parity   string    `json:"parity,omitempty"`    // "N", "E", "O", "M" or "S"
	StopBits int       `json:"stop_bits,omitempty"` // 1 or 2
	Start    time.Time `json:"start"`               // host time when recording began
	DeviceID string    `json:"device_id,omitempty"` // the device's configured id
	Note     string    `json:"note,omitempty"`      // free text (e.g. which scenario produced it)
}

// Chunk is one read from, or one write to, the line.
type Chunk struct {
	Time time.Time // host time of the read or write
	Dir  Direction
	Data []byte
}

// IsCapture reports whether prefix (the first bytes of a file) starts with
// the capture magic. It needs at least 6 bytes to say yes.
func IsCapture(prefix []byte) bool {
	return len(prefix) >= len(magicPrefix) && bytes.Equal(prefix[:len(magicPrefix)], magicPrefix)
}

// Writer appends chunks to a capture stream. It is safe for concurrent use,
// so one recorder can take both directions from different goroutines.
type Writer struct {
	mu  sync.Mutex
	bw  *bufio.Writer
	buf []byte
	err error
}

// NewWriter writes the magic and the header to w and returns a Writer for
// the chunks. Call Flush (or Close of the underlying file after Flush) to
// make sure everything reached w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if h.Protocol == "" {
		return nil, errors.New("capture: header protocol is empty; name the protocol package (e.g. datex)")
	}
	js, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("capture: encoding header: %w", err)
	}
	if len(js) > maxHeader {
		return nil, fmt.Errorf("capture: header is %d bytes, at most %d accepted", len(js), maxHeader)
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	var pre [magicLen + 4]byte
	copy(pre[:], magicPrefix)
	binary.LittleEndian.PutUint16(pre[6:], Version)
	binary.LittleEndian.PutUint32(pre[8:], uint32(len(js)))
	if _, err := bw.Write(pre[:]); err != nil {
		return nil, fmt.Errorf("capture: writing magic: %w", err)
	}
	if _, err := bw.Write(js); err != nil {
		return nil, fmt.Errorf("capture: writing header: %w", err)
	}
	return &Writer{bw: bw}, nil
}

// Write appends one chunk. Empty chunks are skipped; a chunk longer than
// MaxChunk is split. The first write error is sticky.
func (w *Writer) Write(c Chunk) error {
	if c.Dir != FromDevice && c.Dir != ToDevice {
		return fmt.Errorf("capture: chunk direction %d, want 1 (from device) or 2 (to device)", c.Dir)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(c.Data) > 0 && w.err == nil {
		n := min(len(c.Data), MaxChunk)
		w.writeOne(c.Time, c.Dir, c.Data[:n])
		c.Data = c.Data[n:]
	}
	return w.err
}

func (w *Writer) writeOne(t time.Time, dir Direction, p []byte) {
	b := w.buf[:0]
	b = append(b, byte(dir))
	b = binary.LittleEndian.AppendUint64(b, uint64(t.UnixNano()))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
	b = append(b, p...)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	w.buf = b
	if _, err := w.bw.Write(b); err != nil {
		w.err = fmt.Errorf("capture: writing chunk: %w", err)
	}
}

// Flush writes buffered chunks to the underlying writer.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("capture: flushing: %w", err)
	}
	return w.err
}

// Reader reads a capture stream chunk by chunk; it holds one chunk in
// memory at a time, so recordings of any length stream.
type Reader struct {
	br     *bufio.Reader
	h      Header
	buf    []byte
	offset int64 // bytes consumed, for error messages
	chunks int   // chunks read, for error messages
}

// NewReader reads and checks the magic and the header.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var pre [magicLen + 4]byte
	n, err := io.ReadFull(br, pre[:])
	if !IsCapture(pre[:n]) {
		return nil, ErrNotCapture
	}
	if err != nil {
		if n < magicLen {
			return nil, fmt.Errorf("capture: file ends inside the magic, after %d of %d bytes: %w", n, magicLen, ErrTruncated)
		}
		return nil, fmt.Errorf("capture: file ends inside the header length, after %d of 4 bytes: %w", n-magicLen, ErrTruncated)
	}
	if v := binary.LittleEndian.Uint16(pre[6:]); v != Version {
		return nil, fmt.Errorf("capture: format version %d, this reader knows version %d", v, Version)
	}
	hl := binary.LittleEndian.Uint32(pre[8:])
	if hl > maxHeader {
		return nil, fmt.Errorf("capture: header length %d, at most %d accepted: %w", hl, maxHeader, ErrCorrupt)
	}
	js := make([]byte, hl)
	if n, err := io.ReadFull(br, js); err != nil {
		return nil, fmt.Errorf("capture: file ends inside the header, after %d of %d bytes: %w", n, hl, ErrTruncated)
	}
	rd := &Reader{br: br, offset: int64(len(pre)) + int64(hl)}
	if err := json.Unmarshal(js, &rd.h); err != nil {
		return nil, fmt.Errorf("capture: header is not valid JSON: %v: %w", err, ErrCorrupt)
	}
	if rd.h.Protocol == "" {
		return nil, fmt.Errorf("capture: header names no protocol: %w", ErrCorrupt)
	}
	return rd, nil
}

// Header returns the recording's header.
func (r *Reader) Header() Header { return r.h }

// Next returns the next chunk. Its Data is valid until the next call. At a
// clean end of file it returns io.EOF; a file cut inside a chunk gives an
// error wrapping ErrTruncated, a damaged chunk one wrapping ErrCorrupt.
func (r *Reader) Next() (Chunk, error) {
	var head [chunkHead]byte
	n, err := io.ReadFull(r.br, head[:])
	if err == io.EOF {
		return Chunk{}, io.EOF
	}
	if err != nil {
		return Chunk{}, fmt.Errorf("capture: file ends inside chunk %d (at byte %d), after %d of %d head bytes: %w", r.chunks+1, r.offset, n, chunkHead, ErrTruncated)
	}
	dir := Direction(head[0])
	if dir != FromDevice && dir != ToDevice {
		return Chunk{}, fmt.Errorf("capture: chunk at byte %d has direction %d, want 1 or 2: %w", r.offset, head[0], ErrCorrupt)
	}
	ns := int64(binary.LittleEndian.Uint64(head[1:]))
	l := binary.LittleEndian.Uint32(head[9:])
	if l > MaxChunk {
		return Chunk{}, fmt.Errorf("capture: chunk at byte %d claims %d bytes, at most %d accepted: %w", r.offset, l, MaxChunk, ErrCorrupt)
	}
	need := int(l) + 4
	if cap(r.buf) < need {
		r.buf = make([]byte, need)
	}
	body := r.buf[:need]
	if n, err := io.ReadFull(r.br, body); err != nil {
		return Chunk{}, fmt.Errorf("capture: file ends inside chunk %d (at byte %d), after %d of %d data and CRC bytes: %w", r.chunks+1, r.offset, n, need, ErrTruncated)
	}
	crc := crc32.NewIEEE()
	crc.Write(head[:])
	crc.Write(body[:l])
	if got, want := crc.Sum32(), binary.LittleEndian.Uint32(body[l:]); got != want {
		return Chunk{}, fmt.Errorf("capture: chunk at byte %d: CRC %08x, stored %08x: %w", r.offset, got, want, ErrCorrupt)
	}
	r.offset += int64(chunkHead + need)
	r.chunks++
	return Chunk{Time: time.Unix(0, ns).UTC(), Dir: dir, Data: body[:l]}, nil
}
