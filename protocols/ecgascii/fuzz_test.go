package ecgascii

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecoder checks that no input panics the decoder, that any split gives
// the same samples, and that every sample is in the documented range.
// Seeds: the recorded stream under testdata/ and the conformance vectors.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "ad8232.txt")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"512\r\n", "!\r\n", "1\n2\r3\r\n", "-\r\n", "\x00\xff\r\n", "99999999999999999999999999999999999\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, ws := decodeChunks(b)
		bytewise, bs := decodeBytewise(b)
		require.Equal(t, whole, bytewise)
		require.Equal(t, ws, bs)
		assert.Equal(t, uint64(len(whole)), ws.Records)
		for _, s := range whole {
			if !s.LeadOff {
				require.GreaterOrEqual(t, s.Value, MinValue)
				require.LessOrEqual(t, s.Value, MaxValue)
			}
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	stream, err := os.ReadFile(filepath.Join("testdata", "ad8232.txt"))
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
