package call

import (
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// QA's trial call 8 at the keyboard: 33 years, Pustevansker, every
// question no, V.01.02 ("... SpO2 96 % eller mer") ticked, SpO2 94 typed.
// The result is HASTER, says in words that V.01.02 does not hold and why,
// and the saved call names no routine code; back on the routine choice the
// row says it too. Then the same call with SpO2 97 is vanlig on V.01.02.
func TestTrialCall8AContradictedRoutineChoiceIsSaidInWords(t *testing.T) {
	words := map[wording.Lang][]string{
		"nb": {"V.01.02 gjelder ikke: SpO2 94 % er under 96 %", "Det bekreftede vanlig-kriteriet gjelder ikke etter målingene"},
		"en": {"V.01.02 does not hold: SpO2 94 % is below 96 %", "The affirmed routine criterion does not hold against the measurements"},
	}
	for lang, want := range words {
		t.Run(string(lang), func(t *testing.T) {
			calls := &fakeCalls{}
			m := newCall(lang, calls)
			m.who.Field("age").Input.SetValue("33")
			press(m, "ctrl+s")
			ix := phone.DemoIndex()
			cp, _ := ix.Complaint("breathing")
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
			require.Equal(t, "vitals", m.Step())
			toField(t, m, &m.vit, "spo2")
			typeText(m, "94")
			press(m, "ctrl+s")
			require.Equal(t, "result", m.Step())
			d := m.Decision()
			require.Equal(t, phone.Haster, d.Level)
			assert.Empty(t, d.Codes)
			s := plain(m)
			for _, w := range want {
				assert.Contains(t, s, w)
			}
			assert.NotContains(t, s, "V.01.02 VANLIG", "the routine criterion listed as a reason")
			assert.NotContains(t, s, "V.01.02 ROUTINE", "the routine criterion listed as a reason")

			press(m, "esc", "esc") // back to the routine choice
			row := strings.Join(strings.Fields(strings.ReplaceAll(plain(m), "›", " ")), " ")
			assert.Contains(t, row, want[0], "the row says why it does not hold")
			require.Equal(t, code(t, "V.01.02"), m.vanlig)
			press(m, "enter") // the choice stands: on to the vitals
			require.Equal(t, code(t, "V.01.02"), m.vanlig)
			press(m, "ctrl+s")
			require.Equal(t, "result", m.Step())
			require.Equal(t, phone.Haster, m.Decision().Level)
			press(m, "enter")
			require.Equal(t, "saved", m.Step())
			assert.NotContains(t, plain(m), "V.01.02", "the saved call names the routine code")
			assert.Contains(t, plain(m), map[wording.Lang]string{"nb": "trygg standard", "en": "safe default"}[lang])
			r := calls.Last()
			assert.Empty(t, r.Decision.Codes)
			assert.Equal(t, phone.Yes, r.Decision.Answers[code(t, "V.01.02")], "what the caller said stays recorded")
		})
	}
}
