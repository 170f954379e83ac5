package phone

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fp(v float64) *float64 { return &v }

// NICE NG51's high-risk thresholds at their edges, for adults and for
// children by age, on a complaint flagged infection: one step inside the
// threshold is akutt, one step outside is not (by this rule).
func TestSepsisRuleAtItsEdges(t *testing.T) {
	ix := DemoIndex()
	uti, _ := ix.Complaint("urinary") // flagged infection
	cases := []struct {
		age  int
		v    Vitals
		fire bool
	}{
		{40, Vitals{RR: fp(25)}, true},
		{40, Vitals{RR: fp(24)}, false},
		{40, Vitals{RR: fp(24.5)}, true}, // half-up to 25, as the chart quantises
		{40, Vitals{SBP: fp(90)}, true},
		{40, Vitals{SBP: fp(91)}, false},
		{40, Vitals{HR: fp(131)}, true},
		{40, Vitals{HR: fp(130)}, false},
		{40, Vitals{SpO2: fp(91)}, true},
		{40, Vitals{SpO2: fp(92)}, false},
		{40, Vitals{Consciousness: "C"}, true},
		{40, Vitals{Consciousness: "A"}, false},
		{-1, Vitals{RR: fp(25)}, true}, // unknown age: adult criteria
		{12, Vitals{HR: fp(131)}, true},
		{0, Vitals{RR: fp(60)}, true},
		{0, Vitals{RR: fp(59)}, false},
		{0, Vitals{HR: fp(160)}, true},
		{0, Vitals{HR: fp(159)}, false},
		{2, Vitals{RR: fp(50)}, true},
		{2, Vitals{HR: fp(149)}, false},
		{4, Vitals{RR: fp(40)}, true},
		{4, Vitals{RR: fp(39)}, false},
		{8, Vitals{RR: fp(40)}, false}, // 5-11: left to the engine's paediatric rules
		{8, Vitals{SpO2: fp(89)}, true},
		{8, Vitals{SpO2: fp(90)}, false},
		{8, Vitals{HR: fp(59)}, true},
		{8, Vitals{Consciousness: "V"}, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("age %d %+v", c.age, c.v), func(t *testing.T) {
			_, fired := sepsisRule(uti, c.age, c.v, nil)
			assert.Equal(t, c.fire, fired)
		})
	}
	// Without an infection complaint the temperature decides whether
	// infection is suspected: 38.0 and below 36.0 do, 37.9 does not.
	head, _ := ix.Complaint("headache")
	for _, c := range []struct {
		temp float64
		fire bool
	}{{38.0, true}, {37.95, true}, {37.9, false}, {36.0, false}, {35.9, true}} {
		_, fired := sepsisRule(head, 40, Vitals{RR: fp(26), TempC: fp(c.temp)}, nil)
		assert.Equal(t, c.fire, fired, "temp %v", c.temp)
	}
}

// englishWords must never appear on a bokmål line.
var englishWords = regexp.MustCompile(`\b(points?|missing|incomplete|at least|the|and|or more|below|above|engine|acute|urgent|not alert|infection complaint|confirms|raises|lowers)\b`)

// Every reason a decision gives reads in bokmål on a bokmål screen and in
// English on an English one, over every complaint and random calls, and
// no line is repeated.
func TestDecisionReasonsAreInBothLanguagesWithoutRepeats(t *testing.T) {
	ix := DemoIndex()
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for _, call := range []Call{
			{AgeYears: 40},
			{AgeYears: 40, Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 8, Missing: []string{"rr", "consciousness"}, Threes: []string{"spo2"}, Red: true,
				Values: Vitals{SpO2: fp(88), TempC: fp(38.5), HR: fp(135), Consciousness: "C"}}},
			{AgeYears: 3, Vitals: VitalsFinding{Assessed: true, Orange: true, Values: Vitals{RR: fp(45), TempC: fp(39)}}},
			{AgeYears: 70, Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 5, Complete: true, Band: "medium"}, Override: &Override{Level: Akutt, Reason: "høres dårlig ut"}},
		} {
			d, err := Decide(ix, c, call)
			require.NoError(t, err)
			for j, r := range d.Reasons {
				assert.NotEmpty(t, r.Text.NB)
				assert.NotEmpty(t, r.Text.EN)
				assert.False(t, englishWords.MatchString(r.Text.NB), "%s: English on a bokmål line: %q", c.ID, r.Text.NB)
				for _, q := range d.Reasons[:j] {
					assert.NotEqual(t, q.Text, r.Text, "%s: a repeated line", c.ID)
				}
			}
		}
	}
}

// The index's bokmål names and criteria carry no English words.
func TestIndexBokmalHasNoEnglish(t *testing.T) {
	ix := DemoIndex()
	for _, c := range ix.Complaints {
		assert.False(t, englishWords.MatchString(c.Name.NB), "%s: %q", c.ID, c.Name.NB)
		for _, cr := range c.Criteria {
			assert.False(t, englishWords.MatchString(cr.Text.NB), "%s: %q", cr.Code, cr.Text.NB)
		}
	}
}
