package vitals

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryKindHasARangeAndUnit(t *testing.T) {
	for _, k := range Kinds {
		r, ok := ValidRange(k)
		require.True(t, ok, "kind %s", k)
		assert.Less(t, r.Min, r.Max)
		assert.Equal(t, r.Unit, CanonicalUnit(k))
	}
	_, ok := ValidRange("glucose")
	assert.False(t, ok)
}

func TestRangeContainsItsEndsAndNothingOdd(t *testing.T) {
	r, _ := ValidRange(Temp)
	assert.True(t, r.Contains(25.0))
	assert.True(t, r.Contains(45.0))
	assert.False(t, r.Contains(24.99))
	assert.False(t, r.Contains(45.01))
	assert.False(t, r.Contains(math.NaN()))
	assert.False(t, r.Contains(math.Inf(1)))
	assert.Equal(t, "25–45 Cel", r.String())
}

func TestNormalise(t *testing.T) {
	cases := []struct {
		name  string
		in    Observation
		value float64
		unit  Unit
		err   bool
	}{
		{"°F in UCUM is converted", Observation{Kind: Temp, Value: 98.6, Unit: DegF}, 37.0, Cel, false},
		{"°F written as a symbol is converted", Observation{Kind: Temp, Value: 104, Unit: "°F"}, 40.0, Cel, false},
		{"Cel is kept", Observation{Kind: Temp, Value: 98.6, Unit: Cel}, 98.6, Cel, false},
		{"an empty unit is the canonical unit", Observation{Kind: HR, Value: 72}, 72, PerMin, false},
		{"EtCO2 in mm[Hg] becomes kPa", Observation{Kind: EtCO2, Value: 37.5, Unit: MmHg}, 5.0, KPa, false},
		{"°F on a heart rate is refused", Observation{Kind: HR, Value: 72, Unit: DegF}, 72, DegF, true},
		{"kPa on a blood pressure is refused", Observation{Kind: SBP, Value: 16, Unit: KPa}, 16, KPa, true},
		{"an unknown kind is refused", Observation{Kind: "glucose", Value: 5, Unit: "mmol/L"}, 5, "mmol/L", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := Normalise(c.in)
			if c.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.InDelta(t, c.value, o.Value, 0.01)
			assert.Equal(t, c.unit, o.Unit)
		})
	}
	_, err := Normalise(Observation{Kind: HR, Value: 72, Unit: DegF})
	var ue *UnitError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, PerMin, ue.Want)
}
