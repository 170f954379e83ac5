package hl7

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder checks that no input panics the decoder, the mapping or the
// ACK builder; that one byte at a time and a cut in two give the messages
// of the whole buffer; and that every decoded message encodes to a frame
// that decodes to the same message. Seeds: the recorded stream under
// testdata/ and the reference message.
func FuzzDecoder(f *testing.F) {
	codectest.AddRecordings(f, "oru.mllp")
	f.Add(frame(pcd01))
	f.Add(frame("MSH#*!$%#A\rOBX#1#NM#8867-4*HR*LN##\\X0D\\88#/min"))
	f.Add(frame("MSH|^~\\&|A\rOBX|1|SN|8867-4^HR^LN||>^300|/min|||||F|||2026022910"))
	h := NewHost(codec.Config{})
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzRecords(f, newCodec, codectest.Splits{Records: "messages"}, func(t *testing.T, r any) {
		m := r.(Message)
		frame := AppendFrame(nil, m)
		again, st := decodeChunks(frame)
		require.Len(t, again, 1, "re-encoded message must decode")
		require.Equal(t, m, again[0])
		_, _, garbled, err := parseMessage(frame[1 : len(frame)-2])
		require.NoError(t, err)
		require.Equal(t, uint64(min(garbled, 1)), st.TotalErrors(), "a re-encoded message counts at most one error, for garbled segments or unreadable vital values: %+v", st)
		_ = Observations(m, now)
		for _, ack := range h.Received(m, now) {
			acks, _ := decodeChunks(ack)
			require.Len(t, acks, 1, "our ACK must decode")
		}
	})
}

// BenchmarkDecode measures MLLP deframing and parsing of the recorded stream.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), codectest.Recording(b, "oru.mllp", goldenStream), nil)
}
