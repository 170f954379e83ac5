package wording

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"38,5", 38.5, true}, {"38.5", 38.5, true}, {" 120 ", 120, true}, {"-5", -5, true},
		{"", 0, false}, {"38,5,1", 0, false}, {"NaN", 0, false}, {"inf", 0, false}, {"1e2", 0, false},
		{"0x1F", 0, false}, {"1_000", 0, false}, {"førti", 0, false},
	}
	for _, c := range cases {
		v, ok := ParseNumber(c.in)
		assert.Equal(t, c.ok, ok, "%q", c.in)
		if ok {
			assert.Equal(t, c.want, v, "%q", c.in)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"38,5", "NaN", "1e309", "-0", "٣٨"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("parseNumber(%q) accepted %v", s, v)
		}
	})
}

// A number written for the screen reads back as the same number in either
// language: the decimal comma is applied in one place and read in one.
func TestNumberRoundTripsThroughParseNumber(t *testing.T) {
	for _, v := range []float64{0, 37.5, 38.25, 120, -2.5, 0.1} {
		for _, l := range Langs {
			for _, d := range []int{-1, 0, 1, 2} {
				s := Number(v, d, l)
				got, ok := ParseNumber(s)
				assert.True(t, ok, "%s %q", l, s)
				tol := 1e-9 // -1: exact
				if d >= 0 {
					tol = 0.5*math.Pow(10, -float64(d)) + 1e-9 // rounded to d digits
				}
				assert.InDelta(t, v, got, tol, "%s %q", l, s)
				if l == NB {
					assert.NotContains(t, s, ".", "bokmål writes a decimal comma")
				} else {
					assert.NotContains(t, s, ",", "English writes a decimal point")
				}
			}
		}
	}
}
