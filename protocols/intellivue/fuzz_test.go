package intellivue

import (
	"testing"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
)

// FuzzDecoder feeds arbitrary bytes: the decoder must never panic; the
// input whole, one byte at a time and split in two must give the same
// records, observations, waves and stats; and every record it delivers
// must map to vitals and re-encode.
func FuzzDecoder(f *testing.F) {
	codectest.AddRecordingWindows(f)
	f.Add(frame(f, &PollRequest{InvokeID: 1, Extended: true, PollNumber: 1, Partition: 1, ObjectType: ClassNumeric, Period: 240000}), uint16(7))
	f.Add([]byte{0xC0, 0x11, 0x01, 0x00, 0x00, 0x7D, 0xC1, 0xC0, 0xC1}, uint16(3))

	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzSplits(f, newCodec, func(t *testing.T) codectest.Splits {
		return codectest.Splits{Records: "records", Copy: reencode(t)}
	})
}
