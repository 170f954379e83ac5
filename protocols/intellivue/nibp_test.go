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

// nibpResult is numericsResult sent at `at`, with NIBP sbp, its own time
// stamp measured, and state ORed into the NIBP numerics.
func nibpResult(at, measured time.Time, sbp float64, state uint16) *PollResult {
	r := numericsResult(72, 0)
	r.AbsTime = MakeAbsoluteTime(at)
	stamp := MakeAbsoluteTime(measured)
	r.Contexts[0].Objects[3].Attributes = []Attribute{{ID: AttrNuObsCmp, Value: AppendNuObsCmp(nil, []Numeric{
		{PhysioID: PhysioNIBPSys, State: state, Unit: UnitMmHg, Value: MakeFloat(sbp)},
		{PhysioID: PhysioNIBPDia, State: state, Unit: UnitMmHg, Value: MakeFloat(75)},
		{PhysioID: PhysioNIBPMean, State: state, Unit: UnitMmHg, Value: MakeFloat(90)},
	})}, {ID: AttrAbsTime, Value: stamp[:]}}
	return r
}

// nibpOf feeds the results to one codec, one at a time, and returns the
// NIBP observations of each (sbp, dbp, map; none when dropped).
func nibpOf(t *testing.T, rs ...*PollResult) [][]vitals.Observation {
	t.Helper()
	c := NewCodec(codec.Config{DeviceID: "mp"})
	var out [][]vitals.Observation
	for _, r := range rs {
		c.Feed(frame(t, r))
		require.True(t, c.Scan())
		var nibp []vitals.Observation
		for _, o := range c.Observations(t0) {
			if o.Kind.BloodPressure() {
				nibp = append(nibp, o)
			}
		}
		out = append(out, nibp)
		require.False(t, c.Scan())
	}
	return out
}

// A result every second for 11 minutes: a measurement at 0 s repeated with
// its stamp, a new one at 300 s, and one at 600 s with the values of 300 s.
func TestRepeatsOfAnNIBPMeasurementAreDroppedUntilTheNextMeasurement(t *testing.T) {
	var rs []*PollResult
	for s := range 660 {
		at := t0.Add(time.Duration(s) * time.Second)
		measured := t0.Add(time.Duration(s/300*300) * time.Second)
		sbp := 121.0
		if s >= 300 {
			sbp = 134
		}
		rs = append(rs, nibpResult(at, measured, sbp, 0))
	}
	got := nibpOf(t, rs...)
	for s, obs := range got {
		if s%300 != 0 {
			assert.Empty(t, obs, "result at %d s repeats the measurement", s)
			continue
		}
		require.Len(t, obs, 3, "result at %d s carries a new measurement", s)
		for _, o := range obs {
			assert.Equal(t, vitals.Valid, o.Quality, "%s at %d s", o.Kind, s)
			assert.Equal(t, t0.Add(time.Duration(s)*time.Second), o.DeviceTime, "the measurement's own time")
		}
	}
	assert.Equal(t, []float64{121, 134, 134}, []float64{got[0][0].Value, got[300][0].Value, got[600][0].Value})
}

// dropped stands for a result whose NIBP is a repeat and gives nothing.
const dropped vitals.Quality = 255

