package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func plain(m interface{ Render() string }) string { return ansi.Strip(m.Render()) }

// TestCallFlowScreens walks the common path of a call and pins every
// step's screen with a golden file.
func TestCallFlowScreens(t *testing.T) {
	nid := syntheticNID(t, 15, 5, 80, 123)
	calls := &fakeCalls{history: map[string][]PastContact{nid: {
		{At: testNow.Add(-30 * time.Hour), Channel: "phone", Label: "HASTER H.06.02", Summary: "Hodepine (H.06.02)", Nurse: "anne"},
		{At: testNow.Add(-400 * 60 * 60 * 1e9), Channel: "walk_in", Label: "GRØNN", Summary: "Forstuet ankel"},
	}}}
	m := newCall("nb", calls)
	t.Run("caller, empty", func(t *testing.T) { requireGolden(t, m.Render()) })

	typeText(m, nid)
	press(m, "enter")
	t.Run("caller, returning patient", func(t *testing.T) {
		s := plain(m)
		assert.Contains(t, s, "Tidligere henvendelser (2)")
		assert.Contains(t, s, "HASTER H.06.02")
		assert.Contains(t, s, "Født 15.05.1980, 46 år")
		assert.Contains(t, s, "! GJENTATT HENVENDELSE: forrige for 30 t 00 min siden", "a contact within 48 h is flagged")
		requireGolden(t, m.Render())
	})
	typeText(m, "Kari Nordmann")
	press(m, "ctrl+s")
	require.Equal(t, "complaint", m.Step())
	typeText(m, "hodep")
	t.Run("complaint, searching", func(t *testing.T) { requireGolden(t, m.Render()) })
	press(m, "enter")
	require.Equal(t, "criteria", m.Step())
	press(m, "n", "n", "j")
	t.Run("criteria, third question", func(t *testing.T) { requireGolden(t, m.Render()) })
	press(m, "n")
	require.Equal(t, "vitals", m.Step())
	typeText(m, "38,5")
	press(m, "enter")
	typeText(m, "96")
	press(m, "enter")
	typeText(m, "97")
	t.Run("vitals, typing", func(t *testing.T) { requireGolden(t, m.Render()) })
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	t.Run("result", func(t *testing.T) {
		s := plain(m)
		assert.Contains(t, s, "HASTER")
		assert.Contains(t, s, "H.06.01")
		assert.Contains(t, s, "Be pasienten komme til legevakt nå")
		requireGolden(t, m.Render())
	})
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	t.Run("saved", func(t *testing.T) { requireGolden(t, m.Render()) })

	rec := calls.last()
	assert.Equal(t, nid, rec.Patient.NID)
	assert.Equal(t, "Kari Nordmann", rec.Patient.Name)
	assert.Equal(t, 46, rec.Patient.AgeYears)
	assert.Equal(t, "headache", rec.Complaint)
	assert.Equal(t, phone.Haster, rec.Decision.Level)
	assert.Equal(t, "sykepleier.test", rec.Nurse)
	require.Len(t, rec.Vitals, 3)
	for _, o := range rec.Vitals {
		assert.Equal(t, vitals.SourcePhone, o.Source, "reported vitals are marked as reported by phone")
	}
	assert.Equal(t, 38.5, rec.Vitals[0].Value, "a decimal comma is read as a decimal point")
	assert.NotEmpty(t, rec.Scored.Assessment, "the engine's assessment is saved with the call")

	press(m, "enter")
	assert.Equal(t, "caller", m.Step(), "enter after saving starts the next call")
	assert.Equal(t, "", m.who.value("nid"), "the next call starts empty")
}

func TestCallResultInEnglish(t *testing.T) {
	m := newCall("en", &fakeCalls{})
	press(m, "tab", "tab")
	typeText(m, "34")
	press(m, "ctrl+s")
	typeText(m, "chest")
	press(m, "enter", "y")
	require.Equal(t, "result", m.Step(), "an akutt criterion ends the questions")
	s := plain(m)
	assert.Contains(t, s, "ACUTE")
	assert.Contains(t, s, "Set up the conference call with the EMCC (113)")
	assert.Contains(t, s, "A.02.01")
	requireGolden(t, m.Render())
}

func TestRedVitalsMakeTheCallAkutt(t *testing.T) {
	m := newCall("nb", &fakeCalls{})
	press(m, "tab", "tab")
	typeText(m, "70")
	press(m, "ctrl+s")
	typeText(m, "feber voks")
	press(m, "enter", "n", "n", "n", "n", "n")
	require.Equal(t, "vitals", m.Step())
	press(m, "tab", "tab") // to SpO2
	typeText(m, "82")
	press(m, "ctrl+s")
	require.Equal(t, "result", m.Step())
	d := m.Decision()
	assert.Equal(t, phone.Akutt, d.Level, "SpO2 82 %% reported by phone: the engine says red, so the call is akutt")
	assert.True(t, d.Vitals.Red)
	assert.Equal(t, phone.ReasonVitals, d.Reasons[0].Source)
	assert.Contains(t, plain(m), "Triagemotoren vurderer målingene som RØD")
}

