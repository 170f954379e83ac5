package phone

import (
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/wording"
)

// The home vitals rules: what the vitals a caller reports by phone make of
// the call. Each rule only raises the level (a floor); none lowers it, so
// an incomplete set can never lower a call. The NEWS2 total of an
// incomplete set is the sum of the parameters reported, a lower bound of
// the full score ("minst N"), and counts as such.

// NEWS2 thresholds. RCP, National Early Warning Score (NEWS) 2, 2017,
// Chart 3 (clinical risk) and Chart 4 (clinical response): an aggregate
// score of 7 or more is the emergency response threshold, 5-6 the urgent
// response threshold, and a score of 3 in any single parameter needs an
// urgent review. NHS England adopted NEWS2 as the common language of
// acuity outside hospital as well, ambulance services included (NHS
// England Patient Safety Alert NHS/PSA/D/2018/003, April 2018; Tavaré et
// al., Clin Med 2022;22(6):525, "NEWS2 in out-of-hospital settings"). By
// phone we map the emergency threshold to akutt (red response, AMK 113)
// and the urgent threshold and a single 3 to at least haster (yellow
// response: assessed by a doctor without delay).
const (
	news2Akutt  = 7 // total >= 7 -> akutt (RCP 2017 Chart 4, emergency response)
	news2Haster = 5 // total 5-6 -> at least haster (RCP 2017 Chart 4, urgent response)
	news2Single = 3 // any single parameter scoring 3 -> at least haster (RCP 2017 Chart 3/4)
)

// Suspected infection, for the sepsis rule: the complaint is flagged
// infection in the index, or the reported temperature is 38.0 °C or more
// or below 36.0 °C (NICE NG51 1.1 and the risk tables: temperature
// outside 36-38 °C is among the signs that make sepsis a consideration).
const (
	feverTenths = 380 // >= 38.0 °C
	lowTenths   = 360 // < 36.0 °C
)

// MissingText words the missing NEWS2 parameters in both languages, e.g.
// "mangler RF, bevissthet" / "missing RR, consciousness"; empty when none.
func MissingText(missing []string) Text {
	if len(missing) == 0 {
		return Text{}
	}
	l := ParamList(missing)
	return Text{NB: "mangler " + l.NB, EN: "missing " + l.EN}
}

// ParamList words NEWS2 parameter names (rr, spo2, oxygen, sbp, hr,
// consciousness, temp) as a list in both languages, each by the short name
// of the phone field that reports it in the vitals table (wording.Vitals):
// "RF, puls, bevissthet" ("pulse" in English: a caller counts a pulse).
func ParamList(params []string) Text {
	nb, en := make([]string, len(params)), make([]string, len(params))
	for i, m := range params {
		t := Text{NB: m, EN: m}
		if v, ok := paramVital(m); ok {
			t = v.Short
		}
		nb[i], en[i] = t.NB, t.EN
	}
	return Text{NB: strings.Join(nb, ", "), EN: strings.Join(en, ", ")}
}

// paramVital is the row of the phone field that scores a NEWS2 parameter,
// else the parameter's own row.
func paramVital(param string) (wording.Vital, bool) {
	for _, v := range wording.PhoneVitals() {
		if v.NEWS2 == param {
			return v, true
		}
	}
	return wording.NEWS2Vital(param)
}

// TotalText words a finding's NEWS2 total: "NEWS2 6", or "NEWS2 minst 4
// (ufullstendig: mangler RF, bevissthet)" for an incomplete set.
func TotalText(v VitalsFinding) Text {
	if v.Complete {
		return Text{NB: fmt.Sprintf("NEWS2 %d", v.NEWS2), EN: fmt.Sprintf("NEWS2 %d", v.NEWS2)}
	}
	m := MissingText(v.Missing)
	return Text{
		NB: fmt.Sprintf("NEWS2 minst %d (ufullstendig: %s)", v.NEWS2, m.NB),
		EN: fmt.Sprintf("NEWS2 at least %d (incomplete: %s)", v.NEWS2, m.EN),
	}
}

