package patient

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withControl completes nine digits with the two control digits, computed
// here independently of ControlDigits (plain loops over the published
// weights) so that a wrong weight in the package is caught.
func withControl(t *testing.T, nine string) string {
	t.Helper()
	require.Len(t, nine, 9)
	d := make([]int, 0, 11)
	for _, c := range nine {
		d = append(d, int(c-'0'))
	}
	k := func(w []int) int {
		s := 0
		for i, x := range w {
			s += x * d[i]
		}
		r := 11 - s%11
		if r == 11 {
			r = 0
		}
		return r
	}
	k1 := k([]int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	if k1 == 10 {
		return ""
	}
	d = append(d, k1)
	k2 := k([]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	if k2 == 10 {
		return ""
	}
	return fmt.Sprintf("%s%d%d", nine, k1, k2)
}

// validFrom finds a valid number starting with the given six date digits
// and an individual number in [lo, hi].
func validFrom(t *testing.T, date string, lo, hi int) string {
	t.Helper()
	for i := lo; i <= hi; i++ {
		if n := withControl(t, fmt.Sprintf("%s%03d", date, i)); n != "" {
			return n
		}
	}
	t.Fatalf("no valid number for %s with individual number %d-%d", date, lo, hi)
	return ""
}

func flip(n string, pos int) string {
	b := []byte(n)
	b[pos] = '0' + (b[pos]-'0'+1)%10
	return string(b)
}

func TestParseAcceptsValidNumbers(t *testing.T) {
	cases := []struct {
		name  string
		num   string
		kind  Kind
		birth string
	}{
		{"a fødselsnummer from 1990 with individual number below 500", validFrom(t, "010190", 100, 499), Fodselsnummer, "1990-01-01"},
		{"a fødselsnummer born on a leap day", validFrom(t, "290296", 0, 499), Fodselsnummer, "1996-02-29"},
		{"a fødselsnummer from 2010 with individual number 500-999", validFrom(t, "311210", 500, 999), Fodselsnummer, "2010-12-31"},
		{"a fødselsnummer from 1945 with individual number 900-999", validFrom(t, "150545", 900, 999), Fodselsnummer, "1945-05-15"},
		{"a fødselsnummer from 1880 with individual number 500-749 (read in 2005)", validFrom(t, "010180", 500, 749), Fodselsnummer, "1880-01-01"},
		{"a D-number has 40 added to the day", validFrom(t, "410185", 0, 499), DNumber, "1985-01-01"},
		{"a D-number on the 31st", validFrom(t, "711275", 0, 499), DNumber, "1975-12-31"},
		{"a synthetic test number has 80 added to the month", validFrom(t, "018190", 0, 499), Synthetic, "1990-01-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := time.Now()
			if c.birth < "1900" {
				now = time.Date(2005, 6, 1, 12, 0, 0, 0, time.UTC) // 125 then: older than any patient now
			}
			n, err := ParseAt(c.num, now)
			require.NoError(t, err)
			assert.Equal(t, c.kind, n.Kind)
			assert.Equal(t, c.birth, n.BirthDate.Format("2006-01-02"))
			assert.Equal(t, c.num, n.Number)
		})
	}
}

func TestParseAcceptsSpacesBetweenGroups(t *testing.T) {
	num := validFrom(t, "010190", 100, 499)
	n, err := Parse(num[:6] + " " + num[6:])
	require.NoError(t, err)
	assert.Equal(t, num, n.Number)
}

func TestParseSexFromNinthDigit(t *testing.T) {
	for i := 100; i < 200; i++ {
		num := withControl(t, fmt.Sprintf("010190%03d", i))
		if num == "" {
			continue
		}
		n, err := Parse(num)
		require.NoError(t, err)
		want := Female
		if i%2 == 1 {
			want = Male
		}
		assert.Equal(t, want, n.Sex, "individual number %03d", i)
	}
}

func TestParseRejectsBadNumbers(t *testing.T) {
	good := validFrom(t, "010190", 100, 499)
	cases := []struct {
		name  string
		num   string
		want  error
		field string
	}{
		{"an empty string is too short", "", ErrLength, "length"},
		{"ten digits are too few", good[:10], ErrLength, "length"},
		{"twelve digits are too many", good + "0", ErrLength, "length"},
		{"a letter is not a digit", good[:4] + "x" + good[5:], ErrNotDigit, "character 5"},
		{"a hyphen is not accepted", good[:6] + "-" + good[6:], ErrNotDigit, "character 7"},
		{"a wrong first control digit is caught", flip(good, 9), ErrControlDigit, "control digit 1 (digit 10)"},
		{"a wrong second control digit is caught", flip(good, 10), ErrControlDigit, "control digit 2 (digit 11)"},
		{"a changed birth digit breaks the control digits", flip(good, 1), ErrControlDigit, "control digit 1 (digit 10)"},
		{"30 February does not exist", withControlOr(t, "300290", 100, 499), ErrDate, "date"},
		{"29 February 1995 is not a leap day", withControlOr(t, "290295", 100, 499), ErrDate, "date"},
		{"month 13 does not exist", withControlOr(t, "011390", 100, 499), ErrDate, "date"},
		{"day 00 does not exist", withControlOr(t, "000190", 100, 499), ErrDate, "date"},
		{"a D-number with day 72 (32nd) does not exist", withControlOr(t, "720190", 100, 499), ErrDate, "date"},
		{"individual number 800 is never issued for 1970", withControlOr(t, "010170", 750, 899), ErrIndividual, "individual number"},
		{"an impossible month is told before an individual number that does not fit", withControlOr(t, "123456", 750, 899), ErrDate, "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.num)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			var ne *NIDError
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, c.field, ne.Field)
			if len(c.num) >= 11 {
				assert.NotContains(t, err.Error(), c.num, "the message must not echo the number")
			}
		})
	}
}

