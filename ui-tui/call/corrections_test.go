package call

import (
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The nurse corrects a reported temperature (39 -> 37), goes back up the
// questions and answers an akutt criterion yes: the result and the saved
// call carry the value in the form, 37, not the one corrected away.
func TestCorrectedVitalIsWhatIsSaved(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t, calls)
	toField(t, m, &m.vit, "temp_c")
	typeText(m, "39")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	press(m, "esc") // back to the vitals
	press(m, "backspace")
	typeText(m, "7") // 39 -> 37
	require.Equal(t, "37", m.vit.Field("temp_c").Input.Value())
	press(m, "esc") // to the criteria
	require.Equal(t, "criteria", m.Step())
	m.qi = 0
	press(m, "j") // akutt: ends the questions
	require.Equal(t, "result", m.Step())
	require.Equal(t, phone.Akutt, m.Decision().Level)
	assert.NotContains(t, plain(m), "39 °C", "the result shows a temperature the nurse corrected away")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	r := calls.Last()
	require.NotNil(t, r.Vitals.TempC)
	assert.Equal(t, 37.0, *r.Vitals.TempC, "the saved temperature is not the one in the form")
}

// The reasons for reported vitals are worded in the nurse's language on
// the result screen, one line per value, never the engine's raw field
// names.
func TestReportedVitalsReasonsAreInTheNursesLanguage(t *testing.T) {
	m := toVitals(t, nil)
	toField(t, m, &m.vit, "hr")
	typeText(m, "130")
	press(m, "tab", "tab")
	typeText(m, "39,5")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	s := plain(m)
	assert.Contains(t, s, "Puls 130/min", s)
	assert.Equal(t, 1, strings.Count(s, "Puls 130/min"), "one line per value")
	assert.NotContains(t, s, "hr 130", "a raw engine field name on a bokmål screen")
	assert.NotContains(t, s, "oxygen not recorded", "English on a bokmål screen")
	assert.NotContains(t, s, "()", "an empty threshold")
}