// homeRules returns a reason per home vitals rule that fires on v for a
// call about c at age ageYears (-1 unknown).
func homeRules(c *Complaint, ageYears int, v VitalsFinding) []Reason {
	var out []Reason
	add := func(rule string, l Level, nb, en string) {
		out = append(out, Reason{Source: ReasonVitals, Rule: rule, Level: l, Text: Text{NB: nb, EN: en}})
	}
	total := TotalText(v)
	switch {
	case v.NEWS2 >= news2Akutt:
		add(RuleNEWS2Emergency, Akutt, total.NB+": 7 eller mer gir akutt (RCP NEWS2, akuttrespons)",
			total.EN+": 7 or more makes the call acute (RCP NEWS2 emergency response)")
	case v.NEWS2 >= news2Haster:
		add(RuleNEWS2Urgent, Haster, total.NB+": 5–6 gir minst haster (RCP NEWS2, hasterespons)",
			total.EN+": 5–6 makes the call at least urgent (RCP NEWS2 urgent response)")
	}
	if len(v.Threes) > 0 && v.NEWS2 < news2Akutt {
		m := ParamList(v.Threes)
		add(RuleNEWS2Single, Haster, fmt.Sprintf("NEWS2 %d poeng på %s: minst haster (RCP NEWS2)", news2Single, m.NB),
			fmt.Sprintf("NEWS2 %d points on %s: at least urgent (RCP NEWS2)", news2Single, m.EN))
	}
	switch {
	case v.Red:
		// The engine's red and orange are said as the phone levels they
		// give, never as colours: a phone screen shows akutt/haster/vanlig.
		add(RuleEngineRed, Akutt, "Triagemotorens vurdering av målingene gir akutt", "The triage engine's assessment of the vitals makes the call acute")
	case v.Orange:
		add(RuleEngineOrange, Haster, "Triagemotorens vurdering av målingene gir minst haster", "The triage engine's assessment of the vitals makes the call at least urgent")
	}
	floors, covered := floorRules(c, ageYears, v.Values)
	out = append(out, floors...)
	if r, ok := sepsisRule(c, ageYears, v.Values, covered); ok {
		out = append(out, r)
	}
	return out
}

// sepsisRule is NICE NG51 (Sepsis: recognition, diagnosis and early
// management, 2016, updated 2017): a suspected infection with any
// high-risk criterion needs emergency care, which by phone is akutt.
//
// Infection is suspected from the temperature (38.0 °C or more, below
// 36.0 °C), or from the complaint when the index flags it: then the
// reason names the complaint ("pustevansker kan skyldes infeksjon"), never
// only "an infection complaint". When infection is suspected from the
// complaint alone, a sign that one of the complaint's own akutt floors
// covers (covered: a breathing rate of 25 or more with a breathing
// complaint, floorRules) is that floor's, not sepsis's: the floor's
// reason says what fired and why; sepsis is named only for a sign no
// floor covers. The level cannot fall by it: every sign left out is an
// akutt floor that fired.
func sepsisRule(c *Complaint, ageYears int, v Vitals, covered map[string]bool) (Reason, bool) {
	var why Text
	fromComplaint := false
	switch {
	case v.TempC != nil && (news2.QuantiseTenths(*v.TempC) >= feverTenths || news2.QuantiseTenths(*v.TempC) < lowTenths):
		why = Text{NB: "temp " + numNB(float64(news2.QuantiseTenths(*v.TempC))/10) + " °C", EN: "temp " + num(float64(news2.QuantiseTenths(*v.TempC))/10) + " °C"}
	case c.Infection:
		fromComplaint = true
		why = Text{NB: strings.ToLower(c.Name.NB) + " kan skyldes infeksjon", EN: strings.ToLower(c.Name.EN) + " may be an infection"}
	default:
		return Reason{}, false
	}
	signs := sepsisSigns(ageYears, v)
	uncovered := 0
	for _, s := range signs {
		if !covered[s.vital] {
			uncovered++
		}
	}
	if len(signs) == 0 || fromComplaint && uncovered == 0 {
		return Reason{}, false
	}
	nb, en := make([]string, len(signs)), make([]string, len(signs))
	for i, s := range signs {
		nb[i], en[i] = s.text.NB, s.text.EN
	}
	return Reason{Source: ReasonVitals, Rule: RuleSepsis, Level: Akutt, Text: Text{
		NB: fmt.Sprintf("Mulig sepsis (%s) med høyrisikotegn etter NICE NG51: %s: akutt", why.NB, strings.Join(nb, "; ")),
		EN: fmt.Sprintf("Possible sepsis (%s) with NICE NG51 high-risk signs: %s: acute", why.EN, strings.Join(en, "; ")),
	}}, true
}

