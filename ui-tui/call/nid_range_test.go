package call

import (
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// G1 (QA session 6) at the keyboard: an identity number whose control
// digits are right but whose date of birth is in the future (01.01.2027)
// or more than 125 years ago (01.01.1880) is refused at the number, with
// a message naming the field and the accepted range; nothing is filled
// in from it (no "ukjent" age, no sex); the nurse clears it and goes on
// as an unknown patient with the age typed.
func TestAnIdentityNumberNoLivingPatientHasIsRefusedAtTheNumber(t *testing.T) {
	words := map[wording.Lang][2]string{
		"nb": {"Fødselsnummer: fødselsdatoen i nummeret ligger fram i tid; sjekk sifrene (godtatt: født i dag eller før, 0–125 år). Tomt = ukjent",
			"Fødselsnummer: fødselsdatoen i nummeret gir over 125 år; sjekk årstallet (godtatt: 0–125 år). Tomt = ukjent"},
		"en": {"Identity number: the date of birth in the number is in the future; check the digits (accepted: born today or before, 0–125 years). Empty = unknown",
			"Identity number: the date of birth in the number gives over 125 years; check the year (accepted: 0–125 years). Empty = unknown"},
	}
	for lang, want := range words {
		for i, nid := range []string{"01012750036", "01018060031"} {
			t.Run(string(lang)+"/"+nid, func(t *testing.T) {
				m := newCall(lang, &fakeCalls{})
				typeText(m, nid)
				press(m, "enter")
				f := m.who.Field("nid")
				assert.Equal(t, want[i], f.Err)
				assert.Equal(t, nid, f.Input.Value(), "what was typed is kept")
				assert.Equal(t, "", m.who.Value("age"), "no age from a refused number")
				assert.Equal(t, "", m.who.Value("sex"))
				press(m, "ctrl+s")
				require.Equal(t, "caller", m.Step())
				assert.Equal(t, "nid", m.who.Fields[m.who.Focus].ID, "the focus on the number at fault")
				assert.Contains(t, plain(m), "! "+want[i][:20])

				press(m, "end", "ctrl+u") // cleared: an unknown patient
				toField(t, m, &m.who, "age")
				typeText(m, "49")
				press(m, "ctrl+s")
				assert.Equal(t, "complaint", m.Step(), plain(m))
				assert.Equal(t, 49, m.ageYears())
			})
		}
	}
}
