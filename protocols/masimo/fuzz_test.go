package masimo

import (
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
	codectest.AddRecordings(f, "radical7.txt")
	f.Add([]byte(exampleLine))
	f.Add([]byte("SPO2=---% BPM=abc EXC=zz\r\n\x00\xff\r\n"))
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzRecords(f, newCodec, codectest.Splits{Records: "records"}, func(t *testing.T, rec any) {
		r := rec.(Record)
		again, _ := decodeChunks(AppendLine(nil, r))
		require.Len(t, again, 1, "a decoded record re-encodes to one line")
		require.Equal(t, Quality(r.Exc), Quality(again[0].Exc), "quality survives re-encoding")
		require.Equal(t, r.SpO2.Present, again[0].SpO2.Present, "SpO2 presence survives re-encoding")
		require.Equal(t, r.BPM.Present, again[0].BPM.Present, "pulse rate presence survives re-encoding")
	})
}

// BenchmarkDecode measures decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "radical7.txt", goldenStream), nil)
}
