package phone

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vitalWords finds a vital named in a criterion text (either language),
// keyed by the phone field whose condition the criterion must carry.
var vitalWords = []struct {
	field string
	re    *regexp.Regexp
}{
	{"spo2", regexp.MustCompile(`(?i)spo2|metning|saturation|oksygenmetning`)},
	{"temp_c", regexp.MustCompile(`(?i)temperatur|temperature|\btemp\b|°\s*c`)},
	{"hr", regexp.MustCompile(`(?i)\bpuls|\bpulse|hjertefrekvens|heart rate`)},
	{"rr", regexp.MustCompile(`(?i)respirasjon|pustefrekvens|breathing rate|respiratory rate|\brf\b|\brr\b|pust\w* per minutt|breaths a minute`)},
	{"sbp", regexp.MustCompile(`(?i)blodtrykk|blood pressure|\bbt\b|\bbp\b|mmhg|systolisk|systolic`)},
}

// aNumber is a number standing on its own ("96", "180/120", "38,5"), not
// the 2 of "SpO2".
var aNumber = regexp.MustCompile(`\b\d+([.,]\d+)?\b`)

// noFever is a text that excludes fever ("uten feber", "without a ring rash
// or fever"): a temperature condition, 38.0 °C.
var noFever = regexp.MustCompile(`(?i)\b(uten|ingen|ikke|without|no|not)\b[^,.;]*\b(feber|fever|febrile)`)

// measurableFields lists the phone fields whose condition a criterion text
// states: a vital named together with a number, or fever excluded.
func measurableFields(t Text) []string {
	var out []string
	for _, s := range []string{t.NB, t.EN} {
		for _, w := range vitalWords {
			if w.re.MatchString(s) && aNumber.MatchString(w.re.ReplaceAllString(s, " ")) && !contains(out, w.field) {
				out = append(out, w.field)
			}
		}
		if noFever.MatchString(s) && !contains(out, "temp_c") {
			out = append(out, "temp_c")
		}
	}
	return out
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// Every vanlig criterion whose text states a measurable condition carries
// it as data: scanning the texts of the loaded index in both languages, a
// criterion naming a vital with a number, or excluding fever, has a
// condition on that vital (so that a new one cannot be forgotten). The
// scan itself is checked on texts it must and must not flag.
func TestMeasurableCriteriaCarryTheirCondition(t *testing.T) {
	assert.Equal(t, []string{"spo2"}, measurableFields(Text{NB: "ellers frisk, SpO2 96 % eller mer"}))
	assert.Equal(t, []string{"hr"}, measurableFields(Text{EN: "pulse below 100/min, well"}))
	assert.Equal(t, []string{"rr"}, measurableFields(Text{NB: "RF under 20, ellers frisk"}))
	assert.Equal(t, []string{"sbp"}, measurableFields(Text{NB: "Blodtrykk under 180/120 uten plager"}))
	assert.Equal(t, []string{"temp_c"}, measurableFields(Text{NB: "Tannpine uten hevelse og feber"}))
	assert.Equal(t, []string{"temp_c"}, measurableFields(Text{EN: "temperature below 38.5 °C"}))
	assert.Empty(t, measurableFields(Text{NB: "Feber under tre døgn, ellers i god form", EN: "Fever for less than three days, otherwise well"}))
	assert.Empty(t, measurableFields(Text{NB: "Trenger angrepille innen 72 timer", EN: "SpO2 measured, normal"}))

	ix := DemoIndex()
	found := 0
	for _, c := range ix.Complaints {
		for _, cr := range c.Criteria {
			if cr.Code.Level != Vanlig {
				continue
			}
			for _, f := range measurableFields(cr.Text) {
				found++
				have := false
				for _, cd := range cr.Requires {
					// A blood pressure "under 180/120" is on sbp (and dbp).
					have = have || cd.Vital == f
				}
				assert.True(t, have, "%s %q states a %s condition but carries none in requires", cr.Code, cr.Text.NB, f)
			}
		}
	}
	require.GreaterOrEqual(t, found, 7, "the demo index states measurable conditions (V.01.02 SpO2, V.39.01 BP, the no-fever criteria)")
}

// The index refuses a condition it cannot check, naming the criterion.
func TestIndexRefusesBadConditions(t *testing.T) {
	base := string(DemoIndexJSON())
	const at = `"code": "V.01.02"`
	cases := []struct{ name, old, new, says string }{
		{"on a haster criterion", `{"code": "H.01.02", "text": {"nb": "Pustebesvær med feber og hoste", "en": "Breathlessness with fever and cough"}}`,
			`{"code": "H.01.02", "text": {"nb": "Pustebesvær med feber og hoste", "en": "Breathlessness with fever and cough"}, "requires": [{"vital": "spo2", "min": 96, "source": "x"}]}`, "H.01.02: requires: only a vanlig criterion"},
		{"an unknown vital", `"vital": "spo2", "min": 96`, `"vital": "sats", "min": 96`, `V.01.02: requires: vital "sats"`},
		{"no bound", `"vital": "spo2", "min": 96`, `"vital": "spo2"`, "want min, below or both"},
		{"no source", `"source": "RCP NEWS2 2017 Chart 1: SpO2 96 % or more scores 0 on scale 1"}]`, `"source": " "}]`, "cite the published threshold"},
	}
	require.True(t, strings.Contains(base, at))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.True(t, strings.Contains(base, c.old), "the demo file holds %s", c.old)
			_, err := ParseIndex([]byte(strings.Replace(base, c.old, c.new, 1)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.says)
		})
	}
}

