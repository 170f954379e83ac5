package devices

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs/devices.md: baud 50..4000000, data_bits 5..8, stop_bits 1 or 2,
// silence 100ms..10m; "Every value is checked and an error names the field
// and the accepted range." A zero written in a [[profile]] with a base is
// silently replaced by the base's value instead.
func TestZeroValuesInASiteProfileAreRefused(t *testing.T) {
	for _, kv := range []string{`baud = 0`, `data_bits = 0`, `stop_bits = 0`, `silence = "0s"`} {
		t.Run(kv, func(t *testing.T) {
			_, err := ParseConfig([]byte("[[profile]]\nname = \"x\"\nbase = \"datex\"\n" + kv + "\n"))
			assert.Error(t, err, "%s is outside the documented range and must be refused", kv)
		})
	}
}

// spinPort returns (0, nil) at once, forever: a port whose read timeout
// does not hold (an adapter gone into a "readable with no data" state).
type spinPort struct{ reads atomic.Int64 }

func (p *spinPort) Read([]byte) (int, error)           { p.reads.Add(1); return 0, nil }
func (p *spinPort) Write(b []byte) (int, error)        { return len(b), nil }
func (p *spinPort) Close() error                       { return nil }
func (p *spinPort) SetReadTimeout(time.Duration) error { return nil }

// A zero-byte read that comes back before the read timeout must not spin
// the supervisor: with a 5 ms tick, 300 ms of it is about 60 reads, not
// millions (one core burnt for the whole silence watchdog, 10-120 s with
// the built-in profiles).
func TestAPortThatReturnsZeroAtOnceDoesNotBurnACore(t *testing.T) {
	noLeaks(t)
	p := &spinPort{}
	opened := atomic.Int64{}
	open := func(string, Profile) (Port, error) {
		if opened.Add(1) > 1 {
			return nil, errUnplugged
		}
		return p, nil
	}
	d, err := Start(context.Background(), DeviceConfig{ID: "spin", Port: "/dev/fake"},
		WithOpener(open), WithProfile(fakeProfile), WithProtocol(fakeProtocol),
		WithTick(5*time.Millisecond), WithBackoff(time.Second, time.Second))
	require.NoError(t, err)
	go func() {
		for range d.Status() {
		}
	}()
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, d.Close())
	assert.Less(t, p.reads.Load(), int64(1000), "reads in 300 ms of a 5 ms read timeout")
}