// TestBadInputAtEveryField types a wrong value into each field in turn:
// the screen names the problem under the field, keeps what was typed and
// does not move on.
func TestBadInputAtEveryField(t *testing.T) {
	nid := syntheticNID(t, 15, 5, 80, 123)
	badNID := nid[:10] + string('0'+(nid[10]-'0'+1)%10)
	caller := []struct {
		name, field, typed, says string
	}{
		{"an identity number that is too short", "nid", "1505851", "har 11 siffer; du har skrevet 7"},
		{"an identity number with letters", "nid", "15058012x45", "bare siffer"},
		{"an identity number with a wrong control digit", "nid", badNID, "Kontrollsifrene stemmer ikke"},
		{"an identity number with no such date", "nid", "31029012345", "finnes ikke"},
		{"an age that is not a number", "age", "førti", "Alder i hele år"},
		{"an age with decimals", "age", "40,5", "Alder i hele år"},
		{"an age over 125", "age", "130", "0–125"},
		{"a phone number with letters", "phone", "9123abc8", "Telefon: 8 siffer"},
		{"a phone number that is too short", "phone", "91234", "Telefon: 8 siffer"},
	}
	for _, c := range caller {
		t.Run(c.name, func(t *testing.T) {
			m := newCall("nb", &fakeCalls{})
			if c.field != "age" {
				m.who.field("age").input.SetValue("40")
			}
			for m.who.fields[m.who.focus].id != c.field {
				press(m, "tab")
			}
			typeText(m, c.typed)
			press(m, "ctrl+s")
			assert.Equal(t, "caller", m.Step(), "a bad value stops the call at the caller step")
			f := m.who.field(c.field)
			assert.Contains(t, f.err, c.says)
			assert.Equal(t, c.typed, f.input.Value(), "what was typed is kept")
			assert.Equal(t, c.field, m.who.fields[m.who.focus].id, "the field with the problem has the focus")
			assert.Contains(t, plain(m), "! "+f.err, "the message is on screen")
			// Fixing the value clears the message at once.
			press(m, "ctrl+u")
			assert.Empty(t, f.err)
		})
	}
	t.Run("an unknown patient without an age", func(t *testing.T) {
		m := newCall("nb", &fakeCalls{})
		press(m, "ctrl+s")
		assert.Equal(t, "caller", m.Step())
		assert.Contains(t, m.who.field("age").err, "Alder trengs når fødselsnummer er ukjent")
		assert.Contains(t, m.who.field("nid").note, "Ukjent pasient")
	})
	t.Run("an age that does not match the identity number", func(t *testing.T) {
		m := newCall("nb", &fakeCalls{})
		m.who.field("age").input.SetValue("30")
		typeText(m, nid)
		press(m, "ctrl+s")
		assert.Contains(t, m.who.field("age").err, "stemmer ikke med fødselsnummeret (46 år)")
		assert.Equal(t, "30", m.who.field("age").input.Value())
	})

	vit := []struct {
		name, field, typed, says string
	}{
		{"a temperature that is not a number", "temp", "38,5,1", "Skriv et tall, 25,0–45,0 °C"},
		{"a temperature in Fahrenheit", "temp", "101", "Utenfor mulig område 25,0–45,0 °C"},
		{"a pulse over 300", "hr", "310", "0–300 /min"},
		{"a negative pulse", "hr", "-5", "0–300 /min"},
		{"a saturation over 100", "spo2", "101", "0–100 %"},
		{"a breathing rate over 120", "rr", "125", "0–120 /min"},
		{"a systolic pressure under 20", "sbp", "12", "20–300 mmHg"},
		{"a diastolic pressure with letters", "dbp", "8o", "Skriv et tall"},
	}
	for _, c := range vit {
		t.Run(c.name, func(t *testing.T) {
			m := toVitals(t)
			if c.field != "temp" {
				m.vit.field("temp").input.SetValue("37,2") // typed earlier, must survive
			}
			for m.vit.fields[m.vit.focus].id != c.field {
				press(m, "tab")
			}
			typeText(m, c.typed)
			press(m, "ctrl+s")
			assert.Equal(t, "vitals", m.Step())
			f := m.vit.field(c.field)
			assert.Contains(t, f.err, c.says)
			assert.Equal(t, c.typed, f.input.Value(), "what was typed is kept")
			if c.field != "temp" {
				assert.Equal(t, "37,2", m.vit.field("temp").input.Value(), "other fields are kept")
			}
			assert.Contains(t, plain(m), "! "+f.err)
		})
	}
	t.Run("a systolic pressure not above the diastolic", func(t *testing.T) {
		m := toVitals(t)
		m.vit.field("sbp").input.SetValue("80")
		m.vit.field("dbp").input.SetValue("90")
		press(m, "ctrl+s")
		assert.Equal(t, "vitals", m.Step())
		assert.Contains(t, m.vit.field("sbp").err, "Systolisk må være høyere enn diastolisk")
		assert.Equal(t, "sbp", m.vit.fields[m.vit.focus].id)
	})
	t.Run("a value the engine refuses comes back to its field", func(t *testing.T) {
		m := toVitals(t)
		m.scorer = refusingScorer{}
		m.vit.field("hr").input.SetValue("120")
		press(m, "ctrl+s")
		assert.Equal(t, "vitals", m.Step())
		assert.Equal(t, "pulse 120 /min refused by rule set", m.vit.field("hr").err)
		assert.Equal(t, "120", m.vit.field("hr").input.Value())
	})
	t.Run("a complaint search never dead-ends: nonsense lists Annet / uavklart problem", func(t *testing.T) {
		m := newCall("nb", &fakeCalls{})
		m.who.field("age").input.SetValue("40")
		press(m, "ctrl+s")
		typeText(m, "xyzzy")
		assert.Contains(t, plain(m), "Annet / uavklart problem")
		assert.Equal(t, "xyzzy", m.search.Value())
		press(m, "enter")
		assert.Equal(t, "criteria", m.Step())
	})
	t.Run("a failed save keeps the result and says why", func(t *testing.T) {
		calls := &fakeCalls{failAt: 1}
		m := toVitals(t)
		m.store = calls
		press(m, "ctrl+s", "enter")
		assert.Equal(t, "result", m.Step())
		assert.Contains(t, plain(m), "Ikke lagret: database is locked")
		press(m, "enter")
		assert.Equal(t, "saved", m.Step(), "saving again works")
	})
}

