package phone_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/homevitals"
	"github.com/legevakt/workstation/triage/phone"
)

// q quantises a reported number as the NEWS2 chart reads it (half up to
// a whole number), written out here so that the oracle below does not
// borrow the code it checks.
func q(p *float64) (int, bool) {
	if p == nil {
		return 0, false
	}
	return int(math.Floor(*p + 0.5)), true
}

// tempTenths is a temperature in tenths, half up.
func tempTenths(p *float64) (int, bool) {
	if p == nil {
		return 0, false
	}
	return int(math.Floor(*p*10 + 0.5)), true
}

// ng51Signs are the fields on which the reported values meet a NICE NG51
// high-risk criterion for the age (table 1 from 12 years and for an
// unknown age; tables 2 and 3 below 12, with the rates of the under-5s).
func ng51Signs(age int, v phone.Vitals) map[string]bool {
	s := map[string]bool{}
	altered := v.Consciousness != "" && v.Consciousness != "A"
	rr, okRR := q(v.RR)
	spo2, okS := q(v.SpO2)
	hr, okH := q(v.HR)
	sbp, okB := q(v.SBP)
	if age < 0 || age >= 12 {
		s["consciousness"] = altered
		s["rr"] = okRR && rr >= 25
		s["spo2"] = okS && spo2 < 92
		s["hr"] = okH && hr > 130
		s["sbp"] = okB && sbp <= 90
		return s
	}
	s["consciousness"] = altered
	s["spo2"] = okS && spo2 < 90
	s["hr"] = okH && hr < 60
	if age < 5 {
		rrMin, hrMin := 40, 140
		switch {
		case age < 1:
			rrMin, hrMin = 60, 160
		case age <= 2:
			rrMin, hrMin = 50, 150
		}
		s["rr"] = okRR && rr >= rrMin
		s["hr"] = s["hr"] || okH && hr >= hrMin
	}
	return s
}

// floorHolds reports whether floor f of the index holds for the call.
func floorHolds(f phone.Floor, age int, v phone.Vitals) bool {
	if f.Age != nil && age >= 0 && (age < f.Age.MinYears || age > f.Age.MaxYears) {
		return false
	}
	p := v.Number(f.Vital)
	x, ok := q(*p)
	return ok && (f.Min == nil || float64(x) >= *f.Min) && (f.Below == nil || float64(x) < *f.Below)
}

// holds is the oracle: whether the condition of the rule a reason names
// holds for the call's inputs, and the words the reason must carry to
// name it (its published source).
func holds(c *phone.Complaint, call phone.Call, r phone.Reason) (bool, []string) {
	f, v, age := call.Vitals, call.Vitals.Values, call.AgeYears
	switch r.Rule {
	case phone.RuleNEWS2Emergency:
		return f.NEWS2 >= 7, []string{"NEWS2", "RCP"}
	case phone.RuleNEWS2Urgent:
		return f.NEWS2 >= 5 && f.NEWS2 < 7, []string{"NEWS2", "RCP"}
	case phone.RuleNEWS2Single:
		return len(f.Threes) > 0 && f.NEWS2 < 7, []string{"NEWS2", "RCP"}
	case phone.RuleEngineRed:
		return f.Red, []string{"Triagemotorens vurdering"}
	case phone.RuleEngineOrange:
		return f.Orange && !f.Red, []string{"Triagemotorens vurdering"}
	case phone.RuleFloor:
		for _, fl := range c.Floors {
			if fl.Level == r.Level && floorHolds(fl, age, v) && strings.Contains(r.Text.NB, fl.Cite.NB) && strings.Contains(r.Text.EN, fl.Cite.EN) {
				return true, []string{fl.Cite.NB}
			}
		}
		return false, nil
	case phone.RuleSepsis:
		t, ok := tempTenths(v.TempC)
		fever := ok && (t >= 380 || t < 360)
		signs := ng51Signs(age, v)
		any, uncovered := false, false
		for field, met := range signs {
			if !met {
				continue
			}
			any = true
			covered := false
			for _, fl := range c.Floors {
				covered = covered || fl.Vital == field && fl.Level == phone.Akutt && floorHolds(fl, age, v)
			}
			uncovered = uncovered || !covered
		}
		// Infection suspected by the temperature, or by the complaint
		// with a sign no floor of the complaint explains.
		return any && (fever || c.Infection && uncovered), []string{"NICE NG51"}
	}
	return false, nil
}

