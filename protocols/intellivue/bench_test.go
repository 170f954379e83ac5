package intellivue

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codectest"
)

// benchStream is one minute of a conversation as the monitor sends it:
// numerics every 1,024 ms and ECG II every 256 ms.
func benchStream() []byte { return monitorBytes(time.Minute, codectest.StableAdult()) }

// BenchmarkDecode measures framing, FCS and message parsing.
func BenchmarkDecode(b *testing.B) {
	codectest.Benchmark(b, NewDecoder(), benchStream(), nil)
}

// BenchmarkDecodeToVitals adds the mapping into observations and waves.
func BenchmarkDecodeToVitals(b *testing.B) {
	d := NewDecoder()
	host := time.Now()
	codectest.Benchmark(b, d, benchStream(), func() {
		Observations(d.Record(), host)
		d.Waves(host)
	})
}
