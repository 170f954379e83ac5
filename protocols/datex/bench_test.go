package datex

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
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

// BenchmarkCodecWithAnAlarm is the device layer's path: the codec's
// observations, waves and events for every record, on a minute with a
// displayed alarm (LEADS OFF) present throughout, so every record compares
// the alarms shown with those last reported.
func BenchmarkCodecWithAnAlarm(b *testing.B) {
	s := codectest.StableAdult()
	s.LeadsOff = true
	d := NewCodec(codec.Config{DeviceID: "bench"})
	ev := d.(codec.EventSource)
	host := time.Now()
	codectest.Benchmark(b, d, monitorBytes(time.Minute, s), func() {
		d.Observations(host)
		d.Waves(host)
		ev.Events(host)
	})
}
