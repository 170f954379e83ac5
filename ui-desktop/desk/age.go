package desk

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Days per month and per year, as the engine counts age borders
// (triage.AgeDaysFromYears: 365.25 days a year).
const (
	daysPerYear  = 365.25
	daysPerMonth = daysPerYear / 12
)

// errAge is the one error parseAge gives: the form words it in the nurse's
// language with the accepted forms and range.
var errAge = errors.New("age: want years (4, 0,5), months (6 mnd) or days (20 d), 0-125 years")

// parseAge reads the age the nurse typed on the triage form, in whole
// days. A plain number is years (a decimal comma or point is fine, so 0,5
// is half a year); a number followed by a unit is months ("6 mnd", "6 md",
// "6 months") or days ("20 d", "20 dager", "20 days"), the way an infant's
// age is said. Empty text is "not known" (ok false, no error). The age
// must lie within 0-125 years.
func parseAge(text string) (days int, ok bool, err error) {
	s := strings.ToLower(strings.TrimSpace(text))
	if s == "" {
		return 0, false, nil
	}
	num, unit := s, ""
	if i := strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r == 'å' || r == 'ø' || r == 'æ' }); i >= 0 {
		num, unit = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:])
	}
	v, perr := strconv.ParseFloat(strings.ReplaceAll(num, ",", "."), 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, false, errAge
	}
	years := v
	switch unit {
	case "", "år", "y", "yr", "yrs", "years", "year":
	case "mnd", "md", "m", "måned", "måneder", "mo", "month", "months":
		years = v * daysPerMonth / daysPerYear
	case "d", "dag", "dager", "day", "days":
		years = v / daysPerYear
	default:
		return 0, false, errAge
	}
	d, aerr := triage.AgeDaysFromYears(years)
	if aerr != nil {
		return 0, false, errAge
	}
	return d, true, nil
}

// formatAgeDays writes an age in days the way parseAge reads it back and a
// nurse says it: days under two months, months under two years, else
// whole years. It is the inverse of parseAge's quantisation: the count
// written is the largest whose quantised days do not exceed days, so a
// typed or identity-number age of 33 years (12053.25 days, quantised to
// 12053) reads back as 33, not 32 (QA F5: the form said 32 beside the
// header's 33 from the identity number).
func formatAgeDays(l i18n.Lang, days int) string {
	switch {
	case days < 61:
		return l.T("age.days", days)
	case float64(days) < 2*daysPerYear:
		return l.T("age.months", wholeUnits(days, daysPerMonth))
	}
	return strconv.Itoa(wholeUnits(days, daysPerYear))
}

// wholeUnits is the largest n whose age of n units (of unit days each),
// quantised as parseAge does, is at most days.
func wholeUnits(days int, unit float64) int {
	n := int(float64(days) / unit)
	for {
		d, err := triage.AgeDaysFromYears(float64(n+1) * unit / daysPerYear)
		if err != nil || d > days {
			return n
		}
		n++
	}
}
