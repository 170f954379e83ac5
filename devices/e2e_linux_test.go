package devices

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/protocols/intellivue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// End-to-end: simulator on a pty -> go.bug.st/serial -> session -> channels.

// fastClock runs k times faster than the wall clock, so the protocols'
// silence timers (10 s and more) pass in a fraction of a second. The
// simulator and the device share it, as a monitor and a host share time.
func fastClock(k float64) func() time.Time {
	t0 := time.Now()
	return func() time.Time { return t0.Add(time.Duration(float64(time.Since(t0)) * k)) }
}

type e2e struct {
	t   *testing.T
	sim *Simulator
	dev *Device

	mu     sync.Mutex
	obs    []vitals.Observation
	waves  []vitals.Wave
	status []StatusEvent
	wg     sync.WaitGroup
}

// runE2E starts a simulator and a device on it and collects everything the
// device reports until the test ends.
func runE2E(t *testing.T, profile string, sc *scenario.Scenario, simOpts, devOpts []Option) *e2e {
	t.Helper()
	sim, err := StartSimulator(context.Background(), profile, sc, simOpts...)
	require.NoError(t, err)
	dev, err := Start(context.Background(), DeviceConfig{ID: "bed-1", Port: sim.Path(), Profile: profile},
		append([]Option{WithBackoff(20*time.Millisecond, 200*time.Millisecond)}, devOpts...)...)
	require.NoError(t, err)
	e := &e2e{t: t, sim: sim, dev: dev}
	e.wg.Add(3)
	go func() {
		defer e.wg.Done()
		for o := range dev.Observations() {
			e.mu.Lock()
			e.obs = append(e.obs, o)
			e.mu.Unlock()
		}
	}()
	go func() {
		defer e.wg.Done()
		for w := range dev.Waves() {
			e.mu.Lock()
			e.waves = append(e.waves, w)
			e.mu.Unlock()
		}
	}()
	go func() {
		defer e.wg.Done()
		for s := range dev.Status() {
			e.mu.Lock()
			e.status = append(e.status, s)
			e.mu.Unlock()
		}
	}()
	t.Cleanup(e.stop)
	return e
}

func (e *e2e) stop() {
	_ = e.dev.Close()
	_ = e.sim.Close()
	e.wg.Wait()
}

// waitUntil polls cond (under the collector's lock) until it holds.
func (e *e2e) waitUntil(what string, limit time.Duration, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		e.mu.Lock()
		ok := cond()
		e.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.t.Fatalf("%s did not happen within %s; status %v; %d observations; device %+v; simulator %+v",
		what, limit, e.status, len(e.obs), e.dev.Stats(), e.sim.Stats())
}

// latest is the newest observation of each kind received after since.
func (e *e2e) latest(since time.Time) map[vitals.Kind]vitals.Observation {
	out := map[vitals.Kind]vitals.Observation{}
	for _, o := range e.obs {
		if !o.HostTime.Before(since) {
			out[o.Kind] = o
		}
	}
	return out
}

func (e *e2e) hasAll(kinds []vitals.Kind, since time.Time) bool {
	got := e.latest(since)
	for _, k := range kinds {
		if _, ok := got[k]; !ok {
			return false
		}
	}
	return true
}

func (e *e2e) sawState(s State, after int) (int, bool) {
	for i := after; i < len(e.status); i++ {
		if e.status[i].State == s {
			return i, true
		}
	}
	return 0, false
}

