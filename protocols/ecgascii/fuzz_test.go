package ecgascii

import (
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
	codectest.AddRecordings(f, "ad8232.txt")
	for _, s := range []string{"512\r\n", "!\r\n", "1\n2\r3\r\n", "-\r\n", "\x00\xff\r\n", "99999999999999999999999999999999999\r\n"} {
		f.Add([]byte(s))
	}
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzRecords(f, newCodec, codectest.Splits{Records: "samples"}, func(t *testing.T, r any) {
		if s := r.(Sample); !s.LeadOff {
			require.GreaterOrEqual(t, s.Value, MinValue, "a sample below the ADC range")
			require.LessOrEqual(t, s.Value, MaxValue, "a sample above the ADC range")
		}
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "ad8232.txt", goldenStream), nil)
}
