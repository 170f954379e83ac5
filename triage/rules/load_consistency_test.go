package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Review: files a clinic could load that are internally inconsistent. Each
// edit keeps the file syntactically valid; Load must refuse it and name the
// rule (or key) at fault.
func TestLoadRefusesInconsistentRuleSets(t *testing.T) {
	base := string(DefaultJSON())
	cases := []struct {
		name, old, new, names string
	}{
		// Bands must nest: a more urgent colour has a more extreme threshold
		// (the property TestThresholdsNestByUrgency checks on Default only).
		// Here the orange HR band starts above the red one, so it can never
		// change a result and HR 120–130 silently drops from orange to yellow.
		{"crossed bands (orange beyond red)",
			`"id": "adult.hr.orange.high", "param": "hr", "above": 119`,
			`"id": "adult.hr.orange.high", "param": "hr", "above": 135`,
			"adult.hr.orange.high"},
		// Low and high rules of one colour overlap: RR 17–25 fires both, so
		// the group has no normal band at all.
		{"overlapping low and high bands",
			`"id": "child-3-5y.rr.yellow.low", "param": "rr", "below": 16`,
			`"id": "child-3-5y.rr.yellow.low", "param": "rr", "below": 26`,
			"child-3-5y.rr.yellow"},
		// NEWS2 high gets a less urgent minimum than medium: a higher score
		// lowers the colour, and it breaks the invariant "NEWS2 high is
		// never green or blue".
		{"NEWS2 high floor less urgent than medium",
			`"id": "news2.high", "band": "high", "min_total": 7, "colour": "orange"`,
			`"id": "news2.high", "band": "high", "min_total": 7, "colour": "green"`,
			"news2.high"},
		// A threshold outside the accepted range of the parameter (°F typed
		// into a °C file) can never fire: the engine refuses 100.4 °C.
		{"threshold outside the parameter's range",
			`"id": "adult.temp.yellow.high", "param": "temp", "above": 38.5`,
			`"id": "adult.temp.yellow.high", "param": "temp", "above": 100.4`,
			"adult.temp.yellow.high"},
		// An oxygen restriction on a categorical rule is silently ignored by
		// the engine (evaluate uses FiresOnCode, which never looks at Oxygen).
		{"oxygen restriction on a categorical rule",
			`{"id": "consciousness.v", "param": "consciousness", "in": ["V"], "colour": "orange"`,
			`{"id": "consciousness.v", "param": "consciousness", "in": ["V"], "oxygen": "air", "colour": "orange"`,
			"consciousness.v"},
		// A source key whose citation is empty: the rule cites nothing.
		{"empty citation",
			`"retts-adult": "RETTS adult vital parameters`,
			`"retts-adult": "", "unused": "RETTS adult vital parameters`,
			"retts-adult"},
		// A key given twice: encoding/json keeps the last value silently, so
		// the red RR threshold becomes 80 without any error.
		{"a key given twice",
			`"id": "adult.rr.red.high", "param": "rr", "above": 30,`,
			`"id": "adult.rr.red.high", "param": "rr", "above": 30, "above": 80,`,
			"above"},
		// A key in another letter case: encoding/json matches it anyway and
		// the later key wins; "unknown fields are errors" does not catch it.
		{"a key in another letter case",
			`"id": "adult.rr.red.low", "param": "rr", "below": 8, "colour": "red"`,
			`"id": "adult.rr.red.low", "param": "rr", "below": 8, "colour": "red", "Colour": "blue"`,
			"Colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			edited := strings.Replace(base, c.old, c.new, 1)
			require.NotEqual(t, base, edited, "the edit must change the file")
			_, err := Load(strings.NewReader(edited))
			require.Error(t, err, "an inconsistent rule set must be refused")
			assert.Contains(t, err.Error(), c.names, "the error names the rule or key")
		})
	}
}
