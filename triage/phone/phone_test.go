package phone

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLevelsCarryTextLabelsAndActionsInBothLanguages(t *testing.T) {
	cases := []struct {
		level         Level
		nb, en        string
		responseNB    string
		firstActionNB string
		firstActionEN string
	}{
		{Akutt, "AKUTT", "ACUTE", "Rød respons", "Sett opp konferanse med AMK (113) nå; AMK overtar", "Set up the conference call with the EMCC (113) now; the EMCC takes over"},
		{Haster, "HASTER", "URGENT", "Gul respons", "Be pasienten komme til legevakt nå, eller be lege ringe tilbake", "Ask the patient to come in now, or have a doctor call back"},
		{Vanlig, "VANLIG", "NON-URGENT", "Grønn respons", "Gi råd og egenbehandling", "Give advice and self-care"},
	}
	for _, c := range cases {
		t.Run(c.level.String(), func(t *testing.T) {
			assert.Equal(t, c.nb, c.level.Label("nb"))
			assert.Equal(t, c.en, c.level.Label("en"))
			assert.Equal(t, c.responseNB, c.level.Response("nb"))
			assert.Equal(t, c.firstActionNB, c.level.Actions("nb")[0])
			assert.Equal(t, c.firstActionEN, c.level.Actions("en")[0])
			assert.NotEmpty(t, c.level.Meaning("en"))
		})
	}
	assert.Equal(t, "UKJENT", Level(9).Label("nb"), "an out-of-range level is worded unknown, not a panic nor its number")
	assert.Nil(t, Level(9).Actions("nb"))
}

func TestLevelOrderAndJSON(t *testing.T) {
	assert.True(t, Akutt.MoreUrgent(Haster))
	assert.True(t, Haster.MoreUrgent(Vanlig))
	assert.Equal(t, Akutt, MostUrgent(Vanlig, Akutt))
	for _, l := range Levels {
		b, err := json.Marshal(l)
		require.NoError(t, err)
		var back Level
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, l, back)
	}
	_, err := ParseLevel("rød")
	assert.ErrorContains(t, err, "want one of akutt, haster, vanlig")
	_, err = Level(7).MarshalText()
	assert.Error(t, err)
}

func TestParseCode(t *testing.T) {
	good := []struct {
		in   string
		want Code
	}{
		{"A.06.01", Code{Akutt, 6, 1}},
		{"H.12.02", Code{Haster, 12, 2}},
		{"V.99.99", Code{Vanlig, 99, 99}},
	}
	for _, g := range good {
		t.Run("reads "+g.in, func(t *testing.T) {
			c, err := ParseCode(g.in)
			require.NoError(t, err)
			assert.Equal(t, g.want, c)
			assert.Equal(t, g.in, c.String(), "a code prints as it was written")
		})
	}
	bad := []struct {
		name, in, says string
	}{
		{"a lower-case letter is refused", "a.06.01", "level letter"},
		{"an unknown letter is refused", "R.06.01", "level letter"},
		{"a one-digit chapter is refused", "A.6.01", "want L.CC.NN"},
		{"chapter 00 is refused", "A.00.01", "chapter 0 out of range 01-99"},
		{"number 00 is refused", "A.06.00", "number 0 out of range 01-99"},
		{"letters in the chapter are refused", "A.0x.01", "chapter \"0x\" is not two digits"},
		{"letters in the number are refused", "A.06.1x", "number \"1x\" is not two digits"},
		{"an empty code is refused", "", "want L.CC.NN"},
		{"dashes instead of dots are refused", "A-06-01", "want L.CC.NN"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := ParseCode(b.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), b.says)
		})
	}
}

