package intellivue

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
	f.Add(frame(f, &PollRequest{InvokeID: 1, Extended: true, PollNumber: 1, Partition: 1, ObjectType: ClassNumeric, Period: 240000}), uint16(7))
	f.Add([]byte{0xC0, 0x11, 0x01, 0x00, 0x00, 0x7D, 0xC1, 0xC0, 0xC1}, uint16(3))

	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
		codectest.Fuzz(t, newCodec, data, int(split), codectest.Splits{Records: "records", Copy: reencode(t)})
	})
}
