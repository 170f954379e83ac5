package intellivue

import (
	"testing"
	"time"
)

// benchStream is one minute of a conversation as the monitor sends it:
// numerics every 1,024 ms and ECG II every 256 ms.
func benchStream() []byte { return monitorBytes(time.Minute, stableAdult()) }

// BenchmarkDecode measures framing, FCS and message parsing.
func BenchmarkDecode(b *testing.B) {
	data := benchStream()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var d Decoder
	for b.Loop() {
		d.Feed(data)
		for d.Scan() {
		}
	}
}

// BenchmarkDecodeToVitals adds the mapping into observations and waves.
func BenchmarkDecodeToVitals(b *testing.B) {
	data := benchStream()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var d Decoder
	host := time.Now()
	for b.Loop() {
		d.Feed(data)
		for d.Scan() {
			Observations(d.Record(), host)
			d.Waves(host)
		}
	}
}
