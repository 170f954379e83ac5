package call

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func plain(m interface{ Render() string }) string { return ansi.Strip(m.Render()) }

// toField moves the focus of f to the field id with tab.
func toField(t *testing.T, m *Model, f *widget.Form, id string) {
	t.Helper()
	for i := 0; f.Fields[f.Focus].ID != id; i++ {
		require.Less(t, i, 20, "no field %s", id)
		press(m, "tab")
	}
}

// TestCallFlowScreens walks a whole call and pins every step's screen
// with a golden file, in bokmål and in English.
func TestCallFlowScreens(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			nid := syntheticNID(t, 15, 5, 80, 122)
			calls := &fakeCalls{
				Names: map[string]string{nid: "Kari Nordmann"},
				Contacts: map[string][]phonecall.Contact{nid: {
					{At: testNow.Add(-30 * time.Hour), Channel: store.Phone, IsCall: true, Level: phone.Haster,
						Codes: []phone.Code{code(t, "H.06.02")}, Summary: "Hodepine", Complaint: "headache", Nurse: "anne", Outcome: store.OutcomeExpected},
					{At: testNow.Add(-400 * time.Hour), Channel: store.WalkIn, Triaged: true, Colour: 3, Summary: "Forstuet ankel"},
				}}}
			m := newCall(lang, calls)
			t.Run("caller, empty", func(t *testing.T) { requireGolden(t, m.Render()) })
			typeText(m, nid)
			press(m, "enter")
			t.Run("caller, returning patient", func(t *testing.T) { requireGolden(t, m.Render()) })
			assert.Equal(t, "Kari Nordmann", m.who.Value("name"), "a returning patient's name is filled in")
			assert.Equal(t, "female", m.who.Value("sex"), "the sex comes from the identity number")
			toField(t, m, &m.who, "onset")
			typeText(m, "for 2 timer siden")
			press(m, "tab")
			typeText(m, "Hodepine siden i formiddag, verre nå")
			press(m, "ctrl+s")
			require.Equal(t, "complaint", m.Step())
			typeText(m, "hodep")
			t.Run("complaint, searching", func(t *testing.T) { requireGolden(t, m.Render()) })
			press(m, "enter")
			require.Equal(t, "criteria", m.Step())
			press(m, "n", "n")
			t.Run("criteria, third question", func(t *testing.T) { requireGolden(t, m.Render()) })
			for m.qi < len(m.questions) {
				press(m, "n")
			}
			require.Equal(t, "criteria", m.Step(), "all no: the vanlig choice follows")
			t.Run("criteria, vanlig choice", func(t *testing.T) { requireGolden(t, m.Render()) })
			press(m, "enter")
			require.Equal(t, "vitals", m.Step())
			typeText(m, "16")
			press(m, "tab")
			typeText(m, "9")
			press(m, "tab", "right", "tab")
			typeText(m, "135")
			press(m, "tab")
			typeText(m, "85")
			press(m, "tab")
			typeText(m, "88")
			press(m, "tab", "right", "tab")
			typeText(m, "37,2")
			t.Run("vitals, typing", func(t *testing.T) { requireGolden(t, m.Render()) })
			press(m, "ctrl+s")
			require.Equal(t, "vitals", m.Step(), "an implausible SpO2 asks first")
			t.Run("vitals, did you mean", func(t *testing.T) { requireGolden(t, m.Render()) })
			require.Equal(t, "spo2", m.vit.Fields[m.vit.Focus].ID)
			press(m, "backspace")
			typeText(m, "96")
			press(m, "ctrl+s")
			require.Equal(t, "result", m.Step())
			t.Run("result", func(t *testing.T) { requireGolden(t, m.Render()) })
			d := m.Decision()
			assert.Equal(t, phone.Vanlig, d.Level, "an affirmed vanlig criterion and calm vitals")
			press(m, "enter")
			require.Equal(t, "result", m.Step(), "a vanlig call is closed with the advice given: it must be written")
			assert.NotEmpty(t, m.outErr)
			typeText(m, "Paracetamol, ring igjen ved forverring")
			press(m, "enter")
			require.Equal(t, "saved", m.Step())
			t.Run("saved", func(t *testing.T) { requireGolden(t, m.Render()) })

			r := calls.Last()
			assert.Equal(t, nid, r.NID)
			assert.Equal(t, "Kari Nordmann", r.Name)
			assert.Equal(t, 46, r.AgeYears)
			assert.Equal(t, store.SexFemale, r.Sex)
			assert.Equal(t, store.SexFromNID, r.SexSource)
			assert.Equal(t, "for 2 timer siden", r.Onset.Said)
			require.True(t, r.Onset.Exact())
			assert.Equal(t, testNow.Add(-2*time.Hour), *r.Onset.From)
			assert.Equal(t, "46 år", r.Age.Text("nb"), "the age with its unit, from the identity number")
			assert.Equal(t, "Hodepine siden i formiddag, verre nå", r.Note)
			assert.Equal(t, "headache", r.Complaint.ID)
			assert.Equal(t, store.OutcomeClosed, r.Outcome)
			assert.Equal(t, "Paracetamol, ring igjen ved forverring", r.OutcomeNote)
			assert.Equal(t, 96.0, *r.Vitals.SpO2, "the corrected value is saved")
			require.NotNil(t, r.Vitals.Oxygen)
			assert.False(t, *r.Vitals.Oxygen, "on air")
			assert.Equal(t, "A", r.Vitals.Consciousness)
			assert.NotNil(t, r.Assessment, "the engine's assessment is saved with the call")
			for code, a := range r.Decision.Answers {
				if code.Level != phone.Vanlig {
					assert.Equal(t, phone.No, a, "%s", code)
				}
			}
			press(m, "enter")
			assert.Equal(t, "caller", m.Step(), "enter after saving starts the next call")
			assert.Equal(t, "", m.who.Value("nid"), "the next call starts empty")
		})
	}
}

