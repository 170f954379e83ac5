package devices

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/capture"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// deviceFrames returns the frames a recording holds from the device, one
// per decodable record, by re-splitting its bytes with the protocol's own
// decoder: each returned slice ends with the last byte of a frame that
// yields observations.
func deviceFrames(b *testing.B, name string) ([][]byte, []int) {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(recordingsDir, name+".cap"))
	if err != nil {
		b.Fatal(err)
	}
	r, err := capture.NewReader(bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	proto, _ := LookupProtocol(r.Header().Protocol)
	dec := proto.NewCodec(codec.Config{DeviceID: "bench"})
	var frames [][]byte
	var counts []int
	var pending []byte
	for {
		c, err := r.Next()
		if err != nil {
			break
		}
		if c.Dir != capture.FromDevice {
			continue
		}
		for _, by := range c.Data { // byte by byte: find where each record completes
			pending = append(pending, by)
			dec.Feed([]byte{by})
			for dec.Scan() {
				// Only frames with a value that is never suppressed as a
				// repeat (the codecs drop repeats of one NIBP measurement),
				// so every replay of the frame yields an observation.
				if n := len(dec.Observations(time.Time{})); n > 0 && !onlyNIBP(dec.Observations(time.Time{})) {
					frames = append(frames, pending)
					counts = append(counts, n)
					pending = nil
				}
			}
		}
	}
	if len(frames) == 0 {
		b.Fatalf("%s: no frames with observations", name)
	}
	return frames, counts
}

// BenchmarkFrameToObservation measures the time from writing the last byte
// of a frame to the pseudo-terminal until its first observation is on the
// device's channel, through go.bug.st/serial and the session.
func BenchmarkFrameToObservation(b *testing.B) {
	for _, name := range []string{"masimo", "datex", "intellivue"} {
		b.Run(name, func(b *testing.B) {
			frames, counts := deviceFrames(b, name)
			p, err := OpenPTY(WithLinkPath(filepath.Join(b.TempDir(), "tty")))
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			prof, _ := LookupProfile(name)
			prof.Silence = time.Minute
			dev, err := Start(context.Background(), DeviceConfig{ID: "bench", Port: p.Path(), Profile: name}, WithProfile(prof))
			if err != nil {
				b.Fatal(err)
			}
			defer dev.Close()
			drain := func() {
				for {
					select {
					case <-dev.Observations():
					case <-time.After(20 * time.Millisecond):
						return
					}
				}
			}
			// Warm up: the device is open and has decoded a frame.
			_, _ = p.Write(frames[0])
			<-dev.Observations()
			drain()
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f, n := frames[i%len(frames)], counts[i%len(frames)]
				if len(f) > 1 {
					_, _ = p.Write(f[:len(f)-1])
					time.Sleep(200 * time.Microsecond)
				}
				t0 := time.Now()
				_, _ = p.Write(f[len(f)-1:])
				<-dev.Observations()
				lat = append(lat, time.Since(t0))
				// The rest of this frame's observations arrive together; a
				// repeated NIBP among them may be dropped, so drain until
				// quiet rather than count.
				drainQuiet(dev, n-1)
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// onlyNIBP reports whether every observation is a blood pressure, which the
// codecs may suppress as a repeat of an earlier measurement.
func onlyNIBP(obs []vitals.Observation) bool {
	for _, o := range obs {
		if !o.Kind.BloodPressure() {
			return false
		}
	}
	return true
}

// drainQuiet reads up to max further observations, stopping early when none
// arrives for 2 ms.
func drainQuiet(dev *Device, max int) {
	for range max {
		select {
		case <-dev.Observations():
		case <-time.After(2 * time.Millisecond):
			return
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDeviceCPU runs one device against a recorded stream played at
// real time on a pseudo-terminal and reports the process CPU as a share of
// one core. Each iteration is one second of stream. The baseline runs the
// same player with a reader that only reads and discards: the difference is
// the device's own cost (session, decoding, channels).
func BenchmarkDeviceCPU(b *testing.B) {
	sc, err := scenario.Builtin("stable-adult")
	if err != nil {
		b.Fatal(err)
	}
	for _, run := range []struct{ name, mode string }{
		{"intellivue", "device"}, {"datex", "device"}, {"intellivue", "baseline"}, {"datex", "baseline"},
	} {
		b.Run(run.name+"-"+run.mode, func(b *testing.B) {
			prof, _ := LookupProfile(run.name)
			length := time.Duration(b.N+1) * time.Second
			var buf bytes.Buffer
			start := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
			w, _ := capture.NewWriter(&buf, capture.Header{Protocol: prof.Protocol, Start: start})
			if err := SimulateCapture(prof, sc, start, length, w); err != nil {
				b.Fatal(err)
			}
			p, err := OpenPTY(WithLinkPath(filepath.Join(b.TempDir(), "tty")))
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			prof.Silence = time.Minute
			var obs, waves int
			done := make(chan struct{})
			stop := make(chan struct{})
			var closeReader func()
			if run.mode == "baseline" {
				port, err := OpenSerial(p.Path(), prof)
				if err != nil {
					b.Fatal(err)
				}
				_ = port.SetReadTimeout(50 * time.Millisecond)
				go func() {
					defer close(done)
					rb := make([]byte, 4096)
					for {
						select {
						case <-stop:
							return
						default:
						}
						if _, err := port.Read(rb); err != nil {
							return
						}
					}
				}()
				closeReader = func() { close(stop); <-done; port.Close() }
			} else {
				dev, err := Start(context.Background(), DeviceConfig{ID: "bench", Port: p.Path(), Profile: run.name}, WithProfile(prof))
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					defer close(done)
					o, wv := dev.Observations(), dev.Waves()
					for o != nil || wv != nil {
						select {
						case _, ok := <-o:
							if !ok {
								o = nil
								continue
							}
							obs++
						case _, ok := <-wv:
							if !ok {
								wv = nil
								continue
							}
							waves++
						}
					}
				}()
				closeReader = func() { _ = dev.Close(); <-done }
			}
			time.Sleep(100 * time.Millisecond) // the port is open
			r, _ := capture.NewReader(bytes.NewReader(buf.Bytes()))
			b.ResetTimer()
			c0, w0 := cpuTime(), time.Now()
			err = Play(context.Background(), r, 1, func(c capture.Chunk) error {
				if c.Dir == capture.FromDevice {
					_, err := p.Write(c.Data)
					return err
				}
				return nil
			})
			cpu, wall := cpuTime()-c0, time.Since(w0)
			b.StopTimer()
			closeReader()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "%core")
			b.ReportMetric(float64(obs)/wall.Seconds(), "obs/s")
			b.ReportMetric(float64(waves)/wall.Seconds(), "waveblocks/s")
		})
	}
}
