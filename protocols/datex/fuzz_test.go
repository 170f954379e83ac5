package datex

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
	files, err := filepath.Glob(filepath.Join("testdata", "*.bin"))
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		d := NewDecoder()
		d.Feed(b)
		for n := 0; n < 6 && d.Scan(); n++ {
			rec, err := AppendRecord(nil, d.Record())
			require.NoError(f, err)
			f.Add(rec)
		}
	}
	newCodec := func() codec.Decoder { return NewCodec(codec.Config{DeviceID: "fuzz"}) }
	f.Fuzz(func(t *testing.T, rec []byte) {
		fr := appendEscapedFrame(nil, rec)
		codectest.Fuzz(t, newCodec, fr, len(fr)/2, codectest.Splits{Records: "records", Copy: reencode(t)})
	})
}