// QA's trial call 8: 33 years, breathing difficulty, every akutt and haster
// question no, V.01.02 (known panic attacks ... SpO2 96 % or more)
// affirmed, and the caller's oximeter reads 94 %. The criterion does not
// hold: haster, the safe default, the reason says why in both languages,
// no code named; the answer stays recorded.
func TestTrialCall8AContradictedVanligCriterionIsNotVanlig(t *testing.T) {
	ix := DemoIndex()
	c, _ := ix.Complaint("breathing")
	v02 := code(t, "V.01.02")
	spo2 := 94.0
	call := answerRestNo(c, Call{AgeYears: 33, Vanlig: v02,
		Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 1, Missing: []string{"rr", "oxygen", "sbp", "hr", "consciousness", "temp"}, Values: Vitals{SpO2: &spo2}}})
	d, err := Decide(ix, c, call)
	require.NoError(t, err)
	assert.Equal(t, Haster, d.Level)
	assert.Equal(t, Haster, d.Computed)
	assert.True(t, d.NeedsNurseChoice, "the safe default: the nurse chooses")
	assert.Empty(t, d.Codes)
	assert.Equal(t, Yes, d.Answers[v02], "what the caller said stays recorded")
	require.NotEmpty(t, d.Reasons)
	r := d.Reasons[0]
	assert.Equal(t, ReasonContradicted, r.Source)
	assert.Equal(t, v02, r.Code)
	assert.Equal(t, "V.01.02 gjelder ikke: SpO2 94 % er under 96 %; haster som trygg standard til sykepleier velger", r.Text.NB)
	assert.Equal(t, "V.01.02 does not hold: SpO2 94 % is below 96 %; urgent as the safe default until the nurse chooses", r.Text.EN)
	for _, r := range d.Reasons {
		assert.NotEqual(t, ReasonCriterion, r.Source, "no criterion is a reason: %+v", r)
	}

	// 96 % holds; a value not reported does not contradict it.
	for _, s := range []*float64{ptr(96), ptr(95.5), nil} {
		call.Vitals.Values.SpO2 = s
		call.Vitals.NEWS2 = 0
		d, err := Decide(ix, c, call)
		require.NoError(t, err)
		assert.Equal(t, Vanlig, d.Level, "SpO2 %v", s)
		assert.Equal(t, []Code{v02}, d.Codes)
	}

	// A temperature of 38,0 against "uten feber", a blood pressure of
	// 180 systolic against "under 180/120".
	uti, _ := ix.Complaint(complaintOf(t, ix, "V.15.01"))
	d, err = Decide(ix, uti, answerRestNo(uti, Call{AgeYears: 30, Vanlig: code(t, "V.15.01"), Vitals: VitalsFinding{Assessed: true, Values: Vitals{TempC: ptr(37.96)}}}))
	require.NoError(t, err)
	assert.Equal(t, Haster, d.Level)
	assert.Contains(t, d.Reasons[0].Text.NB, "V.15.01 gjelder ikke: temp 38,0 °C er ikke under 38,0 °C")
	bp, _ := ix.Complaint(complaintOf(t, ix, "V.39.01"))
	d, err = Decide(ix, bp, answerRestNo(bp, Call{AgeYears: 60, Vanlig: code(t, "V.39.01"), Vitals: VitalsFinding{Assessed: true, Values: Vitals{SBP: ptr(180), DBP: ptr(95)}}}))
	require.NoError(t, err)
	assert.Equal(t, Haster, d.Level)
	assert.Contains(t, d.Reasons[0].Text.EN, "V.39.01 does not hold: BP sys 180 mmHg is not below 180 mmHg")
}

