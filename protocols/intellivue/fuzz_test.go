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

// FuzzUserData frames any user data with its correct FCS, so that the
// fuzzer's mutations reach the message parser behind the checksum (in
// FuzzDecoder nearly every mutation breaks the FCS and ends there). The
// frame must not panic the decoder; whole, a byte at a time and cut in
// two it gives the same records; each record encodes again. Seeds: the
// user data of the first records of each recording.
func FuzzUserData(f *testing.F) {
	codectest.FuzzBehindChecksum(f, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) },
		func(rec any) ([]byte, error) { return rec.(Record).appendUserData(nil) },
		func(ud []byte) ([]byte, bool) {
			fr, err := AppendUserDataFrame(nil, ud)
			return fr, err == nil // more than MaxUserData: no frame to send
		},
		func(t *testing.T) codectest.Splits { return codectest.Splits{Records: "records", Copy: reencode(t)} })
}
