// Package phrase reads what a phone nurse types for a patient's age ("3
// mnd", "10 uker", "2 år") and for when the symptoms began ("i går",
// "for 20 min siden", "14:20"), in bokmål and English, into values the
// call keeps precisely: an age in the unit it was said in with the days
// the engine scores by, and an onset as said with the time or the window
// of time it names. Screens never parse; they call this package. It is
// pure: no I/O, no clock (now is given).
package phrase

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/wording"
)

// AgeUnit is the unit an age was said in. The zero value is no age at
// all, so an Age nobody set is never read as a newborn.
type AgeUnit uint8

// The units of an age.
const (
	AgeUnknown AgeUnit = iota
	Years
	Months
	Weeks
	Days
)

var unitNames = [...]string{"unknown", "years", "months", "weeks", "days"}

// String is the JSON name: years, months, weeks, days (unknown).
func (u AgeUnit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("unit(%d)", uint8(u))
}

// MarshalText implements encoding.TextMarshaler.
func (u AgeUnit) MarshalText() ([]byte, error) {
	if int(u) >= len(unitNames) {
		return nil, fmt.Errorf("age unit %d out of range", uint8(u))
	}
	return []byte(u.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (u *AgeUnit) UnmarshalText(b []byte) error {
	for i, n := range unitNames {
		if n == string(b) {
			*u = AgeUnit(i)
			return nil
		}
	}
	return fmt.Errorf("age unit %q: want years, months, weeks or days", b)
}

// The longest age each unit is taken for: an older child's age is said
// in years (or months up to three years, as parents of toddlers say it).
const (
	MaxYears  = triage.MaxAgeYears // 125
	MaxMonths = 36
	MaxWeeks  = 52
	MaxDays   = 60
)

// Age is a patient's age as the call holds it: the number and unit it
// was said in (shown back in that unit) and the age in whole days that
// the engine's age groups are counted in (triage.Input.AgeDays).
//
// Days is exact for an age read from a birth date (AgeAt). For an age
// said, it is quantised once by this rule, so the age group is the one
// whose label contains what was said: years as the engine converts them
// (triage.AgeDaysFromYears: N × 365.25, half up; "2 år" is 731 days);
// months as N × 365.25/12 days rounded UP, the first day of the Nth
// month by the rule set's own borders ("3 mnd" is 92 days, the first day
// of its "Infant 3–5 months" group; "2 mnd" 61 days, in 0–2 months);
// weeks as 7 days each, days as said.
type Age struct {
	N    int     `json:"n"`
	Unit AgeUnit `json:"unit"`
	Days int     `json:"days"`
}

// Known reports whether an age is given.
func (a Age) Known() bool { return a.Unit != AgeUnknown }

// daysPerMonth is the mean month of the Julian year the rule set counts
// its age borders in.
const daysPerMonth = 365.25 / 12

// Months is the age in whole months when it was said (or read) in
// months, weeks or days; -1 for an age in years (which does not say the
// months) or no age.
func (a Age) Months() int {
	switch a.Unit {
	case Months:
		return a.N
	case Weeks, Days:
		return int(float64(a.Days) / daysPerMonth)
	}
	return -1
}

// Years is the age in whole years (-1 for no age): as said in years, else
// the whole years of its months, so that Months()/12 == Years() always.
func (a Age) Years() int {
	switch a.Unit {
	case Years:
		return a.N
	case AgeUnknown:
		return -1
	}
	return a.Months() / 12
}

// unitWords name the units in the nurse's language: one, and more than one.
var unitWords = map[AgeUnit][2]wording.Text{
	Years:  {{NB: "år", EN: "year"}, {NB: "år", EN: "years"}},
	Months: {{NB: "mnd", EN: "month"}, {NB: "mnd", EN: "months"}},
	Weeks:  {{NB: "uke", EN: "week"}, {NB: "uker", EN: "weeks"}},
	Days:   {{NB: "dag", EN: "day"}, {NB: "dager", EN: "days"}},
}

// Text writes the age with its unit in lang, as it is shown everywhere:
// "3 mnd", "2 år", "10 uker", "1 dag"; "3 months", "1 year". No age is
// "ukjent"/"unknown".
func (a Age) Text(lang wording.Lang) string {
	w, ok := unitWords[a.Unit]
	if !ok {
		return wording.Unknown(lang)
	}
	t := w[1]
	if a.N == 1 {
		t = w[0]
	}
	return strconv.Itoa(a.N) + " " + t.In(lang)
}

// String is the age in English with its unit, for logs and errors.
func (a Age) String() string { return a.Text(wording.EN) }

// UnmarshalJSON reads an age, checking it as ParseAge would have made it.
func (a *Age) UnmarshalJSON(b []byte) error {
	type plain Age
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("age: %w", err)
	}
	if Age(p).Known() {
		if err := checkRange(p.N, p.Unit); err != nil {
			return err
		}
		if p.Days < 0 || p.Days > triage.MaxAgeDays {
			return &AgeError{Kind: AgeRange, Input: fmt.Sprint(p.Days, " days")}
		}
	}
	*a = Age(p)
	return nil
}

// AgeErrorKind is why an age was refused.
type AgeErrorKind uint8

// The kinds of AgeError.
const (
	AgeForm  AgeErrorKind = iota // not a number with a unit this package reads
	AgeWhole                     // not a whole number ("1,5 år")
	AgeRange                     // outside its unit's range
)

// AgeError is an age refused: what was typed and why. The screens word
// it with the field name, the forms accepted and the ranges (AgeForms).
type AgeError struct {
	Kind  AgeErrorKind
	Input string
	Unit  AgeUnit // the unit read, for AgeRange
}

// Error names the input and the accepted forms and ranges.
func (e *AgeError) Error() string {
	why := map[AgeErrorKind]string{AgeForm: "not an age", AgeWhole: "not a whole number", AgeRange: "out of range"}[e.Kind]
	return fmt.Sprintf("age %q: %s; want %s", e.Input, why, AgeForms.EN)
}

// ErrAge is matched by every *AgeError (errors.Is).
var ErrAge = errors.New("age")

// Is makes errors.Is(err, ErrAge) true for an *AgeError.
func (e *AgeError) Is(target error) bool { return target == ErrAge }

// AgeForms words the accepted forms and ranges, for error messages.
var AgeForms = wording.Text{
	NB: fmt.Sprintf("år (2 eller 2 år, 0–%d), måneder (3 mnd, høyst %d), uker (10 uker, høyst %d) eller dager (5 dager, høyst %d)", MaxYears, MaxMonths, MaxWeeks, MaxDays),
	EN: fmt.Sprintf("years (2 or 2 years, 0–%d), months (3 months, at most %d), weeks (10 weeks, at most %d) or days (5 days, at most %d)", MaxYears, MaxMonths, MaxWeeks, MaxDays),
}

// ageUnits maps what nurses type after the number to a unit, bokmål and
// English, with the common short forms ("md" and "mnd" are both in use).
var ageUnits = map[string]AgeUnit{
	"": Years, "år": Years, "aar": Years, "ar": Years, "y": Years, "yr": Years, "yrs": Years, "year": Years, "years": Years, "yo": Years,
	"m": Months, "md": Months, "mnd": Months, "mdr": Months, "mndr": Months, "mån": Months, "måned": Months, "måneder": Months, "måneders": Months,
	"mo": Months, "mos": Months, "mth": Months, "mths": Months, "month": Months, "months": Months,
	"u": Weeks, "uke": Weeks, "uker": Weeks, "w": Weeks, "wk": Weeks, "wks": Weeks, "week": Weeks, "weeks": Weeks,
	"d": Days, "dag": Days, "dager": Days, "døgn": Days, "day": Days, "days": Days,
}

var (
	// agePart is one number with its unit: "3 mnd", "3mnd.", "2".
	agePart = regexp.MustCompile(`^([0-9]+(?:[.,][0-9]+)?)\s*([a-zæøå]*)\.?$`)
	// ageTwoParts is years and months: "1 år 3 mnd", "1 år og 3 mnd",
	// "1 year 3 months", "1 year and 3 months".
	ageTwoParts = regexp.MustCompile(`^([0-9]+)\s*([a-zæøå]+)\.?,?\s+(?:og\s+|and\s+)?([0-9]+)\s*([a-zæøå]+)\.?$`)
)

// ParseAge reads an age as a nurse types it: a plain number is years
// ("2"), else a number and a unit, in bokmål or English: "2 år", "3 mnd",
// "3 md", "3 måneder", "10 uker", "5 dager", "3 months", "10 weeks",
// "5 days", or years and months ("1 år 3 mnd", counted in months). Each
// unit has its range (years 0–125, months 0–36, weeks 0–52, days 0–60);
// the numbers are whole. A refusal is an *AgeError.
func ParseAge(s string) (Age, error) {
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if m := ageTwoParts.FindStringSubmatch(in); m != nil {
		y, ym := ageUnits[m[2]]
		mo, mm := ageUnits[m[4]]
		if !ym || !mm || y != Years || mo != Months {
			return Age{}, &AgeError{Kind: AgeForm, Input: s}
		}
		ny, _ := strconv.Atoi(m[1])
		nm, _ := strconv.Atoi(m[3])
		if nm > 11 || ny > MaxMonths/12 {
			return Age{}, &AgeError{Kind: AgeRange, Input: s, Unit: Months}
		}
		return newAge(ny*12+nm, Months, s)
	}
	m := agePart.FindStringSubmatch(in)
	if m == nil {
		return Age{}, &AgeError{Kind: AgeForm, Input: s}
	}
	u, ok := ageUnits[m[2]]
	if !ok {
		return Age{}, &AgeError{Kind: AgeForm, Input: s}
	}
	v, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	if err != nil {
		return Age{}, &AgeError{Kind: AgeForm, Input: s}
	}
	if v != math.Trunc(v) {
		return Age{}, &AgeError{Kind: AgeWhole, Input: s, Unit: u}
	}
	if v > math.MaxInt32 {
		return Age{}, &AgeError{Kind: AgeRange, Input: s, Unit: u}
	}
	return newAge(int(v), u, s)
}

// newAge checks n in unit u and quantises its days by the rule of Age.
func newAge(n int, u AgeUnit, input string) (Age, error) {
	if err := checkRange(n, u); err != nil {
		err.(*AgeError).Input = input
		return Age{}, err
	}
	a := Age{N: n, Unit: u}
	switch u {
	case Years:
		d, err := triage.AgeDaysFromYears(float64(n))
		if err != nil {
			return Age{}, &AgeError{Kind: AgeRange, Input: input, Unit: u}
		}
		a.Days = d
	case Months:
		a.Days = int(math.Ceil(float64(n) * daysPerMonth))
	case Weeks:
		a.Days = 7 * n
	case Days:
		a.Days = n
	}
	return a, nil
}

// checkRange refuses n outside unit u's range.
func checkRange(n int, u AgeUnit) error {
	hi := map[AgeUnit]int{Years: MaxYears, Months: MaxMonths, Weeks: MaxWeeks, Days: MaxDays}[u]
	if u == AgeUnknown || int(u) >= len(unitNames) || n < 0 || n > hi {
		return &AgeError{Kind: AgeRange, Unit: u, Input: strconv.Itoa(n)}
	}
	return nil
}

// AgeAt is the age at now of someone born on birth (a date from the
// identity number), with exact days (triage.AgeDaysAt, calendar days):
// in days under four weeks, in months under two years (babies' criteria
// are bounded in months), else in whole years, each counted from the
// birthday's calendar day. A birth after now is no age.
func AgeAt(birth, now time.Time) Age {
	days := triage.AgeDaysAt(birth, now)
	if days < 0 {
		return Age{}
	}
	mo := monthsBetween(birth, now)
	switch {
	case days < 28:
		return Age{N: days, Unit: Days, Days: days}
	case mo < 24:
		return Age{N: mo, Unit: Months, Days: days}
	}
	return Age{N: mo / 12, Unit: Years, Days: days}
}

// monthsBetween is the whole calendar months from birth to now.
func monthsBetween(birth, now time.Time) int {
	mo := (now.Year()-birth.Year())*12 + int(now.Month()) - int(birth.Month())
	if now.Day() < birth.Day() {
		mo--
	}
	return max(0, mo)
}

// AgreesWithBirth reports whether a typed age agrees with a birth date at
// now, in the unit it was typed: the same whole years, months, weeks or
// days.
func AgreesWithBirth(typed Age, birth, now time.Time) bool {
	days := triage.AgeDaysAt(birth, now)
	switch typed.Unit {
	case Years:
		return typed.N == monthsBetween(birth, now)/12
	case Months:
		return typed.N == monthsBetween(birth, now)
	case Weeks:
		return typed.N == days/7
	case Days:
		return typed.N == days
	}
	return false
}
