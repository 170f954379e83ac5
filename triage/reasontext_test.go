package triage

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/wording"
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
		{"the NEWS2 band and a single 3 in bokmål", Reason{Rule: "news2.high", Field: "news2", Value: "11 (high), single 3", Effect: "at least orange", Colour: Orange,
			Detail: &Detail{Total: intp(11), Band: "high", SingleThree: true}}, "nb",
			"NEWS2 11 (høy), én parameter med 3: minst oransje (news2.high)"},
		{"an override in bokmål", Reason{Rule: "override", Field: "override", Value: "", Effect: "raised to red", Colour: Red, Change: Raised}, "nb",
			"overstyrt: hevet til rød (override)"},
		{"English keeps the engine's words", Reason{Rule: "adult.rr.orange.high", Field: "rr", Value: "26", Effect: "at least orange", Colour: Orange}, "en",
			"RR 26: at least orange (adult.rr.orange.high)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in.Text(wording.Lang(tt.lang)))
		})
	}
}

// Every reason the engine gives, for every kind of input, is worded in
// bokmål without the engine's English field names or phrases: the
// default rule set's whole range of fired rules, overrides up and down,
// the incomplete-set floor and the baseline.
func TestEveryFiredReasonHasBokmaalWording(t *testing.T) {
	e := NewEngine(nil)
	inputs := []Input{
		{AgeDays: 40 * 366, AgeKnown: true}, // incomplete: vitals floor
		{AgeDays: 40 * 366, AgeKnown: true, RR: news2.Of(16), SpO2: news2.Of(98), SBP: news2.Of(125), DBP: news2.Of(80),
			HR: news2.Of(72), TempC: news2.Of(37), Oxygen: news2.Air, Consciousness: news2.Alert}, // baseline
		{AgeDays: 40 * 366, AgeKnown: true, RR: news2.Of(31), SpO2: news2.Of(85), SBP: news2.Of(85), DBP: news2.Of(50),
			HR: news2.Of(135), TempC: news2.Of(41.5), Oxygen: news2.Supplemental, Consciousness: news2.Voice,
			Complaint: "chest_pain", NurseConcern: true}, // many rules at once
		{AgeDays: 40 * 366, AgeKnown: true, Pregnant: true, RR: news2.Of(26), SpO2: news2.Of(98), SBP: news2.Of(125), DBP: news2.Of(80),
			HR: news2.Of(72), TempC: news2.Of(37), Oxygen: news2.Air, Consciousness: news2.Alert}, // NEWS2 not applicable, single 3
	}
	english := []string{"at least", "raised to", "lowered to", "no rule fired", "missing:", " in a 3-point cell",
		"nurse_concern", "news2_chart", "discriminators", "vitals ", "rules ", "colour "}
	check := func(a Assessment) {
		for _, r := range a.Reasons {
			nb := r.Text("nb")
			for _, w := range english {
				assert.NotContains(t, nb, w, "reason %s worded %q", r.Rule, nb)
			}
			assert.NotEmpty(t, r.Text("en"))
		}
	}
	for _, in := range inputs {
		a, err := e.Assess(in, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		check(a)
		up, err := Override(a, Red, "")
		require.NoError(t, err)
		check(up)
		if a.Colour != Blue {
			down, err := Override(a, Blue, "kjent tilstand")
			require.NoError(t, err)
			check(down)
		}
	}
}

// A complaint or finding is named with the rule set's text in the nurse's
// language, not its code.
func TestAComplaintIsNamedNotCoded(t *testing.T) {
	a, err := NewEngine(nil).Assess(Input{AgeDays: 40 * 366, AgeKnown: true, Complaint: "chest_pain"}, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	r, ok := a.ReasonFor("complaint.chest_pain")
	require.True(t, ok)
	d, _ := rules.Default().Discriminator("chest_pain")
	require.NotEmpty(t, d.Text.NB)
	assert.Contains(t, r.Text("nb"), d.Text.NB)
	assert.Contains(t, r.Text("en"), d.Text.EN)
	assert.NotContains(t, r.Text("nb"), " chest_pain:", "the code is not shown as the value")
	assert.Contains(t, r.Text("nb"), "(complaint.chest_pain)", "the rule id stays, for traceability")
}

func intp(v int) *int { return &v }

// The words the string replacer used to get wrong or leave in English: the
// missing values by name, a nurse's yes, consciousness and oxygen in words,
// an incomplete total as a lower bound; English names them too, not by code.
func TestStructuredReasonsAreWordedInBothLanguages(t *testing.T) {
	e := NewEngine(nil)
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	a, err := e.Assess(Input{AgeDays: 40 * 366, AgeKnown: true, HR: news2.Of(135), NurseConcern: true}, at)
	require.NoError(t, err)
	var nb, en []string
	for _, r := range a.Reasons {
		nb, en = append(nb, r.Text("nb")), append(en, r.Text("en"))
	}
	all := strings.Join(nb, "\n")
	assert.Contains(t, all, "mangler: RF, SpO2, O2, BT sys, bevissthet, temp")
	assert.Contains(t, all, "sykepleier bekymret ja: ")
	assert.Contains(t, all, "NEWS2 (ufullstendig) minst 3")
	assert.Contains(t, strings.Join(en, "\n"), "missing: RR, SpO2, O2, BP sys, consciousness, temp")
	assert.Contains(t, strings.Join(en, "\n"), "nurse concern yes: ")

	v, err := e.Assess(Input{AgeDays: 40 * 366, AgeKnown: true, RR: news2.Of(16), SpO2: news2.Of(98), SBP: news2.Of(125), DBP: news2.Of(80),
		HR: news2.Of(72), TempC: news2.Of(37), Oxygen: news2.Air, Consciousness: news2.Voice}, at)
	require.NoError(t, err)
	r, ok := v.ReasonFor("consciousness.v")
	require.True(t, ok)
	assert.Contains(t, r.Text("nb"), "bevissthet reagerer på tiltale: ", "consciousness in words, not the bare letter")
	assert.Contains(t, r.Text("en"), "consciousness responds to voice: ")
	assert.Equal(t, "V", r.Value, "the record keeps the engine's value")
}