// withControlOr gives a number with correct control digits for a date that
// Parse must reject for its date or individual number, so the rejection is
// for the date and not for the control digits.
func withControlOr(t *testing.T, date string, lo, hi int) string {
	t.Helper()
	return validFrom(t, date, lo, hi)
}

func TestControlDigitsRejectsTen(t *testing.T) {
	found := false
	for i := 0; i < 1000 && !found; i++ {
		s := fmt.Sprintf("010190%03d", i)
		if withControl(t, s) == "" {
			var nine [9]int
			for j := range nine {
				nine[j] = int(s[j] - '0')
			}
			_, _, ok := ControlDigits(nine)
			assert.False(t, ok, "%s gives a control digit of 10", s)
			found = true
		}
	}
	require.True(t, found, "some individual numbers must give a control digit of 10")
}

func TestAgeAt(t *testing.T) {
	n, err := Parse(validFrom(t, "150590", 100, 499))
	require.NoError(t, err)
	assert.Equal(t, 36, n.AgeAt(time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, 35, n.AgeAt(time.Date(2026, 5, 14, 23, 0, 0, 0, time.UTC)))
}

func TestTempIDs(t *testing.T) {
	id, err := NewTempID(bytes.NewReader([]byte{0, 1, 2, 3, 4, 31}))
	require.NoError(t, err)
	assert.Equal(t, "UKJENT-01234Z", id)
	got, err := ParseTempID("ukjent-01234z")
	require.NoError(t, err)
	assert.Equal(t, id, got)

	random, err := NewTempID(nil)
	require.NoError(t, err)
	_, err = ParseTempID(random)
	require.NoError(t, err)

	for _, bad := range []string{"", "UKJENT-", "UKJENT-0123", "UKJENT-01234I", "X-012345", "01019012345"} {
		_, err := ParseTempID(bad)
		assert.ErrorIs(t, err, ErrTempID, "%q must be rejected", bad)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("01019012345")
	f.Add("410185 12345")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(n.Number)
		require.NoError(t, err)
		assert.Equal(t, n, again)
	})
}

func FuzzParseTempID(f *testing.F) {
	f.Add("UKJENT-01234Z")
	f.Add("ukjent-abcdef")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseTempID(s)
		if err != nil {
			return
		}
		again, err := ParseTempID(id)
		require.NoError(t, err)
		assert.Equal(t, id, again, "canonical form is stable")
	})
}

