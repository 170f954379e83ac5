package call

import (
	"testing"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vanligClosed is QA's trial call 8 with SpO2 99 on air: VANLIG on
// V.01.02, outcome "closed with advice", saved with no advice: refused
// with the advice error.
func vanligClosed(t *testing.T, lang wording.Lang) *Model {
	t.Helper()
	m := newCall(lang, &fakeCalls{})
	m.who.Field("age").Input.SetValue("33")
	press(m, "ctrl+s")
	cp, _ := phone.DemoIndex().Complaint("breathing")
	m.search.SetValue(cp.Name.In(lang))
	m.matches = []phone.Match{{Complaint: cp}}
	press(m, "enter")
	for m.qi < len(m.questions) {
		press(m, "n")
	}
	for m.vanligs[m.vsel].Code != code(t, "V.01.02") {
		press(m, "down")
	}
	press(m, "enter")
	toField(t, m, &m.vit, "spo2")
	typeText(m, "99")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	require.Equal(t, phone.Vanlig, m.Decision().Level)
	press(m, "enter")
	require.Equal(t, "result", m.Step(), "not saved without the advice")
	require.Contains(t, plain(m), map[wording.Lang]string{"nb": "Råd gitt: skriv rådet", "en": "Advice given: write the advice"}[lang])
	return m
}

// G2 (QA session 6): the "advice required" error goes as soon as its
// cause is gone, whichever way: the level changes with the vitals (the
// trial's SpO2 94), the nurse raises the level, picks another outcome,
// or writes the advice. Only the cause brings it back (another save of
// "closed" without advice); the other result errors clear the same way.
func TestTheAdviceErrorGoesWithItsCause(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		advice := map[wording.Lang]string{"nb": "Råd gitt: skriv rådet", "en": "Advice given: write the advice"}[lang]
		for name, change := range map[string]func(m *Model){
			"the vitals make it haster": func(m *Model) {
				press(m, "pgup")
				toField(t, m, &m.vit, "spo2")
				press(m, "end", "backspace", "backspace")
				typeText(m, "94")
				press(m, "ctrl+s")
				require.Equal(t, phone.Haster, m.Decision().Level)
			},
			"the nurse raises the level": func(m *Model) {
				press(m, "up", "+") // from the advice field to the level
				typeText(m, "lyder tungpustet")
				press(m, "enter")
				require.Equal(t, phone.Haster, m.Decision().Level)
			},
			"another outcome": func(m *Model) { press(m, "up", "right") },
			"the advice is written": func(m *Model) {
				typeText(m, "drikk")
			},
		} {
			t.Run(string(lang)+"/"+name, func(t *testing.T) {
				m := vanligClosed(t, lang)
				change(m)
				require.Equal(t, "result", m.Step())
				assert.NotContains(t, plain(m), advice)
				assert.Empty(t, m.outErr)
				outs := phonecall.Outcomes(m.Decision().Level)
				if outs[m.outcome] == phonecall.OutcomeClosed && m.outNote.Value() == "" {
					press(m, "enter")
					assert.Contains(t, plain(m), advice, "the cause again: the error again")
				}
			})
		}
	}
}
