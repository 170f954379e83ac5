package call

import (
	"fmt"
	"slices"
	"testing"

	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toCriteria starts a call for complaint cp at age and opens its criteria.
func toCriteria(t *testing.T, cp *phone.Complaint, age string) *Model {
	t.Helper()
	m := newCall("nb", &fakeCalls{})
	m.who.Field("age").Input.SetValue(age)
	press(m, "ctrl+s")
	m.search.SetValue(cp.Name.In("nb"))
	m.matches = []phone.Match{{Complaint: cp}}
	press(m, "enter")
	require.Equal(t, "criteria", m.Step())
	return m
}

// Over every complaint of the index and four ages: a nurse who moves past
// the questions without answering them (↓) and answers only the last one
// is not offered the vanlig choice. The screen names the open questions,
// enter goes back to the first of them, no vanlig level comes out, and
// lowering the safe default is refused naming them. Once every question
// is answered no, the choice is offered and counts.
func TestVanligIsNotOfferedWhileAQuestionIsOpen(t *testing.T) {
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		for _, age := range []string{"0", "4", "40", "80"} {
			m := toCriteria(t, cp, age)
			if len(m.vanligs) == 0 || len(m.questions) < 2 {
				continue
			}
			for m.qi < len(m.questions)-1 {
				press(m, "down")
			}
			press(m, "n")
			require.GreaterOrEqual(t, m.qi, len(m.questions), "%s: past the last question", cp.ID)
			s := plain(m)
			assert.Contains(t, s, "Ikke besvart: "+m.questions[0].Code.String(), "%s age %s", cp.ID, age)
			assert.NotContains(t, s, m.vanligs[0].Code.String()+" ", "%s: a vanlig criterion offered with questions open", cp.ID)
			press(m, "enter")
			assert.Equal(t, 0, m.qi, "%s: enter goes to the first open question", cp.ID)
			assert.True(t, m.vanlig.IsZero())

			// Even a vanlig choice made earlier does not count while a
			// question is open again.
			m.vanlig = m.vanligs[0].Code
			press(m, "pgdown", "ctrl+s")
			require.Equal(t, "result", m.Step(), "%s age %s", cp.ID, age)
			d := m.Decision()
			assert.Equal(t, phone.Haster, d.Level, "%s age %s: vanlig with questions open", cp.ID, age)
			assert.True(t, d.NeedsNurseChoice)
			press(m, "-")
			assert.Nil(t, m.overriding, "%s: lowering offered with questions open", cp.ID)
			assert.Contains(t, plain(m), "Kan ikke senke før alle spørsmålene er besvart nei", cp.ID)
			assert.Equal(t, phone.Haster, m.Decision().Level)

			// Every question answered no: the choice is offered and counts.
			for range 2 {
				press(m, "pgup")
			}
			require.Equal(t, "criteria", m.Step())
			m.qi = 0
			for m.qi < len(m.questions) {
				press(m, "n")
			}
			assert.Contains(t, plain(m), m.vanligs[0].Code.String(), "%s: the vanlig choice once all are answered", cp.ID)
			for m.vsel > 0 {
				press(m, "up")
			}
			press(m, "enter", "ctrl+s")
			assert.Equal(t, phone.Vanlig, m.Decision().Level, "%s age %s", cp.ID, age)
		}
	}
}

// "Ingen av disse passer" stores every vanlig criterion shown as no, not
// as not asked, over every complaint that has one.
func TestNoneFitsStoresTheShownVanligCriteriaAsNo(t *testing.T) {
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		m := toCriteria(t, cp, "40")
		if len(m.vanligs) == 0 {
			continue
		}
		for m.qi < len(m.questions) {
			press(m, "n")
		}
		for m.vsel < len(m.vanligs) {
			press(m, "down")
		}
		press(m, "enter", "ctrl+s")
		d := m.Decision()
		require.Equal(t, phone.Haster, d.Level, cp.ID)
		for _, v := range m.vanligs {
			assert.Equal(t, phone.No, d.Answers[v.Code], "%s: %s shown and none fitted", cp.ID, v.Code)
		}
		for code, a := range d.Answers {
			if code.Level == phone.Vanlig && !slices.ContainsFunc(m.vanligs, func(c phone.Criterion) bool { return c.Code == code }) {
				assert.Equal(t, phone.NotAsked, a, "%s: %s was not shown", cp.ID, code)
			}
		}
	}
}

