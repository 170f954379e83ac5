package vitals

import (
	"fmt"
	"math"
)

// Range is the physiologically possible span of a kind, in its canonical
// unit, both ends included. A value outside it is a typing or device error,
// never a patient: it is rejected with the range, not scored.
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

// ranges are the accepted spans per kind (issue 2, "Bad input"): HR and PR
// 0–300 /min, RR 0–120 /min (the example was 0–80, but RETTS-p makes RR > 80 red at 0–2 months), SpO2 0–100 %, SBP 20–300 mm[Hg] (and above the
// DBP, checked by the engine), temperature 25.0–45.0 °C. DBP 10–250, MAP
// 15–260 and EtCO2 0–20 kPa are this project's choices on the same
// principle: wide enough for any living patient, narrow enough to catch a
// misplaced decimal or a value in the wrong unit.
var ranges = map[Kind]Range{
	HR:    {0, 300, PerMin},
	PR:    {0, 300, PerMin},
	RR:    {0, 120, PerMin},
	SpO2:  {0, 100, Percent},
	SBP:   {20, 300, MmHg},
	DBP:   {10, 250, MmHg},
	MAP:   {15, 260, MmHg},
	Temp:  {25, 45, Cel},
	EtCO2: {0, 20, KPa},
}

// ValidRange returns the accepted range of k in its canonical unit.
func ValidRange(k Kind) (Range, bool) {
	r, ok := ranges[k]
	return r, ok
}

// CanonicalUnit is the unit the engine scores k in: /min, %, mm[Hg], Cel, kPa.
func CanonicalUnit(k Kind) Unit {
	if r, ok := ranges[k]; ok {
		return r.Unit
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
		return o, fmt.Errorf("kind %q: want one of hr, pr, spo2, rr, sbp, dbp, map, temp, etco2", o.Kind)
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
