package news2

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A blank clinician name does not record a scale 2 decision (RCP: scale 2
// only under the direction of a qualified clinician).
func TestScale2DecisionWithABlankNameIsNotRecorded(t *testing.T) {
	d := Scale2Decision{By: " \t", At: time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)}
	assert.False(t, d.Recorded(), "a whitespace name does not name who decided")
	in := Input{SpO2: Of(89), Oxygen: Air, Scale2: d}
	assert.Equal(t, 3, Score(in).Components.SpO2.Score, "89 %% must be scored on scale 1")
}
