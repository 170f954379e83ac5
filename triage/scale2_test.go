package triage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/news2"
)

// Scale 2 needs a named clinician: with a blank name, 89 % on air scores 3
// on scale 1 and the note says the decision is unrecorded.
func TestScale2NeedsANonBlankClinician(t *testing.T) {
	in := healthy()
	in.SpO2 = news2.Of(89)
	in.Scale2 = news2.Scale2Decision{By: "   ", At: now.Add(-time.Hour)}
	a := assess(t, in)
	assert.Equal(t, 1, a.NEWS2.Scale, "a blank name does not record who decided")
	assert.Equal(t, 3, a.NEWS2.Components.SpO2.Score)
	assert.Contains(t, noteCodes(a), "spo2_scale2_unrecorded")
}
