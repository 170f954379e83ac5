// Package patient validates how patients are identified: Norwegian national
// identity numbers (fødselsnummer), D-numbers and synthetic test numbers,
// each checked for both mod-11 control digits and a real date of birth,
// and temporary ids for patients who cannot yet be identified.
//
// It does no I/O besides the random source handed to NewTempID; ParseAt
// checks a number against the clock it is given, Parse against the
// present moment.
package patient

import (
	"errors"
	"fmt"
	"time"
)

// Kind says which register an identity number belongs to.
type Kind uint8

// Kinds of identity numbers.
const (
	// Fodselsnummer is the ordinary national identity number from the
	// National Population Register (Folkeregisteret).
	Fodselsnummer Kind = iota + 1
	// DNumber is issued to people who are not resident but need an
	// identity number; the day of birth has 4 added to its first digit.
	DNumber
	// Synthetic is a test number from the Norwegian Tax Administration's
	// test register (Tenor): the month of birth has 80 added, so it can never
	// belong to a real person. Demo data and tests use these.
	Synthetic
)

// String names the kind in English.
func (k Kind) String() string {
	switch k {
	case Fodselsnummer:
		return "fødselsnummer"
	case DNumber:
		return "D-number"
	case Synthetic:
		return "synthetic test number"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Sex is derived from the individual number: odd is male, even is female.
type Sex uint8

// Sexes as registered in Folkeregisteret.
const (
	Female Sex = iota + 1
	Male
)

// String returns "female" or "male".
func (s Sex) String() string {
	switch s {
	case Female:
		return "female"
	case Male:
		return "male"
	}
	return fmt.Sprintf("sex(%d)", uint8(s))
}

// NID is a validated national identity number.
type NID struct {
	Number    string    // the 11 digits, no spaces
	Kind      Kind      // fødselsnummer, D-number or synthetic
	BirthDate time.Time // midnight UTC of the date of birth
	Sex       Sex       // from the ninth digit
}

// String returns the 11 digits.
func (n NID) String() string { return n.Number }

// Errors returned (wrapped in *NIDError) by Parse, for errors.Is.
var (
	ErrLength       = errors.New("an identity number has exactly 11 digits")
	ErrNotDigit     = errors.New("an identity number holds digits only")
	ErrControlDigit = errors.New("control digit does not match")
	ErrDate         = errors.New("no such date of birth")
	ErrIndividual   = errors.New("individual number does not fit the year of birth")
	// ErrFuture and ErrTooOld are date errors (errors.Is(err, ErrDate)
	// holds too, so a screen that words only ErrDate still refuses them
	// in its own words): the date exists but no living patient has it.
	ErrFuture = fmt.Errorf("date of birth is in the future: %w", ErrDate)
	ErrTooOld = fmt.Errorf("date of birth is more than %d years ago: %w", MaxAgeYears, ErrDate)
)

// MaxAgeYears is the oldest age an identity number may give: the age
// field's upper bound and the engine's (triage.MaxAgeYears, 125; the
// oldest documented human was 122), so a number accepted here never gives
// an age the rest of the system refuses.
const MaxAgeYears = 125

// futureSlack is how far ahead of now a date of birth may lie and still
// be today somewhere: the date is compared with the calendar date at
// UTC+14, the earliest time zone, so a newborn registered just after
// midnight in Norway (still yesterday in UTC) is never refused.
const futureSlack = 14 * time.Hour

// NIDError says what is wrong with an identity number. Its message names
// the position or field at fault but never repeats the whole number, so it
// may be shown on screen without echoing patient data into logs.
type NIDError struct {
	Field  string // "length", "digit 4", "date", "control digit 1", ...
	Detail string // what was found and what is accepted
	Err    error  // one of the Err* values above
}

// Error names the field at fault and what is accepted.
func (e *NIDError) Error() string {
	return fmt.Sprintf("identity number: %s: %s", e.Field, e.Detail)
}

// Unwrap returns the sentinel error for errors.Is.
func (e *NIDError) Unwrap() error { return e.Err }

// weights for the two mod-11 control digits (Skatteetaten, "Fødselsnummer:
// oppbygging", and the Folkeregister specification).
var (
	weights1 = [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	weights2 = [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
)

// ControlDigits computes both control digits for the first nine digits.
// ok is false when a control digit would be 10, which means no valid number
// with these nine digits exists.
func ControlDigits(nine [9]int) (k1, k2 int, ok bool) {
	s := 0
	for i, w := range weights1 {
		s += w * nine[i]
	}
	k1 = mod11(s)
	if k1 == 10 {
		return 0, 0, false
	}
	s = 0
	for i, w := range weights2[:9] {
		s += w * nine[i]
	}
	s += weights2[9] * k1
	k2 = mod11(s)
	if k2 == 10 {
		return 0, 0, false
	}
	return k1, k2, true
}

func mod11(sum int) int {
	k := 11 - sum%11
	if k == 11 {
		return 0
	}
	return k
}

// Parse is ParseAt at the present moment (time.Now).
func Parse(s string) (NID, error) { return ParseAt(s, time.Now()) }

// ParseAt validates an identity number at time now: 11 digits (spaces are
// allowed between groups, e.g. "010190 12345"), a real date of birth
// with the century given by the individual number, both control digits,
// and a date of birth that a living patient can have at now: not in the
// future (ErrFuture) and at most MaxAgeYears ago (ErrTooOld). A typo in
// the year of an otherwise valid number is caught here, at the number,
// not later as an age no field accepts.
func ParseAt(s string, now time.Time) (NID, error) {
	n, err := parse(s)
	if err != nil {
		return NID{}, err
	}
	y, m, d := now.UTC().Add(futureSlack).Date()
	if today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); n.BirthDate.After(today) {
		return NID{}, &NIDError{Field: "date", Detail: "the date of birth is after today: want a date of birth not in the future", Err: ErrFuture}
	}
	if age := n.AgeAt(now); age > MaxAgeYears {
		return NID{}, &NIDError{Field: "date", Detail: fmt.Sprintf("the date of birth is %d years ago: want 0-%d years", age, MaxAgeYears), Err: ErrTooOld}
	}
	return n, nil
}

// parse checks everything but the clock.
func parse(s string) (NID, error) {
	var d [11]int
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c < '0' || c > '9':
			return NID{}, &NIDError{Field: fmt.Sprintf("character %d", i+1), Detail: "not a digit; only 0-9 and spaces are accepted", Err: ErrNotDigit}
		}
		if n == 11 {
			return NID{}, &NIDError{Field: "length", Detail: "more than 11 digits", Err: ErrLength}
		}
		d[n] = int(c - '0')
		n++
	}
	if n != 11 {
		return NID{}, &NIDError{Field: "length", Detail: fmt.Sprintf("%d digits, want 11", n), Err: ErrLength}
	}
	num := make([]byte, 11)
	for i, v := range d {
		num[i] = byte('0' + v)
	}

	day := d[0]*10 + d[1]
	month := d[2]*10 + d[3]
	yy := d[4]*10 + d[5]
	indiv := d[6]*100 + d[7]*10 + d[8]

	kind := Fodselsnummer
	if day > 40 {
		kind = DNumber
		day -= 40
	}
	if month > 80 {
		if kind == DNumber {
			return NID{}, &NIDError{Field: "date", Detail: "day and month both carry register offsets (D-number and synthetic); at most one is allowed", Err: ErrDate}
		}
		kind = Synthetic
		month -= 80
	}
	// The month is checked before the century: an impossible month is the
	// plainer thing to tell a nurse who mistyped.
	if month < 1 || month > 12 {
		return NID{}, &NIDError{Field: "date", Detail: fmt.Sprintf("month %02d, want 01-12", month), Err: ErrDate}
	}
	year, ok := century(yy, indiv)
	if !ok {
		return NID{}, &NIDError{Field: "individual number", Detail: fmt.Sprintf("%03d is not issued for two-digit year %02d (500-749 only for 1854-1899, 900-999 for 1940-1999)", indiv, yy), Err: ErrIndividual}
	}
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || birth.Day() != day || birth.Month() != time.Month(month) {
		return NID{}, &NIDError{Field: "date", Detail: fmt.Sprintf("day %02d does not exist in %04d-%02d", day, year, month), Err: ErrDate}
	}

	var nine [9]int
	copy(nine[:], d[:9])
	k1, k2, ok := ControlDigits(nine)
	if !ok {
		return NID{}, &NIDError{Field: "control digit", Detail: "the first nine digits give a control digit of 10, so no valid number starts with them", Err: ErrControlDigit}
	}
	if d[9] != k1 {
		return NID{}, &NIDError{Field: "control digit 1 (digit 10)", Detail: "does not match the first nine digits (mod 11)", Err: ErrControlDigit}
	}
	if d[10] != k2 {
		return NID{}, &NIDError{Field: "control digit 2 (digit 11)", Detail: "does not match the first ten digits (mod 11)", Err: ErrControlDigit}
	}
	sex := Female
	if d[8]%2 == 1 {
		sex = Male
	}
	return NID{Number: string(num), Kind: kind, BirthDate: birth, Sex: sex}, nil
}

// century maps a two-digit year and an individual number to a full year
// (Folkeregisteret's allocation): 000-499 for 1900-1999; 500-749 for
// 1854-1899 (years 54-99); 500-999 for 2000-2039 (years 00-39); 900-999 for
// 1940-1999 (years 40-99).
func century(yy, indiv int) (int, bool) {
	switch {
	case indiv <= 499:
		return 1900 + yy, true
	case indiv <= 749 && yy >= 54:
		return 1800 + yy, true
	case indiv >= 500 && yy <= 39:
		return 2000 + yy, true
	case indiv >= 900 && yy >= 40:
		return 1900 + yy, true
	}
	return 0, false
}

// AgeAt returns the completed years of age at t (UTC), never below 0: a
// date of birth ParseAt accepts can lie up to a day ahead of the UTC date
// (a newborn just after midnight in Norway), and is then 0 years old.
func (n NID) AgeAt(t time.Time) int {
	t = t.UTC()
	age := t.Year() - n.BirthDate.Year()
	if t.Month() < n.BirthDate.Month() || (t.Month() == n.BirthDate.Month() && t.Day() < n.BirthDate.Day()) {
		age--
	}
	return max(0, age)
}