func TestDemoIndexIsValidAndLabelledAsNotTheNationalIndex(t *testing.T) {
	ix := DemoIndex()
	assert.True(t, ix.Demonstration)
	assert.Contains(t, ix.Notice.NB, "ikke Norsk indeks for medisinsk nødhjelp")
	assert.Contains(t, ix.Notice.EN, "not the Norwegian national index")
	assert.NotEmpty(t, ix.Version)
	assert.GreaterOrEqual(t, len(ix.Complaints), 13)
	c, ok := ix.Complaint("headache")
	require.True(t, ok)
	cr, ok := c.Criterion(Code{Akutt, 6, 1})
	require.True(t, ok, "A.06.01 exists in the demo index")
	assert.Contains(t, cr.Text.EN, "worst ever")
	// Every complaint asks something, and annet is there.
	for _, c := range ix.Complaints {
		assert.NotEmpty(t, c.Questions(), c.ID)
	}
	_, ok = ix.Complaint(AnnetID)
	assert.True(t, ok)
	// The embedded file round-trips through the public copy.
	again, err := ParseIndex(DemoIndexJSON())
	require.NoError(t, err)
	assert.Equal(t, ix.Version, again.Version)
}

func TestQuestionsAreAskedAkuttBeforeHaster(t *testing.T) {
	ix := DemoIndex()
	c, _ := ix.Complaint("chest-pain")
	q := c.Questions()
	require.Len(t, q, 5)
	for i, want := range []string{"A.02.01", "A.02.02", "A.02.03", "H.02.01", "H.02.02"} {
		assert.Equal(t, want, q[i].Code.String())
	}
}

// mutate parses the demo index, lets f change it and re-encodes it.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(DemoIndexJSON(), &m))
	f(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func first(m map[string]any) map[string]any {
	return m["complaints"].([]any)[0].(map[string]any)
}

func TestParseIndexRefusesBadFilesNamingTheProblem(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		says string
	}{
		{"a file that is not JSON", []byte("chapter 1: breathing"), "phone index"},
		{"a file of another format", mutate(t, func(m map[string]any) { m["format"] = "nimn/4" }), `format "nimn/4"`},
		{"a file without a version", mutate(t, func(m map[string]any) { m["version"] = "" }), "version is empty"},
		{"an unknown field", mutate(t, func(m map[string]any) { m["colour"] = "red" }), "unknown field"},
		{"no complaints", mutate(t, func(m map[string]any) { m["complaints"] = []any{} }), "no complaints"},
		{"a demonstration without a notice", mutate(t, func(m map[string]any) { m["notice"] = map[string]any{"nb": "", "en": ""} }), "needs a notice"},
		{"a malformed criterion code", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[0].(map[string]any)["code"] = "A.1.1"
		}), `criterion code "A.1.1"`},
		{"a code in the wrong chapter", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[0].(map[string]any)["code"] = "A.05.09"
		}), "criterion A.05.09 is not in chapter 01"},
		{"a duplicate code", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[1].(map[string]any)["code"] = "A.01.01"
		}), "duplicate criterion A.01.01"},
		{"a criterion without English text", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[0].(map[string]any)["text"] = map[string]any{"nb": "x"}
		}), "needs text in both nb and en"},
		{"a default criterion (format 1)", mutate(t, func(m map[string]any) { first(m)["default"] = "V.01.01" }), "unknown field"},
		{"no infection flag", mutate(t, func(m map[string]any) { delete(first(m), "infection") }), "infection is missing"},
		{"no source", mutate(t, func(m map[string]any) { first(m)["source"] = " " }), "source is empty"},
		{"no terms", mutate(t, func(m map[string]any) { first(m)["terms"] = []any{} }), "no terms"},
		{"an age range upside down", mutate(t, func(m map[string]any) {
			first(m)["age"] = map[string]any{"min_years": 16, "max_years": 3}
		}), "want 0 <= min_years <= max_years <= 125"},
		{"a criterion's age outside its complaint's", mutate(t, func(m map[string]any) {
			first(m)["age"] = map[string]any{"min_years": 0, "max_years": 15}
			first(m)["criteria"].([]any)[0].(map[string]any)["age"] = map[string]any{"min_years": 10, "max_years": 20}
		}), "outside the complaint's 0-15"},
		{"a month bound past its years", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[0].(map[string]any)["age"] = map[string]any{"min_years": 0, "max_years": 0, "max_months": 14}
		}), "max_months 14: want 0-11"},
		{"a month bound on an older age", mutate(t, func(m map[string]any) {
			first(m)["criteria"].([]any)[0].(map[string]any)["age"] = map[string]any{"min_years": 2, "max_years": 5, "max_months": 3}
		}), "with min_years 0"},
		{"only age-bound questions", mutate(t, func(m map[string]any) {
			for _, cr := range first(m)["criteria"].([]any) {
				cr.(map[string]any)["age"] = map[string]any{"min_years": 0, "max_years": 0}
			}
		}), "no akutt or haster criterion for every age"},
		{"no annet complaint", mutate(t, func(m map[string]any) {
			cs := m["complaints"].([]any)
			m["complaints"] = cs[:len(cs)-1]
		}), `no complaint "annet"`},
		{"a duplicate complaint id", mutate(t, func(m map[string]any) {
			m["complaints"].([]any)[1].(map[string]any)["id"] = "breathing"
		}), "duplicate id"},
		{"a duplicate chapter", mutate(t, func(m map[string]any) {
			c := m["complaints"].([]any)[1].(map[string]any)
			c["chapter"] = 1
		}), "chapter 01 already used"},
		{"trailing data", append(DemoIndexJSON(), []byte(`{"x":1}`)...), "trailing data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseIndex(c.data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.says)
		})
	}
}

