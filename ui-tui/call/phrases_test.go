package call

import (
	"fmt"
	"slices"
	"testing"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phrase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A caller without an identity number says a baby's age in months, weeks
// or days, in bokmål or English: it is taken as said, the criteria
// bounded in months follow it (child-gastro's "baby under 6 months",
// H.26.03), the vitals are scored at its days, and the saved call carries
// it with its unit.
func TestABabysAgeIsTakenInMonthsWeeksOrDays(t *testing.T) {
	cp, _ := phone.DemoIndex().Complaint("child-gastro")
	for _, c := range []struct {
		lang   wording.Lang
		typed  string
		months int
		asked  bool
		shown  string
	}{
		{"nb", "3 mnd", 3, true, "3 mnd"},
		{"nb", "3 md", 3, true, "3 mnd"},
		{"nb", "10 uker", 2, true, "10 uker"},
		{"nb", "5 dager", 0, true, "5 dager"},
		{"nb", "9 mnd", 9, false, "9 mnd"},
		{"nb", "1 år 3 mnd", 15, false, "15 mnd"},
		{"en", "3 months", 3, true, "3 months"},
		{"en", "10 weeks", 2, true, "10 weeks"},
		{"en", "5 days", 0, true, "5 days"},
	} {
		where := fmt.Sprintf("%s %q", c.lang, c.typed)
		calls := &fakeCalls{}
		m := newCall(c.lang, calls)
		toField(t, m, &m.who, "age")
		typeText(m, c.typed)
		press(m, "tab")
		require.Empty(t, m.who.Field("age").Err, where)
		assert.Equal(t, c.shown, m.who.Value("age"), "%s: shown back with its unit", where)
		require.Equal(t, c.months, m.ageMonths(), where)
		assert.Equal(t, c.months/12, m.ageYears(), where)
		press(m, "ctrl+s")
		require.Equal(t, "complaint", m.Step(), where)
		m.search.SetValue(cp.Name.In(c.lang))
		m.matches = []phone.Match{{Complaint: cp}}
		press(m, "enter")
		asked := slices.ContainsFunc(m.questions, func(q phone.Criterion) bool { return q.Code.String() == "H.26.03" })
		assert.Equal(t, c.asked, asked, "%s: baby under 6 months asked", where)
		for m.qi < len(m.questions) {
			press(m, "n")
		}
		press(m, "enter") // the first vanlig criterion
		require.Equal(t, "vitals", m.Step(), where)
		press(m, "ctrl+s", "enter")
		if m.step == stepResult {
			typeText(m, "Råd gitt")
			press(m, "enter")
		}
		require.Equal(t, "saved", m.Step(), where)
		r := calls.Last()
		assert.Equal(t, c.shown, r.Age.Text(c.lang), where)
		want, _ := phrase.ParseAge(c.typed)
		assert.Equal(t, want, r.Age, "%s: stored as said, with the days scored by", where)
	}
}

// A baby's identity number fills in the age with its unit, and a typed
// age in any unit is checked against it.
func TestATypedAgeIsCheckedAgainstTheIdentityNumberInItsUnit(t *testing.T) {
	nid := babyNID(t, 10, 8) // 3 months at the tests' clock
	for typed, ok := range map[string]bool{"3 mnd": true, "3 months": true, "0": true, "14 uker": true, "4 mnd": false, "1": false, "2 uker": false} {
		m := newCall("nb", &fakeCalls{})
		m.who.Field("age").Input.SetValue(typed)
		typeText(m, nid)
		press(m, "ctrl+s")
		err := m.who.Field("age").Err
		if ok {
			assert.Empty(t, err, typed)
			assert.Equal(t, 3, m.ageMonths(), typed)
		} else {
			assert.Contains(t, err, "stemmer ikke med fødselsnummeret (3 mnd)", typed)
		}
	}
}

// The onset is never refused: a time or a window it names is shown as
// such, and words that name no time are kept as said with a note saying
// so; the saved call carries the words and what they name.
func TestOnsetPhrasesAreKeptAndSayWhatTheyName(t *testing.T) {
	for _, c := range []struct {
		lang          wording.Lang
		typed, note   string
		derived, warn bool
	}{
		{"nb", "for 20 min siden", "Debut 22.11 14:10 (for 20 min siden)", true, false},
		{"nb", "i går", "Debut mellom 21.11 00:00 og 22.11 00:00 (klokkeslett ikke sagt)", true, false},
		{"nb", "i morges", "Debut mellom 22.11 06:00 og 22.11 10:00 (klokkeslett ikke sagt)", true, false},
		{"nb", "i dag", "Debut mellom 22.11 00:00 og nå (klokkeslett ikke sagt)", true, false},
		{"nb", "for 3 dager siden", "Debut mellom 19.11 00:00 og 20.11 00:00", true, false},
		{"nb", "i går ved lunsjtider", "! Ingen tid utledet: lagres som sagt. Forstår f.eks. 14:20", false, true},
		{"nb", "for 20 dager siden", "! Ingen tid utledet", false, true},
		{"en", "yesterday", "Onset between 21.11 00:00 and 22.11 00:00 (time of day not said)", true, false},
		{"en", "sometime last week", "! No time derived: kept as said. Understands e.g. 14:20", false, true},
	} {
		where := fmt.Sprintf("%s %q", c.lang, c.typed)
		calls := &fakeCalls{}
		m := newCall(c.lang, calls)
		m.ctx.Loc = testNow.Location()
		m.who.Field("age").Input.SetValue("40")
		toField(t, m, &m.who, "onset")
		typeText(m, c.typed)
		press(m, "tab")
		f := m.who.Field("onset")
		assert.Empty(t, f.Err, "%s: the onset is never refused", where)
		assert.Contains(t, f.Note, c.note, where)
		screen := plain(m)
		if c.warn {
			assert.Contains(t, screen, "    ! "+c.note[2:], "%s: the note is a warning, in words", where)
		}
		press(m, "ctrl+s")
		require.Equal(t, "complaint", m.Step(), "%s: the call goes on", where)
		typeText(m, "hodepine")
		press(m, "enter")
		m.qi = 0
		press(m, "j") // akutt: to the result
		press(m, "enter")
		require.Equal(t, "saved", m.Step(), where)
		r := calls.Last()
		assert.Equal(t, c.typed, r.Onset.Said, where)
		assert.Equal(t, c.derived, r.Onset.Derived(), where)
	}
}