// G1 (QA session 6): a number whose date exists but that no living
// patient can have is refused at the number, named as a date error: born
// after today (wherever it is today already: a Norwegian newborn just
// after midnight is still yesterday in UTC) or more than MaxAgeYears ago.
// The QA's two numbers are among the cases.
func TestParseAtRefusesABirthInTheFutureOrTooLongAgo(t *testing.T) {
	now := time.Date(2026, 12, 8, 1, 30, 0, 0, time.UTC)
	cases := []struct {
		name string
		num  string
		now  time.Time
		want error // nil: accepted
	}{
		{"QA G1: born 01.01.2027", "01012750036", now, ErrFuture},
		{"QA G1: born 01.01.1880, 146 years", "01018060031", now, ErrTooOld},
		{"born today", validFrom(t, "081226", 500, 999), now, nil},
		{"born tomorrow (UTC) at 23:30 UTC: already today in Norway", validFrom(t, "091226", 500, 999), time.Date(2026, 12, 8, 23, 30, 0, 0, time.UTC), nil},
		{"born the day after tomorrow", validFrom(t, "101226", 500, 999), now, ErrFuture},
		{"born in a year not yet come", validFrom(t, "010130", 500, 999), now, ErrFuture},
		{"125 today", validFrom(t, "081201", 0, 499), now, nil},
		{"126 tomorrow: still 125", validFrom(t, "091200", 0, 499), now, nil},
		{"126 today", validFrom(t, "081200", 0, 499), now, ErrTooOld},
		{"a D-number born in the future", validFrom(t, "410127", 500, 999), now, ErrFuture},
		{"a synthetic number born in the future", validFrom(t, "018127", 500, 999), now, ErrFuture},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := ParseAt(c.num, c.now)
			if c.want == nil {
				require.NoError(t, err)
				assert.True(t, n.AgeAt(c.now) >= 0 && n.AgeAt(c.now) <= MaxAgeYears)
				return
			}
			require.ErrorIs(t, err, c.want)
			assert.ErrorIs(t, err, ErrDate, "a date error, so every screen refuses it in its words for the date")
			var ne *NIDError
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, "date", ne.Field)
			assert.NotContains(t, err.Error(), c.num[:6], "the date of birth is not echoed")
		})
	}
}

// Over random valid numbers and random clocks from 1900 to 2100: an
// accepted number is born no later than tomorrow and always gives an age
// of 0 to MaxAgeYears at that clock (what the age field and the engine
// accept), and a refusal is always a date error.
func TestParseAtNeverAcceptsAnAgeOutOfRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 125))
	accepted := 0
	for range 20000 {
		born := time.Date(1854+r.IntN(186), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		yy := born.Year() % 100
		var indiv int
		switch {
		case born.Year() < 1900:
			indiv = 500 + r.IntN(250)
		case born.Year() < 2000:
			indiv = r.IntN(500)
		default:
			indiv = 500 + r.IntN(500)
		}
		var nine [9]int
		for i, c := range fmt.Sprintf("%02d%02d%02d%03d", born.Day(), born.Month(), yy, indiv) {
			nine[i] = int(c - '0')
		}
		k1, k2, ok := ControlDigits(nine)
		if !ok {
			continue
		}
		num := fmt.Sprintf("%02d%02d%02d%03d%d%d", born.Day(), born.Month(), yy, indiv, k1, k2)
		now := time.Date(1900+r.IntN(200), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
		n, err := ParseAt(num, now)
		if err != nil {
			require.ErrorIs(t, err, ErrDate, "%s at %s", num, now)
			continue
		}
		accepted++
		require.False(t, n.BirthDate.After(now.Add(24*time.Hour)), "%s at %s: born after tomorrow", num, now)
		age := n.AgeAt(now)
		require.True(t, age >= 0 && age <= MaxAgeYears, "%s at %s: age %d", num, now, age)
	}
	assert.Greater(t, accepted, 1000, "the property was exercised")
}

// MaxAgeYears is the engine's (and so the age field's) oldest age.
func TestMaxAgeIsTheEngines(t *testing.T) {
	assert.Equal(t, triage.MaxAgeYears, MaxAgeYears)
}
