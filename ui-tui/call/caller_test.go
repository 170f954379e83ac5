package call

import (
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toNID moves the focus back to the identity number and clears it.
func toNID(t *testing.T, m *Model) {
	t.Helper()
	for i := 0; m.who.Fields[m.who.Focus].ID != "nid"; i++ {
		require.Less(t, i, 20)
		press(m, "shift+tab")
	}
	press(m, "end", "ctrl+u")
}

// Another identity number is another patient: the stored name, the age
// and the sex the first number filled in are cleared (and the second
// number's filled in), whether the number changes to another valid one,
// to a wrong one or to empty; what the nurse typed over is kept.
func TestAChangedIdentityNumberClearsThePreviousPatient(t *testing.T) {
	kari := syntheticNID(t, 15, 5, 80, 122) // female, born 1980
	ola := syntheticNID(t, 3, 11, 52, 321)  // male, born 1952, no stored name
	calls := &fakeCalls{Names: map[string]string{kari: "Kari Nordmann"}}
	m := newCall("nb", calls)
	typeText(m, kari)
	press(m, "tab")
	require.Equal(t, "Kari Nordmann", m.who.Value("name"))
	require.Equal(t, "46 år", m.who.Value("age"))
	require.Equal(t, "female", m.who.Value("sex"))

	toNID(t, m)
	typeText(m, ola)
	press(m, "tab")
	assert.Equal(t, "", m.who.Value("name"), "Kari's name is not Ola's")
	assert.Equal(t, "74 år", m.who.Value("age"), "Ola's age, not Kari's")
	assert.Equal(t, "male", m.who.Value("sex"))
	assert.Empty(t, m.who.Field("age").Err)
	assert.NotContains(t, plain(m), "Kari Nordmann")

	// A wrong number and an empty one clear the filled values too.
	toNID(t, m)
	typeText(m, kari)
	press(m, "tab")
	require.Equal(t, "Kari Nordmann", m.who.Value("name"))
	toNID(t, m)
	typeText(m, kari[:10]+"0")
	press(m, "tab")
	assert.Equal(t, "", m.who.Value("name"))
	assert.Equal(t, "", m.who.Value("age"))
	assert.Equal(t, "", m.who.Value("sex"), "the sex came from the other number")
	toNID(t, m)
	typeText(m, kari)
	press(m, "tab")
	toNID(t, m)
	press(m, "tab")
	assert.Equal(t, "", m.who.Value("name"), "an unknown patient has no stored name")
	assert.Equal(t, "", m.who.Value("age"))

	// What the nurse typed over stays.
	toNID(t, m)
	typeText(m, kari)
	press(m, "tab")
	press(m, "end", "ctrl+u")
	typeText(m, "Kari N. Hansen")
	toNID(t, m)
	typeText(m, ola)
	press(m, "tab")
	assert.Equal(t, "Kari N. Hansen", m.who.Value("name"), "a name the nurse typed is kept")
}

// An error whose condition is fixed elsewhere clears: "age needed" while
// the number is unknown goes when a valid number is given.
func TestAStaleErrorClearsWhenTheConditionIsFixed(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		m := newCall(lang, &fakeCalls{})
		press(m, "tab") // the number left empty: unknown
		toField(t, m, &m.who, "age")
		press(m, "tab") // age left empty
		require.NotEmpty(t, m.who.Field("age").Err, lang)
		needed := m.who.Field("age").Err
		require.Contains(t, plain(m), needed)

		toNID(t, m)
		typeText(m, syntheticNID(t, 15, 5, 80, 122))
		press(m, "tab")
		assert.Empty(t, m.who.Field("age").Err, "%s: the number gives the age", lang)
		assert.NotContains(t, plain(m), needed, lang)
	}
}