type refusingScorer struct{}

func (refusingScorer) ScorePhone(Patient, PhoneVitals, time.Time) (Scored, error) {
	return Scored{}, &FieldError{Field: "hr", Message: "pulse 120 /min refused by rule set"}
}

// toVitals brings a new call to the vitals step with no criterion met.
func toVitals(t *testing.T) *CallModel {
	t.Helper()
	m := newCall("nb", &fakeCalls{})
	m.who.field("age").input.SetValue("40")
	press(m, "ctrl+s")
	typeText(m, "hodepine")
	press(m, "enter", "n", "n", "n", "n")
	require.Equal(t, "vitals", m.Step())
	return m
}

func TestBackAndForthKeepsAnswers(t *testing.T) {
	m := toVitals(t)
	typeText(m, "39")
	press(m, "esc")
	assert.Equal(t, "criteria", m.Step(), "esc goes back to the last question")
	press(m, "n")
	assert.Equal(t, "vitals", m.Step())
	assert.Equal(t, "39", m.vit.field("temp").input.Value(), "typed vitals survive going back")
	press(m, "esc", "esc", "esc", "esc", "esc")
	assert.Equal(t, "complaint", m.Step())
	assert.Equal(t, "hodepine", m.search.Value())
	press(m, "esc")
	assert.Equal(t, "caller", m.Step())
	assert.Equal(t, "40", m.who.field("age").input.Value())
}

func TestNewCallMidCallNeedsASecondPress(t *testing.T) {
	m := newCall("nb", &fakeCalls{})
	typeText(m, "Kari")
	press(m, "ctrl+n")
	assert.Equal(t, "Kari", m.who.field("nid").input.Value(), "one ctrl+n loses nothing")
	assert.Contains(t, plain(m), "Trykk ctrl+n igjen")
	press(m, "ctrl+n")
	assert.Equal(t, "", m.who.field("nid").input.Value())
}

func TestUnknownPatientSavesWithoutIdentityNumber(t *testing.T) {
	calls := &fakeCalls{}
	m := newCall("nb", calls)
	press(m, "tab", "tab")
	typeText(m, "4")
	press(m, "ctrl+s")
	typeText(m, "feber barn")
	// A 4-year-old is not asked the babies' criterion (H.05.01): four
	// questions.
	press(m, "enter", "n", "n", "j", "n", "ctrl+s", "enter")
	require.Equal(t, "saved", m.Step())
	rec := calls.last()
	assert.Empty(t, rec.Patient.NID)
	assert.Equal(t, 4, rec.Patient.AgeYears)
	assert.Equal(t, phone.Haster, rec.Decision.Level)
	assert.Empty(t, rec.Vitals, "no vitals reported, none saved")
	assert.True(t, strings.HasPrefix(rec.Decision.Codes[0].String(), "H.05."))
}

