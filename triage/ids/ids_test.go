package ids

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIDs(t *testing.T) {
	assert.Equal(t, "42", Encounter(42).String())
	assert.Equal(t, "7", Patient(7).String())
	assert.True(t, Encounter(1).Valid())
	assert.False(t, Encounter(0).Valid(), "row ids start at 1")
	assert.False(t, Encounter(-3).Valid())
}