func ids(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Complaint.ID
	}
	return out
}

func TestSearchFindsComplaintsAsTheNurseTypes(t *testing.T) {
	ix := DemoIndex()
	cases := []struct {
		name, query string
		firstID     string
	}{
		{"a name prefix in bokmål", "hodep", "headache"},
		{"a name prefix in English", "chest", "chest-pain"},
		{"any case", "BRYST", "chest-pain"},
		{"a term", "astma", "breathing"},
		{"without Norwegian letters", "blodning", "bleeding"},
		{"with Norwegian letters", "blødning", "bleeding"},
		{"a word inside a name", "overdose", "poisoning"},
		{"two words narrow the hits", "feber barn", "fever-child"},
		{"a chapter number", "06", "headache"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ix.Search(c.query, -1)
			require.NotEmpty(t, got, "query %q found nothing", c.query)
			assert.Equal(t, c.firstID, got[0].Complaint.ID, "query %q gave %v", c.query, ids(got))
		})
	}
	all := ix.Search("", -1)
	assert.Len(t, all, len(ix.Complaints), "an empty query lists everything")
	assert.Equal(t, AnnetID, all[len(all)-1].Complaint.ID, "annet last")
	assert.Equal(t, []string{AnnetID}, ids(ix.Search("zzzz", -1)), "nonsense finds only annet")
}

func code(t testing.TB, s string) Code {
	t.Helper()
	c, err := ParseCode(s)
	require.NoError(t, err)
	return c
}

