package datex

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/protocols/codectest"
	"github.com/legevakt/workstation/triage/vitals"
)

// nibpRecord is samplePHDB at device time at, with the NIBP sys/dia/mean
// (1/100 mmHg) and, when old, the "older than 60 s" label bit.
func nibpRecord(at time.Time, sys, dia, mean Value, old bool) *PHDB {
	p := samplePHDB()
	b, _ := p.Subrecords[0].Basic()
	b.NIBP.Sys, b.NIBP.Dia, b.NIBP.Mean = sys, dia, mean
	if old {
		b.NIBP.Label |= NIBPOlder60s
	}
	b.Put(&p.Subrecords[0].Data)
	p.Subrecords[0].Time, p.Time = uint32(at.Unix()), uint32(at.Unix())
	return p
}

// nibpOf feeds the records to one codec, one at a time, and returns the
// NIBP observations of each record (sbp, dbp, map; none when dropped).
func nibpOf(t *testing.T, recs ...*PHDB) [][]vitals.Observation {
	t.Helper()
	c := NewCodec(codec.Config{DeviceID: "s5"})
	var out [][]vitals.Observation
	for _, r := range recs {
		f, err := AppendFrame(nil, r)
		require.NoError(t, err)
		c.Feed(f)
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

// A monitor's record every 5 s for 11 minutes: a measurement at 0 s, its
// repeats (the old bit from 65 s on), a new one at 300 s with other values,
// and one at 600 s with the values of 300 s.
func TestRepeatsOfAnNIBPMeasurementAreDroppedUntilTheNextMeasurement(t *testing.T) {
	var recs []*PHDB
	for s := 0; s < 660; s += 5 {
		at := t0.Add(time.Duration(s) * time.Second)
		since := s % 300
		switch {
		case s < 300:
			recs = append(recs, nibpRecord(at, 12100, 7500, 9000, since > 60))
		default:
			recs = append(recs, nibpRecord(at, 13400, 8200, 9900, since > 60))
		}
	}
	got := nibpOf(t, recs...)
	for i, obs := range got {
		s := i * 5
		if s%300 != 0 {
			assert.Empty(t, obs, "record at %d s repeats the measurement", s)
			continue
		}
		require.Len(t, obs, 3, "record at %d s carries a new measurement", s)
		for _, o := range obs {
			assert.Equal(t, vitals.Valid, o.Quality, "%s at %d s", o.Kind, s)
			assert.Equal(t, t0.Add(time.Duration(s)*time.Second), o.DeviceTime)
		}
	}
	assert.Equal(t, 121.0, got[0][0].Value)
	assert.Equal(t, 134.0, got[60][0].Value, "the measurement at 300 s")
	assert.Equal(t, 134.0, got[120][0].Value, "the measurement at 600 s, same values, old bit cleared")
}

// dropped stands for a record whose NIBP is a repeat and gives nothing.
const dropped vitals.Quality = 255

func TestTheFirstSightOfAnNIBPDecidesItsQuality(t *testing.T) {
	old := func(s int, sys Value) *PHDB {
		return nibpRecord(t0.Add(time.Duration(s)*time.Second), sys, 7500, 9000, true)
	}
	fresh := func(s int, sys Value) *PHDB {
		return nibpRecord(t0.Add(time.Duration(s)*time.Second), sys, 7500, 9000, false)
	}
	noMeasurement := func(s int) *PHDB {
		return nibpRecord(t0.Add(time.Duration(s)*time.Second), Invalid, Invalid, Invalid, false)
	}
	tests := []struct {
		name string
		recs []*PHDB
		want []vitals.Quality // per record: the NIBP quality, or dropped
	}{
		{"a stream that starts with an old NIBP shows it once as questionable",
			[]*PHDB{old(0, 12100), old(5, 12100), old(10, 12100)}, []vitals.Quality{vitals.Questionable, dropped, dropped}},
		{"an old NIBP then a fresh one with other values shows the fresh one as valid",
			[]*PHDB{old(0, 12100), old(5, 12100), fresh(10, 13000), fresh(15, 13000)}, []vitals.Quality{vitals.Questionable, dropped, vitals.Valid, dropped}},
		{"an old NIBP whose bit clears with the same values is a new measurement, valid",
			[]*PHDB{old(0, 12100), fresh(5, 12100), fresh(10, 12100), old(70, 12100)}, []vitals.Quality{vitals.Questionable, vitals.Valid, dropped, dropped}},
		{"other values that come already old were measured unseen: questionable",
			[]*PHDB{fresh(0, 12100), old(65, 12100), old(400, 11000)}, []vitals.Quality{vitals.Valid, dropped, vitals.Questionable}},
		{"no measurement is shown each time and the next one is a first sight",
			[]*PHDB{fresh(0, 12100), noMeasurement(5), noMeasurement(10), old(70, 12100)}, []vitals.Quality{vitals.Valid, vitals.Invalid, vitals.Invalid, vitals.Questionable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nibpOf(t, tt.recs...)
			require.Len(t, got, len(tt.want))
			for i, w := range tt.want {
				if w == dropped {
					assert.Empty(t, got[i], "record %d is a repeat", i)
					continue
				}
				require.Len(t, got[i], 3, "record %d", i)
				for _, o := range got[i] {
					assert.Equal(t, w, o.Quality, "record %d %s", i, o.Kind)
				}
			}
		})
	}
}

func TestObservationsOfOneRecordAreTheSameWhenAskedTwice(t *testing.T) {
	c := NewCodec(codec.Config{DeviceID: "s5"})
	for i := range 2 {
		f, err := AppendFrame(nil, nibpRecord(t0.Add(time.Duration(i)*5*time.Second), 12100, 7500, 9000, false))
		require.NoError(t, err)
		c.Feed(f)
		require.True(t, c.Scan())
		first, again := c.Observations(t0), c.Observations(t0.Add(time.Second))
		require.Len(t, again, len(first), "record %d", i)
		assert.Len(t, first, []int{9, 6}[i], "record %d: the second repeats the NIBP", i)
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
	l := newLink()
	s := codectest.StableAdult()
	var nibp []vitals.Observation
	collect := func() {
		for _, o := range l.obs {
			if o.Kind.BloodPressure() {
				nibp = append(nibp, o)
			}
		}
		l.obs, l.waves = nil, nil
	}
	for m := range 11 {
		s.Values[vitals.SBP] = float64(120 + m) // the patient's pressure drifts every minute
		l.run(time.Minute, s)
		collect()
	}
	require.Len(t, nibp, 9, "three measurements of sbp, dbp and map")
	for i, o := range nibp {
		at := t0.Add(time.Duration(i/3) * NIBPCycle)
		assert.Equal(t, vitals.Valid, o.Quality, "%s of measurement %d", o.Kind, i/3)
		assert.Equal(t, at, o.DeviceTime, "%s of measurement %d", o.Kind, i/3)
		assert.Equal(t, "s5", o.Source)
	}
	assert.Equal(t, []float64{120, 125, 130}, []float64{nibp[0].Value, nibp[3].Value, nibp[6].Value}, "sbp as the patient had it at 0, 5 and 10 min")
	assert.Equal(t, StateLive, l.host.State())
	assert.Zero(t, l.dec.Stats().TotalErrors())
}

// Between measurements the emulated monitor sets the "older than 60 s"
// bit exactly when the measurement is more than 60 s old.
func TestEmulatorMarksItsNIBPOlderThan60s(t *testing.T) {
	e := NewEmulator(codec.Config{}).(*Emulator)
	s := codectest.StableAdult()
	e.Tick(t0, s)
	for _, tt := range []struct {
		after time.Duration
		old   bool
	}{{0, false}, {60 * time.Second, false}, {61 * time.Second, true}, {NIBPCycle - time.Second, true}, {NIBPCycle, false}} {
		now := t0.Add(tt.after)
		e.measureNIBP(now, s)
		b, ok := e.displayed(now, s).Subrecords[0].Basic()
		require.True(t, ok)
		assert.Equal(t, tt.old, b.NIBP.Label&NIBPOlder60s != 0, "%v after the first measurement", tt.after)
	}
}