// toVitals brings a new call about a 40-year-old's headache to the vitals
// step with every question answered no and "none fits" chosen.
func toVitals(t *testing.T, calls *fakeCalls) *Model {
	t.Helper()
	if calls == nil {
		calls = &fakeCalls{}
	}
	m := newCall("nb", calls)
	m.who.Field("age").Input.SetValue("40")
	press(m, "ctrl+s")
	typeText(m, "hodepine")
	press(m, "enter")
	for m.qi < len(m.questions) {
		press(m, "n")
	}
	for m.vsel < len(m.vanligs) {
		press(m, "down")
	}
	press(m, "enter")
	require.Equal(t, "vitals", m.Step())
	return m
}

// TestNoCriterionAffirmedProposesHaster is the rule over every complaint
// of the index: all no and "none fits" never gives vanlig, the proposal is
// haster and the nurse's choice; affirming a vanlig criterion gives vanlig
// under exactly that criterion; every criterion shown is stored as yes,
// no or not asked.
func TestNoCriterionAffirmedProposesHaster(t *testing.T) {
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		for _, age := range []string{"0", "4", "40", "80"} {
			m := newCall("nb", nil)
			m.who.Field("age").Input.SetValue(age)
			press(m, "ctrl+s")
			m.search.SetValue(cp.Name.In("nb"))
			m.matches = []phone.Match{{Complaint: cp}}
			press(m, "enter")
			for m.qi < len(m.questions) {
				press(m, "n")
			}
			for m.vsel < len(m.vanligs) {
				press(m, "down")
			}
			press(m, "enter", "ctrl+s")
			require.Equal(t, "result", m.Step(), "%s age %s", cp.ID, age)
			d := m.Decision()
			assert.Equal(t, phone.Haster, d.Level, "%s age %s: nothing affirmed must not be vanlig", cp.ID, age)
			assert.True(t, d.NeedsNurseChoice, cp.ID)
			assert.Empty(t, d.Codes, "%s: no criterion is named that nobody affirmed", cp.ID)
			for _, cr := range cp.Criteria {
				_, ok := d.Answers[cr.Code]
				assert.True(t, ok, "%s: %s has an answer", cp.ID, cr.Code)
			}
			if len(m.vanligs) == 0 {
				continue
			}
			press(m, "esc", "esc")
			require.Equal(t, "criteria", m.Step())
			for m.vsel > 0 {
				press(m, "up")
			}
			press(m, "enter", "ctrl+s")
			d = m.Decision()
			assert.Equal(t, phone.Vanlig, d.Level, "%s: an affirmed vanlig criterion", cp.ID)
			assert.Equal(t, []phone.Code{m.vanligs[0].Code}, d.Codes)
			assert.Equal(t, phone.Yes, d.Answers[m.vanligs[0].Code])
		}
	}
}

