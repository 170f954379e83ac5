package phone

import (
	"encoding/json"
	"strings"
	"testing"

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
	assert.Equal(t, "level(9)", Level(9).Label("nb"), "an out-of-range level is named, not a panic")
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
	assert.GreaterOrEqual(t, len(ix.Complaints), 10, "about a dozen complaints")
	assert.LessOrEqual(t, len(ix.Complaints), 15)
	c, ok := ix.Complaint("headache")
	require.True(t, ok)
	cr, ok := c.Criterion(Code{Akutt, 6, 1})
	require.True(t, ok, "A.06.01 exists in the demo index")
	assert.Contains(t, cr.Text.EN, "worst ever")
	// Every complaint asks something and has a vanlig default.
	for _, c := range ix.Complaints {
		assert.NotEmpty(t, c.Questions(), c.ID)
		assert.Equal(t, Vanlig, c.Default.Level, c.ID)
	}
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
		{"a default that is not a V criterion", mutate(t, func(m map[string]any) { first(m)["default"] = "A.01.01" }), "default A.01.01 must be one of"},
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
		{"a keyword", "astma", "breathing"},
		{"without Norwegian letters", "blodning", "bleeding"},
		{"with Norwegian letters", "blødning", "bleeding"},
		{"a word inside a name", "overdose", "poisoning"},
		{"two words narrow the hits", "feber barn", "fever-child"},
		{"a chapter number", "06", "headache"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ix.Search(c.query)
			require.NotEmpty(t, got, "query %q found nothing", c.query)
			assert.Equal(t, c.firstID, got[0].Complaint.ID, "query %q gave %v", c.query, ids(got))
		})
	}
	assert.Len(t, ix.Search(""), len(ix.Complaints), "an empty query lists everything")
	assert.Empty(t, ix.Search("zzzz"), "nonsense finds nothing")
	assert.Equal(t, "fever-adult", ix.Search("feber")[0].Complaint.ID, "ties keep chapter order")
}

func TestDecide(t *testing.T) {
	ix := DemoIndex()
	chest, _ := ix.Complaint("chest-pain")
	code := func(s string) Code { c, err := ParseCode(s); require.NoError(t, err); return c }
	cases := []struct {
		name   string
		yes    []Code
		vitals VitalsFinding
		want   Level
		codes  []string
		first  string // source of the first reason
	}{
		{"no criterion met gives vanlig under the default", nil, VitalsFinding{}, Vanlig, []string{"V.02.01"}, ReasonDefault},
		{"a haster criterion gives haster", []Code{code("H.02.02")}, VitalsFinding{}, Haster, []string{"H.02.02"}, ReasonCriterion},
		{"an akutt criterion gives akutt", []Code{code("A.02.01")}, VitalsFinding{}, Akutt, []string{"A.02.01"}, ReasonCriterion},
		{"the most urgent criterion wins", []Code{code("H.02.01"), code("A.02.02")}, VitalsFinding{}, Akutt, []string{"H.02.01", "A.02.02"}, ReasonCriterion},
		{"red vitals make the call akutt with no criterion", nil, VitalsFinding{Assessed: true, Colour: "red", Red: true, Reasons: []Text{{NB: "SpO2 84 %", EN: "SpO2 84 %"}}}, Akutt, nil, ReasonVitals},
		{"red vitals make a haster call akutt", []Code{code("H.02.02")}, VitalsFinding{Assessed: true, Red: true}, Akutt, []string{"H.02.02"}, ReasonVitals},
		{"orange vitals make a vanlig call haster", nil, VitalsFinding{Assessed: true, Orange: true}, Haster, nil, ReasonVitals},
		{"orange vitals never lower an akutt call", []Code{code("A.02.01")}, VitalsFinding{Assessed: true, Orange: true}, Akutt, []string{"A.02.01"}, ReasonCriterion},
		{"green vitals never lower a criterion", []Code{code("A.02.03")}, VitalsFinding{Assessed: true, Colour: "green"}, Akutt, []string{"A.02.03"}, ReasonCriterion},
		{"a repeated yes counts once", []Code{code("H.02.02"), code("H.02.02")}, VitalsFinding{}, Haster, []string{"H.02.02"}, ReasonCriterion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Decide(ix, chest, c.yes, c.vitals)
			require.NoError(t, err)
			assert.Equal(t, c.want, d.Level, "decision %s, want %s", d.Level, c.want)
			var got []string
			for _, k := range d.Codes {
				got = append(got, k.String())
			}
			assert.Equal(t, c.codes, got)
			require.NotEmpty(t, d.Reasons)
			assert.Equal(t, c.first, d.Reasons[0].Source, "most urgent reason first")
			assert.Equal(t, "demo", d.IndexID)
			assert.Equal(t, ix.Version, d.IndexVersion)
			assert.True(t, d.Demonstration)
			assert.Equal(t, d.Level.Actions("nb"), d.Actions("nb"))
		})
	}
	t.Run("the engine's reasons are shown with the vitals reason", func(t *testing.T) {
		d, err := Decide(ix, chest, nil, VitalsFinding{Assessed: true, Red: true, Reasons: []Text{{NB: "SpO2 84 % gir 3", EN: "SpO2 84 % scored 3"}}})
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(d.Reasons[0].Text.EN, "; SpO2 84 % scored 3"), d.Reasons[0].Text.EN)
	})
	t.Run("a decision survives JSON", func(t *testing.T) {
		d, err := Decide(ix, chest, []Code{code("A.02.01")}, VitalsFinding{Assessed: true, Colour: "yellow"})
		require.NoError(t, err)
		b, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Contains(t, string(b), `"level":"akutt"`)
		assert.Contains(t, string(b), `"codes":["A.02.01"]`)
		var back Decision
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, d, back)
	})
}

