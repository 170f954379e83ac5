package desk

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/patient/patienttest"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// QA F5: Maja Eriksen's header said 33 y (from the identity number) and
// the form's age field 32: 33 years are 12053.25 days, quantised to 12053,
// which formatAgeDays truncated to 32.99 years. Every age a nurse can
// type in whole years, months or days is written back as typed (and so
// as the identity number gives it), in both languages.
func TestEveryWholeAgeIsWrittenBackAsTyped(t *testing.T) {
	for _, l := range i18n.Langs {
		var texts []string
		for d := 0; d < 61; d++ {
			texts = append(texts, l.T("age.days", d))
		}
		for m := 2; m < 24; m++ {
			texts = append(texts, l.T("age.months", m))
		}
		for y := 2; y <= 125; y++ {
			texts = append(texts, fmt.Sprint(y))
		}
		for _, text := range texts {
			days, ok, err := parseAge(text)
			if !assert.True(t, ok && err == nil, "%s: %q", l, text) {
				continue
			}
			assert.Equal(t, text, formatAgeDays(l, days), "%s: %q is %d days", l, text, days)
		}
	}
}

// The header and the form's age field agree for a patient whose age from
// the identity number is 33 (one of the years the truncation lost).
func TestTheFormsAgeIsTheHeadersAgeFromTheIdentityNumber(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.register(patienttest.NID(t, "150393", 100), "Maja Eriksen")
	assert.Equal(t, "33", r.app.form.age.Text)
	assert.Contains(t, r.app.form.patient.Text, "33 y")
	assert.Equal(t, AgeFromNID, r.app.form.enc.AgeFrom)
}
