package devices

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/codec"
)

// simTick is how often the simulator ticks the emulator; the codec
// contract asks for 10-100 ms.
const simTick = 10 * time.Millisecond

// simWriteWait is how long a frame may wait for a driver to read.
const simWriteWait = 20 * time.Millisecond

// SimStats counts what a simulator did.
type SimStats struct {
	BytesOut uint64 // bytes written to the driver
	BytesIn  uint64 // bytes the driver wrote
	Dropped  uint64 // bytes dropped because no driver was reading
	Replugs  uint64 // cable-pulled events played
	Reboots  uint64 // monitor reboots played
	Faults   FaultStats
}

// Simulator plays a scripted patient as a device on a pseudo-terminal.
type Simulator struct {
	prof  Profile
	proto Protocol
	sc    *scenario.Scenario
	opt   options
	cfg   codec.Config

	link    string
	tempDir string

	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	tty   string
	stats SimStats
	err   error
}

// StartSimulator creates a pseudo-terminal, publishes it at a stable path
// (Path), and runs the profile's protocol emulator against it with the
// scenario's patient (stable-adult when sc is nil): it answers the driver's
// requests and sends what the device would send. Events of the scenario are
// played: a pulled cable closes the pseudo-terminal for the event's
// duration and opens a new one at the same path; a monitor reboot is
// silence followed by a fresh emulator.
func StartSimulator(ctx context.Context, profile string, sc *scenario.Scenario, opts ...Option) (*Simulator, error) {
	o := buildOptions(opts)
	prof := Profile{}
	if o.profile != nil {
		prof = *o.profile
	} else {
		p, err := LookupProfile(profile)
		if err != nil {
			return nil, err
		}
		prof = p
	}
	proto := Protocol{}
	if o.protocol != nil {
		proto = *o.protocol
	} else {
		p, err := LookupProtocol(prof.Protocol)
		if err != nil {
			return nil, err
		}
		proto = p
	}
	if proto.NewEmulator == nil {
		return nil, fmt.Errorf("devices: protocol %q has no emulator yet, so profile %q cannot be simulated", proto.Name, prof.Name)
	}
	if sc == nil {
		s, err := scenario.Builtin("stable-adult")
		if err != nil {
			return nil, err
		}
		sc = s
	} else {
		sc = sc.Clone()
	}
	pair, link, tempDir, err := openPublished(o.linkPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Simulator{prof: prof, proto: proto, sc: sc, opt: o, link: link, tempDir: tempDir,
		cfg:    codec.Config{DeviceID: "sim-" + prof.Name, SampleRate: prof.SampleRate},
		cancel: cancel, done: make(chan struct{}), tty: pair.ttyName()}
	go s.run(ctx, pair)
	return s, nil
}

// Path is the stable path of the simulated device (a symbolic link to the
// current pseudo-terminal); drivers open it like a serial port.
func (s *Simulator) Path() string { return s.link }

// TTY is the current pseudo-terminal behind Path.
func (s *Simulator) TTY() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tty
}

// Stats returns a snapshot of the counters.
func (s *Simulator) Stats() SimStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Err is the error that stopped the simulator early, if any.
func (s *Simulator) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Done is closed when the simulator has stopped.
func (s *Simulator) Done() <-chan struct{} { return s.done }

// Close stops the simulator, hangs up the pseudo-terminal and removes the
// published path. It waits for its goroutines to end.
func (s *Simulator) Close() error {
	s.cancel()
	<-s.done
	return nil
}

func (s *Simulator) add(f func(*SimStats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

func (s *Simulator) run(ctx context.Context, pair *ptyPair) {
	defer close(s.done)
	defer func() {
		if pair != nil {
			pair.close()
		}
		cleanupLink(s.link, s.tempDir)
	}()
	start := s.opt.now()
	s.sc.SetEpoch(start)
	em := s.proto.NewEmulator(s.cfg)
	var rebootUntil time.Duration
	rebooting := false
	var last time.Duration
	ticker := time.NewTicker(simTick)
	defer ticker.Stop()

	var inj *injector
	if s.opt.faults != nil {
		inj = newInjector(*s.opt.faults, s.prof, start)
	}
	write := func(frames [][]byte) {
		if inj != nil {
			if inj.stalled(s.opt.now()) {
				frames = nil
			} else {
				frames = inj.apply(frames)
			}
			st := inj.stats
			s.add(func(ss *SimStats) { ss.Faults = st })
		}
		for i, f := range frames {
			n, err := pair.write(f, simWriteWait)
			s.add(func(st *SimStats) { st.BytesOut += uint64(n) })
			if err != nil {
				// No driver is reading: drop this tick's remaining frames
				// rather than stall the clock.
				dropped := len(f) - n
				for _, g := range frames[i+1:] {
					dropped += len(g)
				}
				s.add(func(st *SimStats) { st.Dropped += uint64(dropped) })
				return
			}
		}
	}

	for {
		select {
		case <-ctx.Done():
			return
		case b, ok := <-pair.rx:
			if !ok {
				s.mu.Lock()
				s.err = errors.New("devices: the pseudo-terminal master failed")
				s.mu.Unlock()
				return
			}
			s.add(func(st *SimStats) { st.BytesIn += uint64(len(b)) })
			if rebooting {
				continue // a rebooting monitor hears nothing
			}
			write(em.Receive(b, s.opt.now()))
		case <-ticker.C:
			now := s.opt.now()
			elapsed := now.Sub(start)
			for _, ev := range s.sc.EventsBetween(last, elapsed) {
				switch ev.Kind {
				case scenario.CablePulled:
					pair.close()
					s.add(func(st *SimStats) { st.Replugs++ })
					select {
					case <-ctx.Done():
						pair = nil
						return
					case <-time.After(ev.Duration):
					}
					np, err := openPair()
					if err == nil {
						err = publish(s.link, np.ttyName())
					}
					if err != nil {
						if np != nil {
							np.close()
						}
						pair = nil
						s.mu.Lock()
						s.err = fmt.Errorf("devices: replugging the simulated cable: %w", err)
						s.mu.Unlock()
						return
					}
					pair = np
					s.mu.Lock()
					s.tty = np.ttyName()
					s.mu.Unlock()
				case scenario.MonitorReboot:
					rebooting, rebootUntil = true, ev.At+ev.Duration
					s.add(func(st *SimStats) { st.Reboots++ })
				}
			}
			last = elapsed
			if rebooting && elapsed >= rebootUntil {
				rebooting = false
				em = s.proto.NewEmulator(s.cfg) // a fresh monitor: no association, no requests
			}
			if !rebooting {
				write(em.Tick(now, s.sc.At(elapsed)))
			}
		}
	}
}