// QA's second finding: vitals that raise the level above an affirmed
// vanlig criterion (V.29.01, NEWS2 7: akutt) leave the criterion out of the
// codes and the reasons; the answer stays.
func TestARaisedCallNamesNoVanligCriterion(t *testing.T) {
	ix := DemoIndex()
	c, _ := ix.Complaint(complaintOf(t, ix, "V.29.01"))
	v := code(t, "V.29.01")
	d, err := Decide(ix, c, answerRestNo(c, Call{AgeYears: 30, Vanlig: v, Vitals: VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: 7, Complete: true, Band: "high"}}))
	require.NoError(t, err)
	assert.Equal(t, Akutt, d.Level)
	assert.Empty(t, d.Codes)
	assert.Equal(t, Yes, d.Answers[v])
	for _, r := range d.Reasons {
		assert.NotEqual(t, v, r.Code, "a vanlig criterion is no reason for akutt: %+v", r)
	}
	assert.Equal(t, ReasonVitals, d.Reasons[0].Source)
	// The nurse raising a vanlig call: her reason, not the criterion.
	d, err = Decide(ix, c, answerRestNo(c, Call{AgeYears: 30, Vanlig: v, Override: &Override{Level: Haster}}))
	require.NoError(t, err)
	assert.Equal(t, Haster, d.Level)
	assert.Equal(t, Vanlig, d.Computed)
	assert.Empty(t, d.Codes)
	assert.Equal(t, ReasonNurse, d.Reasons[0].Source)
}

func ptr(x float64) *float64 { return &x }

// complaintOf is the id of the complaint holding criterion s.
func complaintOf(t *testing.T, ix *Index, s string) string {
	t.Helper()
	k := code(t, s)
	for _, c := range ix.Complaints {
		if _, ok := c.Criterion(k); ok {
			return c.ID
		}
	}
	t.Fatalf("no complaint holds %s", s)
	return ""
}

// randomValues draws reported vitals around every bound of the index's
// conditions (and far from them), each field reported or not, with
// fractions, so that quantisation at the bound is exercised.
func randomValues(rng *rand.Rand) Vitals {
	centre := map[string][]float64{"rr": {12, 20, 25}, "spo2": {92, 96}, "sbp": {90, 120, 180}, "dbp": {80, 120}, "hr": {60, 100, 130}, "temp_c": {36, 38, 39}}
	var v Vitals
	for field, cs := range centre {
		if rng.IntN(3) == 0 {
			continue
		}
		x := cs[rng.IntN(len(cs))] + (rng.Float64()*8 - 4)
		if rng.IntN(2) == 0 {
			x = float64(int(x)) // whole numbers, as most are typed
		}
		*v.Number(field) = &x
	}
	return v
}

// held reports, independently of Decide, whether v meets every condition
// of cr (a value not reported meets it): the value quantised by the NEWS2
// rule, at least Min, under Below.
func held(cr Criterion, v Vitals) bool {
	for _, cd := range cr.Requires {
		p := *v.Number(cd.Vital)
		if p == nil {
			continue
		}
		x := float64(news2.QuantiseInt(*p))
		if cd.Vital == "temp_c" {
			x = float64(news2.QuantiseTenths(*p)) / 10
		}
		if (cd.Min != nil && x < *cd.Min) || (cd.Below != nil && x >= *cd.Below) {
			return false
		}
	}
	return true
}

