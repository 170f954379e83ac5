package intellivue

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/stretchr/testify/require"
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
	files, err := filepath.Glob(filepath.Join("testdata", "*.bin"))
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		d := NewDecoder()
		d.Feed(b)
		for n := 0; n < 6 && d.Scan(); n++ {
			ud, err := d.Record().appendUserData(nil)
			require.NoError(f, err)
			f.Add(ud)
		}
	}
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	f.Fuzz(func(t *testing.T, ud []byte) {
		fr, err := AppendUserDataFrame(nil, ud)
		if err != nil {
			return // more than MaxUserData: no frame to send
		}
		codectest.Fuzz(t, newCodec, fr, len(fr)/2, codectest.Splits{Records: "records", Copy: reencode(t)})
	})
}