// `-` takes a nurse's raise back to the computed level, also when that
// level rests on an affirmed criterion (the screen says "+/- endrer
// tilbake"); it never goes below it.
func TestMinusUndoesARaiseOverACriterion(t *testing.T) {
	ix := phone.DemoIndex()
	cp, _ := ix.Complaint("headache")
	m := toCriteria(t, cp, "40")
	for m.qi < len(m.questions) {
		if m.questions[m.qi].Code.Level == phone.Haster {
			press(m, "j")
		} else {
			press(m, "n")
		}
	}
	require.Equal(t, "vitals", m.Step())
	press(m, "ctrl+s")
	require.Equal(t, phone.Haster, m.Decision().Level)
	press(m, "+", "enter")
	require.Equal(t, phone.Akutt, m.Decision().Level)
	press(m, "-")
	assert.Equal(t, phone.Haster, m.Decision().Level, "- takes the raise back")
	assert.Nil(t, m.Decision().Override)
	assert.Empty(t, m.resultErr)
	press(m, "-")
	assert.Equal(t, phone.Haster, m.Decision().Level, "never below a criterion")
	assert.Contains(t, plain(m), "Kan ikke senke")
}

// The raise prompt does not say a reason is required (that is for a
// lowering), and a second + inside it raises the level asked about
// instead of going into the reason.
func TestTheRaisePromptSaysTheReasonIsOptionalAndPlusIsNotText(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		m := newCall(lang, &fakeCalls{})
		m.who.Field("age").Input.SetValue("40")
		press(m, "ctrl+s")
		cp, _ := phone.DemoIndex().Complaint("headache")
		m.search.SetValue(cp.Name.In(lang))
		m.matches = []phone.Match{{Complaint: cp}}
		press(m, "enter")
		for m.qi < len(m.questions) {
			press(m, "n")
		}
		press(m, "enter", "ctrl+s") // vanlig V.06.01 affirmed
		require.Equal(t, phone.Vanlig, m.Decision().Level, lang)
		press(m, "+")
		s := plain(m)
		assert.NotContains(t, s, "påkrevd når nivået senkes", lang)
		assert.NotContains(t, s, "required when lowering", lang)
		require.NotNil(t, m.overriding)
		assert.Equal(t, phone.Haster, *m.overriding)
		press(m, "+")
		assert.Equal(t, "", m.reason.Value(), "%s: + is not text", lang)
		require.NotNil(t, m.overriding)
		assert.Equal(t, phone.Akutt, *m.overriding, "%s: a second + raises the level asked about", lang)
		typeText(m, "blek - puster tungt")
		press(m, "enter")
		assert.Equal(t, phone.Akutt, m.Decision().Level, lang)
		assert.Equal(t, "blek - puster tungt", m.Decision().Override.Reason, "%s: a hyphen stays text", lang)

		// The lowering prompt still says the reason is required.
		m2 := newCall(lang, &fakeCalls{})
		m2.who.Field("age").Input.SetValue("40")
		press(m2, "ctrl+s")
		m2.search.SetValue(cp.Name.In(lang))
		m2.matches = []phone.Match{{Complaint: cp}}
		press(m2, "enter")
		for m2.qi < len(m2.questions) {
			press(m2, "n")
		}
		for m2.vsel < len(m2.vanligs) {
			press(m2, "down")
		}
		press(m2, "enter", "ctrl+s", "-")
		require.NotNil(t, m2.overriding, lang)
		assert.Contains(t, plain(m2), map[wording.Lang]string{"nb": "påkrevd når nivået senkes", "en": "required when lowering"}[lang])
		press(m2, "+")
		assert.Nil(t, m2.overriding, "%s: + from a lowering prompt goes back to the computed level", lang)
		assert.Equal(t, phone.Haster, m2.Decision().Level)
	}
}

