package ansarb

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecoder checks that no input panics the decoder or the mappings, that
// one byte at a time gives the messages of the whole buffer, and that every
// message encodes to bytes that decode to the same message. Seeds: the
// recorded stream under testdata/ and the reference message.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "ivy450c.bin")); err == nil {
		f.Add(b)
	}
	f.Add(reference())
	f.Add(append(reference()[:300], reference()...))
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, ws := decodeChunks(b)
		bw, bs := decodeChunks(bytewise(b)...)
		require.Equal(t, whole, bw)
		require.Equal(t, ws, bs)
		assert.Equal(t, uint64(len(whole)), ws.Records)
		for _, m := range whole {
			again, st := decodeChunks(AppendMessage(nil, m))
			require.Equal(t, []Message{m}, again)
			require.Zero(t, st.TotalErrors())
			_ = Observations(m, host)
			_ = Waves(m, host)
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream (waves included).
func BenchmarkDecode(b *testing.B) {
	stream, err := os.ReadFile(filepath.Join("testdata", "ivy450c.bin"))
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
