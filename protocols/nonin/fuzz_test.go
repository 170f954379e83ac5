package nonin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecoder checks both formats: no panic on any input, one byte at a
// time gives the records of the whole buffer, every packet re-encodes to
// bytes that decode to the same packet, and little stays buffered.
// Seeds: the recorded DF2 and DF8 streams under testdata/ and the vectors.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "df2.bin")); err == nil {
		f.Add(b)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "df8.bin")); err == nil {
		f.Add(b)
	}
	f.Add(AppendPacket(nil, normal()))
	f.Add([]byte{0x81, 0x04, 0x60, 0x00, 0xC3, 0x7F, 0x7F, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		whole, ws := decodeChunks(b)
		bw, bs := decodeChunks(bytewise(b)...)
		require.Equal(t, whole, bw)
		require.Equal(t, ws, bs)
		assert.Equal(t, uint64(len(whole)), ws.Records)
		for _, p := range whole {
			again, _ := decodeChunks(AppendPacket(nil, p))
			require.Equal(t, []Packet{p}, again)
			_ = Observations(p, host)
			_ = Waves(p, host)
		}
		w8, s8 := decode8Chunks(b)
		b8, bs8 := decode8Chunks(bytewise(b)...)
		require.Equal(t, w8, b8)
		require.Equal(t, s8, bs8)
		for _, f := range w8 {
			require.Equal(t, AppendFrame8(nil, f), AppendFrame8(nil, NewFrame8(f.HR(), int(f.SpO2), f.Status, f.Status2)))
			_ = Observations8(f, host)
		}
	})
}

// BenchmarkDecode measures DF2 decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	stream, err := os.ReadFile(filepath.Join("testdata", "df2.bin"))
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
