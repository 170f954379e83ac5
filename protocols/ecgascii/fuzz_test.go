package ecgascii

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder checks that no input panics the decoder, that one byte at a
// time and a cut in two give the samples of the whole buffer, and that
// every sample is in the documented range.
// Seeds: the recorded stream under testdata/ and the conformance vectors.
func FuzzDecoder(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "ad8232.txt")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"512\r\n", "!\r\n", "1\n2\r3\r\n", "-\r\n", "\x00\xff\r\n", "99999999999999999999999999999999999\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
		for _, r := range codectest.Fuzz(t, newCodec, b, len(b)/2, codectest.Splits{Records: "samples"}) {
			s := r.(Sample)
			if !s.LeadOff {
				require.GreaterOrEqual(t, s.Value, MinValue, "a sample below the ADC range")
				require.LessOrEqual(t, s.Value, MaxValue, "a sample above the ADC range")
			}
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "ad8232.txt", goldenStream), nil)
}
