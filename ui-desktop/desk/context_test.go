package desk

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// registerUnknown registers an unknown patient with no age typed.
func (r *rig) registerUnknown() ids.Encounter {
	r.t.Helper()
	r.app.ShowRegistration()
	test.Tap(r.app.reg.unknown)
	test.Tap(r.app.reg.submit)
	require.NotNil(r.t, r.app.form.enc)
	return r.app.form.enc.ID
}

func TestAnUnknownPatientsAgeIsAskedForNeverDefaultedToAdultRules(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.registerUnknown()
	f := r.app.form
	assert.Empty(t, f.age.Text)
	assert.True(t, f.ctxNote.Visible())
	assert.Equal(t, widget.DangerImportance, f.ctxNote.Importance)
	assert.Contains(t, f.ctxNote.Text, "ALDER UKJENT – skriv alderen")

	r.save()
	assert.Empty(t, r.store.saved, "no triage is saved on adult rules by default")
	assert.Equal(t, "Alder mangler: skriv alderen før lagring (anslå om ukjent)", f.msg.Text)
	assert.Equal(t, f.age, r.win.Canvas().Focused(), "the age field has the focus")

	test.Type(f.age, "fire")
	assert.Contains(t, f.ctxNote.Text, `Alder "fire": skriv år`)
	r.save()
	assert.Empty(t, r.store.saved)

	f.age.SetText("6 mnd")
	assert.False(t, f.ctxNote.Visible(), "a typed age needs no note")
	r.save()
	require.Len(t, r.store.saved, 1)
	in := r.store.saved[0].Input
	assert.True(t, in.AgeDaysKnown)
	assert.Equal(t, 183, in.AgeDays, "six months of 30.44 days")
	assert.Equal(t, 0, in.AgeYears)
}

func TestRetriagePrefillsTheContextOfTheLatestTriage(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	id := r.registerUnknown()
	triagedAt := r.now.Add(-40 * time.Minute)
	decision := news2.Scale2Decision{By: "dr.lund", At: r.now.Add(-2 * time.Hour)}
	// The store finds the age, pregnancy and scale 2 decision in the
	// latest triage's stored input (another workstation's, or an earlier
	// session's): the app has nothing of its own about this patient.
	r.store.mu.Lock()
	e := &r.store.encs[id-1]
	e.AgeYears, e.AgeKnown, e.AgeDays, e.AgeDaysKnown, e.AgeFrom = 31, true, 11400, true, AgeFromTriage
	e.Pregnant, e.Scale2, e.PrefilledFrom = true, decision, triagedAt
	r.store.mu.Unlock()
	r.app.SaveTriage() // refused: this session's form has no age
	require.Empty(t, r.store.saved)

	r.app.Retriage(id)
	f := r.app.form
	assert.Equal(t, "31", f.age.Text)
	assert.True(t, f.pregnant.Checked)
	assert.True(t, f.scale2.Visible())
	assert.True(t, f.scale2.Checked)
	assert.Equal(t, "SpO2 skala 2 (besluttet av dr.lund "+decision.At.Local().Format("02.01 15:04")+")", f.scale2.Text)
	assert.Equal(t, fmt.Sprintf("Forhåndsutfylt fra triage kl. %s: alder, gravid, SpO2 skala 2 – kontroller", triagedAt.Local().Format("15:04")), f.ctxNote.Text)
	assert.Equal(t, widget.WarningImportance, f.ctxNote.Importance)

	r.save()
	require.Len(t, r.store.saved, 1)
	in := r.store.saved[0].Input
	assert.Equal(t, 11400, in.AgeDays, "the exact age in days, not the rounded years")
	assert.True(t, in.Pregnant)
	assert.Equal(t, decision, in.Scale2)

	// The nurse corrects what is wrong: a typed age replaces the prefilled
	// one, and an unticked decision is dropped.
	r.app.Retriage(id)
	f.age.SetText("29")
	test.Tap(f.scale2)
	test.Tap(f.pregnant)
	assert.Empty(t, f.ctxNote.Text, "nothing shown as prefilled any more")
	r.save()
	require.Len(t, r.store.saved, 2)
	in = r.store.saved[1].Input
	assert.Equal(t, 10592, in.AgeDays, "29 years")
	assert.False(t, in.Pregnant)
	assert.Equal(t, news2.Scale2Decision{}, in.Scale2)
}

