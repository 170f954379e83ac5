package datex

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codectest"
)

// benchStream is one minute of a stable adult as the monitor sends it:
// displayed values every 5 s and ECG1 + pleth in 200 ms packets.
func benchStream() []byte { return monitorBytes(time.Minute, codectest.StableAdult()) }

// BenchmarkDecode measures framing, checksum and record parsing.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), benchStream(), nil)
}

// BenchmarkDecodeToVitals adds the mapping into observations and waves.
func BenchmarkDecodeToVitals(b *testing.B) {
	d := NewDecoder()
	host := time.Now()
	codectest.Benchmark(b, d, benchStream(), func() {
		Observations(d.Record(), host)
		Waves(d.Record(), host)
	})
}
