package triage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/wording"
)

// Change is how a reason moves the colour.
type Change string

// The changes: a rule sets a minimum colour; a nurse's override raises or
// lowers it.
const (
	AtLeast Change = ""
	Raised  Change = "raised"
	Lowered Change = "lowered"
)

// Detail is the value a rule fired on, as data, so that Text can word it
// in either language without translating English phrases. Exactly the
// fields of one kind of reason are set.
type Detail struct {
	// A measured value: Number with Decimals digits, or a categorical Code
	// (ACVPU letter, "air", "oxygen"); OxygenNotRecorded when the rule
	// depends on oxygen and none was recorded.
	Number            *float64 `json:"number,omitempty"`
	Decimals          int      `json:"decimals,omitempty"`
	Code              string   `json:"code,omitempty"`
	OxygenNotRecorded bool     `json:"oxygen_not_recorded,omitempty"`
	// A NEWS2 total (a lower bound when TotalAtLeast), its band and whether
	// a single parameter scored 3.
	Total        *int   `json:"total,omitempty"`
	TotalAtLeast bool   `json:"total_at_least,omitempty"`
	Band         string `json:"band,omitempty"`
	SingleThree  bool   `json:"single_three,omitempty"`
	// Missing names the NEWS2 parameters missing from the set.
	Missing []string `json:"missing,omitempty"`
	// Cells names the parameters in a 3-point cell of a chart that does
	// not apply, and Exclusion why it does not.
	Cells     []string      `json:"cells,omitempty"`
	Exclusion *wording.Text `json:"exclusion,omitempty"`
	// Yes: a finding the nurse affirmed (nurse concern).
	Yes bool `json:"yes,omitempty"`
	// NoRule: nothing fired; the rule set's baseline applies.
	NoRule bool `json:"no_rule,omitempty"`
	// From is the colour an override started from.
	From *Colour `json:"from,omitempty"`
}

// measured is the Detail of a measured or categorical value.
func measured(v paramValue, p news2.Param, oxygenNotRecorded bool) *Detail {
	d := &Detail{OxygenNotRecorded: oxygenNotRecorded}
	switch {
	case v.code != "":
		d.Code = v.code
	case p == news2.ParamTemp:
		n := float64(v.q) / 10
		d.Number, d.Decimals = &n, 1
	default:
		n := float64(v.q)
		d.Number = &n
	}
	return d
}

// text words the detail in lang.
func (d *Detail) text(lang wording.Lang) string {
	l := wording.Of(string(lang))
	switch {
	case d.NoRule:
		return l.Pick("ingen regel slo til", "no rule fired")
	case d.Yes:
		return l.Pick("ja", "yes")
	case d.From != nil:
		return strings.ToLower(d.From.Label(lang))
	case len(d.Missing) > 0:
		return l.Pick("mangler: ", "missing: ") + wording.Fields(d.Missing, lang)
	case len(d.Cells) > 0:
		s := wording.Fields(d.Cells, lang) + l.Pick(" i en 3-poengsrute", " in a 3-point cell")
		if d.Exclusion != nil {
			s += " (" + l.Pick("NEWS2 gjelder ikke: ", "NEWS2 not applicable: ") + d.Exclusion.In(lang) + ")"
		}
		return s
	case d.Total != nil:
		s := strconv.Itoa(*d.Total)
		if d.TotalAtLeast {
			s = l.Pick("minst ", "at least ") + s
		}
		if d.Band != "" {
			s += " (" + wording.Band(d.Band, lang) + ")"
		}
		if d.SingleThree {
			s += l.Pick(", én parameter med 3", ", single 3")
		}
		return s
	}
	var s string
	switch {
	case d.Code != "":
		s = wording.Code(d.Code, lang)
	case d.Number != nil:
		s = wording.Number(*d.Number, d.Decimals, lang)
	}
	if d.OxygenNotRecorded {
		s += l.Pick(" (oksygen ikke registrert)", " (oxygen not recorded)")
	}
	return s
}

// Text words the rule that fired for a screen, in lang ("nb" for
// Norwegian bokmål, "en" for English): the field, the value it fired on,
// the effect with the colour's own label, and the rule id, so that the
// result stays traceable to the rule set. Both front ends show reasons
// this way; every word comes from the structured reason (Change, Detail,
// Label) and package wording, never from translating the English record.
func (x Reason) Text(lang wording.Lang) string {
	field := wording.Field(x.Field, lang)
	value := x.valueText(lang)
	effect := x.effectText(lang)
	if value == "" {
		return fmt.Sprintf("%s: %s (%s)", field, effect, x.Rule)
	}
	return fmt.Sprintf("%s %s: %s (%s)", field, value, effect, x.Rule)
}

func (x Reason) valueText(lang wording.Lang) string {
	if x.Label != nil {
		if l := x.Label.In(lang); l != "" {
			return l // "Brystsmerter", not the code chest_pain
		}
	}
	if x.Detail != nil {
		return x.Detail.text(lang)
	}
	return wording.DecimalComma(x.Value, lang)
}

func (x Reason) effectText(lang wording.Lang) string {
	l := wording.Of(string(lang))
	colour := x.Colour.String()
	if l == wording.NB {
		colour = strings.ToLower(x.Colour.Label(lang))
	}
	switch x.Change {
	case Raised:
		return l.Pick("hevet til ", "raised to ") + colour
	case Lowered:
		return l.Pick("senket til ", "lowered to ") + colour
	}
	return l.Pick("minst ", "at least ") + colour
}
