package phrase

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/wording"
)

func TestParseAgeReadsWhatNursesType(t *testing.T) {
	for _, c := range []struct {
		in     string
		n      int
		unit   AgeUnit
		days   int
		nb, en string
	}{
		{"2", 2, Years, 731, "2 år", "2 years"},
		{"0", 0, Years, 0, "0 år", "0 years"},
		{"2 år", 2, Years, 731, "2 år", "2 years"},
		{"2år", 2, Years, 731, "2 år", "2 years"},
		{"1 year", 1, Years, 365, "1 år", "1 year"},
		{"40 years", 40, Years, 14610, "40 år", "40 years"},
		{"125", 125, Years, 45656, "125 år", "125 years"},
		{"3 mnd", 3, Months, 92, "3 mnd", "3 months"},
		{"3 md", 3, Months, 92, "3 mnd", "3 months"},
		{"3 md.", 3, Months, 92, "3 mnd", "3 months"},
		{"3mnd", 3, Months, 92, "3 mnd", "3 months"},
		{" 3  Måneder ", 3, Months, 92, "3 mnd", "3 months"},
		{"1 måned", 1, Months, 31, "1 mnd", "1 month"},
		{"2 mnd", 2, Months, 61, "2 mnd", "2 months"},
		{"3 months", 3, Months, 92, "3 mnd", "3 months"},
		{"18 mnd", 18, Months, 548, "18 mnd", "18 months"},
		{"1 år 3 mnd", 15, Months, 457, "15 mnd", "15 months"},
		{"1 år og 3 mnd", 15, Months, 457, "15 mnd", "15 months"},
		{"2 years and 1 month", 25, Months, 761, "25 mnd", "25 months"},
		{"10 uker", 10, Weeks, 70, "10 uker", "10 weeks"},
		{"1 uke", 1, Weeks, 7, "1 uke", "1 week"},
		{"10 weeks", 10, Weeks, 70, "10 uker", "10 weeks"},
		{"5 dager", 5, Days, 5, "5 dager", "5 days"},
		{"1 dag", 1, Days, 1, "1 dag", "1 day"},
		{"5 days", 5, Days, 5, "5 dager", "5 days"},
		{"0 dager", 0, Days, 0, "0 dager", "0 days"},
	} {
		a, err := ParseAge(c.in)
		if err != nil {
			t.Errorf("ParseAge(%q): %v", c.in, err)
			continue
		}
		if a.N != c.n || a.Unit != c.unit || a.Days != c.days {
			t.Errorf("ParseAge(%q) = %d %s (%d days), want %d %s (%d days)", c.in, a.N, a.Unit, a.Days, c.n, c.unit, c.days)
		}
		if got := a.Text(wording.NB); got != c.nb {
			t.Errorf("ParseAge(%q) reads %q in bokmål, want %q", c.in, got, c.nb)
		}
		if got := a.Text(wording.EN); got != c.en {
			t.Errorf("ParseAge(%q) reads %q in English, want %q", c.in, got, c.en)
		}
		if a.Months() >= 0 && a.Months()/12 != a.Years() {
			t.Errorf("ParseAge(%q): %d months but %d years", c.in, a.Months(), a.Years())
		}
	}
}

func TestParseAgeRefusesWithTheFormsAndRanges(t *testing.T) {
	for in, kind := range map[string]AgeErrorKind{
		"": AgeForm, "tre": AgeForm, "3 timer": AgeForm, "-3": AgeForm, "3 mnd 2 år": AgeForm, "abc 3": AgeForm,
		"1,5 år": AgeWhole, "2.5": AgeWhole, "0,5": AgeWhole,
		"126": AgeRange, "37 mnd": AgeRange, "53 uker": AgeRange, "61 dager": AgeRange, "3 år 2 mnd": AgeRange, "1 år 12 mnd": AgeRange,
		"99999999999": AgeRange,
	} {
		_, err := ParseAge(in)
		var ae *AgeError
		if !errors.As(err, &ae) || ae.Kind != kind {
			t.Errorf("ParseAge(%q) = %v, want an AgeError of kind %d", in, err, kind)
			continue
		}
		if !errors.Is(err, ErrAge) {
			t.Errorf("ParseAge(%q): errors.Is(ErrAge) is false", in)
		}
	}
}

// The days of an age said are counted so that the engine's age group is
// the one whose label contains it: every month from 0 to 36 and every
// year from 0 to 125 lands in the group the rule set names for it
// (infant 0–2 months, 3–5 months, 6–11 months, child 1–2, 3–5, 6–11
// years, then adult), and weeks and days in the group of their months.
func TestAgeSaidFallsInTheRuleSetsGroupForIt(t *testing.T) {
	set := rules.Default()
	byMonths := func(mo int) string {
		switch {
		case mo < 3:
			return "infant-0-2m"
		case mo < 6:
			return "infant-3-5m"
		case mo < 12:
			return "infant-6-11m"
		case mo < 36:
			return "child-1-2y"
		case mo < 72:
			return "child-3-5y"
		case mo < 144:
			return "child-6-11y"
		}
		return "adult"
	}
	check := func(a Age, want string) {
		t.Helper()
		if got := set.Group(a.Days, true).ID; got != want {
			t.Errorf("%s (%d days) is scored in group %s, want %s", a, a.Days, got, want)
		}
	}
	for mo := 0; mo <= MaxMonths; mo++ {
		a, err := newAge(mo, Months, "")
		if err != nil {
			t.Fatal(err)
		}
		check(a, byMonths(mo))
	}
	for y := 0; y <= MaxYears; y++ {
		a, _ := newAge(y, Years, "")
		check(a, byMonths(12*y))
	}
	for w := 0; w <= MaxWeeks; w++ {
		a, _ := newAge(w, Weeks, "")
		check(a, byMonths(a.Months()))
	}
	for d := 0; d <= MaxDays; d++ {
		a, _ := newAge(d, Days, "")
		check(a, byMonths(a.Months()))
	}
}

