package datex

import (
	"testing"
	"time"
)

// benchStream is one minute of a stable adult as the monitor sends it:
// displayed values every 5 s and ECG1 + pleth in 200 ms packets.
func benchStream() []byte { return monitorBytes(time.Minute, stableAdult()) }

// BenchmarkDecode measures framing, checksum and record parsing.
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
			Waves(d.Record(), host)
		}
	}
}
