package intellivue

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// link runs host and emulator against each other in memory with a 50 ms
// tick and records every frame the host sends, with its time.
type link struct {
	host   *Host
	emu    codec.Emulator
	dec    codec.Decoder
	hostRx Decoder // decodes what the host sends, for assertions
	now    time.Time
	obs    []vitals.Observation
	waves  []vitals.Wave
	events []codec.Event
	toEmu  [][]byte
	sent   []sentFrame
	mute   bool // the monitor's output is lost
}

type sentFrame struct {
	at  time.Time
	rec string
}

func newLink(t *testing.T) *link {
	l := &link{host: NewMIBHost(), emu: NewEmulator(codec.Config{}).(*Emulator), dec: NewCodec(codec.Config{DeviceID: "mp"}), now: t0}
	l.send(t, l.host.Open(l.now))
	return l
}

func (l *link) send(t *testing.T, frames [][]byte) {
	for _, f := range frames {
		l.hostRx.Feed(f)
		require.True(t, l.hostRx.Scan(), "the host sent a frame that does not decode")
		l.sent = append(l.sent, sentFrame{l.now, describe(l.hostRx.Record())})
		l.toEmu = append(l.toEmu, f)
	}
}

func describe(r Record) string {
	switch r := r.(type) {
	case *AssociationRequest:
		return "aarq"
	case *MDSCreateResult:
		return "mds-result"
	case *PollRequest:
		if r.Extended {
			return "ext-poll"
		}
		return "keep-alive"
	case *Abort:
		return "abort"
	case *ReleaseRequest:
		return "release"
	case *ReleaseResponse:
		return "release-response"
	}
	return "other"
}

func (l *link) count(rec string) int {
	n := 0
	for _, s := range l.sent {
		if s.rec == rec {
			n++
		}
	}
	return n
}

func (l *link) run(t *testing.T, d time.Duration, s codec.PatientState) {
	end := l.now.Add(d)
	for l.now.Before(end) {
		var fromEmu [][]byte
		for _, f := range l.toEmu {
			fromEmu = append(fromEmu, l.emu.Receive(f, l.now)...)
		}
		l.toEmu = nil
		fromEmu = append(fromEmu, l.emu.Tick(l.now, s)...)
		if l.mute {
			fromEmu = nil
		}
		for _, f := range fromEmu {
			l.dec.Feed(f)
			for l.dec.Scan() {
				l.obs = append(l.obs, l.dec.Observations(l.now)...)
				l.waves = append(l.waves, l.dec.Waves(l.now)...)
				l.events = append(l.events, l.dec.(codec.EventSource).Events(l.now)...)
				l.send(t, l.host.Received(l.dec.Record(), l.now))
			}
		}
		l.send(t, l.host.Tick(l.now))
		l.now = l.now.Add(50 * time.Millisecond)
	}
}

// latest returns the last observation of each kind.
func (l *link) latest() map[vitals.Kind]vitals.Observation { return codectest.Latest(l.obs) }

