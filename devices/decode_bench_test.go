package devices

import (
	"bytes"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/capture"
)

// BenchmarkDecodeCapture measures devices.Decode (capture reader, codec,
// observation and wave mapping) over a one-minute simulated recording, as
// `triagectl decode` runs it.
func BenchmarkDecodeCapture(b *testing.B) {
	sc, err := scenario.Builtin("stable-adult")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"datex", "intellivue", "masimo", "ecgascii"} {
		b.Run(name, func(b *testing.B) {
			prof, _ := LookupProfile(name)
			var buf bytes.Buffer
			w, _ := capture.NewWriter(&buf, capture.Header{Protocol: prof.Protocol, Start: recordingStart})
			if err := SimulateCapture(prof, sc, recordingStart, time.Minute, w); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Decode(bytes.NewReader(data), DecodeConfig{}, DecodeHandler{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeCaptureTraced is BenchmarkDecodeCapture with a trace, as
// `decode --stats`, `verify` and `dissect` run it: the stream is fed byte
// by byte so every frame and error is placed at its offset.
func BenchmarkDecodeCaptureTraced(b *testing.B) {
	sc, err := scenario.Builtin("stable-adult")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"datex", "intellivue", "masimo", "ecgascii"} {
		b.Run(name, func(b *testing.B) {
			prof, _ := LookupProfile(name)
			var buf bytes.Buffer
			w, _ := capture.NewWriter(&buf, capture.Header{Protocol: prof.Protocol, Start: recordingStart})
			if err := SimulateCapture(prof, sc, recordingStart, time.Minute, w); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				st := NewStatsCollector("bench", name)
				if _, err := Decode(bytes.NewReader(data), DecodeConfig{}, DecodeHandler{Trace: st.Trace}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIdentify measures scoring every protocol on ten seconds of a
// device's bytes, as `triagectl identify` and a session's hint do.
func BenchmarkIdentify(b *testing.B) {
	sc, err := scenario.Builtin("stable-adult")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"datex", "masimo"} {
		b.Run(name, func(b *testing.B) {
			prof, _ := LookupProfile(name)
			var buf bytes.Buffer
			w, _ := capture.NewWriter(&buf, capture.Header{Protocol: prof.Protocol, Start: recordingStart})
			if err := SimulateCapture(prof, sc, recordingStart, 10*time.Second, w); err != nil {
				b.Fatal(err)
			}
			data, err := DeviceBytes(bytes.NewReader(buf.Bytes()), IdentifyLimit)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				Identify(data)
			}
		})
	}
}