func TestEveryProtocolEndToEndDeliversTheScenarioValues(t *testing.T) {
	noLeaks(t)
	sc, err := scenario.Builtin("stable-adult")
	require.NoError(t, err)
	want := sc.Values(0)
	for _, prof := range []string{"datex", "intellivue", "nonin", "nonin8", "masimo", "hl7", "ansarb", "ecgascii"} {
		t.Run(prof+" decodes what the simulated "+prof+" device sends", func(t *testing.T) {
			t.Parallel()
			e := runE2E(t, prof, sc, nil, nil)
			kinds := carried[prof]
			// Status and observations arrive on separate channels, read by
			// separate goroutines: wait for both, not for the values alone.
			e.waitUntil("every carried vital and the live state", 20*time.Second, func() bool {
				if _, live := e.sawState(Live, 0); !live {
					return false
				}
				if len(kinds) == 0 {
					n := 0
					for _, w := range e.waves {
						n += len(w.Samples)
					}
					return n >= 250
				}
				// Values before the decoder's trust run are questionable; wait
				// for valid ones of every kind.
				if !e.hasAll(kinds, time.Time{}) {
					return false
				}
				for _, o := range e.latest(time.Time{}) {
					if o.Quality != vitals.Valid {
						return false
					}
				}
				return true
			})
			e.mu.Lock()
			defer e.mu.Unlock()
			for k, o := range e.latest(time.Time{}) {
				w, ok := want[k]
				if !ok {
					continue
				}
				assert.Equal(t, w, o.Value, "%s: %s decoded %g, scenario says %g", prof, k, o.Value, w)
				assert.Equal(t, vitals.Valid, o.Quality, "%s %s", prof, k)
				assert.Equal(t, "bed-1", o.Source)
			}
			assert.Zero(t, e.dev.Stats().Codec.TotalErrors(), "a clean line decodes without errors")
			if prof == "ecgascii" {
				lo, hi := 1e9, -1e9
				for _, w := range e.waves {
					for _, s := range w.Samples {
						lo, hi = min(lo, s), max(hi, s)
					}
				}
				// R (1 mV) to S (-0.25 mV) at 200 counts/mV: about 250 counts.
				assert.Greater(t, hi-lo, 150.0, "the ECG shows beats, not a flat line")
			}
		})
	}
}

