package masimo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecoder checks that no input panics the decoder, that one byte at a
// time gives the records of the whole buffer, and that encoding a decoded
// record and decoding it again gives the same observations.
// Seeds: the recorded stream under testdata/ and the reference line.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "radical7.txt")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(exampleLine))
	f.Add([]byte("SPO2=---% BPM=abc EXC=zz\r\n\x00\xff\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, ws := decodeChunks(b)
		bytewise, bs := decodeBytewise(b)
		require.Equal(t, whole, bytewise)
		require.Equal(t, ws, bs)
		assert.Equal(t, uint64(len(whole)), ws.Records)
		for _, r := range whole {
			again, _ := decodeChunks(AppendLine(nil, r))
			require.Len(t, again, 1)
			require.Equal(t, Quality(r.Exc), Quality(again[0].Exc))
			require.Equal(t, r.SpO2.Present, again[0].SpO2.Present)
			require.Equal(t, r.BPM.Present, again[0].BPM.Present)
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	stream, err := os.ReadFile(filepath.Join("testdata", "radical7.txt"))
	require.NoError(b, err)
	d := NewDecoder()
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		d.Feed(stream)
		for d.Scan() {
		}
	}
}
