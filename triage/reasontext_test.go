package triage

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTheReasonsAreWordedInTheNursesLanguage(t *testing.T) {
	tests := []struct {
		name string
		in   Reason
		lang string
		want string
	}{
		{"a vital sign in bokmål with a decimal comma", Reason{Rule: "adult.temp.yellow.high", Field: "temp", Value: "39.1", Effect: "at least yellow", Colour: Yellow}, "nb",
			"temp 39,1: minst gul (adult.temp.yellow.high)"},
		{"the NEWS2 band and a single 3 in bokmål", Reason{Rule: "news2.high", Field: "news2", Value: "11 (high), single 3", Effect: "at least orange", Colour: Orange}, "nb",
			"NEWS2 11 (høy), én parameter med 3: minst oransje (news2.high)"},
		{"an override in bokmål", Reason{Rule: "override", Field: "override", Value: "", Effect: "raised to red", Colour: Red}, "nb",
			"overstyrt: hevet til rød (override)"},
		{"English keeps the engine's words", Reason{Rule: "adult.rr.orange.high", Field: "rr", Value: "26", Effect: "at least orange", Colour: Orange}, "en",
			"RR 26: at least orange (adult.rr.orange.high)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in.Text(tt.lang))
		})
	}
}
