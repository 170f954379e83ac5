//go:build linux

package devices

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/datex"
	"github.com/legevakt/workstation/protocols/intellivue"
)

// freshPorts hands out a new silent fake port at every open.
type freshPorts struct {
	mu    sync.Mutex
	ports []*fakePort
}

func (f *freshPorts) open(string, Profile) (Port, error) {
	p := newFakePort()
	f.mu.Lock()
	f.ports = append(f.ports, p)
	f.mu.Unlock()
	return p, nil
}

func (f *freshPorts) written() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b []byte
	for _, p := range f.ports {
		b = append(b, p.written()...)
	}
	return b
}

// The S/5 host sweeps DRI levels (0, 12, 11, ... 2) until displayed values
// come (protocols.md §a: "Plan: try 0, then sweep"; VSCapture uses 9, 8, 7).
// Under the device layer a monitor that does not answer levels 0 and 12 is
// never reached: the datex profile's 15 s watchdog reopens the port and
// builds a fresh Host (back at level 0) before the host's 10 s re-request
// has gone past level 12.
func TestTheDatexDRISweepReachesOlderLevelsUnderTheDeviceLayer(t *testing.T) {
	noLeaks(t)
	const k = 100
	clock := fastClock(k)
	after := func(d time.Duration) <-chan time.Time { return time.After(d / k) }
	ports := &freshPorts{}
	d, err := Start(context.Background(), DeviceConfig{ID: "s5", Port: "/dev/fake", Profile: "datex"},
		WithOpener(ports.open), WithClock(clock, after), WithTick(time.Millisecond))
	require.NoError(t, err)
	go func() {
		for range d.Status() {
		}
	}()
	time.Sleep(3 * time.Second) // 300 s of device time with a silent monitor
	require.NoError(t, d.Close())

	levels := map[uint8]bool{}
	var dec datex.Decoder
	dec.Feed(ports.written())
	for dec.Scan() {
		if r, ok := dec.Record().(*datex.PHDBRequest); ok {
			levels[r.DRILevel] = true
		}
	}
	var got []int
	for l := range levels {
		got = append(got, int(l))
	}
	sort.Ints(got)
	require.Truef(t, levels[9], "in 300 s of silence the sweep never asked at DRI level 9 ('05, VSCapture's first); levels asked: %v", got)
}

// refusingPort is an IntelliVue whose MIB port refuses every association
// (0x0C), e.g. a port not set to Data Export.
type refusingPort struct {
	*fakePort
	dec intellivue.Decoder
}

func (p *refusingPort) Write(b []byte) (int, error) {
	n, err := p.fakePort.Write(b)
	p.dec.Feed(b)
	for p.dec.Scan() {
		if _, ok := p.dec.Record().(*intellivue.AssociationRequest); ok {
			f, _ := intellivue.AppendFrame(nil, &intellivue.AssociationRefuse{})
			p.in <- f
		}
	}
	return n, err
}

// A monitor that refuses every association never sends a value, yet the
// device reports it "live" at each reopen and "no_data" 10 s later, over
// and over: the state flaps, and the nurse's board says "live" for a
// monitor that gives nothing (docs/devices.md promises that the state
// "stays no_data until frames arrive, so a switched-off monitor does not
// flap").
func TestARefusingIntelliVueDoesNotFlapBetweenLiveAndNoData(t *testing.T) {
	noLeaks(t)
	const k = 100
	clock := fastClock(k)
	after := func(d time.Duration) <-chan time.Time { return time.After(d / k) }
	open := func(string, Profile) (Port, error) { return &refusingPort{fakePort: newFakePort()}, nil }
	d, err := Start(context.Background(), DeviceConfig{ID: "mp", Port: "/dev/fake", Profile: "intellivue"},
		WithOpener(open), WithClock(clock, after), WithTick(time.Millisecond))
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range d.Status() {
			mu.Lock()
			seen = append(seen, string(ev.State))
			mu.Unlock()
		}
	}()
	time.Sleep(1500 * time.Millisecond) // 150 s of device time
	require.NoError(t, d.Close())
	<-done
	live := 0
	for _, s := range seen {
		if s == string(Live) {
			live++
		}
	}
	require.Zerof(t, live, "a monitor that refuses every association was reported live %d times; states: %v", live, seen)
}
