package call

import (
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/stretchr/testify/assert"
)

// G5 (QA session 6): the caller's number is 8 digits, or + (or 00) and a
// country code, 10 to 15 digits after it. A slipped or missing digit is
// refused at the field, in the nurse's language, the typed text kept,
// and is never looked up as a returning caller.
func TestThePhoneFieldTakesOnlyANumberThatCanBeCalledBack(t *testing.T) {
	msg := map[wording.Lang]string{
		"nb": "Telefon: 8 siffer, eller + og landskode (f.eks. +4791234567)",
		"en": "Phone: 8 digits, or + and country code (e.g. +4791234567)",
	}
	for _, tc := range []struct {
		typed string
		ok    bool
	}{
		{"91234567", true},
		{"912 34 567", true},
		{"+4791234567", true},
		{"+47 912 34 567", true},
		{"0047 91234567", true},
		{"+354 5551234", true},
		{"+1 212 555 0100", true},
		{"+123456789012345", true},
		{"123456789", false}, // QA G5: one digit too many
		{"1234567", false},   // one too few
		{"9123456789", false},
		{"+479123", false},
		{"+1234567890123456", false},
		{"0047", false},
		{"004712", false},
		{"9123456a", false},
		{"+47+91234567", false},
		{"113", false},
	} {
		for lang, want := range msg {
			calls := &fakeCalls{Callers: map[string]phonecall.Caller{phonecall.NormalisePhone(tc.typed): {Name: "Skal ikke vises", TempID: "UKJENT-X"}}}
			m := newCall(lang, calls)
			toField(t, m, &m.who, "phone")
			typeText(m, tc.typed)
			press(m, "enter")
			f := m.who.Field("phone")
			if tc.ok {
				assert.Empty(t, f.Err, "%q", tc.typed)
				continue
			}
			assert.Equal(t, want, f.Err, "%q in %s", tc.typed, lang)
			assert.Equal(t, tc.typed, f.Input.Value(), "what was typed is kept")
			assert.Nil(t, m.match, "%q: a refused number is not looked up", tc.typed)
			assert.NotContains(t, plain(m), "Skal ikke vises")
		}
	}
}