func TestHostAndEmulatorConverseEndToEnd(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	l.run(t, 30*time.Second, s)

	assert.Equal(t, StatePolling, l.host.State())
	assert.Zero(t, l.dec.Stats().TotalErrors())
	latest := l.latest()
	for k, v := range s.Values {
		o, ok := latest[k]
		require.True(t, ok, "no %s observation", k)
		assert.Equal(t, vitals.Valid, o.Quality, "%s quality", k)
		assert.InDelta(t, v, o.Value, 1e-9, "%s: patient has %v, decoded %v", k, v, o.Value)
		assert.Equal(t, "mp", o.Source)
	}
	// Numerics every 1,024 ms for 30 s: 30 results of 6 values and the
	// NIBP measured at start, once (its repeats are dropped).
	assert.InDelta(t, 30*6+3, len(l.obs), 6)

	var ecg []float64
	for _, w := range l.waves {
		require.Equal(t, vitals.WaveECG, w.Kind)
		assert.Equal(t, 250.0, w.Rate)
		assert.Equal(t, vitals.MilliVolt, w.Unit)
		assert.Equal(t, vitals.Valid, w.Quality)
		ecg = append(ecg, w.Samples...)
	}
	assert.InDelta(t, 30*250, len(ecg), 64, "ECG at 250/s")
	// The first samples are the patient's ECG at 4 ms steps from the poll.
	// aarq, mds-result, ext-poll, ext-poll; the link delivers the host's
	// frames to the monitor on the next 50 ms tick.
	pollAt := l.sent[2].at.Add(50 * time.Millisecond)
	for i := range 64 {
		want := s.ECG(pollAt.Add(time.Duration(i) * 4 * time.Millisecond))
		assert.InDelta(t, want, ecg[i], 0.0025, "sample %d", i)
	}
	assert.Equal(t, []string{"aarq", "mds-result", "ext-poll", "ext-poll"}, []string{l.sent[0].rec, l.sent[1].rec, l.sent[2].rec, l.sent[3].rec})
	assert.InDelta(t, 30/5, l.count("keep-alive"), 1, "a keep-alive every 5 s")
	assert.Equal(t, 1, l.count("aarq"))
}

func TestMDSCreateResultEchoesTheInvokeID(t *testing.T) {
	h := NewMIBHost()
	h.Open(t0)
	h.Received(&AssociationAccept{}, t0)
	frames := h.Received(&MDSCreateEvent{InvokeID: 0xBEEF, Confirmed: true, Object: MDSObject, EventTime: 777}, t0)
	require.NotEmpty(t, frames)
	var d Decoder
	d.Feed(frames[0])
	require.True(t, d.Scan())
	assert.Equal(t, &MDSCreateResult{InvokeID: 0xBEEF, Object: MDSObject, CurrentTime: 777}, d.Record())
	assert.Equal(t, StatePolling, h.State())
}

func TestDemoAndLeadsOff(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	s.Demo = true
	l.run(t, 5*time.Second, s)
	for _, o := range l.obs {
		assert.Equal(t, vitals.Demo, o.Quality, "%s of a demo monitor", o.Kind)
	}
	require.NotEmpty(t, l.waves)
	assert.Equal(t, vitals.Demo, l.waves[0].Quality)

	s = codectest.StableAdult()
	s.LeadsOff = true
	delete(s.Values, vitals.EtCO2)
	l.obs, l.waves = nil, nil
	l.run(t, 3*time.Second, s)
	latest := l.latest()
	assert.Equal(t, vitals.Invalid, latest[vitals.HR].Quality, "no HR with the leads off")
	assert.NotContains(t, latest, vitals.EtCO2, "an absent kind is not measured")
	assert.Equal(t, vitals.Valid, latest[vitals.SpO2].Quality)
	assert.Equal(t, vitals.Invalid, l.waves[len(l.waves)-1].Quality)
}

func TestReAssociationAfterAbortRefusalAndSilence(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	l.run(t, 3*time.Second, s)
	require.Equal(t, StatePolling, l.host.State())

	// The monitor aborts (e.g. its MIB port was reconfigured).
	l.emu = NewEmulator(codec.Config{}).(*Emulator)
	l.send(t, l.host.Received(&Abort{}, l.now))
	assert.Equal(t, StateAssociating, l.host.State())
	l.run(t, 2*time.Second, s)
	assert.Equal(t, 2, l.count("aarq"), "one new association after the abort")
	assert.Equal(t, StatePolling, l.host.State())

	// The cable is pulled: silence.
	l.mute = true
	n := l.count("aarq")
	l.run(t, Silence-time.Second, s)
	assert.Equal(t, n, l.count("aarq"), "no re-association before 10 s of silence")
	l.run(t, 2*time.Second, s)
	assert.Equal(t, n+1, l.count("aarq"))
	assert.Equal(t, 1, l.count("abort"), "the lost association is aborted first")
	l.mute = false
	l.run(t, AssociationRetry+time.Second, s)
	assert.Equal(t, StatePolling, l.host.State(), "back to polling after the cable returns")

	// A refusal waits RefusedRetry before asking again.
	h := NewMIBHost()
	h.Open(t0)
	h.Received(&AssociationRefuse{}, t0)
	assert.Equal(t, StateRefused, h.State())
	assert.Empty(t, h.Tick(t0.Add(RefusedRetry-time.Millisecond)))
	assert.Len(t, h.Tick(t0.Add(RefusedRetry)), 1)
	assert.Equal(t, StateAssociating, h.State())
}