func TestAPrefilledInfantAgeSurvivesALanguageSwitchExactly(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	id := r.registerUnknown()
	r.store.mu.Lock()
	e := &r.store.encs[id-1]
	e.AgeKnown, e.AgeDays, e.AgeDaysKnown, e.AgeFrom, e.PrefilledFrom = true, 200, true, AgeFromTriage, r.now.Add(-time.Hour)
	r.store.mu.Unlock()
	r.app.Retriage(id)
	assert.Equal(t, "6 mnd", r.app.form.age.Text)
	r.app.ToggleLanguage()
	assert.Equal(t, "6 mnd", r.app.form.age.Text, "the draft keeps the field as it was")
	assert.Contains(t, r.app.form.ctxNote.Text, "Prefilled from the triage at", "still read as the prefilled age")
	r.save()
	require.Len(t, r.store.saved, 1)
	assert.Equal(t, 200, r.store.saved[0].Input.AgeDays, "the exact days, not six months of 30.44")
}

func TestTheAgeFromTheIdentityNumberIsFilledAndSaid(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Tor")
	assert.Equal(t, "46", r.app.form.age.Text)
	assert.Equal(t, "Alder fra fødselsnummeret", r.app.form.ctxNote.Text)
	assert.Equal(t, AgeFromNID, r.app.form.enc.AgeFrom)
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		name string
		in   string
		days int
		ok   bool
		err  bool
	}{
		{"an empty field is not known", "  ", 0, false, false},
		{"whole years", "4", 1461, true, false},
		{"a decimal comma is half a year", "0,5", 183, true, false},
		{"months for an infant", "6 mnd", 183, true, false},
		{"months in English", "6 months", 183, true, false},
		{"days for a newborn", "20 d", 20, true, false},
		{"days in words", "20 dager", 20, true, false},
		{"the oldest accepted age", "125", 45656, true, false},
		{"older than 125 is refused", "126", 0, false, true},
		{"a negative age is refused", "-1", 0, false, true},
		{"words are refused", "fire", 0, false, true},
		{"an unknown unit is refused", "4 kg", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, ok, err := parseAge(tt.in)
			assert.Equal(t, tt.err, err != nil, "error %v", err)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.days, days)
		})
	}
}

// FuzzParseAge: whatever is typed, the age is refused, not known, or a
// day count within 0-125 years that formatAgeDays writes back to the same
// number of days as parseAge reads (to the month or year it rounds to).
func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"4", "0,5", "6 mnd", "20 d", "", "125", "1e3", "NaN", "-0", "3 år", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, ok, err := parseAge(s)
		if err != nil || !ok {
			assert.Zero(t, days)
			return
		}
		assert.GreaterOrEqual(t, days, 0)
		assert.LessOrEqual(t, days, 45656)
		for _, l := range i18n.Langs {
			back, ok2, err2 := parseAge(formatAgeDays(l, days))
			require.NoError(t, err2, "%s: %q", l, formatAgeDays(l, days))
			assert.True(t, ok2)
			assert.LessOrEqual(t, days-back, 366, "%q read back from %q", s, formatAgeDays(l, days))
			assert.GreaterOrEqual(t, days-back, 0)
		}
	})
}

func TestBokmålShowsBandsAndDecimalsAsANurseReadsThem(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Eva")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 97, vitals.Percent)
	r.send(vitals.RR, 16, vitals.PerMin)
	r.send(vitals.Temp, 38.4, vitals.Cel)
	assert.Equal(t, "NEWS2 0 (lav)", r.app.form.news2.Text)
	assert.Equal(t, "38,4", r.app.VitalShown(vitals.Temp))
	assert.Equal(t, "Temp 38,4 °C", r.app.form.trendLabel[vitals.Temp].Text)

	// A language switch rebuilds the form: the trend is drawn at once from
	// what the app holds, not left empty until the next value.
	r.app.ToggleLanguage()
	assert.Equal(t, "Temp 38.4 °C", r.app.form.trendLabel[vitals.Temp].Text)
	assert.Equal(t, "NEWS2 0 (low)", r.app.form.news2.Text)
}
