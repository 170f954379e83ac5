package rules

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
)

func TestDefaultLoadsAndCitesEverySource(t *testing.T) {
	s := Default()
	assert.Equal(t, "legevakt-open/1.1.0", s.Name())
	assert.Len(t, s.Digest, 64)
	assert.Same(t, s, Default(), "parsed once")
	used := map[string]bool{}
	check := func(id, src string) {
		assert.NotEmpty(t, s.Sources[src], "%s cites %q, which must be in sources", id, src)
		used[src] = true
	}
	for _, r := range s.AllAges {
		check(r.ID, r.Source)
	}
	for _, g := range s.AgeGroups {
		for _, r := range g.Rules {
			check(r.ID, r.Source)
			assert.NotEmpty(t, r.Threshold)
		}
		if g.Floor != nil {
			check(g.Floor.ID, g.Floor.Source)
		}
		assert.NotEmpty(t, g.Label.NB)
		assert.NotEmpty(t, g.Label.EN)
	}
	for _, f := range s.BandFloors {
		check(f.ID, f.Source)
	}
	for _, d := range s.Discriminators {
		check(d.Code, d.Source)
	}
	check("baseline", s.Baseline.Source)
	check("incomplete", s.Incomplete.Source)
	check("nurse_concern", s.NurseConcern.Source)
	require.NotNil(t, s.ExcludedSingleRed)
	check("news2_excluded_single_red", s.ExcludedSingleRed.Source)
	for k := range s.Sources {
		assert.True(t, used[k], "source %q is cited by no rule", k)
	}
}

func TestAgeGroupsCoverEveryDay(t *testing.T) {
	s := Default()
	for d := 0; d <= 50000; d++ {
		n := 0
		for i := range s.AgeGroups {
			if s.AgeGroups[i].Contains(d) {
				n++
			}
		}
		require.Equal(t, 1, n, "day %d is in %d groups", d, n)
	}
	assert.Equal(t, "adult", s.Group(0, false).ID, "unknown age uses the adult group")
	assert.Equal(t, "infant-0-2m", s.Group(91, true).ID)
}

// Within a group, for one parameter and direction, a more urgent colour has
// a more extreme threshold: the bands nest and never cross.
func TestThresholdsNestByUrgency(t *testing.T) {
	for _, g := range Default().AgeGroups {
		for _, a := range g.Rules {
			for _, b := range g.Rules {
				if a.Param != b.Param || a.Op != b.Op || a.Op == In || a.Oxygen != b.Oxygen || a.Level >= b.Level {
					continue
				}
				// a is more urgent than b.
				if a.Op == Below {
					assert.LessOrEqual(t, a.Limit, b.Limit, "%s (%s) must be below %s (%s)", a.ID, a.Threshold, b.ID, b.Threshold)
				} else {
					assert.GreaterOrEqual(t, a.Limit, b.Limit, "%s (%s) must be above %s (%s)", a.ID, a.Threshold, b.ID, b.Threshold)
				}
			}
		}
	}
}

func TestRuleFiring(t *testing.T) {
	r := Rule{Op: Below, Limit: 93, Oxygen: news2.Supplemental}
	assert.True(t, r.FiresOn(92, news2.Supplemental))
	assert.False(t, r.FiresOn(93, news2.Supplemental), "below is strict")
	assert.False(t, r.FiresOn(92, news2.Air), "an on-oxygen rule does not fire on air")
	assert.True(t, r.FiresOn(92, news2.OxygenUnknown), "unrecorded oxygen takes the more urgent reading")
	c := Rule{Op: In, Codes: []string{"U"}}
	assert.True(t, c.FiresOnCode("U"))
	assert.False(t, c.FiresOnCode("A"))
	assert.False(t, c.FiresOnCode(""))
}

func TestDiscriminatorLookup(t *testing.T) {
	s := Default()
	d, ok := s.Discriminator("chest_pain")
	require.True(t, ok)
	assert.Equal(t, Orange, d.Level)
	_, ok = s.Discriminator("chest")
	assert.False(t, ok)
	assert.IsIncreasing(t, s.Codes())
}

