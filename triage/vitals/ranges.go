package vitals

import (
	"fmt"
	"math"
)

// Range is a span of values of a kind, in its canonical unit, both ends
// included: the span the engine accepts (ValidRange) or a live person's
// (Plausible), both from the table of vitals (kinds.go).
type Range struct {
	Min, Max float64
	Unit     Unit
}

// Contains reports whether v is a finite number within r (ends included).
func (r Range) Contains(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= r.Min && v <= r.Max
}

// String gives the range for messages, e.g. "0–300 /min".
func (r Range) String() string {
	return fmt.Sprintf("%g–%g %s", r.Min, r.Max, r.Unit)
}

// ValidRange returns the accepted range of k in its canonical unit.
func ValidRange(k Kind) (Range, bool) {
	d, ok := defOf(k)
	return d.Valid, ok
}

// CanonicalUnit is the unit the engine scores k in: /min, %, mm[Hg], Cel, kPa.
func CanonicalUnit(k Kind) Unit {
	if d, ok := defOf(k); ok {
		return d.Valid.Unit
	}
	return ""
}

// UnitError says that an observation's unit cannot be converted to the
// canonical unit of its kind.
type UnitError struct {
	Kind Kind
	Unit Unit
	Want Unit
}

// Error names the kind, the unit given and the unit accepted.
func (e *UnitError) Error() string {
	return fmt.Sprintf("%s: unit %q cannot be converted to %q", e.Kind, e.Unit, e.Want)
}

// mmHgPerKPa converts pressure: 1 kPa = 7.50062 mm[Hg].
const mmHgPerKPa = 7.500616827

// Normalise returns o with its value in the canonical unit of its kind.
// Temperature is converted from Fahrenheit only when the unit says so
// ("[degF]" in UCUM, or "°F"); a value in Cel is never guessed to be °F.
// EtCO2 in mm[Hg] is converted to kPa. An empty unit is taken as the
// canonical unit (values typed into a field that names its unit). Any other
// unit is a *UnitError. Normalise does not check the range.
func Normalise(o Observation) (Observation, error) {
	want := CanonicalUnit(o.Kind)
	if want == "" {
		return o, fmt.Errorf("kind %q: want one of %s", o.Kind, kindList)
	}
	switch {
	case o.Unit == want || o.Unit == "":
		o.Unit = want
		return o, nil
	case o.Kind == Temp && (o.Unit == DegF || o.Unit == "°F"):
		o.Value = (o.Value - 32) * 5 / 9
		o.Unit = Cel
		return o, nil
	case o.Kind == EtCO2 && o.Unit == MmHg:
		o.Value /= mmHgPerKPa
		o.Unit = KPa
		return o, nil
	}
	return o, &UnitError{Kind: o.Kind, Unit: o.Unit, Want: want}
}

// InRange reports whether o's value, in its kind's canonical unit, lies
// within ValidRange: false for an unknown kind, a unit that cannot be
// converted, or a value the engine would leave out as out of range (a
// faulty reading). Screens mark such values; the engine never scores them.
// (Plausible, in plausible.go, is the narrower range of a live person.)
func InRange(o Observation) bool {
	n, err := Normalise(o)
	if err != nil {
		return false
	}
	r, ok := ValidRange(n.Kind)
	return ok && r.Contains(n.Value)
}
