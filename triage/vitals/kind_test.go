package vitals

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnlyTheArterialPressuresAreBloodPressure(t *testing.T) {
	for _, k := range Kinds {
		want := k == SBP || k == DBP || k == MAP
		assert.Equal(t, want, k.BloodPressure(), "%s: blood pressure should be %v", k, want)
	}
	assert.False(t, Kind("nibp").BloodPressure(), "an unknown kind is not a blood pressure")
}

// Each row of the table of vitals keeps its two ranges in one unit, and an
// unknown kind's refusal names every kind of the table.
func TestTheTableOfVitalsIsOneUnitPerKindAndNamedInRefusals(t *testing.T) {
	for _, d := range defs {
		assert.Equal(t, d.Valid.Unit, d.Plausible.Unit, "kind %s", d.Kind)
	}
	_, err := Normalise(Observation{Kind: "nibp", Value: 1})
	if assert.Error(t, err) {
		for _, k := range Kinds {
			assert.Contains(t, err.Error(), string(k))
		}
	}
}
