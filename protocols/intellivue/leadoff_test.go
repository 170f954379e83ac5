package intellivue

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

// markedWave is a sample-array result of physio with the given state whose
// samples are raw (before scaling); the static attributes announce the
// invalid mask 0x8000 and the pacer mask 0x4000 when masks is set.
func markedWave(physio, state uint16, raw []uint16, masks bool) *PollResult {
	samples := make([]byte, 0, 2*len(raw))
	for _, r := range raw {
		samples = be16(samples, r)
	}
	attrs := []Attribute{
		{ID: AttrSaObs, Value: AppendSaObs(nil, physio, state, samples)},
		{ID: AttrSamplePd, Value: be32(nil, 32)},
		{ID: AttrSaSpec, Value: AppendSaSpec(nil, uint16(len(raw)), 16, 14, SaExtValRange)},
		{ID: AttrScale, Value: AppendScale(nil, ecgScale)},
		{ID: AttrUnit, Value: be16(nil, UnitMV)},
	}
	if masks {
		attrs = append(attrs, Attribute{ID: AttrSaFixedVal, Value: AppendSaFixedVal(nil,
			[2]uint16{SaFixInvalidMask, 0x8000}, [2]uint16{SaFixPacerMask, 0x4000})})
	}
	return &PollResult{InvokeID: 2, Object: MDSObject, Extended: true, PollNumber: 2, AbsTime: MakeAbsoluteTime(resultTime),
		Partition: PartitionObj, ObjectType: ClassRTSA, Contexts: []PollContext{{Objects: []PollObject{{Handle: 0x10, Attributes: attrs}}}}}
}

func TestLeadOffOnIntelliVueECGWaves(t *testing.T) {
	const base = 8192 // 0 mV
	for _, tc := range []struct {
		name    string
		physio  uint16
		state   uint16
		raw     []uint16
		masks   bool
		leadOff bool
		quality vitals.Quality
		nan     int // samples that must be NaN
		pacer   bool
	}{
		{"a valid ECG array is not lead-off", PhysioECGII, 0, []uint16{base, base + 10}, true, false, vitals.Valid, 0, false},
		{"an ECG array in the invalid state is lead-off", PhysioECGII, StateInvalid, []uint16{base, base}, false, true, vitals.Invalid, 0, false},
		{"an ECG array in the unavailable state is lead-off", PhysioECGII, StateUnavailable, []uint16{base, base}, false, true, vitals.Invalid, 0, false},
		{"an ECG array whose every sample is marked invalid is lead-off", PhysioECGII, 0, []uint16{0x8000 | base, 0x8000 | base}, true, true, vitals.Invalid, 2, false},
		{"a few invalid samples are gaps, not lead-off", PhysioECGII, 0, []uint16{0x8000 | base, base + 10}, true, false, vitals.Valid, 1, false},
		{"a sample with the pacer mark sets pacer and keeps its value", PhysioECGII, 0, []uint16{0x4000 | base, base}, true, false, vitals.Valid, 0, true},
		{"without announced masks the top bits are only masked off", PhysioECGII, 0, []uint16{0x8000 | base, base}, false, false, vitals.Valid, 0, false},
		{"an invalid pleth array is invalid but not lead-off", PhysioPleth, StateInvalid, []uint16{base, base}, true, false, vitals.Invalid, 0, false},
		{"a demo ECG array is demo, not lead-off", PhysioECGII, StateDemoData, []uint16{base, base}, true, false, vitals.Demo, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d Decoder
			d.Feed(frame(t, markedWave(tc.physio, tc.state, tc.raw, tc.masks)))
			require.True(t, d.Scan())
			w := d.Waves(time.Time{})
			require.Len(t, w, 1)
			assert.Equal(t, tc.leadOff, w[0].LeadOff)
			assert.Equal(t, tc.quality, w[0].Quality)
			assert.Equal(t, tc.pacer, w[0].Pacer)
			nan := 0
			for _, v := range w[0].Samples {
				if math.IsNaN(v) {
					nan++
				} else {
					assert.InDelta(t, 0, v, 0.06, "a marked or masked sample keeps its value")
				}
			}
			assert.Equal(t, tc.nan, nan)
		})
	}
}