func TestMissingMDSCreateEventRestartsTheAssociation(t *testing.T) {
	h := NewMIBHost()
	h.Open(t0)
	h.Received(&AssociationAccept{}, t0)
	assert.Equal(t, StateAwaitingMDS, h.State())
	assert.Empty(t, h.Tick(t0.Add(MDSCreateTimeout-time.Millisecond)))
	frames := h.Tick(t0.Add(MDSCreateTimeout))
	require.Len(t, frames, 2)
	var d Decoder
	d.Feed(frames[0])
	d.Feed(frames[1])
	require.True(t, d.Scan())
	assert.IsType(t, &Abort{}, d.Record())
	require.True(t, d.Scan())
	assert.IsType(t, &AssociationRequest{}, d.Record())
}

func TestExtendedPollsAreRenewedBeforeTheyExpire(t *testing.T) {
	l := newLink(t)
	l.run(t, 10*time.Minute+10*time.Second, codectest.StableAdult())
	assert.Equal(t, 6, l.count("ext-poll"), "three polls (numerics, waves, alarms) at the start, three renewals at 9 minutes")
	var polls []time.Time
	for _, f := range l.sent {
		if f.rec == "ext-poll" {
			polls = append(polls, f.at)
		}
	}
	require.Len(t, polls, 6)
	assert.Equal(t, PollRenew, polls[3].Sub(polls[0]), "renewed after 9 minutes, before the 10-minute poll ends")
	last := l.latest()
	assert.Equal(t, vitals.Valid, last[vitals.HR].Quality)
	assert.WithinDuration(t, l.now, last[vitals.HR].HostTime, 2*time.Second, "numerics still flow after 10 minutes")
}

func TestHostNeverSendsMoreThanFourFramesPer128ms(t *testing.T) {
	h := NewMIBHost()
	now := t0
	var times []time.Time
	record := func(frames [][]byte) {
		for range frames {
			times = append(times, now)
		}
	}
	record(h.Open(now))
	record(h.Received(&AssociationAccept{}, now))
	// A burst: a monitor that sends the MDS Create Event again and again;
	// each asks for the result and three polls (4 frames), all at once.
	for i := range 12 {
		record(h.Received(&MDSCreateEvent{InvokeID: uint16(i)}, now))
	}
	assert.Len(t, times, 4, "only four frames leave at once")
	assert.Positive(t, h.Queued())
	for h.Queued() > 0 {
		now = now.Add(10 * time.Millisecond)
		record(h.Tick(now))
	}
	assert.Len(t, times, 1+4*12, "every frame goes out in the end")
	for i := RateFrames; i < len(times); i++ {
		assert.GreaterOrEqual(t, times[i].Sub(times[i-RateFrames]), RateWindow,
			"frames %d and %d went out %v apart", i-RateFrames, i, times[i].Sub(times[i-RateFrames]))
	}
}

func TestTheQueueIsBounded(t *testing.T) {
	h := NewMIBHost()
	h.Open(t0)
	for i := range 100 {
		h.Received(&MDSCreateEvent{InvokeID: uint16(i)}, t0)
	}
	assert.Equal(t, MaxQueue, h.Queued())
	h.Received(&Abort{}, t0)
	assert.Equal(t, 1, h.Queued(), "a new association drops the frames of the old one")
}