// randomVitals draws what a caller might report: each value reported or
// not, over and beyond the ranges that fire a rule.
func randomVitals(rng *rand.Rand) phone.Vitals {
	var v phone.Vitals
	num := func(lo, hi float64) *float64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		x := lo + rng.Float64()*(hi-lo)
		x = math.Round(x*2) / 2 // a caller says whole or half numbers
		return &x
	}
	v.RR, v.SpO2, v.HR, v.TempC = num(6, 44), num(82, 100), num(35, 180), num(34, 41.5)
	if sbp := num(70, 200); sbp != nil {
		dbp := *sbp - 30
		v.SBP, v.DBP = sbp, &dbp
	}
	if rng.IntN(2) == 0 {
		air := rng.IntN(4) != 0
		o := !air
		v.Oxygen = &o
	}
	v.Consciousness = []string{"", "", "A", "A", "C", "V"}[rng.IntN(6)]
	return v
}

// Property over every complaint of the index, random ages, random
// reported values scored by the engine's home rules (as a call is) and
// random answers: every reason a vitals rule gives names a rule whose
// condition holds for the call's inputs, with its published source in
// the words; a rule that holds and sets the level is among the reasons;
// and the level is never lower than before demo.7, when a suspected
// infection (complaint flag or temperature) with any NICE NG51
// high-risk sign made the call akutt.
func TestEveryVitalsReasonNamesARuleThatHolds(t *testing.T) {
	ix := phone.DemoIndex()
	engine := triage.NewEngine(nil)
	now := time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(2026, 12))
	calls := 30
	if testing.Short() {
		calls = 8
	}
	seenRule := map[string]int{}
	for i := range ix.Complaints {
		c := &ix.Complaints[i]
		for range calls {
			age := rng.IntN(90) - 1
			v := randomVitals(rng)
			f, _, err := homevitals.Assess(engine, v, age, homevitals.Fields, now)
			if err != nil {
				continue // a value the rules refuse: the call screen asks again
			}
			call := phone.Call{AgeYears: age, Vitals: f}
			for _, cr := range c.QuestionsFor(age) {
				if rng.IntN(6) == 0 {
					call.Yes = append(call.Yes, cr.Code)
				}
			}
			d, err := phone.Decide(ix, c, call)
			require.NoError(t, err)
			for _, r := range d.Reasons {
				if r.Source != phone.ReasonVitals {
					assert.Empty(t, r.Rule, "%s: only a vitals rule names a rule", c.ID)
					continue
				}
				ok, words := holds(c, call, r)
				require.True(t, ok, "%s age %d %+v: reason %q names rule %q, whose condition does not hold", c.ID, age, describe(v), r.Text.NB, r.Rule)
				for _, w := range words {
					assert.Contains(t, r.Text.NB+" "+r.Text.EN, w, "%s: the reason names its source", c.ID)
				}
				seenRule[r.Rule]++
			}
			// Never lower than demo.6: a suspected infection with a
			// high-risk sign is akutt, whichever rule now says so.
			t10, okT := tempTenths(v.TempC)
			suspected := c.Infection || okT && (t10 >= 380 || t10 < 360)
			anySign := false
			for _, met := range ng51Signs(age, v) {
				anySign = anySign || met
			}
			if suspected && anySign {
				require.Equal(t, phone.Akutt, d.Computed, "%s age %d %+v: akutt before demo.7", c.ID, age, describe(v))
			}
		}
	}
	for _, rule := range []string{phone.RuleNEWS2Emergency, phone.RuleNEWS2Urgent, phone.RuleNEWS2Single, phone.RuleSepsis, phone.RuleFloor} {
		assert.Positive(t, seenRule[rule], "rule %s never fired: the draw does not test it", rule)
	}
}

// describe writes the reported values for a failure message.
func describe(v phone.Vitals) map[string]any {
	out := map[string]any{"consciousness": v.Consciousness}
	for _, f := range []string{"rr", "spo2", "sbp", "hr", "temp_c"} {
		if p := v.Number(f); *p != nil {
			out[f] = **p
		}
	}
	return out
}

