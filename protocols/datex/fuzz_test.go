package datex

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder feeds arbitrary bytes: the decoder must never panic; the
// input whole, one byte at a time and split in two must give the same
// records, observations, waves and stats; and every record it delivers
// must map to vitals and re-encode.
func FuzzDecoder(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.bin"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		// Windows of at most 512 bytes: the fuzzer minimises every new
		// input, and whole recordings make that take minutes.
		for off := 0; off < len(b); off += 1024 {
			w := b[off:min(off+512, len(b))]
			f.Add(w, uint16(len(w)/2))
		}
	}
	f.Add(codectest.Unhex(f, phdbRequestHex), uint16(10))
	f.Add([]byte{0x7E, 0x7D, 0x7E, 0x7D, 0x5E, 0x7E}, uint16(1))

	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
		codectest.Fuzz(t, newCodec, data, int(split), codectest.Splits{Records: "records", Copy: reencode(t)})
	})
}
