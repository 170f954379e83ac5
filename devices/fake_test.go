package devices

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
	"go.bug.st/serial"
)

// The fake protocol: frames are "$kind=value*\n" lines, where '*' stands
// for a checksum byte that must be '*' (anything else counts as a checksum
// error). Bytes outside a frame are framing errors. Enough to test the
// device layer without a real codec.
type fakeCodec struct {
	buf   []byte
	rec   string
	stats codec.Stats
	src   string
}

func newFakeCodec(cfg codec.Config) codec.Decoder { return &fakeCodec{src: cfg.DeviceID} }

func (c *fakeCodec) Feed(p []byte) { c.buf = append(c.buf, p...); c.stats.Bytes += uint64(len(p)) }

func (c *fakeCodec) Scan() bool {
	for len(c.buf) > 0 {
		if c.buf[0] != '$' {
			i := bytes.IndexByte(c.buf, '$')
			if i < 0 {
				i = len(c.buf)
			}
			c.buf = c.buf[i:]
			c.stats.Count(codec.ErrFraming)
			c.stats.Resyncs++
			continue
		}
		end := bytes.IndexByte(c.buf, '\n')
		if end < 0 {
			if next := bytes.IndexByte(c.buf[1:], '$'); next >= 0 { // truncated frame
				c.buf = c.buf[next+1:]
				c.stats.Count(codec.ErrLength)
				continue
			}
			return false
		}
		line := string(c.buf[1:end])
		c.buf = c.buf[end+1:]
		if next := strings.IndexByte(line, '$'); next >= 0 { // truncated frame followed by a new one
			c.stats.Count(codec.ErrLength)
			c.buf = append([]byte(line[next:]+"\n"), c.buf...)
			continue
		}
		if !strings.HasSuffix(line, "*") {
			c.stats.Count(codec.ErrChecksum)
			continue
		}
		c.rec = strings.TrimSuffix(line, "*")
		c.stats.Frames++
		c.stats.Records++
		return true
	}
	return false
}

func (c *fakeCodec) Record() any { return c.rec }

func (c *fakeCodec) Observations(t time.Time) []vitals.Observation {
	k, v, ok := strings.Cut(c.rec, "=")
	if !ok || k == "wave" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil
	}
	return []vitals.Observation{{Kind: vitals.Kind(k), Value: f, Unit: vitals.PerMin, Source: c.src, HostTime: t}}
}

func (c *fakeCodec) Waves(t time.Time) []vitals.Wave {
	k, v, ok := strings.Cut(c.rec, "=")
	if !ok || k != "wave" {
		return nil
	}
	f, _ := strconv.ParseFloat(v, 64)
	return []vitals.Wave{{Kind: vitals.WaveECG, Rate: 250, Unit: vitals.MilliVolt, Samples: []float64{f}, Source: c.src, HostTime: t}}
}

func (c *fakeCodec) Stats() codec.Stats { return c.stats }

// fakeHost says HELLO on open, POLL on every tick and ACK to every record.
type fakeHost struct{ polls int }

func (h *fakeHost) Open(time.Time) [][]byte { return [][]byte{[]byte("HELLO\n")} }
func (h *fakeHost) Received(rec any, _ time.Time) [][]byte {
	return [][]byte{[]byte("ACK " + rec.(string) + "\n")}
}
func (h *fakeHost) Tick(time.Time) [][]byte { h.polls++; return [][]byte{[]byte("POLL\n")} }
func (h *fakeHost) State() string           { return "polling" }

var fakeProtocol = Protocol{Name: "fake", NewCodec: newFakeCodec,
	NewHost: func(codec.Config) codec.Host { return &fakeHost{} }}

var fakeProfile = Profile{Name: "fake", Protocol: "fake", Baud: 9600, DataBits: 8, Parity: "N", StopBits: 1,
	Silence: 300 * time.Millisecond}

// fakePort is an in-memory serial port: the test plays the device with
// send, reads what the host wrote with written, and pulls the cable with
// hangup. Read honours the read timeout with (0, nil), as go.bug.st/serial.
type fakePort struct {
	in      chan []byte
	mu      sync.Mutex
	rest    []byte
	timeout time.Duration
	out     bytes.Buffer
	gone    chan struct{}
	goneOne sync.Once
	closed  chan struct{}
	closeMu sync.Once
	cts     *atomic.Bool // CTS as the device drives it (ctsPort only)
	ctsErr  bool
}

func newFakePort() *fakePort {
	return &fakePort{in: make(chan []byte, 1024), gone: make(chan struct{}), closed: make(chan struct{}), timeout: time.Second}
}

func (p *fakePort) send(s string) { p.in <- []byte(s) }

func (p *fakePort) hangup() { p.goneOne.Do(func() { close(p.gone) }) }

func (p *fakePort) written() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (p *fakePort) Read(b []byte) (int, error) {
	p.mu.Lock()
	if len(p.rest) > 0 {
		n := copy(b, p.rest)
		p.rest = p.rest[n:]
		p.mu.Unlock()
		return n, nil
	}
	to := p.timeout
	p.mu.Unlock()
	select {
	case d := <-p.in:
		n := copy(b, d)
		p.mu.Lock()
		p.rest = append(p.rest, d[n:]...)
		p.mu.Unlock()
		return n, nil
	case <-p.gone:
		return 0, errHangup
	case <-p.closed:
		return 0, errHangup
	case <-time.After(to):
		return 0, nil
	}
}

func (p *fakePort) Write(b []byte) (int, error) {
	select {
	case <-p.gone:
		return 0, errHangup
	default:
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *fakePort) Close() error { p.closeMu.Do(func() { close(p.closed) }); return nil }

func (p *fakePort) SetReadTimeout(d time.Duration) error {
	p.mu.Lock()
	p.timeout = d
	p.mu.Unlock()
	return nil
}

func (p *fakePort) isClosed() bool {
	select {
	case <-p.closed:
		return true
	default:
		return false
	}
}

// ctsPort adds modem lines to a fakePort.
type ctsPort struct{ *fakePort }

func (p ctsPort) GetModemStatusBits() (*serial.ModemStatusBits, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctsErr {
		return nil, &serial.PortError{}
	}
	return &serial.ModemStatusBits{CTS: p.cts.Load()}, nil
}

// portQueue hands out ports to the device in order; an empty queue acts as
// an unplugged adapter.
type portQueue struct {
	mu     sync.Mutex
	ports  []Port
	opened []string
}

func (q *portQueue) push(p Port) { q.mu.Lock(); q.ports = append(q.ports, p); q.mu.Unlock() }

func (q *portQueue) open(path string, _ Profile) (Port, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.opened = append(q.opened, path)
	if len(q.ports) == 0 {
		return nil, errUnplugged
	}
	p := q.ports[0]
	q.ports = q.ports[1:]
	return p, nil
}

func (q *portQueue) paths() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.opened...)
}

var _ Port = (*fakePort)(nil)

var (
	errHangup    = errors.New("fake port: hang-up")
	errUnplugged = errors.New("fake port: no such device")
)

// noLeaks fails the test if a goroutine of this package outlives it.
func noLeaks(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		var stacks []string
		for range 200 {
			stacks = packageGoroutines()
			if len(stacks) == 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("%d goroutine(s) of package devices still running after Close:\n%s", len(stacks), strings.Join(stacks, "\n\n"))
	})
}