func TestLoweringTheSafeDefaultNeedsAWrittenReason(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t, calls)
	press(m, "ctrl+s")
	require.True(t, m.Decision().NeedsNurseChoice)
	assert.Contains(t, plain(m), "HASTER er foreslått som trygg standard")
	press(m, "-")
	assert.Contains(t, plain(m), "Hvorfor VANLIG?")
	press(m, "enter")
	assert.Contains(t, plain(m), "Skriv hvorfor nivået senkes", "no reason, no lowering")
	assert.Equal(t, phone.Haster, m.Decision().Level)
	typeText(m, "kjent migrene, som vanlig")
	press(m, "enter")
	d := m.Decision()
	require.Equal(t, phone.Vanlig, d.Level)
	assert.Equal(t, phone.Haster, d.Computed)
	require.NotNil(t, d.Override)
	assert.Equal(t, "kjent migrene, som vanlig", d.Override.Reason)
	assert.Contains(t, plain(m), "Endret av sykepleier fra HASTER til VANLIG")
	typeText(m, "Råd om smertestillende")
	press(m, "enter")
	assert.Equal(t, "result", m.Step(), "the advice is typed in its field first")
	press(m, "down")
	typeText(m, "Råd om smertestillende")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	r := calls.Last()
	assert.Equal(t, phone.Vanlig, r.Decision.Level)
	assert.Equal(t, "kjent migrene, som vanlig", r.Decision.Override.Reason, "the reason is saved with the override")

	// A level that rests on an affirmed criterion is never lowered.
	m = toVitals(t, &fakeCalls{})
	press(m, "esc")
	m.qi = len(m.questions) - 1 // the last question is a haster criterion
	require.Equal(t, phone.Haster, m.questions[m.qi].Code.Level)
	press(m, "j", "ctrl+s")
	require.Equal(t, phone.Haster, m.Decision().Level)
	require.False(t, m.Decision().NeedsNurseChoice)
	press(m, "-")
	assert.Contains(t, plain(m), "Kan ikke senke")
	assert.Nil(t, m.overriding)
}