func TestLoadRefusesBrokenFiles(t *testing.T) {
	base := string(DefaultJSON())
	cases := []struct {
		name    string
		edit    func(string) string
		message string
	}{
		{"not JSON", func(string) string { return "{" }, "parse"},
		{"an unknown field", func(s string) string {
			return strings.Replace(s, `"id": "legevakt-open"`, `"id": "legevakt-open", "colour_scheme": 1`, 1)
		}, "unknown field"},
		{"trailing data", func(s string) string { return s + "{}" }, "after the rule-set object"},
		{"no version", func(s string) string { return strings.Replace(s, `"version": "1.1.0"`, `"version": ""`, 1) }, "version"},
		{"an unknown colour", func(s string) string {
			return strings.Replace(s, `"id": "adult.rr.red.low", "param": "rr", "below": 8, "colour": "red"`, `"id": "adult.rr.red.low", "param": "rr", "below": 8, "colour": "purple"`, 1)
		}, "purple"},
		{"an uncited source", func(s string) string {
			return strings.Replace(s, `"below": 8, "colour": "red", "source": "retts-adult"`, `"below": 8, "colour": "red", "source": "hearsay"`, 1)
		}, `source "hearsay"`},
		{"a rule without a source", func(s string) string {
			return strings.Replace(s, `"below": 8, "colour": "red", "source": "retts-adult"`, `"below": 8, "colour": "red", "source": ""`, 1)
		}, "no source"},
		{"a duplicate id", func(s string) string {
			return strings.Replace(s, `"id": "adult.rr.red.high"`, `"id": "adult.rr.red.low"`, 1)
		}, "duplicate id"},
		{"an unknown parameter", func(s string) string {
			return strings.Replace(s, `"id": "adult.rr.red.low", "param": "rr"`, `"id": "adult.rr.red.low", "param": "gcs"`, 1)
		}, "gcs"},
		{"both below and above", func(s string) string {
			return strings.Replace(s, `"param": "rr", "below": 8,`, `"param": "rr", "below": 8, "above": 30,`, 1)
		}, "exactly one"},
		{"a fractional RR threshold", func(s string) string {
			return strings.Replace(s, `"param": "rr", "below": 8,`, `"param": "rr", "below": 8.5,`, 1)
		}, "whole number"},
		{"a temperature threshold finer than 0.1", func(s string) string {
			return strings.Replace(s, `"above": 38.5`, `"above": 38.55`, 1)
		}, "finer than 0.1"},
		{"a gap between age groups", func(s string) string {
			return strings.Replace(s, `"from_days": 92, "to_days": 183`, `"from_days": 93, "to_days": 183`, 1)
		}, "without gaps"},
		{"a bad consciousness code", func(s string) string { return strings.Replace(s, `"in": ["U"]`, `"in": ["X"]`, 1) }, `"X"`},
		{"a negative age for the excluded single-red floor", func(s string) string {
			return strings.Replace(s, `"from_days": 4383, "colour": "yellow"`, `"from_days": -1, "colour": "yellow"`, 1)
		}, "negative"},
		{"a bad band", func(s string) string { return strings.Replace(s, `"band": "high"`, `"band": "extreme"`, 1) }, "extreme"},
		{"a bad discriminator code", func(s string) string { return strings.Replace(s, `"code": "chest_pain"`, `"code": "Chest Pain"`, 1) }, "lower case"},
		{"an unknown age group for unknown ages", func(s string) string {
			return strings.Replace(s, `"unknown_age_group": "adult"`, `"unknown_age_group": "elder"`, 1)
		}, "elder"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			edited := c.edit(base)
			require.NotEqual(t, base, edited, "the edit must change the file")
			_, err := Load(strings.NewReader(edited))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.message)
		})
	}
}

func TestDigestNamesTheExactFile(t *testing.T) {
	a, err := Load(bytes.NewReader(DefaultJSON()))
	require.NoError(t, err)
	b, err := Load(bytes.NewReader(append(DefaultJSON(), '\n')))
	require.NoError(t, err)
	assert.Equal(t, Default().Digest, a.Digest)
	assert.NotEqual(t, a.Digest, b.Digest)
}

func TestLoadRefusesHugeFiles(t *testing.T) {
	_, err := Load(bytes.NewReader(make([]byte, maxFileSize+10)))
	assert.ErrorContains(t, err, "larger than")
}

func FuzzLoad(f *testing.F) {
	f.Add(DefaultJSON())
	f.Add([]byte(`{"id":"x","version":"1","sources":{"a":"b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A set that loads can be used for any age without panicking.
		for _, d := range []int{0, 91, 400, 5000, 45656} {
			require.NotNil(t, s.Group(d, true))
		}
		require.NotNil(t, s.Group(0, false))
	})
}