func TestTheFirstSightOfAnNIBPDecidesItsQuality(t *testing.T) {
	sec := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	tests := []struct {
		name string
		rs   []*PollResult
		want []vitals.Quality // per result: the NIBP quality, or dropped
	}{
		{"a stream that starts with an NIBP 61 s old shows it once as questionable",
			[]*PollResult{nibpResult(sec(61), sec(0), 121, 0), nibpResult(sec(62), sec(0), 121, 0), nibpResult(sec(400), sec(0), 121, 0)},
			[]vitals.Quality{vitals.Questionable, dropped, dropped}},
		{"a stream that starts with an NIBP 60 s old shows it once as valid",
			[]*PollResult{nibpResult(sec(60), sec(0), 121, 0), nibpResult(sec(61), sec(0), 121, 0)},
			[]vitals.Quality{vitals.Valid, dropped}},
		{"after an old NIBP a new measurement is valid",
			[]*PollResult{nibpResult(sec(100), sec(0), 121, 0), nibpResult(sec(101), sec(0), 121, 0), nibpResult(sec(300), sec(299), 121, 0), nibpResult(sec(301), sec(299), 121, 0)},
			[]vitals.Quality{vitals.Questionable, dropped, vitals.Valid, dropped}},
		{"an invalid NIBP is shown each time and the next one is a first sight",
			[]*PollResult{nibpResult(sec(0), sec(0), 121, 0), nibpResult(sec(1), sec(0), 121, StateInvalid), nibpResult(sec(2), sec(0), 121, StateInvalid), nibpResult(sec(100), sec(0), 121, 0)},
			[]vitals.Quality{vitals.Valid, vitals.Invalid, vitals.Invalid, vitals.Questionable}},
		{"demo data is emitted once like any other measurement",
			[]*PollResult{nibpResult(sec(0), sec(0), 121, StateDemoData), nibpResult(sec(1), sec(0), 121, StateDemoData)},
			[]vitals.Quality{vitals.Demo, dropped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nibpOf(t, tt.rs...)
			require.Len(t, got, len(tt.want))
			for i, w := range tt.want {
				if w == dropped {
					assert.Empty(t, got[i], "result %d is a repeat", i)
					continue
				}
				require.Len(t, got[i], 3, "result %d", i)
				for _, o := range got[i] {
					assert.Equal(t, w, o.Quality, "result %d %s", i, o.Kind)
				}
			}
		})
	}
}

// Without a time stamp of its own an NIBP cannot be told from a repeat: it
// is passed on every time, as before.
func TestAnNIBPWithoutItsOwnTimeStampIsPassedOnEachTime(t *testing.T) {
	r := nibpResult(t0, t0, 121, 0)
	r.Contexts[0].Objects[3].Attributes = r.Contexts[0].Objects[3].Attributes[:1]
	got := nibpOf(t, r, r, r)
	for i := range got {
		assert.Len(t, got[i], 3, "result %d", i)
	}
}

func TestObservationsOfOneResultAreTheSameWhenAskedTwice(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "mp"})
	for i := range 2 {
		c.Feed(frame(t, nibpResult(t0.Add(time.Duration(i)*time.Second), t0, 121, 0)))
		require.True(t, c.Scan())
		first, again := c.Observations(t0), c.Observations(t0.Add(time.Second))
		require.Len(t, again, len(first), "result %d", i)
		assert.Len(t, first, []int{9, 6}[i], "result %d: the second repeats the NIBP", i)
		for j := range first {
			assert.Equal(t, first[j].Kind, again[j].Kind)
			assert.Equal(t, first[j].Value, again[j].Value)
			assert.Equal(t, first[j].Quality, again[j].Quality)
		}
	}
}

// The emulator measures at start and every 5 minutes; over 11 minutes the
// host sees those three measurements, valid, and nothing in between. The
// values are the patient's at the moment of each measurement.
func TestHostSeesTheEmulatorsThreeNIBPMeasurementsIn11Minutes(t *testing.T) {
	l := newLink(t)
	s := codectest.StableAdult()
	s.ECG = nil // no waves: 11 minutes of numerics are enough here
	var nibp []vitals.Observation
	for m := range 11 {
		s.Values[vitals.SBP] = float64(120 + m) // the patient's pressure drifts every minute
		l.run(t, time.Minute, s)
		for _, o := range l.obs {
			if o.Kind.BloodPressure() {
				nibp = append(nibp, o)
			}
		}
		l.obs, l.waves = nil, nil
	}
	require.Len(t, nibp, 9, "three measurements of sbp, dbp and map")
	for i, o := range nibp {
		at := t0.Add(time.Duration(i/3) * NIBPCycle)
		assert.Equal(t, vitals.Valid, o.Quality, "%s of measurement %d", o.Kind, i/3)
		assert.Equal(t, at, o.DeviceTime, "%s of measurement %d", o.Kind, i/3)
		assert.Equal(t, "mp", o.Source)
	}
	assert.Equal(t, []float64{120, 125, 130}, []float64{nibp[0].Value, nibp[3].Value, nibp[6].Value}, "sbp as the patient had it at 0, 5 and 10 min")
	assert.Equal(t, StatePolling, l.host.State())
	assert.Zero(t, l.dec.Stats().TotalErrors())
}
