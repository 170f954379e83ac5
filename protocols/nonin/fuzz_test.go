package nonin

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder checks both formats: no panic on any input, one byte at a
// time and a cut in two give the records of the whole buffer, every packet
// re-encodes to bytes that decode to the same packet, and every DF8 record
// re-encodes from its values.
// Seeds: the recorded DF2 and DF8 streams under testdata/ and the vectors.
func FuzzDecoder(f *testing.F) {
	codectest.AddRecordings(f, "df2.bin", "df8.bin")
	f.Add(AppendPacket(nil, normal()))
	f.Add([]byte{0x81, 0x04, 0x60, 0x00, 0xC3, 0x7F, 0x7F, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		df2 := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
		for _, r := range codectest.Fuzz(t, df2, b, len(b)/2, codectest.Splits{Records: "packets"}) {
			p := r.(Packet)
			again, _ := decodeChunks(AppendPacket(nil, p))
			require.Equal(t, []Packet{p}, again, "a decoded packet re-encodes to the same packet")
		}
		df8 := func() codec.Decoder { return NewCodecFormat8(codec.Config{DeviceID: "fuzz"}) }
		for _, r := range codectest.Fuzz(t, df8, b, len(b)/2, codectest.Splits{Records: "DF8 records"}) {
			f := r.(Frame8)
			require.Equal(t, AppendFrame8(nil, f), AppendFrame8(nil, NewFrame8(f.HR(), int(f.SpO2), f.Status, f.Status2)), "a DF8 record re-encodes from its values")
		}
	})
}

// BenchmarkDecode measures DF2 decoding of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "df2.bin", goldenStream), nil)
}