func TestDecideRefusesCodesNotAskedForTheComplaint(t *testing.T) {
	ix := DemoIndex()
	chest, _ := ix.Complaint("chest-pain")
	_, err := Decide(ix, chest, []Code{{Akutt, 6, 1}}, VitalsFinding{})
	assert.ErrorContains(t, err, `criterion A.06.01 is not in complaint "chest-pain"`)
	_, err = Decide(ix, chest, []Code{{Vanlig, 2, 1}}, VitalsFinding{})
	assert.ErrorContains(t, err, "vanlig criterion and is not asked")
	_, err = Decide(nil, chest, nil, VitalsFinding{})
	assert.Error(t, err)
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
	f.Add([]byte(`{"format":"legevakt-phone-index/1"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex(data)
		if err != nil {
			return
		}
		// Anything accepted must be searchable and decidable without panic.
		for i := range ix.Complaints {
			c := &ix.Complaints[i]
			_ = ix.Search(c.Name.NB)
			var yes []Code
			for _, q := range c.Questions() {
				yes = append(yes, q.Code)
			}
			if _, err := Decide(ix, c, yes, VitalsFinding{}); err != nil {
				t.Fatalf("accepted index but Decide failed: %v", err)
			}
		}
	})
}

func BenchmarkSearch(b *testing.B) {
	ix := DemoIndex()
	b.ReportAllocs()
	for b.Loop() {
		_ = ix.Search("feber ba")
	}
}

func BenchmarkDecide(b *testing.B) {
	ix := DemoIndex()
	c, _ := ix.Complaint("chest-pain")
	yes := []Code{{Haster, 2, 1}, {Haster, 2, 2}}
	v := VitalsFinding{Assessed: true, Orange: true, Reasons: []Text{{NB: "RF 26", EN: "RR 26"}}}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Decide(ix, c, yes, v)
	}
}

func TestTheNurseMayRaiseButNeverLower(t *testing.T) {
	ix := DemoIndex()
	c, _ := ix.Complaint("abdominal-pain")
	d, err := Decide(ix, c, nil, VitalsFinding{})
	require.NoError(t, err)
	require.Equal(t, Vanlig, d.Level)

	up, err := Raise(d, Haster, "høres svært dårlig ut")
	require.NoError(t, err)
	assert.Equal(t, Haster, up.Level)
	assert.Equal(t, Vanlig, up.Computed, "the computed level is kept")
	assert.Equal(t, ReasonNurse, up.Reasons[0].Source)
	assert.Equal(t, "Sykepleiers vurdering: høres svært dårlig ut", up.Reasons[0].Text.NB)
	assert.Equal(t, Vanlig, d.Level, "d itself is not changed")

	again, err := Raise(up, Akutt, "")
	require.NoError(t, err)
	assert.Equal(t, Akutt, again.Level)
	n := 0
	for _, r := range again.Reasons {
		if r.Source == ReasonNurse {
			n++
		}
	}
	assert.Equal(t, 1, n, "raising again replaces the earlier raise")

	back, err := Raise(again, Vanlig, "")
	require.NoError(t, err)
	assert.Equal(t, d, back, "raising to the computed level takes the raise back")

	a, err := Decide(ix, c, []Code{{Akutt, 3, 1}}, VitalsFinding{})
	require.NoError(t, err)
	_, err = Raise(a, Haster, "")
	assert.ErrorContains(t, err, "haster is not more urgent than the computed akutt")
	_, err = Raise(a, Level(5), "")
	assert.Error(t, err)
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
