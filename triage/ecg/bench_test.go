package ecg_test

import (
	"os"
	"testing"

	"github.com/legevakt/workstation/protocols/wfdb"
	"github.com/legevakt/workstation/triage/ecg"
)

// BenchmarkDetect detects beats on both leads of MIT-BIH record 100
// (30 minutes, two leads, 360/s): one op is the whole record. The
// x-realtime metric is recorded seconds processed per second of CPU.
func BenchmarkDetect(b *testing.B) {
	rec, err := wfdb.ReadRecord(os.DirFS(sharedECG(b)), "mitdb/100")
	if err != nil {
		b.Fatal(err)
	}
	leads := make([][]float64, len(rec.Samples))
	for i := range leads {
		if leads[i], err = rec.Physical(i); err != nil {
			b.Fatal(err)
		}
	}
	seconds := float64(len(leads[0])) / rec.Header.Rate
	b.SetBytes(int64(len(leads) * len(leads[0]) * 8))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, x := range leads {
			if _, err := ecg.DetectAll(x, rec.Header.Rate); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(seconds*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
}

// BenchmarkAnalyzerPush streams one synthetic minute at 500/s through an
// Analyzer in 100 ms blocks, as a monitor delivers it, and takes a
// Summary after each block.
func BenchmarkAnalyzerPush(b *testing.B) {
	const rate = 500.0
	x, _ := synthECG(rate, regular(70, 70))
	x = x[:int(60*rate)]
	b.SetBytes(int64(len(x) * 8))
	b.ReportAllocs()
	for b.Loop() {
		a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: rate, UnitsPerMillivolt: 1})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(x); i += int(rate / 10) {
			a.Push(x[i:i+int(rate/10)], false, nil)
			_ = a.Summary()
		}
	}
	b.ReportMetric(60*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
}
