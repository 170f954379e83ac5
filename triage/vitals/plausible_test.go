package vitals

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlausibleAsksAboutValuesNoLivePersonHas(t *testing.T) {
	cases := []struct {
		name string
		k    Kind
		v    float64
		want bool
	}{
		{"SpO2 95 %", SpO2, 95, true},
		{"SpO2 9 % is a typo for 95", SpO2, 9, false},
		{"SpO2 50 % is the lowest asked for no more", SpO2, 50, true},
		{"SpO2 49 %", SpO2, 49, false},
		{"pulse 19 /min", PR, 19, false},
		{"pulse 20 /min", PR, 20, true},
		{"HR 300 /min", HR, 300, true},
		{"HR 301 /min", HR, 301, false},
		{"temperature 29.9 °C", Temp, 29.9, false},
		{"temperature 30 °C", Temp, 30, true},
		{"temperature 43.1 °C", Temp, 43.1, false},
		{"RR 2 /min", RR, 2, false},
		{"RR 40 /min", RR, 40, true},
		{"systolic 45 mmHg", SBP, 45, false},
		{"diastolic 80 mmHg", DBP, 80, true},
		{"NaN", SpO2, math.NaN(), false},
		{"infinity", HR, math.Inf(1), false},
	}
	for _, c := range cases {
		_, _, ok := Plausible(c.k, c.v)
		assert.Equal(t, c.want, ok, c.name)
	}
	_, _, ok := Plausible("glucose", 5)
	assert.False(t, ok, "an unknown kind is never plausible")
}

// Every plausible range lies inside the range the engine scores, so a
// value the nurse confirms is always one the engine can score, and no kind
// lacks a plausible range.
func TestPlausibleRangesLieInsideTheValidRanges(t *testing.T) {
	for _, k := range Kinds {
		lo, hi, _ := Plausible(k, 0)
		r, ok := ValidRange(k)
		assert.True(t, ok, k)
		assert.Less(t, lo, hi, k)
		assert.GreaterOrEqual(t, lo, r.Min, k)
		assert.LessOrEqual(t, hi, r.Max, k)
		_, _, in := Plausible(k, (lo+hi)/2)
		assert.True(t, in, "the middle of %s's range is plausible", k)
	}
}
