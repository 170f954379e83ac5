package ids

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDs(t *testing.T) {
	assert.Equal(t, "42", Encounter(42).String())
	assert.Equal(t, "7", Patient(7).String())
	assert.Equal(t, "monitor-1", Device("monitor-1").String())
	assert.Equal(t, "enc 42", fmt.Sprintf("enc %v", Encounter(42)), "fmt uses String")
	assert.True(t, Encounter(1).Valid())
	assert.False(t, Encounter(0).Valid(), "row ids start at 1")
	assert.False(t, Encounter(-3).Valid())
	assert.True(t, Patient(1).Valid())
	assert.False(t, Patient(0).Valid())
	assert.True(t, Device("a").Valid())
	assert.False(t, Device("").Valid())
}

func TestParseEncounterRoundTrip(t *testing.T) {
	for _, e := range []Encounter{1, 2, 99, 1 << 40} {
		got, err := ParseEncounter(e.String())
		require.NoError(t, err)
		assert.Equal(t, e, got)
	}
	for _, bad := range []string{"", "0", "-1", "x", "1.5", " 1"} {
		_, err := ParseEncounter(bad)
		var pe *ParseError
		require.True(t, errors.As(err, &pe), "%q", bad)
		assert.Equal(t, bad, pe.Value)
		assert.Contains(t, err.Error(), "encounter")
	}
}