func TestDecide(t *testing.T) {
	ix := DemoIndex()
	chest, _ := ix.Complaint("chest-pain")
	rest := func(call Call) Call { return answerRestNo(chest, call) }
	cases := []struct {
		name   string
		call   Call
		want   Level
		codes  []string
		first  string // source of the first reason
		choice bool   // needs the nurse's choice
	}{
		{"no criterion met gives haster, the safe default, and asks the nurse", Call{AgeYears: 40}, Haster, nil, ReasonDefault, true},
		{"all no gives the safe default, not vanlig", Call{AgeYears: 40, No: []Code{code(t, "A.02.01"), code(t, "H.02.01")}}, Haster, nil, ReasonDefault, true},
		{"an affirmed vanlig criterion gives vanlig", rest(Call{AgeYears: 40, Vanlig: code(t, "V.02.01")}), Vanlig, []string{"V.02.01"}, ReasonCriterion, false},
		{"a haster criterion gives haster", Call{Yes: []Code{code(t, "H.02.02")}}, Haster, []string{"H.02.02"}, ReasonCriterion, false},
		{"an akutt criterion gives akutt", Call{Yes: []Code{code(t, "A.02.01")}}, Akutt, []string{"A.02.01"}, ReasonCriterion, false},
		{"the most urgent criterion wins", Call{Yes: []Code{code(t, "H.02.01"), code(t, "A.02.02")}}, Akutt, []string{"H.02.01", "A.02.02"}, ReasonCriterion, false},
		{"a yes wins over an affirmed vanlig", rest(Call{Yes: []Code{code(t, "H.02.01")}, Vanlig: code(t, "V.02.01")}), Haster, []string{"H.02.01"}, ReasonCriterion, false},
		{"red vitals make the call akutt with no criterion", Call{Vitals: VitalsFinding{Assessed: true, Colour: "red", Red: true}}, Akutt, nil, ReasonVitals, false},
		{"orange vitals make an affirmed vanlig call haster", rest(Call{Vanlig: code(t, "V.02.01"), Vitals: VitalsFinding{Assessed: true, Orange: true}}), Haster, nil, ReasonVitals, false},
		{"NEWS2 7 makes the call akutt", Call{Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 7, Complete: true, Band: "high"}}, Akutt, nil, ReasonVitals, false},
		{"a partial NEWS2 of 8 makes the call akutt", Call{Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 8, Missing: []string{"consciousness"}}}, Akutt, nil, ReasonVitals, false},
		{"NEWS2 5 makes the call haster", rest(Call{Vanlig: code(t, "V.02.01"), Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 5, Complete: true}}), Haster, nil, ReasonVitals, false},
		{"a single 3 makes the call haster", rest(Call{Vanlig: code(t, "V.02.01"), Vitals: VitalsFinding{Assessed: true, NEWS2: 3, Threes: []string{"spo2"}}}), Haster, nil, ReasonVitals, false},
		{"orange vitals never lower an akutt call", Call{Yes: []Code{code(t, "A.02.01")}, Vitals: VitalsFinding{Assessed: true, Orange: true}}, Akutt, []string{"A.02.01"}, ReasonCriterion, false},
		{"a repeated yes counts once", Call{Yes: []Code{code(t, "H.02.02"), code(t, "H.02.02")}}, Haster, []string{"H.02.02"}, ReasonCriterion, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Decide(ix, chest, c.call)
			require.NoError(t, err)
			assert.Equal(t, c.want, d.Level, "decision %s, want %s", d.Level, c.want)
			assert.Equal(t, c.want, d.Computed)
			var got []string
			for _, k := range d.Codes {
				got = append(got, k.String())
			}
			assert.Equal(t, c.codes, got)
			require.NotEmpty(t, d.Reasons)
			assert.Equal(t, c.first, d.Reasons[0].Source, "most urgent reason first")
			assert.Equal(t, c.choice, d.NeedsNurseChoice)
			assert.Len(t, d.Answers, len(chest.Criteria), "every criterion has an answer")
			assert.Equal(t, "demo", d.IndexID)
			assert.Equal(t, ix.Version, d.IndexVersion)
			assert.True(t, d.Demonstration)
			assert.Equal(t, d.Level.Actions("nb"), d.Actions("nb"))
		})
	}
	t.Run("answers say yes, no and not asked", func(t *testing.T) {
		d, err := Decide(ix, chest, Call{Yes: []Code{code(t, "H.02.01")}, No: []Code{code(t, "A.02.01")}})
		require.NoError(t, err)
		assert.Equal(t, Yes, d.Answers[code(t, "H.02.01")])
		assert.Equal(t, No, d.Answers[code(t, "A.02.01")])
		assert.Equal(t, NotAsked, d.Answers[code(t, "A.02.02")])
		assert.Equal(t, NotAsked, d.Answers[code(t, "V.02.01")], "a vanlig criterion nobody affirmed is not asked, never yes")
	})
	t.Run("a decision survives JSON", func(t *testing.T) {
		d, err := Decide(ix, chest, Call{Yes: []Code{code(t, "A.02.01")}, No: []Code{code(t, "A.02.02")}, Vitals: VitalsFinding{Assessed: true, Colour: "yellow"}})
		require.NoError(t, err)
		b, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Contains(t, string(b), `"level":"akutt"`)
		assert.Contains(t, string(b), `"codes":["A.02.01"]`)
		assert.Contains(t, string(b), `"A.02.02":"no"`)
		var back Decision
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, d, back)
	})
}