func TestReleaseEndsTheConversation(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	l.run(t, 2*time.Second, s)
	l.send(t, l.host.Release(l.now))
	assert.Equal(t, StateReleasing, l.host.State())
	l.run(t, time.Second, s)
	assert.Equal(t, StateReleased, l.host.State())
	n := len(l.obs)
	l.run(t, 15*time.Second, s)
	assert.Equal(t, n, len(l.obs), "the monitor stops after the release")
	assert.Equal(t, 1, l.count("aarq"), "a released host does not re-associate")
}

func TestMonitorInitiatedReleaseIsConfirmedAndReAssociated(t *testing.T) {
	h := NewMIBHost()
	h.Open(t0)
	frames := h.Received(&ReleaseRequest{}, t0.Add(time.Second))
	require.Len(t, frames, 2)
	var d Decoder
	d.Feed(frames[0])
	d.Feed(frames[1])
	require.True(t, d.Scan())
	assert.IsType(t, &ReleaseResponse{}, d.Record())
	require.True(t, d.Scan())
	assert.IsType(t, &AssociationRequest{}, d.Record())
}

// oldFirmwareMonitor is a freshly booted monitor that answers polls from a
// host it has no association with by a remote error of errValue instead
// of an abort (as this package's emulator did before, and as a monitor
// may): the host must take repeated errors as a lost association.
type oldFirmwareMonitor struct {
	inner      *Emulator
	dec        Decoder
	associated bool
	errValue   uint16
}

func (m *oldFirmwareMonitor) Receive(p []byte, now time.Time) [][]byte {
	m.dec.Feed(p)
	var out [][]byte
	for m.dec.Scan() {
		rec := m.dec.Record()
		if _, ok := rec.(*AssociationRequest); ok {
			m.associated = true
		}
		if !m.associated {
			if r, ok := rec.(*PollRequest); ok {
				out = append(out, frameOrNil(&RemoteError{InvokeID: r.InvokeID, ErrorValue: m.errValue}))
			}
			continue
		}
		out = append(out, m.inner.Receive(frameOrNil(rec), now)...)
	}
	return out
}

func (m *oldFirmwareMonitor) Tick(now time.Time, s codec.PatientState) [][]byte {
	return m.inner.Tick(now, s)
}

func TestAHostReassociatesPromptlyAfterAMonitorReboot(t *testing.T) {
	fresh := func() codec.Emulator { return NewEmulator(codec.Config{}) }
	for _, tc := range []struct {
		name    string
		monitor func() codec.Emulator
		boot    time.Duration // the rebooting monitor hears and sends nothing
	}{
		{"a rebooted monitor aborts the old association's polls", fresh, 0},
		{"a monitor that takes 3 s to boot is asked again once it is up", fresh, 3 * time.Second},
		{"a monitor that answers with access denied is associated again at once", func() codec.Emulator {
			return &oldFirmwareMonitor{inner: NewEmulator(codec.Config{}).(*Emulator), errValue: ErrAccessDenied}
		}, 0},
		{"a monitor that answers with processing failures is associated again after two", func() codec.Emulator {
			return &oldFirmwareMonitor{inner: NewEmulator(codec.Config{}).(*Emulator), errValue: ErrProcessingFailure}
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLink(t)
			s := codectest.StableAdult()
			l.run(t, 10*time.Second, s)
			require.Equal(t, StatePolling, l.host.State())
			aarqs := l.count("aarq")

			// The monitor reboots: the old instance and its association are
			// gone; the new one answers once it has booted.
			reboot := l.now
			l.emu, l.mute, l.obs, l.waves = tc.monitor(), tc.boot > 0, nil, nil
			if tc.boot > 0 {
				l.run(t, tc.boot, s)
				l.mute = false
			}
			up := l.now
			l.run(t, RebootRecovery, s)

			assert.Equal(t, aarqs+1, l.count("aarq"), "exactly one new association")
			assert.Equal(t, StatePolling, l.host.State())
			var hr *vitals.Observation
			for i, o := range l.obs {
				if o.Kind == vitals.HR && o.Quality == vitals.Valid {
					hr = &l.obs[i]
					break
				}
			}
			require.NotNil(t, hr, "a valid heart rate within %v of the monitor coming up", RebootRecovery)
			assert.False(t, hr.HostTime.After(up.Add(RebootRecovery)))
			assert.Less(t, hr.HostTime.Sub(reboot), Silence, "recovered before the 10 s silence rule would have")
			require.NotEmpty(t, l.waves, "ECG again")
			assert.Equal(t, vitals.Valid, l.waves[len(l.waves)-1].Quality)

			// The rate limit held throughout.
			for i := RateFrames; i < len(l.sent); i++ {
				assert.GreaterOrEqual(t, l.sent[i].at.Sub(l.sent[i-RateFrames].at), RateWindow, "frames %d and %d", i-RateFrames, i)
			}
		})
	}
}

