package datex

import (
	"math"
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
// tick, as the device layer would over a serial line.
type link struct {
	host    *Host
	emu     *Emulator
	dec     codec.Decoder
	now     time.Time
	obs     []vitals.Observation
	waves   []vitals.Wave
	toEmu   [][]byte
	mute    bool // the emulator's output is lost (cable pulled)
	hostOut int  // frames the host has sent
}

func newLink() *link {
	l := &link{host: NewS5Host(), emu: NewEmulator(codec.Config{}).(*Emulator), dec: NewCodec(codec.Config{DeviceID: "s5"}), now: t0}
	l.toEmu = l.host.Open(l.now)
	l.hostOut = len(l.toEmu)
	return l
}

func (l *link) run(d time.Duration, s codec.PatientState) {
	end := l.now.Add(d)
	for l.now.Before(end) {
		for _, f := range l.toEmu {
			l.emu.Receive(f, l.now)
		}
		l.toEmu = nil
		for _, f := range l.emu.Tick(l.now, s) {
			if l.mute {
				continue
			}
			l.dec.Feed(f)
			for l.dec.Scan() {
				l.obs = append(l.obs, l.dec.Observations(l.now)...)
				l.waves = append(l.waves, l.dec.Waves(l.now)...)
				l.toEmu = append(l.toEmu, l.host.Received(l.dec.Record(), l.now)...)
			}
		}
		tick := l.host.Tick(l.now)
		l.hostOut += len(tick)
		l.toEmu = append(l.toEmu, tick...)
		l.now = l.now.Add(50 * time.Millisecond)
	}
}

// latest returns the last observation of each kind.
func (l *link) latest() map[vitals.Kind]vitals.Observation { return codectest.Latest(l.obs) }

func TestHostAndEmulatorConverseEndToEnd(t *testing.T) {
	l := newLink()
	s := codectest.StableAdult()
	l.run(30*time.Second, s)

	assert.Equal(t, StateLive, l.host.State())
	assert.Zero(t, l.dec.Stats().TotalErrors())
	latest := l.latest()
	for k, v := range s.Values {
		o, ok := latest[k]
		require.True(t, ok, "no %s observation", k)
		assert.Equal(t, vitals.Valid, o.Quality, "%s quality", k)
		assert.InDelta(t, v, o.Value, 0.005, "%s: patient has %v, decoded %v", k, v, o.Value)
		assert.Equal(t, "s5", o.Source)
	}
	// 30 s at one record per 5 s, nine values each, but the NIBP measured
	// at start only in the first: the other five repeat it.
	assert.Len(t, l.obs, 6*9-5*3)

	var ecg, pleth int
	for _, w := range l.waves {
		switch w.Kind {
		case vitals.WaveECG:
			ecg += len(w.Samples)
			assert.Equal(t, vitals.MicroVolt, w.Unit)
			assert.False(t, w.LeadOff)
		case vitals.WavePleth:
			pleth += len(w.Samples)
		}
	}
	assert.InDelta(t, 30*300, ecg, 60, "ECG at 300/s")
	assert.InDelta(t, 30*100, pleth, 20, "pleth at 100/s")
	// The ECG samples are the patient's mV times 1000.
	first := l.waves[0]
	require.Equal(t, vitals.WaveECG, first.Kind)
	for i, v := range first.Samples[:30] {
		tm := t0.Add(time.Duration(i) * time.Second / 300)
		assert.InDelta(t, math.Round(s.ECG(tm)*1000), v, 0.5, "sample %d", i)
	}
	assert.Equal(t, 3, l.hostOut, "a live monitor needs no further requests (values, alarms, waves)")
}

func TestLeadsOffAndAbsentKinds(t *testing.T) {
	l := newLink()
	s := codectest.StableAdult()
	s.LeadsOff = true
	delete(s.Values, vitals.EtCO2)
	delete(s.Values, vitals.Temp)
	l.run(6*time.Second, s)
	latest := l.latest()
	assert.Equal(t, vitals.Invalid, latest[vitals.HR].Quality, "no HR with the leads off")
	assert.NotContains(t, latest, vitals.EtCO2, "an absent kind is not measured")
	assert.NotContains(t, latest, vitals.Temp)
	assert.Equal(t, vitals.Invalid, latest[vitals.RR].Quality, "no impedance RR with the leads off, and no CO2 to fall back on")
	require.NotEmpty(t, l.waves)
	assert.True(t, l.waves[0].LeadOff)
	assert.Equal(t, vitals.Invalid, l.waves[0].Quality)
}

func TestHostReRequestsAfterSilence(t *testing.T) {
	l := newLink()
	s := codectest.StableAdult()
	l.run(5500*time.Millisecond, s) // the second record (at 5 s) is the last
	require.Equal(t, StateLive, l.host.State())
	sent := l.hostOut

	// The monitor reboots: it forgets the requests and sends nothing.
	l.emu = NewEmulator(codec.Config{}).(*Emulator)
	l.run(9*time.Second, s)
	assert.Equal(t, sent, l.hostOut, "no re-request before 10 s of silence")
	n := len(l.obs)
	l.run(3*time.Second, s)
	assert.Equal(t, sent+3, l.hostOut, "values, alarms and waves requested again")
	assert.Equal(t, StateLive, l.host.State())
	assert.Greater(t, len(l.obs), n, "data flows again")
}

func TestHostSweepsDRILevelsUntilDataComes(t *testing.T) {
	h := NewS5Host()
	h.Open(t0)
	assert.Equal(t, uint8(0), h.DRILevel())
	assert.Equal(t, StateRequesting, h.State())
	frames := h.Tick(t0.Add(DataSilence))
	require.Len(t, frames, 3)
	var d Decoder
	d.Feed(frames[0])
	require.True(t, d.Scan())
	req := d.Record().(*PHDBRequest)
	assert.Equal(t, uint8(12), req.DRILevel, "the second try uses the newest level")
	assert.Equal(t, int16(5), req.Interval)

	h.Tick(t0.Add(2 * DataSilence))
	assert.Equal(t, uint8(11), h.DRILevel(), "one more step after more silence")
	h.Received(samplePHDB(), t0.Add(2*DataSilence+time.Second))
	assert.Equal(t, StateLive, h.State())
	require.Len(t, h.Tick(t0.Add(4*DataSilence)), 3, "silence again: re-request")
	assert.Equal(t, uint8(11), h.DRILevel(), "a level that gave data is kept")
}

func TestStopCancelsValuesAndWaves(t *testing.T) {
	l := newLink()
	s := codectest.StableAdult()
	l.run(3*time.Second, s)
	for _, f := range l.host.Stop(l.now) {
		l.emu.Receive(f, l.now)
	}
	assert.Equal(t, StateStopped, l.host.State())
	n, w := len(l.obs), len(l.waves)
	l.run(12*time.Second, s)
	assert.Equal(t, n, len(l.obs), "no values after the cancel")
	assert.Equal(t, w, len(l.waves), "no waves after the stop")
	assert.Empty(t, l.host.Tick(l.now), "a stopped host does not re-request")
}
