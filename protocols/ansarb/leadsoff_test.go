package ansarb

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

// baseline is a message with params and a flat ECG at 0 mV (byte 100), the
// bytes of connected leads on a quiet trace.
func baseline(params []Param) Message {
	m := Message{Params: params}
	for i := range m.ECG {
		m.ECG[i] = ECGOffset
	}
	return m
}

func TestLeadsOffOnANSARBMessages(t *testing.T) {
	hr := func(alarm, label string) []Param {
		return []Param{{Name: ParamHR, Values: []string{"75"}, Label: label, Alarm: alarm}, {Name: ParamSpO2, Values: []string{"97", "75"}}}
	}
	rail := func(b byte, params []Param) Message {
		m := baseline(params)
		for i := range m.ECG {
			m.ECG[i] = b
		}
		return m
	}
	for _, tc := range []struct {
		name     string
		m        Message
		leadsOff bool
	}{
		{"connected leads on a flat baseline are not leads off (asystole stays visible)", baseline(hr("", "II")), false},
		{"a patient alarm in the HR line is not leads off", baseline(hr("HIGH", "II")), false},
		{"the HR alarm LEADS OFF is leads off", baseline(hr("LEADS OFF", "II")), true},
		{"an ECG LEAD OFF label is leads off, in any case", baseline(hr("", "ecg lead off")), true},
		{"a second of ECG on the low rail is leads off", rail(ECGRailLow, hr("", "II")), true},
		{"a second of ECG on the high rail is leads off", rail(ECGRailHigh, hr("", "II")), true},
		{"a rail for part of the second is a big signal, not leads off", func() Message {
			m := rail(ECGRailLow, hr("", "II"))
			m.ECG[100] = ECGOffset
			return m
		}(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.leadsOff, tc.m.LeadsOff())
			ecg := Waves(tc.m, host)[0]
			require.Equal(t, vitals.WaveECG, ecg.Kind)
			assert.Equal(t, tc.leadsOff, ecg.LeadOff)
			for _, o := range Observations(tc.m, host) {
				switch {
				case o.Kind == vitals.HR && tc.leadsOff:
					assert.Equal(t, vitals.Invalid, o.Quality, "never a valid HR with the leads off")
				default:
					assert.Equal(t, vitals.Valid, o.Quality, "%s", o.Kind)
				}
			}
			if tc.leadsOff {
				assert.Equal(t, vitals.Invalid, ecg.Quality)
				for _, v := range ecg.Samples {
					assert.True(t, math.IsNaN(v))
				}
			} else {
				assert.Equal(t, vitals.Valid, ecg.Quality)
			}
			for _, w := range Waves(tc.m, host)[1:] {
				assert.False(t, w.LeadOff, "only the ECG has leads")
			}
		})
	}
}

// The emulator's leads-off messages decode, through the codec, to lead-off
// ECG blocks and no valid heart rate; leads back on, both come back.
func TestEmulatedLeadsOffThroughTheCodec(t *testing.T) {
	e := NewEmulator(codec.Config{})
	c := NewCodec(codec.Config{DeviceID: "ivy"})
	s := codectest.StableAdult()
	step := func(from time.Time, secs int, s codec.PatientState) ([]vitals.Observation, []vitals.Wave) {
		var obs []vitals.Observation
		var waves []vitals.Wave
		for i := range secs * 10 {
			now := from.Add(time.Duration(i) * 100 * time.Millisecond)
			for _, f := range e.Tick(now, s) {
				c.Feed(f)
				for c.Scan() {
					obs = append(obs, c.Observations(now)...)
					waves = append(waves, c.Waves(now)...)
				}
			}
		}
		return obs, waves
	}
	s.LeadsOff = true
	obs, waves := step(host, 3, s)
	require.NotEmpty(t, waves)
	var ecg int
	for _, w := range waves {
		if w.Kind == vitals.WaveECG {
			ecg++
			assert.True(t, w.LeadOff)
			assert.Equal(t, vitals.Invalid, w.Quality)
		}
	}
	assert.Positive(t, ecg)
	for _, o := range obs {
		if o.Kind == vitals.HR {
			assert.NotEqual(t, vitals.Valid, o.Quality, "no valid HR with the leads off")
		}
	}

	s.LeadsOff = false
	obs, waves = step(host.Add(3*time.Second), 2, s)
	require.NotEmpty(t, waves)
	assert.False(t, waves[0].LeadOff)
	assert.Equal(t, vitals.Valid, codectest.Latest(obs)[vitals.HR].Quality)
}