// The emulator marks the leads off as a real monitor shows them on the
// wave (invalid state, every sample with the announced invalid mask), the
// decoder reports LeadOff, and no valid heart rate comes with it.
func TestEmulatedLeadsOffGiveLeadOffWavesAndNoValidHeartRate(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	l.run(t, 3*time.Second, s)
	require.NotEmpty(t, l.waves)
	for _, w := range l.waves {
		assert.False(t, w.LeadOff, "leads on")
	}

	s.LeadsOff = true
	l.obs, l.waves = nil, nil
	l.run(t, 3*time.Second, s)
	require.NotEmpty(t, l.waves)
	for _, w := range l.waves {
		require.Equal(t, vitals.WaveECG, w.Kind)
		assert.True(t, w.LeadOff, "every ECG block with the leads off")
		assert.Equal(t, vitals.Invalid, w.Quality)
		for _, v := range w.Samples {
			assert.True(t, math.IsNaN(v), "no ECG voltage with the leads off")
		}
	}
	var hr, rr int
	for _, o := range l.obs {
		switch o.Kind {
		case vitals.HR:
			hr++
			assert.NotEqual(t, vitals.Valid, o.Quality, "no valid HR with the leads off")
		case vitals.RR:
			rr++
			assert.NotEqual(t, vitals.Valid, o.Quality, "no valid impedance RR with the leads off")
		}
	}
	assert.Positive(t, hr, "the HR numeric is still sent, marked invalid")
	assert.Positive(t, rr, "the impedance RR numeric is still sent, marked invalid")

	// Leads back on: valid again, on the same poll (the masks were learned
	// once, at the start of the poll).
	s.LeadsOff = false
	l.obs, l.waves = nil, nil
	l.run(t, 2*time.Second, s)
	require.NotEmpty(t, l.waves)
	last := l.waves[len(l.waves)-1]
	assert.False(t, last.LeadOff)
	assert.Equal(t, vitals.Valid, last.Quality)
	assert.Equal(t, vitals.Valid, codectest.Latest(l.obs)[vitals.HR].Quality)
}

// Observations never yields a valid heart rate from a numerics result whose
// ECG HR is invalid or not a number, whatever else the state says.
func TestNoValidHeartRateFromAnInvalidECGNumeric(t *testing.T) {
	for _, tc := range []struct {
		name  string
		state uint16
		value Float
	}{
		{"invalid state", StateInvalid, MakeFloat(72)},
		{"NaN value", 0, FloatNaN},
		{"invalid state and NaN, as the emulator sends with the leads off", StateInvalid, FloatNaN},
		{"unavailable", StateUnavailable, MakeFloat(72)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &PollResult{Object: MDSObject, Extended: true, AbsTime: MakeAbsoluteTime(resultTime), Partition: PartitionObj, ObjectType: ClassNumeric,
				Contexts: []PollContext{{Objects: []PollObject{{Handle: 1, Attributes: []Attribute{{ID: AttrNuObs, Value: AppendNuObs(nil, PhysioECGHR, tc.state, UnitBPM, tc.value)}}}}}}}
			var c = NewCodec(codec.Config{})
			c.Feed(frame(t, r))
			require.True(t, c.Scan())
			obs := c.Observations(time.Time{})
			require.Len(t, obs, 1)
			assert.Equal(t, vitals.HR, obs[0].Kind)
			assert.Equal(t, vitals.Invalid, obs[0].Quality)
		})
	}
}