// sepsisSign is one NICE NG51 high-risk criterion met: the phone field
// it is on (rr, spo2, hr, sbp, consciousness) and its words.
type sepsisSign struct {
	vital string
	text  Text
}

// sepsisSigns lists the NICE NG51 high-risk criteria the reported values
// meet, for the patient's age.
func sepsisSigns(ageYears int, v Vitals) []sepsisSign {
	var out []sepsisSign
	sign := func(vital, nb, en string) { out = append(out, sepsisSign{vital: vital, text: Text{NB: nb, EN: en}}) }
	ival := func(p *float64) (int, bool) {
		if p == nil {
			return 0, false
		}
		return news2.QuantiseInt(*p), true
	}
	altered := v.Consciousness != "" && v.Consciousness != "A"
	if ageYears < 0 || ageYears >= 12 {
		// NG51 table 1, people aged 12 and over, high-risk criteria:
		// objective evidence of new altered mental state; RR >= 25/min; new
		// need for oxygen to keep SpO2 >= 92 %; HR > 130/min; systolic
		// <= 90 mmHg. Unknown age is scored as an adult, as the engine
		// does. By phone "new need for oxygen" cannot be told from home
		// oxygen, so SpO2 below 92 % on air or on oxygen stands for it.
		if altered {
			sign("consciousness", "bevissthet "+v.Consciousness+" (ikke våken og klar)", "consciousness "+v.Consciousness+" (not alert)")
		}
		if n, ok := ival(v.RR); ok && n >= 25 {
			sign("rr", fmt.Sprintf("RF %d/min (25 eller mer)", n), fmt.Sprintf("RR %d/min (25 or more)", n))
		}
		if n, ok := ival(v.SpO2); ok && n < 92 {
			sign("spo2", fmt.Sprintf("SpO2 %d %% (under 92)", n), fmt.Sprintf("SpO2 %d %% (below 92)", n))
		}
		if n, ok := ival(v.HR); ok && n > 130 {
			sign("hr", fmt.Sprintf("puls %d/min (over 130)", n), fmt.Sprintf("pulse %d/min (above 130)", n))
		}
		if n, ok := ival(v.SBP); ok && n <= 90 {
			sign("sbp", fmt.Sprintf("BT systolisk %d mmHg (90 eller lavere)", n), fmt.Sprintf("systolic BP %d mmHg (90 or below)", n))
		}
		return out
	}
	// NG51 tables 2 and 3, children under 12, the high-risk criteria that
	// a caller can report: not responding normally or does not stay awake
	// (any ACVPU but A); SpO2 below 90 % in air; heart rate below 60/min;
	// and, under 5 years, raised RR and HR by age (under 1 year RR >= 60,
	// HR >= 160; 1-2 years RR >= 50, HR >= 150; 3-4 years RR >= 40,
	// HR >= 140). The age bands of 5-11 years are left to the engine's
	// paediatric rules, which score them on the same call.
	if altered {
		sign("consciousness", "bevissthet "+v.Consciousness+" (reagerer ikke normalt)", "consciousness "+v.Consciousness+" (not responding normally)")
	}
	if n, ok := ival(v.SpO2); ok && n < 90 {
		sign("spo2", fmt.Sprintf("SpO2 %d %% (under 90)", n), fmt.Sprintf("SpO2 %d %% (below 90)", n))
	}
	if n, ok := ival(v.HR); ok && n < 60 {
		sign("hr", fmt.Sprintf("puls %d/min (under 60)", n), fmt.Sprintf("pulse %d/min (below 60)", n))
	}
	if ageYears < 5 {
		rr, hr := 40, 140
		switch {
		case ageYears < 1:
			rr, hr = 60, 160
		case ageYears <= 2:
			rr, hr = 50, 150
		}
		if n, ok := ival(v.RR); ok && n >= rr {
			sign("rr", fmt.Sprintf("RF %d/min (%d eller mer for alderen)", n, rr), fmt.Sprintf("RR %d/min (%d or more for the age)", n, rr))
		}
		if n, ok := ival(v.HR); ok && n >= hr {
			sign("hr", fmt.Sprintf("puls %d/min (%d eller mer for alderen)", n, hr), fmt.Sprintf("pulse %d/min (%d or more for the age)", n, hr))
		}
	}
	return out
}
