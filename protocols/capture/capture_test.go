package capture

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func sampleHeader() Header {
	return Header{Protocol: "masimo", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1, Start: t0, DeviceID: "spo2-1"}
}

func sampleChunks() []Chunk {
	return []Chunk{
		{Time: t0.Add(1 * time.Millisecond), Dir: FromDevice, Data: []byte("03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064\r\n")},
		{Time: t0.Add(2 * time.Millisecond), Dir: ToDevice, Data: []byte{0x7e, 0x7d, 0x5e, 0x7e}},
		{Time: t0.Add(1 * time.Second), Dir: FromDevice, Data: []byte{0x00}},
	}
}

func encode(t *testing.T, h Header, chunks []Chunk) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	require.NoError(t, err)
	for _, c := range chunks {
		require.NoError(t, w.Write(c))
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

func readAll(r *Reader) ([]Chunk, error) {
	var out []Chunk
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		c.Data = bytes.Clone(c.Data)
		out = append(out, c)
	}
}

func TestWrittenChunksReadBackWithHeaderTimesAndDirections(t *testing.T) {
	b := encode(t, sampleHeader(), sampleChunks())
	r, err := NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, sampleHeader(), r.Header())
	got, err := readAll(r)
	require.NoError(t, err)
	assert.Equal(t, sampleChunks(), got)
}

func TestGoldenFilePinsTheByteLayout(t *testing.T) {
	b := encode(t, sampleHeader(), sampleChunks())
	path := filepath.Join("testdata", "sample.cap")
	if *update {
		require.NoError(t, os.WriteFile(path, b, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, b, "the writer's bytes differ from testdata/sample.cap; the format changed (run with -update only if that is intended and docs/capture-format.md says so)")
}

func TestAFileCutAnywhereInsideAChunkReportsTruncation(t *testing.T) {
	full := encode(t, sampleHeader(), sampleChunks())
	hdrEnd := len(encode(t, sampleHeader(), nil))
	// Chunk boundaries: a cut exactly there is a clean (shorter) file.
	boundaries := map[int]bool{hdrEnd: true}
	off := hdrEnd
	for _, c := range sampleChunks() {
		off += chunkHead + len(c.Data) + 4
		boundaries[off] = true
	}
	for cut := hdrEnd; cut < len(full); cut++ {
		r, err := NewReader(bytes.NewReader(full[:cut]))
		require.NoError(t, err)
		_, err = readAll(r)
		if boundaries[cut] {
			assert.NoError(t, err, "cut at %d is on a chunk boundary", cut)
		} else {
			assert.ErrorIs(t, err, ErrTruncated, "cut at %d", cut)
		}
	}
}

func TestAFlippedBitIsCaughtByTheChunkCRC(t *testing.T) {
	full := encode(t, sampleHeader(), sampleChunks())
	hdrEnd := len(encode(t, sampleHeader(), nil))
	for i := hdrEnd + chunkHead; i < hdrEnd+chunkHead+10; i++ {
		b := bytes.Clone(full)
		b[i] ^= 0x01
		r, err := NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		_, err = readAll(r)
		assert.ErrorIs(t, err, ErrCorrupt, "bit flipped at byte %d", i)
	}
}

func TestHeaderProblemsAreNamed(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		want  error
	}{
		{"a raw dump is not a capture file", []byte("SPO2=097% BPM=064\r\n"), ErrNotCapture},
		{"an empty file is not a capture file", nil, ErrNotCapture},
		{"a file cut inside the header is truncated", encode(t, sampleHeader(), nil)[:20], ErrTruncated},
		{"a huge header length is corrupt", append([]byte("LVCAP\x00\x01\x00"), 0xff, 0xff, 0xff, 0x7f), ErrCorrupt},
		{"a header that is not JSON is corrupt", append([]byte("LVCAP\x00\x01\x00"), 2, 0, 0, 0, '{', '{'), ErrCorrupt},
		{"a header without protocol is corrupt", append([]byte("LVCAP\x00\x01\x00"), 2, 0, 0, 0, '{', '}'), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tt.input))
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestAnOtherVersionIsRefusedWithBothVersionsNamed(t *testing.T) {
	b := encode(t, sampleHeader(), nil)
	b[6] = 9
	_, err := NewReader(bytes.NewReader(b))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "version 9")
}

func TestTheWriterRefusesBadInputInsteadOfWritingAnUnreadableFile(t *testing.T) {
	_, err := NewWriter(io.Discard, Header{})
	assert.ErrorContains(t, err, "protocol is empty")
	w, err := NewWriter(io.Discard, sampleHeader())
	require.NoError(t, err)
	assert.ErrorContains(t, w.Write(Chunk{Dir: 7, Data: []byte{1}}), "direction 7")
}

func TestAChunkLongerThanTheLimitIsSplit(t *testing.T) {
	big := bytes.Repeat([]byte{0xAB}, MaxChunk+10)
	b := encode(t, sampleHeader(), []Chunk{{Time: t0, Dir: FromDevice, Data: big}})
	r, err := NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	got, err := readAll(r)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Len(t, got[0].Data, MaxChunk)
	assert.Len(t, got[1].Data, 10)
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestAWriteErrorIsReportedAndSticks(t *testing.T) {
	w, err := NewWriter(failWriter{}, sampleHeader())
	require.NoError(t, err) // buffered
	require.NoError(t, w.Write(sampleChunks()[0]))
	assert.ErrorContains(t, w.Flush(), "disk full")
	assert.ErrorContains(t, w.Write(sampleChunks()[0]), "disk full")
}

func TestIsCaptureLooksOnlyAtTheMagic(t *testing.T) {
	assert.True(t, IsCapture([]byte("LVCAP\x00")))
	assert.False(t, IsCapture([]byte("LVCAP")))
	assert.False(t, IsCapture([]byte{0x7e, 0x00}))
}

func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.cap"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("LVCAP\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		for range 1000 {
			c, err := r.Next()
			if err != nil {
				return
			}
			if len(c.Data) > MaxChunk {
				t.Fatalf("chunk of %d bytes exceeds MaxChunk", len(c.Data))
			}
		}
	})
}

// Every truncation error says where the file ends (inside the magic, the
// header or chunk N) and still wraps ErrTruncated.
func TestATruncationSaysWhereTheFileEnds(t *testing.T) {
	full := encode(t, sampleHeader(), sampleChunks())
	hdrEnd := len(encode(t, sampleHeader(), nil))
	jsonLen := hdrEnd - magicLen - 4
	chunk2 := hdrEnd + chunkHead + len(sampleChunks()[0].Data) + 4
	tests := []struct {
		name string
		cut  int
		want string
	}{
		{"inside the version", 7, "capture: file ends inside the magic, after 7 of 8 bytes"},
		{"inside the header length", 10, "capture: file ends inside the header length, after 2 of 4 bytes"},
		{"inside the header JSON", 20, fmt.Sprintf("capture: file ends inside the header, after 8 of %d bytes", jsonLen)},
		{"inside the first chunk's head", hdrEnd + 5, fmt.Sprintf("capture: file ends inside chunk 1 (at byte %d), after 5 of 13 head bytes", hdrEnd)},
		{"inside the second chunk's data", chunk2 + chunkHead + 2, fmt.Sprintf("capture: file ends inside chunk 2 (at byte %d), after 2 of %d data and CRC bytes", chunk2, len(sampleChunks()[1].Data)+4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(full[:tt.cut]))
			if err == nil {
				_, err = readAll(r)
			}
			require.ErrorIs(t, err, ErrTruncated)
			assert.Equal(t, tt.want+": truncated recording", err.Error())
		})
	}
}