func TestDecideRefusesBadCallsNamingTheField(t *testing.T) {
	ix := DemoIndex()
	chest, _ := ix.Complaint("chest-pain")
	cases := []struct {
		name  string
		call  Call
		field string
		says  string
	}{
		{"a code of another complaint", Call{Yes: []Code{{Akutt, 6, 1}}}, "yes", `criterion A.06.01 is not in complaint "chest-pain"`},
		{"a vanlig code as yes", Call{Yes: []Code{{Vanlig, 2, 1}}}, "yes", "is a vanlig criterion"},
		{"an unknown no", Call{No: []Code{{Haster, 2, 9}}}, "no", "not in complaint"},
		{"yes and no at once", Call{Yes: []Code{{Haster, 2, 1}}, No: []Code{{Haster, 2, 1}}}, "no", "both yes and no"},
		{"an akutt code as vanlig", Call{Vanlig: Code{Akutt, 2, 1}}, "vanlig", "want one of V.02.01"},
		{"an age out of range", Call{AgeYears: 130}, "age_years", "want 0-125"},
		{"lowering without a reason", answerRestNo(chest, Call{Override: &Override{Level: Vanlig}}), "override.reason", "needs the nurse's written reason"},
		{"a vanlig criterion with questions unanswered", Call{AgeYears: 60, No: []Code{{Akutt, 2, 3}}, Vanlig: Code{Vanlig, 2, 1}}, "vanlig", "not answered: A.02.01, A.02.02, H.02.01"},
		{"lowering with questions unanswered", Call{AgeYears: 60, No: []Code{{Akutt, 2, 1}}, Override: &Override{Level: Vanlig, Reason: "ok"}}, "override.level", "not answered (A.02.02, A.02.03, H.02.01"},
		{"lowering below a criterion", Call{Yes: []Code{{Haster, 2, 1}}, Override: &Override{Level: Vanlig, Reason: "ok"}}, "override.level", "want akutt or haster"},
		{"lowering below a vitals rule", Call{Vitals: VitalsFinding{NEWS2: 7}, Override: &Override{Level: Haster, Reason: "ok"}}, "override.level", "want akutt"},
		{"an unknown level", Call{Override: &Override{Level: Level(7)}}, "override.level", "want one of akutt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decide(ix, chest, c.call)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.field, fe.Field)
			assert.Contains(t, fe.Message, c.says)
		})
	}
	_, err := Decide(nil, chest, Call{})
	assert.Error(t, err)
}

