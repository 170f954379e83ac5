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
