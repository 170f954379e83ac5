package phone

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/wording"
)

// Floor is a level a reported vital sets on its own for one complaint,
// held as data in the index beside the complaint's criteria: a breathing
// complaint with a breathing rate of 25/min or more is akutt by the
// asthma guideline that also makes "cannot speak in full sentences"
// akutt, whatever else the caller says. A floor only raises, as every
// home rule does. Its reason names the vital, the value, the threshold
// and the published source (Cite), so the nurse reads what fired.
type Floor struct {
	// Condition is the range of the reported vital that fires the floor:
	// at least Min (included) and below Below (excluded), as the engine
	// quantises the value; Source cites the published threshold in full.
	Condition
	// Level is akutt or haster.
	Level Level `json:"level"`
	// Age bounds the floor to an age group (an adult's breathing rate);
	// nil for every age. An unknown age counts as an adult's, as the
	// engine scores it.
	Age *AgeRange `json:"age,omitempty"`
	// Cite is the source in a few words in both languages, for the
	// reason line ("BTS/SIGN 158: alvorlig akutt astma").
	Cite Text `json:"cite"`
}

// check validates a floor of complaint c.
func (f Floor) check() error {
	if err := f.checkRange("floors"); err != nil {
		return err
	}
	if f.Level != Akutt && f.Level != Haster {
		return fmt.Errorf("floors: vital %s: level %s, want akutt or haster (a floor raises)", f.Vital, f.Level)
	}
	if strings.TrimSpace(f.Cite.NB) == "" || strings.TrimSpace(f.Cite.EN) == "" {
		return fmt.Errorf("floors: vital %s: cite needs nb and en, the source in a few words for the reason line", f.Vital)
	}
	if err := f.Age.check(); err != nil {
		return fmt.Errorf("floors: vital %s: age: %w", f.Vital, err)
	}
	return nil
}

// fires reports whether f applies to a call at age ageYears (-1 unknown)
// with the reported vitals v.
func (f Floor) fires(ageYears int, v Vitals) bool {
	return f.Age.Contains(ageYears) && f.holds(v)
}

// reason words f for the reported vitals v on a call about c.
func (f Floor) reason(c *Complaint, v Vitals) Reason {
	x, _ := f.quantised(v)
	name, value := Text{NB: f.Vital, EN: f.Vital}, Text{NB: num(x), EN: num(x)}
	var bound Text
	vital, ok := wording.PhoneVital(f.Vital)
	format := func(b float64, l wording.Lang) string {
		if ok {
			return vital.WithUnit(vital.Format(b, l))
		}
		return wording.Number(b, 1, l)
	}
	if ok {
		name = vital.Short
		value = Text{NB: format(x, wording.NB), EN: format(x, wording.EN)}
	}
	switch {
	case f.Min != nil && f.Below != nil:
		bound = Text{NB: format(*f.Min, wording.NB) + " til under " + format(*f.Below, wording.NB), EN: format(*f.Min, wording.EN) + " to below " + format(*f.Below, wording.EN)}
	case f.Min != nil:
		bound = Text{NB: format(*f.Min, wording.NB) + " eller mer", EN: format(*f.Min, wording.EN) + " or more"}
	default:
		bound = Text{NB: "under " + format(*f.Below, wording.NB), EN: "below " + format(*f.Below, wording.EN)}
	}
	return Reason{Source: ReasonVitals, Rule: RuleFloor, Level: f.Level, Text: Text{
		NB: fmt.Sprintf("%s %s (%s) ved %s: %s (%s)", name.NB, value.NB, bound.NB, strings.ToLower(c.Name.NB), strings.ToLower(f.Level.Label(wording.NB)), f.Cite.NB),
		EN: fmt.Sprintf("%s %s (%s) with %s: %s (%s)", name.EN, value.EN, bound.EN, strings.ToLower(c.Name.EN), strings.ToLower(f.Level.Label(wording.EN)), f.Cite.EN),
	}}
}

// floorRules returns the reason of every floor of c that fires, and the
// vitals they cover at akutt (for the sepsis rule, sepsisRule).
func floorRules(c *Complaint, ageYears int, v Vitals) ([]Reason, map[string]bool) {
	var out []Reason
	covered := map[string]bool{}
	for _, f := range c.Floors {
		if !f.fires(ageYears, v) {
			continue
		}
		out = append(out, f.reason(c, v))
		if f.Level == Akutt {
			covered[f.Vital] = true
		}
	}
	return out, covered
}