func TestOverrideRaisesAlwaysAndLowersOnlyFromTheSafeDefault(t *testing.T) {
	ix := DemoIndex()
	c, _ := ix.Complaint("abdominal-pain")
	d, err := Decide(ix, c, answerRestNo(c, Call{Override: &Override{Level: Vanlig, Reason: "kjent forstoppelse, spiser og drikker"}}))
	require.NoError(t, err)
	assert.Equal(t, Vanlig, d.Level)
	assert.Equal(t, Haster, d.Computed, "the computed level is kept")
	assert.False(t, d.NeedsNurseChoice)
	require.NotNil(t, d.Override)
	assert.Equal(t, "kjent forstoppelse, spiser og drikker", d.Override.Reason)
	assert.Empty(t, d.Codes, "a lowering names no criterion")

	up, err := Decide(ix, c, Call{Yes: []Code{{Haster, 3, 1}}, Override: &Override{Level: Akutt}})
	require.NoError(t, err)
	assert.Equal(t, Akutt, up.Level)
	assert.Equal(t, Haster, up.Computed)
	assert.Equal(t, ReasonNurse, up.Reasons[0].Source)
	assert.Equal(t, "Sykepleier hever til AKUTT", up.Reasons[0].Text.NB)

	same, err := Decide(ix, c, Call{Override: &Override{Level: Haster}})
	require.NoError(t, err)
	assert.Equal(t, Haster, same.Level)
	assert.False(t, same.NeedsNurseChoice, "keeping haster is a choice")
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"A.06.01", "H.99.99", "V.00.00", "", "A.6.1", "Ø.06.01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		if c.String() != s {
			t.Fatalf("ParseCode(%q) printed back as %q", s, c.String())
		}
	})
}

func FuzzParseIndex(f *testing.F) {
	f.Add(DemoIndexJSON())
	f.Add([]byte(`{"format":"legevakt-phone-index/2"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex(data)
		if err != nil {
			return
		}
		// Anything accepted must be searchable and decidable without panic,
		// and never dead-end.
		for i := range ix.Complaints {
			c := &ix.Complaints[i]
			if m := ix.Search(c.Name.NB, 30); len(m) == 0 || m[len(m)-1].Complaint.ID != AnnetID {
				t.Fatalf("search %q did not end with annet", c.Name.NB)
			}
			var yes []Code
			for _, q := range c.Questions() {
				yes = append(yes, q.Code)
			}
			if _, err := Decide(ix, c, Call{AgeYears: -1, Yes: yes}); err != nil {
				t.Fatalf("accepted index but Decide failed: %v", err)
			}
		}
	})
}

// Calls saved before the vitals reasons were bilingual carry them as plain
// strings; they still read, as the same text in both languages.
func TestTextReadsBothForms(t *testing.T) {
	var v VitalsFinding
	require.NoError(t, json.Unmarshal([]byte(`{"assessed":true,"reasons":["hr 130 (> 119 /min)",{"nb":"puls 130","en":"HR 130"}]}`), &v))
	assert.Equal(t, []Text{{NB: "hr 130 (> 119 /min)", EN: "hr 130 (> 119 /min)"}, {NB: "puls 130", EN: "HR 130"}}, v.Reasons)
	var bad Text
	assert.Error(t, json.Unmarshal([]byte(`42`), &bad))
}

// answerRestNo answers no to every akutt and haster question of c that
// call leaves open at its age, as a nurse who asked them all would.
func answerRestNo(c *Complaint, call Call) Call {
	call.No = append(slices.Clone(call.No), Unanswered(c, call.AgeYears, call)...)
	return call
}

// Every phone field of the vitals table is a field of Vitals: the forms
// and checks that go over the table reach each value, and a vital added
// to the table without its field here fails this test.
func TestEveryPhoneVitalOfTheTableIsAField(t *testing.T) {
	for _, row := range wording.PhoneVitals() {
		var v Vitals
		if row.Choices != nil {
			assert.Nil(t, v.Number(row.PhoneField), row.PhoneField)
			continue
		}
		n := v.Number(row.PhoneField)
		require.NotNil(t, n, "phone field %s of the vitals table has no field in phone.Vitals", row.PhoneField)
		x := 1.5
		*n = &x
		assert.True(t, v.Reported(row.PhoneField))
		assert.False(t, v.Empty())
		assert.True(t, v.Clear(row.PhoneField))
		assert.True(t, v.Empty(), row.PhoneField)
	}
	v := Vitals{Oxygen: new(bool), Consciousness: "A"}
	assert.True(t, v.Clear("oxygen"))
	assert.True(t, v.Clear("consciousness"))
	assert.True(t, v.Empty())
	assert.False(t, v.Clear("oxygen"))
}