func TestRemoteErrorsToPollsEndTheAssociation(t *testing.T) {
	polling := func() *Host {
		h := NewMIBHost()
		h.Open(t0)
		h.Received(&AssociationAccept{}, t0)
		h.Received(&MDSCreateEvent{InvokeID: 1}, t0)
		for h.Queued() > 0 {
			h.Tick(t0.Add(time.Second))
		}
		require.Equal(t, StatePolling, h.State())
		return h
	}
	records := func(frames [][]byte) []string {
		var d Decoder
		var out []string
		for _, f := range frames {
			d.Feed(f)
			for d.Scan() {
				out = append(out, describe(d.Record()))
			}
		}
		return out
	}
	at := t0.Add(2 * time.Second)

	for _, v := range []uint16{ErrAccessDenied, ErrNoSuchObjectInstance, ErrInvalidObjectInstance} {
		h := polling()
		assert.Equal(t, []string{"abort", "aarq"}, records(h.Received(&RemoteError{InvokeID: 9, ErrorValue: v}, at)), "error value %d means no association", v)
		assert.Equal(t, StateAssociating, h.State())
	}

	h := polling()
	assert.Equal(t, []string{"keep-alive"}, records(h.Received(&RemoteError{InvokeID: 9, ErrorValue: ErrProcessingFailure}, at)),
		"one other error: probe the association at once")
	assert.Equal(t, StatePolling, h.State())
	h.Received(&PollResult{}, at)
	h.Received(&RemoteError{InvokeID: 10, ErrorValue: ErrProcessingFailure}, at)
	assert.Equal(t, StatePolling, h.State(), "a poll result between two errors keeps the association")
	assert.Equal(t, []string{"abort", "aarq"}, records(h.Received(&RemoteError{InvokeID: 11, ErrorValue: ErrProcessingFailure}, at.Add(time.Second))),
		"two errors in a row end it")
	assert.Equal(t, StateAssociating, h.State())

	h = polling()
	assert.Empty(t, records(h.Tick(at)), "data flowed at t0")
	assert.Equal(t, []string{"keep-alive"}, records(h.Tick(t0.Add(DataQuiet))), "3 s without a poll result: probe before the 5 s keep-alive")
	assert.Empty(t, records(h.Tick(t0.Add(DataQuiet+time.Second))), "at most one probe per DataQuiet")
}

func TestARebootedEmulatorAbortsPollsWithoutAnAssociation(t *testing.T) {
	e := NewEmulator(codec.Config{})
	for _, r := range []Record{
		&PollRequest{InvokeID: 3, PollNumber: 1, Partition: PartitionObj, ObjectType: ClassMDS},
		&MDSCreateResult{InvokeID: 1, Object: MDSObject},
	} {
		out := e.Receive(frameOrNil(r), t0)
		require.Len(t, out, 1)
		var d Decoder
		d.Feed(out[0])
		require.True(t, d.Scan())
		assert.IsType(t, &Abort{}, d.Record(), "%T outside an association", r)
	}
}