func TestAgeFromABirthDateAndWhetherATypedAgeAgrees(t *testing.T) {
	now := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		birth time.Time
		nb    string
		days  int
		agree []string
		not   []string
	}{
		{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "5 dager", 5, []string{"5 dager", "0 uker", "0 mnd", "0"}, []string{"6 dager", "1 uke", "1"}},
		{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "3 mnd", 97, []string{"3 mnd", "13 uker", "0"}, []string{"2 mnd", "4 mnd", "1"}},
		{time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC), "21 mnd", 665, []string{"21 mnd", "1 år", "1"}, []string{"20 mnd", "2"}},
		{time.Date(1986, 12, 8, 0, 0, 0, 0, time.UTC), "39 år", 14609, []string{"39", "39 år"}, []string{"40"}},
	} {
		a := AgeAt(c.birth, now)
		if a.Text(wording.NB) != c.nb || a.Days != c.days {
			t.Errorf("AgeAt(%s) = %s (%d days), want %s (%d days)", c.birth.Format("2006-01-02"), a.Text(wording.NB), a.Days, c.nb, c.days)
		}
		for _, s := range c.agree {
			if typed, err := ParseAge(s); err != nil || !AgreesWithBirth(typed, c.birth, now) {
				t.Errorf("%q typed for a patient born %s: does not agree (%v)", s, c.birth.Format("2006-01-02"), err)
			}
		}
		for _, s := range c.not {
			if typed, err := ParseAge(s); err != nil || AgreesWithBirth(typed, c.birth, now) {
				t.Errorf("%q typed for a patient born %s: agrees (%v)", s, c.birth.Format("2006-01-02"), err)
			}
		}
	}
	if AgeAt(now.AddDate(0, 0, 1), now).Known() {
		t.Error("a birth date after now gives an age")
	}
}

// The stored form keeps the unit and the days, and refuses an age out of
// range when read back.
func TestAgeJSON(t *testing.T) {
	a, _ := ParseAge("3 mnd")
	b, err := json.Marshal(a)
	if err != nil || string(b) != `{"n":3,"unit":"months","days":92}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back Age
	if err := json.Unmarshal(b, &back); err != nil || back != a {
		t.Errorf("read back %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"n":40,"unit":"months","days":1218}`), &back); err == nil {
		t.Error("40 months read back without an error")
	}
	var none Age
	if none.Known() || none.Years() != -1 || none.Months() != -1 || none.Text(wording.NB) != "ukjent" {
		t.Errorf("the zero Age is %+v: %d years, %d months, %q", none, none.Years(), none.Months(), none.Text(wording.NB))
	}
}

func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"3 mnd", "2", "10 uker", "5 dager", "1 år og 3 mnd", "1,5 år", "999", "", "3 months"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAge(s)
		if err != nil {
			if !errors.Is(err, ErrAge) {
				t.Fatalf("ParseAge(%q): %v is not an AgeError", s, err)
			}
			return
		}
		if !a.Known() || a.Days < 0 || a.Days > 45656 || checkRange(a.N, a.Unit) != nil {
			t.Fatalf("ParseAge(%q) = %+v: out of range", s, a)
		}
		if a.Months() >= 0 && a.Months()/12 != a.Years() {
			t.Fatalf("ParseAge(%q) = %+v: %d months, %d years", s, a, a.Months(), a.Years())
		}
		again, err := ParseAge(a.Text(wording.NB))
		if err != nil || again != a {
			t.Fatalf("ParseAge(%q) = %+v reads %q, which reads back %+v, %v", s, a, a.Text(wording.NB), again, err)
		}
	})
}

// Whole years from a birth date count from the birthday's calendar day
// (29 February birthdays from 1 March in other years).
func TestAgeAtInWholeYears(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name       string
		birth, now time.Time
		want       int
	}{
		{"the day before the birthday", d(1980, 5, 15), d(2026, 5, 14), 45},
		{"on the birthday", d(1980, 5, 15), d(2026, 5, 15), 46},
		{"born 1 March, on 29 February of a leap year", d(1981, 3, 1), d(2028, 2, 29), 46},
		{"born 29 February, on 28 February", d(1980, 2, 29), d(2027, 2, 28), 46},
		{"born 29 February, on 1 March", d(1980, 2, 29), d(2027, 3, 1), 47},
		{"a newborn", d(2026, 11, 20), d(2026, 11, 22), 0},
		{"a birth date in the future is no age, never a negative one", d(2027, 1, 1), d(2026, 11, 22), -1},
	} {
		if got := AgeAt(c.birth, c.now).Years(); got != c.want {
			t.Errorf("%s: %d years, want %d", c.name, got, c.want)
		}
	}
}
