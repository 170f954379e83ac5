package ansarb

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder checks that no input panics the decoder or the mappings, that
// one byte at a time and a cut in two give the messages of the whole
// buffer, and that every message encodes to bytes that decode to the same
// message. Seeds: the recorded stream under testdata/ and the reference
// message.
func FuzzDecoder(f *testing.F) {
	codectest.AddRecordings(f, "ivy450c.bin")
	f.Add(reference())
	f.Add(append(reference()[:300], reference()...))
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzRecords(f, newCodec, codectest.Splits{Records: "messages"}, func(t *testing.T, r any) {
		m := r.(Message)
		again, st := decodeChunks(AppendMessage(nil, m))
		require.Equal(t, []Message{m}, again, "a decoded message re-encodes to the same message")
		require.Zero(t, st.TotalErrors(), "a re-encoded message decodes without errors")
	})
}

// BenchmarkDecode measures decoding of the recorded stream (waves included).
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "ivy450c.bin", goldenStream), nil)
}