// A baby's age is shown in months, and criteria bounded in months follow
// it: a 9-month-old is not asked "baby under 6 months", a 3-month-old is,
// and all no with the vanlig criterion gives vanlig for the 9-month-old
// (the engine counts the same questions).
func TestABabysAgeInMonthsChoosesTheQuestions(t *testing.T) {
	cp, _ := phone.DemoIndex().Complaint("child-gastro")
	for _, c := range []struct {
		day, month int
		months     int
		asked      bool
	}{{10, 2, 9, false}, {10, 8, 3, true}} {
		nid := babyNID(t, c.day, c.month)
		m := newCall("nb", &fakeCalls{})
		typeText(m, nid)
		press(m, "tab")
		require.Equal(t, c.months, m.ageMonths(), nid)
		assert.Contains(t, plain(m), fmt.Sprintf("Født %02d.%02d.2026, %d mnd", c.day, c.month, c.months), "the age with its unit")
		assert.Equal(t, fmt.Sprintf("%d mnd", c.months), m.who.Value("age"))
		press(m, "ctrl+s")
		m.search.SetValue(cp.Name.In("nb"))
		m.matches = []phone.Match{{Complaint: cp}}
		press(m, "enter")
		asked := slices.ContainsFunc(m.questions, func(q phone.Criterion) bool { return q.Code.String() == "H.26.03" })
		assert.Equal(t, c.asked, asked, "%d months: baby under 6 months asked", c.months)
		for m.qi < len(m.questions) {
			press(m, "n")
		}
		for m.vsel > 0 {
			press(m, "up")
		}
		press(m, "enter", "ctrl+s")
		assert.Equal(t, phone.Vanlig, m.Decision().Level, "%d months", c.months)
	}
}

// babyNID is a valid synthetic identity number of a baby born in 2026
// (individual numbers 500-999 are the 2000s for years 00-39).
func babyNID(t *testing.T, day, month int) string {
	t.Helper()
	for ind := 500; ind < 1000; ind++ {
		s := fmt.Sprintf("%02d%02d26%03d", day, month+80, ind)
		var nine [9]int
		for i := range nine {
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			nid := fmt.Sprintf("%s%d%d", s, k1, k2)
			if _, err := patient.Parse(nid); err == nil {
				return nid
			}
		}
	}
	t.Fatalf("no synthetic number for %02d.%02d.2026", day, month)
	return ""
}

// A refused level change (a - below a floor or with questions open, a +
// above akutt) is a notice on the result screen, never a block: enter
// still saves the call at the level shown, over every complaint. Before,
// the refusal stayed as the result's error and enter silently did
// nothing, so an AKUTT call could not be saved.
func TestARefusedLevelChangeNeverBlocksSaving(t *testing.T) {
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		start := func() (*Model, *fakeCalls) {
			calls := &fakeCalls{}
			m := newCall("nb", calls)
			m.who.Field("age").Input.SetValue("40")
			press(m, "ctrl+s")
			m.search.SetValue(cp.Name.In("nb"))
			m.matches = []phone.Match{{Complaint: cp}}
			press(m, "enter")
			require.Equal(t, "criteria", m.Step(), cp.ID)
			return m, calls
		}
		// An akutt criterion answered yes: - and + are both refused.
		if m, calls := start(); len(m.questions) > 0 && m.questions[0].Code.Level == phone.Akutt {
			press(m, "j")
			require.Equal(t, "result", m.Step(), cp.ID)
			require.Equal(t, phone.Akutt, m.Decision().Level, cp.ID)
			press(m, "-")
			assert.Contains(t, plain(m), "Kan ikke senke", cp.ID)
			press(m, "+")
			assert.Contains(t, plain(m), "AKUTT er høyeste nivå", cp.ID)
			press(m, "enter")
			require.Equal(t, "saved", m.Step(), "%s: an AKUTT call must save after a refused level change", cp.ID)
			assert.Equal(t, phone.Akutt, calls.Last().Decision.Level, cp.ID)
		}
		// The safe default with questions open: - is refused naming them.
		if m, calls := start(); len(m.questions) > 1 {
			press(m, "pgdown", "ctrl+s")
			require.Equal(t, "result", m.Step(), cp.ID)
			require.Equal(t, phone.Haster, m.Decision().Level, cp.ID)
			press(m, "-")
			assert.Contains(t, plain(m), "Kan ikke senke", cp.ID)
			press(m, "enter")
			require.Equal(t, "saved", m.Step(), "%s: the safe default must save after a refused lowering", cp.ID)
			assert.Equal(t, phone.Haster, calls.Last().Decision.Level, cp.ID)
		}
	}
}
