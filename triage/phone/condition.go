package phone

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/wording"
)

// Condition is a measurable condition a vanlig criterion states in its
// text ("SpO2 96 % eller mer", "uten feber", "blodtrykk under 180/120"),
// held as data so that the engine can check it against what the caller
// measured: a reported value outside it means the criterion does not hold
// (Decide). A value not reported does not contradict it: the nurse
// affirmed the criterion, its condition included, as she heard it.
type Condition struct {
	// Vital is the phone field the condition is on: rr, spo2, sbp, dbp,
	// hr or temp_c (Vitals.Number).
	Vital string `json:"vital"`
	// Min is the lowest value that meets it (included), nil for none.
	Min *float64 `json:"min,omitempty"`
	// Below is the bound every value that meets it is under (excluded),
	// nil for none.
	Below *float64 `json:"below,omitempty"`
	// Source cites the published threshold.
	Source string `json:"source"`
}

// quantised is a reported value as the engine scores it, quantised once
// by the NEWS2 rule (news2.QuantiseInt, news2.QuantiseTenths for the
// temperature), so that a condition and the NEWS2 chart read the same
// number; ok is false when the field was not reported.
func (cd Condition) quantised(v Vitals) (float64, bool) {
	p := v.Number(cd.Vital)
	if p == nil || *p == nil {
		return 0, false
	}
	if cd.Vital == "temp_c" {
		return float64(news2.QuantiseTenths(**p)) / 10, true
	}
	return float64(news2.QuantiseInt(**p)), true
}

// broken words why the reported vitals v contradict cd for the criterion
// code; ok is false when they do not (in range, or not reported).
func (cd Condition) broken(code Code, v Vitals) (Text, bool) {
	x, ok := cd.quantised(v)
	if !ok {
		return Text{}, false
	}
	switch {
	case cd.Min != nil && x < *cd.Min:
		return wording.ConditionBroken(code.String(), cd.Vital, x, *cd.Min, true), true
	case cd.Below != nil && x >= *cd.Below:
		return wording.ConditionBroken(code.String(), cd.Vital, x, *cd.Below, false), true
	}
	return Text{}, false
}

// Contradictions words every condition of cr that the reported vitals v
// contradict, in the order of the index file; none when cr holds.
func (cr Criterion) Contradictions(v Vitals) []Text {
	var out []Text
	for _, cd := range cr.Requires {
		if t, ok := cd.broken(cr.Code, v); ok {
			out = append(out, t)
		}
	}
	return out
}

// check validates a condition of a criterion at level l.
func (cd Condition) check(l Level) error {
	if l != Vanlig {
		return fmt.Errorf("requires: only a vanlig criterion states conditions; a %s criterion is a question answered yes or no", l)
	}
	return cd.checkRange("requires")
}

// holds reports whether the reported vitals v are inside cd: reported,
// at least Min and below Below, as the engine quantises them.
func (cd Condition) holds(v Vitals) bool {
	x, ok := cd.quantised(v)
	return ok && (cd.Min == nil || x >= *cd.Min) && (cd.Below == nil || x < *cd.Below)
}

// checkRange validates the vital, the bounds and the source of cd; what
// names the field in the error (requires, floors).
func (cd Condition) checkRange(what string) error {
	var v Vitals
	if v.Number(cd.Vital) == nil {
		return fmt.Errorf("%s: vital %q: want one of rr, spo2, sbp, dbp, hr, temp_c", what, cd.Vital)
	}
	if cd.Min == nil && cd.Below == nil {
		return fmt.Errorf("%s: vital %s: want min, below or both", what, cd.Vital)
	}
	if cd.Min != nil && cd.Below != nil && *cd.Min >= *cd.Below {
		return fmt.Errorf("%s: vital %s: min %s is not below below %s", what, cd.Vital, num(*cd.Min), num(*cd.Below))
	}
	if strings.TrimSpace(cd.Source) == "" {
		return fmt.Errorf("%s: vital %s: source is empty; cite the published threshold", what, cd.Vital)
	}
	return nil
}