func TestAPtyClosedMidFrameIsReopenedAndLiveAgainWithinFiveSeconds(t *testing.T) {
	noLeaks(t)
	link := t.TempDir() + "/tty-masimo"
	p1, err := OpenPTY(WithLinkPath(link))
	require.NoError(t, err)
	dev, err := Start(context.Background(), DeviceConfig{ID: "spo2", Port: link, Profile: "masimo"})
	require.NoError(t, err)
	defer dev.Close()
	line := "03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064 PI=00.80% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000000\r\n"
	stopWriting := make(chan struct{})
	writer := func(p *PTY) (done chan struct{}) {
		done = make(chan struct{})
		go func() {
			defer close(done)
			for {
				_, _ = p.Write([]byte(line))
				select {
				case <-stopWriting:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		return done
	}
	w1 := writer(p1)
	waitState(t, dev, Live, "")
	close(stopWriting)
	<-w1
	_, _ = p1.Write([]byte(line[:40])) // half a line, then the cable goes
	require.NoError(t, p1.Close())
	waitState(t, dev, Disconnected, "")

	p2, err := OpenPTY(WithLinkPath(link))
	require.NoError(t, err)
	defer p2.Close()
	replugged := time.Now()
	stopWriting = make(chan struct{})
	w2 := writer(p2)
	defer func() { close(stopWriting); <-w2 }()
	waitState(t, dev, Live, "")
	assert.Less(t, time.Since(replugged), 5*time.Second, "live again within 5 s of the replug")
	for {
		o := nextObservation(t, dev)
		if o.Kind == vitals.SpO2 {
			assert.Equal(t, 97.0, o.Value)
			break
		}
	}
}

func mustParse(t *testing.T, s string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Parse([]byte(s))
	require.NoError(t, err)
	return sc
}

const stableBody = `
[[point]]
at = "0s"
hr = 72
spo2 = 98
rr = 14
sbp = 124
dbp = 78
temp = 36.8
etco2 = 5.1
`

func TestASimulatedCablePullIsSurvivedByTheS5Session(t *testing.T) {
	noLeaks(t)
	sc := mustParse(t, `name = "pull"`+stableBody+`
[[event]]
at = "1s"
kind = "cable_pulled"
duration = "1s"
`)
	e := runE2E(t, "datex", sc, nil, nil)
	var disc int
	e.waitUntil("the hang-up", 15*time.Second, func() bool {
		i, ok := e.sawState(Disconnected, 0)
		disc = i
		return ok
	})
	e.mu.Lock()
	lost := e.status[disc].At
	e.mu.Unlock()
	e.waitUntil("live again after the replug", 15*time.Second, func() bool {
		_, ok := e.sawState(Live, disc)
		return ok
	})
	e.waitUntil("fresh values after the replug", 15*time.Second, func() bool {
		return e.hasAll(carried["datex"], lost)
	})
	e.mu.Lock()
	i, _ := e.sawState(Live, disc)
	back := e.status[i].At
	e.mu.Unlock()
	assert.Less(t, back.Sub(lost), time.Second+5*time.Second, "the cable was out 1 s; live within 5 s of the replug")
	assert.EqualValues(t, 1, e.sim.Stats().Replugs)
}

// faultyEmulator damages the inner emulator's frames in the ways a noisy
// line does: garbage between frames, flipped bytes, cut frames.
type faultyEmulator struct {
	inner codec.Emulator
	n     int
	mode  string // "noise" or "scramble" (every byte mangled, as at a wrong baud rate)
}

func (f *faultyEmulator) Receive(p []byte, now time.Time) [][]byte {
	return f.damage(f.inner.Receive(p, now))
}
func (f *faultyEmulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	return f.damage(f.inner.Tick(now, s))
}

func (f *faultyEmulator) damage(frames [][]byte) [][]byte {
	out := make([][]byte, 0, len(frames))
	for _, fr := range frames {
		fr = append([]byte(nil), fr...)
		f.n++
		if f.mode == "scramble" {
			for i := range fr {
				fr[i] = fr[i]>>1 | 0x80 // what 8E1 bytes look like at another speed: never a flag
			}
			out = append(out, fr)
			continue
		}
		switch {
		case f.n%3 == 0:
			out = append(out, []byte{0x00, 0xff, 0x13, 0x55, 0xaa})
			out = append(out, fr)
		case f.n%5 == 0 && len(fr) > 8:
			fr[len(fr)/2] ^= 0x01
			out = append(out, fr)
		case f.n%7 == 0 && len(fr) > 8:
			out = append(out, fr[:len(fr)/2])
		default:
			out = append(out, fr)
		}
	}
	return out
}

func withFaults(name, mode string) Option {
	p, _ := LookupProtocol(name)
	inner := p.NewEmulator
	p.NewEmulator = func(c codec.Config) codec.Emulator { return &faultyEmulator{inner: inner(c), mode: mode} }
	return WithProtocol(p)
}

func TestGarbageBurstsTruncatedFramesAndChecksumErrorsOnThePtyAreCountedAndSurvived(t *testing.T) {
	noLeaks(t)
	sc, err := scenario.Builtin("stable-adult")
	require.NoError(t, err)
	clock := WithClock(fastClock(5), nil)
	e := runE2E(t, "datex", sc, []Option{withFaults("datex", "noise"), clock}, []Option{clock, WithTick(10 * time.Millisecond)})
	e.waitUntil("errors of each kind and every vital", 20*time.Second, func() bool {
		st := e.dev.Stats().Codec
		return st.ErrorCount(codec.ErrChecksum) > 0 && st.ErrorCount(codec.ErrFraming)+st.ErrorCount(codec.ErrLength) > 0 &&
			st.Resyncs > 0 && e.hasAll(carried["datex"], time.Time{})
	})
	e.mu.Lock()
	defer e.mu.Unlock()
	want := sc.Values(0)
	for k, o := range e.latest(time.Time{}) {
		assert.Equal(t, want[k], o.Value, "%s survives the noise", k)
	}
}

func TestAWrongBaudRateGivesALineSettingsHint(t *testing.T) {
	noLeaks(t)
	sc, err := scenario.Builtin("stable-adult")
	require.NoError(t, err)
	clock := WithClock(fastClock(5), nil)
	// A pty ignores the baud rate, so the simulator mangles the bytes as a
	// mismatched UART would.
	e := runE2E(t, "masimo", sc, []Option{withFaults("masimo", "scramble"), clock}, []Option{clock})
	e.waitUntil("a hint about the line settings", 20*time.Second, func() bool {
		for _, s := range e.status {
			if s.State != Live && containsAll(s.Hint, "line settings", "9600 8N1") {
				return true
			}
		}
		return false
	})
	e.mu.Lock()
	defer e.mu.Unlock()
	_, live := e.sawState(Live, 0)
	assert.False(t, live, "a scrambled line never goes live")
	assert.Empty(t, e.obs)
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !contains(s, x) {
			return false
		}
	}
	return true
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// abortingEmulator makes the IntelliVue monitor abort the association once,
// at abortAt, and counts the association requests it receives afterwards.
type abortingEmulator struct {
	inner   codec.Emulator
	abortAt time.Time
	aborted bool
	dec     *intellivue.Decoder
	mu      *sync.Mutex
	reassoc *int
}

func (a *abortingEmulator) Receive(p []byte, now time.Time) [][]byte {
	if a.aborted {
		a.dec.Feed(p)
		for a.dec.Scan() {
			if _, ok := a.dec.Record().(*intellivue.AssociationRequest); ok {
				a.mu.Lock()
				*a.reassoc++
				a.mu.Unlock()
			}
		}
	}
	return a.inner.Receive(p, now)
}

func (a *abortingEmulator) Tick(now time.Time, s codec.PatientState) [][]byte {
	if !a.aborted && !now.Before(a.abortAt) {
		a.aborted = true
		abort, err := intellivue.AppendFrame(nil, &intellivue.Abort{})
		if err != nil {
			panic(fmt.Sprintf("encoding an abort: %v", err))
		}
		a.inner.Receive(abort, now) // the monitor side forgets the association too
		return [][]byte{abort}
	}
	return a.inner.Tick(now, s)
}

func TestIntelliVueAbortLeadsToANewAssociationAndDataResumes(t *testing.T) {
	noLeaks(t)
	sc, err := scenario.Builtin("stable-adult")
	require.NoError(t, err)
	clock := fastClock(5)
	var mu sync.Mutex
	reassoc := 0
	p, _ := LookupProtocol("intellivue")
	abortAt := clock().Add(10 * time.Second) // simulated time: 2 s of wall time
	p.NewEmulator = func(c codec.Config) codec.Emulator {
		return &abortingEmulator{inner: intellivue.NewEmulator(c), abortAt: abortAt, dec: intellivue.NewDecoder(), mu: &mu, reassoc: &reassoc}
	}
	e := runE2E(t, "intellivue", sc, []Option{WithProtocol(p), WithClock(clock, nil)},
		[]Option{WithClock(clock, nil), WithTick(10 * time.Millisecond)})
	e.waitUntil("values after the abort", 15*time.Second, func() bool {
		mu.Lock()
		n := reassoc
		mu.Unlock()
		return n > 0 && e.hasAll([]vitals.Kind{vitals.HR, vitals.SpO2}, abortAt.Add(time.Second))
	})
	assert.EqualValues(t, 1, e.dev.Stats().Sessions, "the host re-associated on the open port")
}

func TestAMonitorRebootIsRecoveredByTheSessionForEveryConversationalProtocol(t *testing.T) {
	noLeaks(t)
	sc := mustParse(t, `name = "reboot"`+stableBody+`
[[event]]
at = "5s"
kind = "monitor_reboot"
duration = "3s"
`)
	for _, prof := range []string{"datex", "intellivue"} {
		t.Run(prof+" talks to the rebooted monitor again", func(t *testing.T) {
			t.Parallel()
			clock := fastClock(10)
			start := clock()
			e := runE2E(t, prof, sc, []Option{WithClock(clock, nil)}, []Option{WithClock(clock, nil), WithTick(10 * time.Millisecond)})
			// After the reboot the fresh monitor sends nothing until the host
			// asks again (S/5: re-request after 10 s of silence; IntelliVue: a
			// new association).
			e.waitUntil("values from the rebooted monitor", 15*time.Second, func() bool {
				return e.sim.Stats().Reboots == 1 && e.hasAll([]vitals.Kind{vitals.HR, vitals.SpO2}, start.Add(9*time.Second))
			})
			if prof == "datex" {
				// The S/5 host's re-request after 10 s of silence brought the
				// data back, before the device's 15 s watchdog would reopen.
				assert.EqualValues(t, 1, e.dev.Stats().Sessions, "recovered without reopening the port")
			}
		})
	}
}

// lockedHL7 lets the test read the HL7 sender's acknowledgement list while
// the simulator runs it.
type lockedHL7 struct {
	mu sync.Mutex
	em *hl7.Emulator
}

func (l *lockedHL7) Receive(p []byte, now time.Time) [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.em.Receive(p, now)
}

func (l *lockedHL7) Tick(now time.Time, s codec.PatientState) [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.em.Tick(now, s)
}

func (l *lockedHL7) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.em.Acked())
}

func TestHL7SendersGetTheirACKsOverThePty(t *testing.T) {
	noLeaks(t)
	sc, err := scenario.Builtin("stable-adult")
	require.NoError(t, err)
	p, _ := LookupProtocol("hl7")
	var mu sync.Mutex
	var sender *lockedHL7
	p.NewEmulator = func(c codec.Config) codec.Emulator {
		mu.Lock()
		defer mu.Unlock()
		sender = &lockedHL7{em: hl7.NewEmulator(c).(*hl7.Emulator)}
		return sender
	}
	clock := fastClock(5)
	e := runE2E(t, "hl7", sc, []Option{WithProtocol(p), WithClock(clock, nil)}, []Option{WithClock(clock, nil)})
	e.waitUntil("three acknowledged ORU messages", 20*time.Second, func() bool {
		mu.Lock()
		s := sender
		mu.Unlock()
		return s != nil && s.acked() >= 3
	})
}
