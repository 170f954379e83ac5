package datex

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
)

// FuzzDecoder feeds arbitrary bytes: the decoder must never panic, must
// give the same records whether the input comes whole or split in two,
// and every record it delivers must map to vitals and re-encode.
func FuzzDecoder(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.bin"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b, uint16(len(b)/2))
	}
	f.Add(unhex(f, phdbRequestHex), uint16(10))
	f.Add([]byte{0x7E, 0x7D, 0x7E, 0x7D, 0x5E, 0x7E}, uint16(1))

	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		whole := decodeAll(t, &Decoder{}, data)
		cut := int(split) % (len(data) + 1)
		var d Decoder
		parts := decodeAll(t, &d, data[:cut], data[cut:])
		require.Equal(t, whole, parts, "split at %d", cut)

		c := NewCodec(codec.Config{DeviceID: "fuzz"})
		c.Feed(data)
		for c.Scan() {
			c.Observations(time.Time{})
			c.Waves(time.Time{})
		}
		s := c.Stats()
		require.Equal(t, uint64(len(data)), s.Bytes)
		require.Equal(t, uint64(len(whole)), s.Records)
	})
}
