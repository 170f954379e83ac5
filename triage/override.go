package triage

import (
	"fmt"
	"slices"
	"strings"
)

// Override sets the final colour of a to the nurse's choice. Raising the
// urgency is always allowed; lowering it needs a written reason. Both are
// recorded in the result (Override and a reason "override.raise" or
// "override.lower"); the computed colour stays as it was. Overriding again
// replaces the earlier override; choosing the computed colour removes it.
// a itself is not modified.
func Override(a Assessment, to Colour, reason string) (Assessment, error) {
	if int(to) >= len(colourNames) {
		return a, &InputError{Field: "override_colour", Value: fmt.Sprint(uint8(to)), Message: "colour: want one of red, orange, yellow, green, blue"}
	}
	reason = strings.TrimSpace(reason)
	out := a
	out.Reasons = slices.DeleteFunc(slices.Clone(a.Reasons), func(r Reason) bool {
		return r.Rule == "override.raise" || r.Rule == "override.lower"
	})
	out.Override = nil
	switch {
	case to == a.Computed:
	case to.MoreUrgent(a.Computed):
		out.Override = &OverrideRecord{From: a.Computed, To: to, Direction: "raise", Reason: reason}
		from := a.Computed
		out.Reasons = append(out.Reasons, Reason{Rule: "override.raise", Field: "colour", Value: a.Computed.String(),
			Effect: "raised to " + to.String(), Colour: to, Change: Raised, Detail: &Detail{From: &from}})
	default:
		if reason == "" {
			return a, &InputError{Field: "override_reason", Value: "",
				Message: fmt.Sprintf("lowering the colour from %s to %s needs a written reason", a.Computed, to)}
		}
		out.Override = &OverrideRecord{From: a.Computed, To: to, Direction: "lower", Reason: reason}
		from := a.Computed
		out.Reasons = append(out.Reasons, Reason{Rule: "override.lower", Field: "colour", Value: a.Computed.String(),
			Effect: "lowered to " + to.String(), Colour: to, Change: Lowered, Detail: &Detail{From: &from}})
	}
	sortReasons(out.Reasons)
	out.Colour = to
	out.TargetMinutes = a.TargetsMinutes[to]
	return out, nil
}