func TestTheNurseRaisesTheLevelWithAReason(t *testing.T) {
	calls := &fakeCalls{}
	m := toVitals(t, calls)
	typeText(m, "18")
	press(m, "ctrl+s")
	require.Equal(t, phone.Haster, m.Decision().Level)
	press(m, "+")
	assert.Contains(t, plain(m), "Hvorfor AKUTT?")
	typeText(m, "forvirret i telefonen")
	press(m, "enter")
	d := m.Decision()
	assert.Equal(t, phone.Akutt, d.Level)
	assert.Equal(t, phone.Haster, d.Computed)
	s := plain(m)
	assert.Contains(t, s, "Endret av sykepleier fra HASTER til AKUTT")
	assert.Contains(t, s, "forvirret i telefonen")
	assert.Contains(t, s, "Sett opp konferanse med AMK (113) nå", "the actions follow the raised level")
	assert.Contains(t, s, "overlatt til AMK (113)", "the outcome follows the raised level")

	press(m, "-")
	assert.Equal(t, phone.Haster, m.Decision().Level, "- takes the raise back")
	press(m, "+", "esc")
	assert.Equal(t, phone.Haster, m.Decision().Level, "esc cancels a raise")
	press(m, "+", "enter")
	assert.Equal(t, phone.Akutt, m.Decision().Level, "a raise needs no reason")
	press(m, "+")
	assert.Nil(t, m.overriding, "nothing is above akutt")

	// The raise stands when the nurse corrects a value and assesses again.
	press(m, "esc")
	require.Equal(t, "vitals", m.Step())
	press(m, "backspace", "backspace")
	typeText(m, "20")
	press(m, "ctrl+s")
	assert.Equal(t, phone.Akutt, m.Decision().Level)
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	r := calls.Last()
	assert.Equal(t, phone.Akutt, r.Decision.Level, "the raised level is what is saved")
	assert.Equal(t, phone.Haster, r.Decision.Computed)
	assert.Equal(t, store.OutcomeHandedOver, r.Outcome)
	assert.Equal(t, 20.0, *r.Vitals.RR)
}

// An akutt answer goes to the result at once, but keeps the vitals and the
// note typed earlier: they are shown, scored and saved.
func TestAnAkuttAnswerKeepsTheVitalsAndTheNote(t *testing.T) {
	calls := &fakeCalls{}
	m := newCall("nb", calls)
	m.who.Field("age").Input.SetValue("72")
	toField(t, m, &m.who, "note")
	typeText(m, "trykk i brystet i hvile")
	press(m, "ctrl+s")
	typeText(m, "bryst")
	press(m, "enter", "pgdown")
	require.Equal(t, "vitals", m.Step(), "the vitals can be typed before the questions")
	typeText(m, "22")
	press(m, "tab")
	typeText(m, "95")
	press(m, "esc")
	require.Equal(t, "criteria", m.Step())
	press(m, "j")
	require.Equal(t, "result", m.Step())
	assert.Equal(t, phone.Akutt, m.Decision().Level)
	assert.Contains(t, plain(m), "NEWS2 minst", "the vitals typed before are scored")
	press(m, "enter")
	require.Equal(t, "saved", m.Step())
	r := calls.Last()
	assert.Equal(t, "trykk i brystet i hvile", r.Note)
	require.NotNil(t, r.Vitals.RR)
	assert.Equal(t, 22.0, *r.Vitals.RR)
	assert.Equal(t, 95.0, *r.Vitals.SpO2)
	assert.Equal(t, phone.NotAsked, r.Decision.Answers[code(t, "A.02.02")], "questions after the akutt yes are not asked")
}

// Every step can be visited in any order, and nothing is cleared; a step
// is marked done only when it holds data.
func TestEveryStepIsRevisitableAndNothingIsCleared(t *testing.T) {
	m := newCall("nb", nil)
	assert.NotContains(t, plain(m), "✓", "an empty call has no step done")
	m.who.Field("age").Input.SetValue("40")
	press(m, "pgdown")
	require.Equal(t, "complaint", m.Step())
	assert.Contains(t, plain(m), "Innringer ✓")
	assert.NotContains(t, plain(m), "Kriterier ✓")
	typeText(m, "hodepine")
	press(m, "enter", "n", "n")
	press(m, "pgdown")
	require.Equal(t, "vitals", m.Step())
	assert.Contains(t, plain(m), "Kriterier ✓")
	assert.NotContains(t, plain(m), "Målinger ✓", "no value typed: not done")
	typeText(m, "20")
	for range 4 {
		press(m, "pgup")
	}
	require.Equal(t, "caller", m.Step())
	for range 3 {
		press(m, "esc", "pgdown")
	}
	press(m, "pgdown", "pgdown", "pgdown")
	assert.Equal(t, "result", m.Step())
	assert.Equal(t, "40 år", m.who.Value("age"), "kept, shown back with its unit")
	assert.Equal(t, "hodepine", m.search.Value())
	assert.Equal(t, "20", m.vit.Value("rr"))
	assert.Equal(t, phone.No, m.answers[m.questions[0].Code])
	assert.Equal(t, phone.No, m.answers[m.questions[1].Code])
	press(m, "esc", "esc", "esc")
	assert.Equal(t, "complaint", m.Step())
	press(m, "enter")
	assert.Equal(t, phone.No, m.answers[m.questions[1].Code], "the same complaint chosen again keeps its answers")
	require.Equal(t, 2, m.qi, "the next question to ask")
	press(m, "up", "backspace")
	assert.Equal(t, phone.NotAsked, m.answers[m.questions[1].Code], "⌫ sets an answer back to not asked")
}