func TestTheNurseRaisesTheLevelWithAReason(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t)
	m.store = calls
	press(m, "ctrl+s")
	require.Equal(t, phone.Haster, m.Decision().Level, "all no: haster, the safe default")
	require.True(t, m.Decision().NeedsNurseChoice)
	press(m, "+")
	assert.Contains(t, plain(m), "Hvorfor AKUTT? (valgfritt, enter)")
	typeText(m, "forvirret i telefonen")
	press(m, "enter")
	d := m.Decision()
	assert.Equal(t, phone.Akutt, d.Level)
	assert.Equal(t, phone.Haster, d.Computed)
	s := plain(m)
	assert.Contains(t, s, "Hevet av sykepleier fra HASTER")
	assert.Contains(t, s, "Sykepleier hever til AKUTT: forvirret i telefonen")
	assert.Contains(t, s, "Sett opp konferanse med AMK (113) nå", "the actions follow the raised level")
	requireGolden(t, m.Render())

	press(m, "-")
	assert.Equal(t, phone.Haster, m.Decision().Level, "- takes the raise back")
	press(m, "+", "esc")
	assert.Equal(t, phone.Haster, m.Decision().Level, "esc cancels a raise")
	press(m, "+", "enter")
	assert.Equal(t, phone.Akutt, m.Decision().Level)
	press(m, "+")
	assert.NotContains(t, plain(m), "Hvorfor", "nothing is above akutt")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	assert.Equal(t, phone.Akutt, calls.last().Decision.Level, "the raised level is what is saved")
	assert.Equal(t, phone.Haster, calls.last().Decision.Computed)
}

func TestAgeAt(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name       string
		birth, now time.Time
		want       int
	}{
		{"the day before the birthday", d(1980, 5, 15), d(2026, 5, 14), 45},
		{"on the birthday", d(1980, 5, 15), d(2026, 5, 15), 46},
		{"born 1 March, on 29 February of a leap year", d(1981, 3, 1), d(2028, 2, 29), 46},
		{"born 29 February, on 28 February", d(1980, 2, 29), d(2027, 2, 28), 46},
		{"born 29 February, on 1 March", d(1980, 2, 29), d(2027, 3, 1), 47},
		{"a newborn", d(2026, 11, 20), d(2026, 11, 22), 0},
		{"a birth date in the future is 0, never negative", d(2027, 1, 1), d(2026, 11, 22), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, ageAt(c.birth, c.now)) })
	}
}

func TestKeysWaitWhileTheCallIsBeingSaved(t *testing.T) {
	m := toVitals(t)
	press(m, "ctrl+s")
	_, cmd := m.Update(keyMsg("enter"))
	require.NotNil(t, cmd, "enter starts the save")
	assert.Contains(t, plain(m), "Lagrer")
	for _, k := range []string{"ctrl+n", "ctrl+n", "esc", "+"} {
		m.Update(keyMsg(k))
	}
	assert.Equal(t, "result", m.Step(), "no key changes a call while it is written")
	m.Update(cmd())
	assert.Equal(t, "saved", m.Step())
	m.Update(savedMsg{seq: m.seq - 1, ref: "old"})
	assert.Equal(t, "saved", m.Step(), "a stale save result is ignored")
	press(m, "enter")
	m.Update(savedMsg{seq: m.seq - 1, ref: "late"})
	assert.Equal(t, "caller", m.Step(), "a late result of the previous call does not touch the new one")
}

// TestTheQuestionAskedIsShownWhole: at 80 columns a long criterion is cut
// in the list, but the one being asked is wrapped, never cut, since the
// nurse reads it to the caller.
func TestTheQuestionAskedIsShownWhole(t *testing.T) {
	a := newTestApp("en", true, &fakeCalls{})
	press(a, "enter")
	typeText(a, "Per Test")
	press(a, "enter")
	typeText(a, "70")
	press(a, "ctrl+s")
	typeText(a, "chest")
	press(a, "enter")
	require.Equal(t, "criteria", a.Call().Step())
	screen := func() string { return strings.Join(strings.Fields(ansi.Strip(a.Render())), " ") }
	cp, ok := phone.DemoIndex().Complaint("chest-pain")
	require.True(t, ok)
	first := cp.Criteria[0]
	require.Greater(t, len(first.Text.In("en")), 60, "the test needs a criterion longer than the row")
	assert.Contains(t, screen(), "> ? "+first.Code.String()+" ACUTE "+first.Text.In("en"), "the whole question, wrapped")
	press(a, "n")
	assert.NotContains(t, screen(), first.Text.In("en"), "answered, it is cut to its row again")
}