// The safety properties of conditions, over every complaint, every vanlig
// criterion (those with a condition and those without) and random vitals
// and NEWS2 findings: never vanlig when a reported value contradicts the
// affirmed criterion (unless the nurse lowers the safe default with her
// written reason); a contradicted criterion rests on the safe default and
// is said so; a vanlig code is never a code of a non-vanlig result,
// override or not; NEWS2 7 or more is akutt; the answer stays recorded.
func TestConditionPropertiesOverEveryVanligCriterion(t *testing.T) {
	ix := DemoIndex()
	rng := rand.New(rand.NewPCG(7, 8))
	withCondition, contradicted := 0, 0
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for _, cr := range c.VanligFor(-1) {
			if len(cr.Requires) > 0 {
				withCondition++
			}
			for n := 0; n < 40; n++ {
				age := -1
				if cr.Age != nil {
					age = cr.Age.MinYears
				} else if c.Age != nil {
					age = c.Age.MinYears
				}
				f := VitalsFinding{Assessed: true, NEWS2Applicable: true, NEWS2: rng.IntN(10), Values: randomValues(rng)}
				call := answerRestNo(c, Call{AgeYears: age, Vanlig: cr.Code, Vitals: f})
				d, err := Decide(ix, c, call)
				require.NoError(t, err, "%s %s", c.ID, cr.Code)
				// The same call without the criterion: its floors (criteria
				// none, vitals rules), or the safe default.
				without := call
				without.Vanlig = Code{}
				base, err := Decide(ix, c, without)
				require.NoError(t, err)
				ok := held(cr, f.Values)
				require.Equal(t, Yes, d.Answers[cr.Code], "the answer stays recorded")
				if f.NEWS2 >= 7 {
					require.Equal(t, Akutt, d.Level, "%s NEWS2 %d", cr.Code, f.NEWS2)
				}
				if !ok {
					contradicted++
					require.NotEqual(t, Vanlig, d.Level, "%s vanlig with %+v contradicting it", cr.Code, f.Values)
					require.NotEqual(t, Vanlig, d.Computed)
					require.Equal(t, base.Computed, d.Computed, "the level as with nothing affirmed: %s %+v", cr.Code, f)
					require.Equal(t, base.NeedsNurseChoice, d.NeedsNurseChoice)
					require.NotContains(t, d.Codes, cr.Code)
					said := false
					for _, r := range d.Reasons {
						said = said || (r.Source == ReasonContradicted && r.Code == cr.Code && strings.Contains(r.Text.NB, "gjelder ikke") && strings.Contains(r.Text.EN, "does not hold"))
					}
					require.True(t, said, "%s: the reasons say it does not hold: %+v", cr.Code, d.Reasons)
				} else if base.RestsOnDefault() {
					require.Equal(t, Vanlig, d.Level, "%s holds with %+v", cr.Code, f.Values)
					require.Equal(t, []Code{cr.Code}, d.Codes)
				} else {
					require.Equal(t, base.Computed, d.Computed, "%s: a floor sets the level", cr.Code)
				}
				noVanligCodeAbove(t, d)
				for _, to := range Levels {
					call.Override = &Override{Level: to, Reason: "sykepleiers vurdering"}
					od, err := Decide(ix, c, call)
					if err != nil {
						continue // a refused lowering: tested in the main properties
					}
					noVanligCodeAbove(t, od)
					if !ok && od.Level == Vanlig {
						require.NotContains(t, od.Codes, cr.Code, "a lowering rests on the nurse's reason, not the contradicted criterion")
						require.Equal(t, ReasonNurse, od.Reasons[len(od.Reasons)-1].Source)
					}
				}
			}
		}
	}
	require.GreaterOrEqual(t, withCondition, 7)
	require.Positive(t, contradicted, "the random vitals contradict conditions")
}

// noVanligCodeAbove: a non-vanlig result names no vanlig criterion, as a
// code or as a reason for its level.
func noVanligCodeAbove(t *testing.T, d Decision) {
	t.Helper()
	if d.Level == Vanlig {
		return
	}
	for _, k := range d.Codes {
		require.NotEqual(t, Vanlig, k.Level, "%s result names vanlig %s", d.Level, k)
	}
	for _, r := range d.Reasons {
		if r.Source == ReasonCriterion {
			require.NotEqual(t, Vanlig, r.Code.Level, "%s result gives vanlig %s as a reason", d.Level, r.Code)
		}
	}
}

// Basis names what set the level, never a vanlig criterion above vanlig.
func TestBasisNamesWhatSetTheLevel(t *testing.T) {
	ix := DemoIndex()
	chest, _ := ix.Complaint("chest-pain")
	breathing, _ := ix.Complaint("breathing")
	cases := []struct {
		name string
		c    *Complaint
		call Call
		nb   string
	}{
		{"a vanlig call: its criterion", chest, answerRestNo(chest, Call{AgeYears: 40, Vanlig: code(t, "V.02.01")}), "V.02.01"},
		{"a yes above vanlig: the yes", chest, answerRestNo(chest, Call{AgeYears: 40, Yes: []Code{code(t, "H.02.01")}, Vanlig: code(t, "V.02.01")}), "H.02.01"},
		{"the vitals above vanlig", chest, answerRestNo(chest, Call{AgeYears: 40, Vanlig: code(t, "V.02.01"), Vitals: VitalsFinding{Assessed: true, NEWS2: 7}}), "målinger per telefon"},
		{"the nurse above vanlig", chest, answerRestNo(chest, Call{AgeYears: 40, Vanlig: code(t, "V.02.01"), Override: &Override{Level: Akutt}}), "sykepleiers vurdering"},
		{"a contradicted criterion", breathing, answerRestNo(breathing, Call{AgeYears: 33, Vanlig: code(t, "V.01.02"), Vitals: VitalsFinding{Assessed: true, Values: Vitals{SpO2: ptr(94)}}}), "trygg standard: målingene motsier vanlig-kriteriet"},
		{"nothing affirmed", chest, Call{AgeYears: 40}, "trygg standard"},
	}
	for _, c := range cases {
		d, err := Decide(ix, c.c, c.call)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.nb, d.Basis().NB, c.name)
		assert.NotEmpty(t, d.Basis().EN, c.name)
		if d.Level != Vanlig {
			assert.NotContains(t, d.Basis().NB, "V.", c.name)
		}
	}
}
