package vitals

// Plausible reports whether v (in k's canonical unit) is possible in a live
// person, with the plausible range lo–hi (both ends included), from k's
// row of the table of vitals (kinds.go, where each end is cited). It is
// narrower than ValidRange: the screens ask "mente du ...?" about a value
// outside it and score it only when the nurse confirms it. ok is false for
// a value outside it, for NaN and infinities, and for an unknown kind
// (whose lo and hi are then 0).
func Plausible(k Kind, v float64) (lo, hi float64, ok bool) {
	d, known := defOf(k)
	if !known {
		return 0, 0, false
	}
	return d.Plausible.Min, d.Plausible.Max, d.Plausible.Contains(v)
}
