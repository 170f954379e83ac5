package masimo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder checks that no input panics the decoder, that one byte at a
// time and a cut in two give the records of the whole buffer, and that
// encoding a decoded record and decoding it again gives the same
// observations. Seeds: the recorded stream under testdata/ and the
// reference line.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "radical7.txt")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(exampleLine))
	f.Add([]byte("SPO2=---% BPM=abc EXC=zz\r\n\x00\xff\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
		for _, rec := range codectest.Fuzz(t, newCodec, b, len(b)/2, codectest.Splits{Records: "records"}) {
			r := rec.(Record)
			again, _ := decodeChunks(AppendLine(nil, r))
			require.Len(t, again, 1, "a decoded record re-encodes to one line")
			require.Equal(t, Quality(r.Exc), Quality(again[0].Exc), "quality survives re-encoding")
			require.Equal(t, r.SpO2.Present, again[0].SpO2.Present, "SpO2 presence survives re-encoding")
			require.Equal(t, r.BPM.Present, again[0].BPM.Present, "pulse rate presence survives re-encoding")
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "radical7.txt", goldenStream), nil)
}
