package datex

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
	f.Add(codectest.Unhex(f, phdbRequestHex), uint16(10))
	f.Add([]byte{0x7E, 0x7D, 0x7E, 0x7D, 0x5E, 0x7E}, uint16(1))
	alarm, err := AppendFrame(nil, sampleAlarm())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(alarm, uint16(100))

	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	codectest.FuzzSplits(f, newCodec, func(t *testing.T) codectest.Splits {
		return codectest.Splits{Records: "records", Copy: reencode(t)}
	})
}

// FuzzRecordBytes frames any record bytes with their correct checksum,
// so that the fuzzer's mutations reach the record parser behind it (in
// FuzzDecoder nearly every mutation breaks the checksum and ends there).
// The frame must not panic the decoder; whole, a byte at a time and cut in
// two it gives the same records; each record encodes again. Seeds: the
// first records of each recording, unescaped.
func FuzzRecordBytes(f *testing.F) {
	codectest.FuzzBehindChecksum(f, func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) },
		func(rec any) ([]byte, error) { return AppendRecord(nil, rec.(Record)) },
		func(rec []byte) ([]byte, bool) { return appendEscapedFrame(nil, rec), true },
		func(t *testing.T) codectest.Splits { return codectest.Splits{Records: "records", Copy: reencode(t)} })
}
