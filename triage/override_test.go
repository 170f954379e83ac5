package triage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
)

func yellowAssessment(t *testing.T) Assessment {
	in := healthy()
	in.TempC = news2.Of(38.7)
	a := assess(t, in)
	require.Equal(t, Yellow, a.Colour)
	return a
}

func TestOverride(t *testing.T) {
	cases := []struct {
		name      string
		to        Colour
		reason    string
		ok        bool
		direction string
		target    int
	}{
		{"raising to red needs no reason", Red, "", true, "raise", 0},
		{"raising to orange keeps a reason if given", Orange, "looks grey", true, "raise", 10},
		{"lowering to green with a reason is allowed", Green, "fever treated at home, now 37.9 on re-measure", true, "lower", 120},
		{"lowering to blue without a reason is refused", Blue, "", false, "", 0},
		{"lowering with only spaces is refused", Green, "   \t", false, "", 0},
		{"choosing the computed colour removes the override", Yellow, "", true, "", 60},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := yellowAssessment(t)
			before := len(a.Reasons)
			o, err := Override(a, c.to, c.reason)
			if !c.ok {
				var ie *InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, "override_reason", ie.Field)
				assert.Equal(t, Yellow, o.Colour, "a refused override changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.to, o.Colour)
			assert.Equal(t, Yellow, o.Computed, "the computed colour is kept")
			assert.Equal(t, c.target, o.TargetMinutes)
			assert.Len(t, a.Reasons, before, "the original assessment is not modified")
			if c.direction == "" {
				assert.Nil(t, o.Override)
				return
			}
			require.NotNil(t, o.Override)
			assert.Equal(t, c.direction, o.Override.Direction)
			assert.Equal(t, Yellow, o.Override.From)
			assert.Equal(t, c.to, o.Override.To)
			r, ok := o.ReasonFor("override." + c.direction)
			require.True(t, ok, "the override is among the reasons")
			assert.Equal(t, c.to, r.Colour)
		})
	}
}

func TestOverridingAgainReplacesTheEarlierOverride(t *testing.T) {
	a := yellowAssessment(t)
	o, err := Override(a, Red, "")
	require.NoError(t, err)
	o, err = Override(o, Green, "re-measured")
	require.NoError(t, err)
	assert.Equal(t, Green, o.Colour)
	assert.Equal(t, "lower", o.Override.Direction)
	_, raised := o.ReasonFor("override.raise")
	assert.False(t, raised, "only the latest override is a reason")
}

func TestOverrideRefusesAnUnknownColour(t *testing.T) {
	_, err := Override(yellowAssessment(t), Colour(9), "x")
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "override_colour", ie.Field)
}