// TestBadInputAtEveryField types a wrong value into each field in turn:
// the screen names the field and the accepted range under it, keeps what
// was typed, keeps the other fields, and does not move on.
func TestBadInputAtEveryField(t *testing.T) {
	nid := syntheticNID(t, 15, 5, 80, 123)
	badNID := nid[:10] + string('0'+(nid[10]-'0'+1)%10)
	caller := []struct {
		name, field, typed, says string
	}{
		{"an identity number that is too short", "nid", "1505851", "Fødselsnummer har 11 siffer; du har skrevet 7"},
		{"an identity number with letters", "nid", "15058012x45", "Fødselsnummer har bare siffer"},
		{"an identity number with a wrong control digit", "nid", badNID, "Kontrollsifrene stemmer ikke"},
		{"an identity number with no such date", "nid", "31029012345", "finnes ikke"},
		{"an age that is not a number", "age", "førti", `Alder: "førti" forstås ikke; skriv år (2 eller 2 år, 0–125), måneder (3 mnd, høyst 36)`},
		{"an age with decimals", "age", "40,5", `Alder: "40,5" er ikke et helt tall; skriv år (2 eller 2 år, 0–125)`},
		{"an age over 125", "age", "130", `Alder: "130" er utenfor området; skriv år (2 eller 2 år, 0–125)`},
		{"an age in months over 36", "age", "40 mnd", "er utenfor området; skriv år (2 eller 2 år, 0–125), måneder (3 mnd, høyst 36), uker (10 uker, høyst 52) eller dager (5 dager, høyst 60)"},
		{"an age in an unknown unit", "age", "3 timer", `Alder: "3 timer" forstås ikke`},
		{"a phone number with letters", "phone", "9123abc8", "Telefon: 8 siffer"},
		{"a phone number that is too short", "phone", "91234", "Telefon: 8 siffer"},
	}
	for _, c := range caller {
		t.Run(c.name, func(t *testing.T) {
			m := newCall("nb", nil)
			if c.field != "age" {
				m.who.Field("age").Input.SetValue("40")
			}
			m.who.Field("note").Input.SetValue("notat")
			toField(t, m, &m.who, c.field)
			typeText(m, c.typed)
			press(m, "ctrl+s")
			assert.Equal(t, "caller", m.Step(), "a bad value stops the call at the caller step")
			f := m.who.Field(c.field)
			assert.Contains(t, f.Err, c.says)
			assert.Equal(t, c.typed, f.Input.Value(), "what was typed is kept")
			assert.Equal(t, "notat", m.who.Value("note"), "other fields are kept")
			assert.Equal(t, c.field, m.who.Fields[m.who.Focus].ID, "the field with the problem has the focus")
			assert.Contains(t, strings.Join(strings.Fields(plain(m)), " "), strings.Join(strings.Fields(f.Err), " "), "the message is on screen")
			press(m, "ctrl+u")
			assert.Empty(t, f.Err, "changing the value clears the message at once")
		})
	}
	t.Run("an unknown patient without an age", func(t *testing.T) {
		m := newCall("nb", nil)
		press(m, "ctrl+s")
		assert.Equal(t, "caller", m.Step())
		assert.Contains(t, m.who.Field("age").Err, "Alder trengs når fødselsnummeret er ukjent (2 år, 3 mnd, 10 uker)")
		assert.Contains(t, m.who.Field("nid").Note, "Ukjent pasient")
	})
	t.Run("an age that does not match the identity number", func(t *testing.T) {
		m := newCall("nb", nil)
		m.who.Field("age").Input.SetValue("30")
		typeText(m, nid)
		press(m, "ctrl+s")
		assert.Contains(t, m.who.Field("age").Err, "stemmer ikke med fødselsnummeret (46 år)")
		assert.Equal(t, "30", m.who.Field("age").Input.Value())
	})
	t.Run("the sex cannot be changed against the identity number", func(t *testing.T) {
		m := newCall("nb", nil)
		typeText(m, nid)
		toField(t, m, &m.who, "sex")
		require.Equal(t, "male", m.who.Value("sex"), "individual number 123 is odd: male")
		press(m, "right")
		assert.Equal(t, "male", m.who.Value("sex"))
	})

	vit := []struct {
		name, field, typed, says string
	}{
		{"a temperature that is not a number", "temp_c", "38,5,1", "Temperatur (°C): skriv et tall, 25,0–45,0 °C"},
		{"a temperature in Fahrenheit", "temp_c", "101", "Temperatur (°C): utenfor mulig område 25,0–45,0 °C"},
		{"a pulse over 300", "hr", "310", "Puls (/min): utenfor mulig område 0–300 /min"},
		{"a negative pulse", "hr", "-5", "0–300 /min"},
		{"a saturation over 100", "spo2", "101", "Metning SpO2 (%): utenfor mulig område 0–100 %"},
		{"a breathing rate over 120", "rr", "125", "Respirasjon (/min): utenfor mulig område 0–120 /min"},
		{"a systolic pressure under 20", "sbp", "12", "20–300 mmHg"},
		{"a diastolic pressure with letters", "dbp", "8o", "Blodtrykk diastolisk (mmHg): skriv et tall"},
	}
	for _, c := range vit {
		t.Run(c.name, func(t *testing.T) {
			m := toVitals(t, nil)
			other := "rr"
			if c.field == "rr" {
				other = "hr"
			}
			m.vit.Field(other).Input.SetValue("20") // typed earlier, must survive
			toField(t, m, &m.vit, c.field)
			typeText(m, c.typed)
			press(m, "ctrl+s")
			assert.Equal(t, "vitals", m.Step())
			f := m.vit.Field(c.field)
			assert.Contains(t, f.Err, c.says)
			assert.Equal(t, c.typed, f.Input.Value(), "what was typed is kept")
			assert.Equal(t, "20", m.vit.Value(other), "other fields are kept")
			assert.Contains(t, plain(m), c.says)
		})
	}
	t.Run("a systolic pressure not above the diastolic", func(t *testing.T) {
		m := toVitals(t, nil)
		m.vit.Field("sbp").Input.SetValue("80")
		m.vit.Field("dbp").Input.SetValue("90")
		press(m, "ctrl+s")
		assert.Equal(t, "vitals", m.Step())
		assert.Contains(t, m.vit.Field("sbp").Err, "Blodtrykk systolisk (mmHg): må være høyere enn diastolisk")
		assert.Equal(t, "sbp", m.vit.Fields[m.vit.Focus].ID)
	})
	t.Run("an implausible value asks and is scored only when confirmed", func(t *testing.T) {
		m := toVitals(t, nil)
		m.vit.Field("hr").Input.SetValue("15")
		press(m, "ctrl+s")
		require.Equal(t, "vitals", m.Step())
		assert.Contains(t, m.vit.Field("hr").Err, "Mente du puls 15?")
		assert.Equal(t, "hr", m.vit.Fields[m.vit.Focus].ID)
		press(m, "ctrl+y", "ctrl+s")
		require.Equal(t, "result", m.Step())
		assert.Contains(t, m.Decision().Vitals.Threes, "hr", "pulse 15 confirmed: scored")
		assert.NotEqual(t, phone.Vanlig, m.Decision().Level)
		press(m, "esc")
		press(m, "backspace", "backspace")
		typeText(m, "12")
		press(m, "ctrl+s")
		assert.Equal(t, "vitals", m.Step(), "another value needs its own confirmation")
	})
	t.Run("a value the rules refuse comes back to its field", func(t *testing.T) {
		m := toVitals(t, &fakeCalls{Refuse: &phone.FieldError{Field: "hr", Message: "120 /min refused by the rule set"}})
		m.vit.Field("hr").Input.SetValue("120")
		press(m, "ctrl+s")
		assert.Equal(t, "vitals", m.Step())
		assert.Equal(t, "Puls (/min): utenfor mulig område 0–300 /min", m.vit.Field("hr").Err, "in the nurse's language, naming the field and the range")
		assert.Equal(t, "120", m.vit.Field("hr").Input.Value())
	})
	t.Run("a complaint search never dead-ends: nonsense lists Annet / uavklart problem", func(t *testing.T) {
		m := newCall("nb", nil)
		m.who.Field("age").Input.SetValue("40")
		press(m, "ctrl+s")
		typeText(m, "xyzzy")
		assert.Contains(t, plain(m), "Annet / uavklart problem")
		assert.Equal(t, "xyzzy", m.search.Value())
		press(m, "enter")
		assert.Equal(t, "criteria", m.Step())
	})
	t.Run("a failed save keeps the result and says why", func(t *testing.T) {
		m := toVitals(t, &fakeCalls{FailAt: 1})
		press(m, "ctrl+s", "enter")
		assert.Equal(t, "result", m.Step())
		assert.Contains(t, plain(m), "Ikke lagret: databasen svarte ikke (ingenting er lagret); prøv igjen")
		press(m, "enter")
		assert.Equal(t, "saved", m.Step(), "saving again works")
	})
}