// The calls of the brief: a breathing complaint with a rate of 28, and a
// panic caller (V.01.02 affirmed) with SpO2 91, are akutt as before, and
// the reason is the breathing rule with its source, not sepsis; with a
// fever, or a sign the breathing rule does not cover, sepsis is named
// too, by what suspects the infection.
func TestABreathingCallIsAkuttByTheBreathingRuleNotSepsis(t *testing.T) {
	ix := phone.DemoIndex()
	engine := triage.NewEngine(nil)
	now := time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)
	c, ok := ix.Complaint("breathing")
	require.True(t, ok)
	f := func(x float64) *float64 { return &x }
	var allNo []phone.Code
	for _, cr := range c.QuestionsFor(33) {
		allNo = append(allNo, cr.Code)
	}
	panic := phone.Code{Level: phone.Vanlig, Chapter: 1, Number: 2}
	for _, tc := range []struct {
		name       string
		call       phone.Call
		v          phone.Vitals
		floor      string // words of the breathing rule's reason
		sepsis     string // words of the sepsis reason, "" when none
		noInfected bool
	}{
		{"RR 28", phone.Call{AgeYears: 40}, phone.Vitals{RR: f(28)}, "RF 28/min (25/min eller mer) ved pustevansker: akutt (BTS/SIGN 158", "", true},
		{"panic caller SpO2 91", phone.Call{AgeYears: 33, No: allNo, Vanlig: panic}, phone.Vitals{SpO2: f(91), RR: f(22)}, "SpO2 91 % (under 92 %) ved pustevansker: akutt (BTS/SIGN 158", "", true},
		{"RR 28 and pulse 135", phone.Call{AgeYears: 40}, phone.Vitals{RR: f(28), HR: f(135)}, "RF 28/min", "Mulig sepsis (pustevansker kan skyldes infeksjon)", false},
		{"RR 28 and fever", phone.Call{AgeYears: 40}, phone.Vitals{RR: f(28), TempC: f(38.6)}, "RF 28/min", "Mulig sepsis (temp 38,6 °C)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fd, _, err := homevitals.Assess(engine, tc.v, tc.call.AgeYears, homevitals.Fields, now)
			require.NoError(t, err)
			tc.call.Vitals = fd
			d, err := phone.Decide(ix, c, tc.call)
			require.NoError(t, err)
			assert.Equal(t, phone.Akutt, d.Level)
			var all []string
			for _, r := range d.Reasons {
				all = append(all, r.Text.NB)
				assert.NotContains(t, r.Text.NB, "infeksjonsproblem", "the words of demo.6")
			}
			text := strings.Join(all, "\n")
			assert.Contains(t, text, tc.floor)
			if tc.sepsis == "" {
				assert.NotContains(t, text, "sepsis", "nothing suspects an infection the breathing rule does not explain")
			} else {
				assert.Contains(t, text, tc.sepsis)
			}
		})
	}
}

// QA G7: a routine criterion that says the patient is now warmed up or
// cooled down, or breathing normally, does not hold against a reported
// temperature of 40.9 or 39.8 °C (or a rate of 26): the call rests on the
// safe default (haster, the nurse chooses), never vanlig.
func TestRoutineCriteriaDisprovedByTheTemperatureDoNotHold(t *testing.T) {
	ix := phone.DemoIndex()
	f := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		complaint string
		vanlig    phone.Code
		v         phone.Vitals
		holds     bool
	}{
		{"environment", phone.Code{Level: phone.Vanlig, Chapter: 38, Number: 1}, phone.Vitals{TempC: f(40.9), Consciousness: "A"}, false},
		{"environment", phone.Code{Level: phone.Vanlig, Chapter: 38, Number: 1}, phone.Vitals{TempC: f(35.2)}, false},
		{"environment", phone.Code{Level: phone.Vanlig, Chapter: 38, Number: 1}, phone.Vitals{TempC: f(36.8)}, true},
		{"intoxication", phone.Code{Level: phone.Vanlig, Chapter: 29, Number: 1}, phone.Vitals{TempC: f(39.8), Consciousness: "A"}, false},
		{"intoxication", phone.Code{Level: phone.Vanlig, Chapter: 29, Number: 1}, phone.Vitals{RR: f(26)}, false},
		{"intoxication", phone.Code{Level: phone.Vanlig, Chapter: 29, Number: 1}, phone.Vitals{RR: f(16), TempC: f(37)}, true},
	} {
		c, ok := ix.Complaint(tc.complaint)
		require.True(t, ok)
		var no []phone.Code
		for _, cr := range c.QuestionsFor(30) {
			no = append(no, cr.Code)
		}
		d, err := phone.Decide(ix, c, phone.Call{AgeYears: 30, No: no, Vanlig: tc.vanlig, Vitals: phone.VitalsFinding{Assessed: true, Values: tc.v}})
		require.NoError(t, err)
		if tc.holds {
			assert.Equal(t, phone.Vanlig, d.Level, "%s %+v", tc.vanlig, describe(tc.v))
			continue
		}
		assert.Equal(t, phone.Haster, d.Level, "%s %+v: disproved, the safe default", tc.vanlig, describe(tc.v))
		assert.True(t, d.Contradicted(), "said in words")
		assert.True(t, d.NeedsNurseChoice)
	}
}