// The ECG heart rate arrives in numerics results, the lead-off in
// sample-array results: the codec remembers the ECG's state, so a monitor
// that still reports a valid HR while its ECG says leads off gives no
// valid HR.
func TestTheCodecGivesNoValidHeartRateWhileTheECGIsLeadOff(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "mp"})
	hrQuality := func() vitals.Quality {
		t.Helper()
		c.Feed(frame(t, numericsResult(72, 0)))
		require.True(t, c.Scan())
		q, ok := vitals.Quality(255), false
		for _, o := range c.Observations(time.Time{}) {
			switch o.Kind {
			case vitals.HR:
				q, ok = o.Quality, true
			case vitals.RR:
				// Impedance respiration goes through the same leads.
				assert.Equal(t, q, o.Quality, "impedance RR (handle 5) shares the HR's fate")
			default:
				assert.Equal(t, vitals.Valid, o.Quality, "%s is not from the ECG", o.Kind)
			}
		}
		require.True(t, ok, "the numerics carry an HR")
		return q
	}
	feed := func(r Record) {
		t.Helper()
		c.Feed(frame(t, r))
		require.True(t, c.Scan())
	}
	const base = 8192
	twoLeads := func(stateII, stateV uint16) *PollResult {
		r := markedWave(PhysioECGII, stateII, []uint16{base, base}, true)
		o := &r.Contexts[0].Objects[0]
		o.Attributes = append(o.Attributes, Attribute{ID: AttrSaObs, Value: AppendSaObs(nil, 0x0103, stateV, be16(be16(nil, base), base))})
		return r
	}

	assert.Equal(t, vitals.Valid, hrQuality(), "no ECG seen yet")
	feed(markedWave(PhysioECGII, 0, []uint16{0x8000 | base, 0x8000 | base}, true))
	assert.Equal(t, vitals.Invalid, hrQuality(), "the only ECG is lead-off")
	feed(markedWave(PhysioPleth, 0, []uint16{base, base}, true))
	assert.Equal(t, vitals.Invalid, hrQuality(), "a pleth result says nothing about the ECG")
	feed(markedWave(PhysioECGII, 0, []uint16{base, base}, true))
	assert.Equal(t, vitals.Valid, hrQuality(), "leads back on")
	feed(twoLeads(0, StateInvalid))
	assert.Equal(t, vitals.Valid, hrQuality(), "one chest lead off leaves lead II")
	feed(twoLeads(StateInvalid, StateInvalid))
	assert.Equal(t, vitals.Invalid, hrQuality(), "every lead off")
	feed(&AssociationAccept{})
	assert.Equal(t, vitals.Valid, hrQuality(), "a new association forgets the old ECG")
}

// With the ECG lead-off, the impedance respiration rate (NOM_RESP_RATE,
// measured between the ECG electrodes) is no measurement either, but the
// airway respiration rate (NOM_AWAY_RESP_RATE, from CO2) is unaffected.
func TestLeadsOffInvalidateImpedanceButNotAirwayRespiration(t *testing.T) {
	c := NewCodec(codec.Config{})
	c.Feed(frame(t, markedWave(PhysioECGII, 0, []uint16{0x8000 | 8192, 0x8000 | 8192}, true)))
	require.True(t, c.Scan())
	nu := func(physio uint16, v float64) Attribute {
		return Attribute{ID: AttrNuObs, Value: AppendNuObs(nil, physio, 0, UnitPerMin, MakeFloat(v))}
	}
	r := &PollResult{Object: MDSObject, Extended: true, AbsTime: MakeAbsoluteTime(resultTime), Partition: PartitionObj, ObjectType: ClassNumeric,
		Contexts: []PollContext{{Objects: []PollObject{
			{Handle: 5, Attributes: []Attribute{nu(PhysioRR, 15)}},
			{Handle: 8, Attributes: []Attribute{nu(PhysioAwayRR, 14)}},
		}}}}
	c.Feed(frame(t, r))
	require.True(t, c.Scan())
	obs := c.Observations(time.Time{})
	require.Len(t, obs, 2)
	assert.Equal(t, vitals.Invalid, obs[0].Quality, "impedance RR with the leads off")
	assert.Zero(t, obs[0].Value)
	assert.Equal(t, vitals.Valid, obs[1].Quality, "airway RR does not use the leads")
	assert.Equal(t, 14.0, obs[1].Value)
}