// A repeat caller's number fills in the patient of the last call from it.
func TestARepeatCallerIsFilledIn(t *testing.T) {
	nid := syntheticNID(t, 3, 11, 52, 321)
	calls := &fakeCalls{Callers: map[string]phonecall.Caller{"91234567": {NID: nid, Name: "Ola Nordmann", Relation: "datter", At: testNow.Add(-3 * time.Hour)}}}
	m := newCall("nb", calls)
	toField(t, m, &m.who, "phone")
	typeText(m, "912 34 567")
	press(m, "tab")
	assert.Equal(t, nid, m.who.Value("nid"))
	assert.Equal(t, "Ola Nordmann", m.who.Value("name"))
	assert.Equal(t, "datter", m.who.Value("caller"))
	assert.Equal(t, "male", m.who.Value("sex"))
	assert.Contains(t, plain(m), "Har ringt før (22.11 11:30) om Ola Nordmann")
}

func TestNewCallMidCallNeedsASecondPress(t *testing.T) {
	m := newCall("nb", nil)
	typeText(m, "Kari")
	press(m, "ctrl+n")
	assert.Equal(t, "Kari", m.who.Field("nid").Input.Value(), "one ctrl+n loses nothing")
	assert.Contains(t, plain(m), "Trykk ctrl+n igjen")
	press(m, "ctrl+n")
	assert.Equal(t, "", m.who.Field("nid").Input.Value())
}

func TestKeysWaitWhileTheCallIsBeingSaved(t *testing.T) {
	m := toVitals(t, nil)
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
	m.Update(Saved{seq: m.seq - 1, err: errors.New("old")})
	assert.Equal(t, "saved", m.Step(), "a stale save result is ignored")
	press(m, "enter")
	m.Update(Saved{seq: m.seq - 1})
	assert.Equal(t, "caller", m.Step(), "a late result of the previous call does not touch the new one")
}
