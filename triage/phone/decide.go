package phone

import (
	"fmt"
	"slices"
	"strings"

	"github.com/legevakt/workstation/triage/wording"
)

// VitalsFinding is what the main triage engine made of the vitals the
// caller reported by phone (home thermometer, blood-pressure cuff, pulse
// oximeter, breaths counted on the line, how the patient answers). Package
// homevitals fills it from the engine, so this package stays free of the
// engine; Decide applies the home rules (homerules.go) to it.
type VitalsFinding struct {
	// Assessed is true when reported vitals were scored at all.
	Assessed bool `json:"assessed"`
	// Colour is the engine's colour name ("red", "orange", ...), kept for
	// the record and the screen.
	Colour string `json:"colour,omitempty"`
	// Red is true when the engine called the vitals red: the call is akutt.
	Red bool `json:"red"`
	// Orange is true when the engine called them orange: the call is at
	// least haster (orange's 10-minute target means "assessed by a doctor
	// without delay", the NIMN definition of haster).
	Orange bool `json:"orange"`

	// NEWS2Applicable is false for children under 16 and in pregnancy,
	// where NEWS2 is not used (RCP 2017); the engine's age rules then
	// stand alone.
	NEWS2Applicable bool `json:"news2_applicable"`
	// NEWS2 is the total of the parameters reported; with an incomplete
	// set it is a lower bound ("minst N") of the full score.
	NEWS2 int `json:"news2_total"`
	// Complete is true when all seven NEWS2 parameters were reported.
	Complete bool `json:"complete"`
	// Missing names the parameters not reported, in chart order: rr, spo2,
	// oxygen, sbp, hr, consciousness, temp.
	Missing []string `json:"missing,omitempty"`
	// Band is the NEWS2 band of a complete set (low, low-medium, medium,
	// high); "" when incomplete or not applicable.
	Band string `json:"band,omitempty"`
	// Threes are the parameters that scored 3 on the NEWS2 chart.
	Threes []string `json:"threes,omitempty"`
	// Values are the values reported, as scored.
	Values Vitals `json:"values"`

	// Reasons word the finding for the screen in both languages: one line
	// per reported value, then the NEWS2 total.
	Reasons []Text `json:"reasons,omitempty"`
}

// Reason says why a decision has its level.
type Reason struct {
	// Source is "criterion" (a criterion the nurse affirmed), "vitals" (a
	// home vitals rule on reported vitals), "default" (no criterion
	// affirmed: the safe default), "contradicted" (the affirmed vanlig
	// criterion does not hold: a reported value contradicts it) or
	// "nurse" (the nurse's override).
	Source string `json:"source"`
	// Rule names the home vitals rule that fired, for a reason of source
	// "vitals" (RuleNEWS2Emergency, ... RuleFloor); "" otherwise.
	Rule  string `json:"rule,omitempty"`
	Code  Code   `json:"code,omitzero"`
	Level Level  `json:"level"`
	Text  Text   `json:"text"`
}

// The home vitals rules (homerules.go, floors.go), as Reason.Rule names
// them.
const (
	RuleNEWS2Emergency = "news2-emergency" // NEWS2 total 7 or more: akutt
	RuleNEWS2Urgent    = "news2-urgent"    // NEWS2 total 5-6: haster
	RuleNEWS2Single    = "news2-single"    // a single parameter scoring 3: haster
	RuleEngineRed      = "engine-red"      // the triage engine scores the vitals red: akutt
	RuleEngineOrange   = "engine-orange"   // ... orange: haster
	// RuleSepsis is NICE NG51: suspected infection with a high-risk sign.
	RuleSepsis = "ng51-sepsis"
	// RuleFloor is a floor of the complaint (Complaint.Floors).
	RuleFloor = "complaint-floor"
)

// Reason sources.
const (
	ReasonCriterion = "criterion"
	ReasonVitals    = "vitals"
	ReasonDefault   = "default"
	ReasonNurse     = "nurse" // the nurse's override
	// ReasonContradicted: the affirmed vanlig criterion does not hold, a
	// reported value is outside the condition it states (Condition); its
	// Code is the criterion's.
	ReasonContradicted = "contradicted"
)

// Decision is the outcome of one phone assessment: the level, the criteria
// that set it and why, every criterion's answer, and the index it was made
// with.
type Decision struct {
	// Level is what the caller is told: Computed, or the nurse's override.
	Level     Level  `json:"level"`
	Complaint string `json:"complaint"` // complaint id
	// Codes are the criteria that set the level: the akutt and haster
	// criteria answered yes, and an affirmed vanlig criterion only when the
	// level is vanlig on its account (never beside a more urgent level, never
	// when a reported value contradicts it); never a default. The answers
	// keep every affirmed criterion.
	Codes   []Code        `json:"codes"`
	Reasons []Reason      `json:"reasons"`
	Vitals  VitalsFinding `json:"vitals"`
	// Answers holds every criterion of the complaint, vanlig ones
	// included: yes, no or not_asked.
	Answers       map[Code]Answer `json:"answers"`
	IndexID       string          `json:"index_id"`
	IndexVersion  string          `json:"index_version"`
	Demonstration bool            `json:"demonstration"`
	// Computed is the level the criteria and vitals gave, before the
	// nurse's override.
	Computed Level `json:"computed"`
	// NeedsNurseChoice is true when the computed level rests on the safe
	// default alone (no criterion affirmed, no vitals rule) and the nurse
	// has not yet chosen: keep haster, or lower with a written reason.
	NeedsNurseChoice bool `json:"needs_nurse_choice"`
	// Override is the nurse's change of the computed level, if any.
	Override *Override `json:"override,omitempty"`
}

// Actions lists what the nurse does now for d's level.
func (d Decision) Actions(lang wording.Lang) []string { return d.Level.Actions(lang) }

// RestsOnDefault reports whether the computed level came from the safe
// default alone: no criterion affirmed and no vitals rule fired.
func (d Decision) RestsOnDefault() bool {
	for _, r := range d.Reasons {
		if r.Source == ReasonCriterion || r.Source == ReasonVitals {
			return false
		}
	}
	return true
}

// Contradicted reports whether the affirmed vanlig criterion does not hold
// because a reported value contradicts a condition it states.
func (d Decision) Contradicted() bool {
	for _, r := range d.Reasons {
		if r.Source == ReasonContradicted {
			return true
		}
	}
	return false
}

// Basis names what set the level, for a one-line summary of the call (the
// saved call, a contact history): the codes of the criteria that set it;
// without one, the nurse's change, the vitals, the affirmed criterion that
// does not hold, or the safe default. It never names a vanlig criterion for
// a more urgent call (Codes does not hold one then).
func (d Decision) Basis() Text {
	if len(d.Codes) > 0 {
		s := joinCodes(d.Codes)
		s = strings.ReplaceAll(s, ", ", " ")
		return Text{NB: s, EN: s}
	}
	if d.Override != nil && d.Level != d.Computed {
		return Text{NB: "sykepleiers vurdering", EN: "the nurse's judgement"}
	}
	for _, r := range d.Reasons {
		if r.Level != d.Computed {
			continue
		}
		switch r.Source {
		case ReasonVitals:
			return Text{NB: "målinger per telefon", EN: "vitals reported by phone"}
		case ReasonContradicted:
			return Text{NB: "trygg standard: målingene motsier vanlig-kriteriet", EN: "safe default: the vitals contradict the routine criterion"}
		}
	}
	return Text{NB: "trygg standard", EN: "safe default"}
}

// defaultText is the reason of the safe default.
var defaultText = Text{
	NB: "Ingen kriterier bekreftet: haster som trygg standard til sykepleier velger",
	EN: "No criterion affirmed: urgent as the safe default until the nurse chooses",
}

// Decide combines the criteria the nurse answered for complaint c of index
// ix with the home vitals rules on call.Vitals and the nurse's override:
//
//   - a yes is a floor: the level is at least the most urgent yes;
//   - a home vitals rule is a floor (homerules.go);
//   - with no akutt or haster yes and no vitals floor, an affirmed vanlig
//     criterion gives vanlig (it is accepted only once every akutt and
//     haster question asked at the call's age is answered yes or no),
//     unless a reported value contradicts a condition it states
//     (Criterion.Requires): then, as without one, the computed level is
//     HASTER, the safe default, and NeedsNurseChoice is set until an
//     override is given;
//   - an affirmed vanlig criterion is named (Codes, Reasons) only when the
//     level is vanlig on its account; its answer is always kept;
//   - an override may always raise (reason optional); it may lower only
//     from the safe default, with a reason, when every akutt and haster
//     question asked at the call's age is answered no; never below a
//     criterion or a vitals rule.
//
// Refusals are *FieldError naming the field (yes, no, vanlig, age_years,
// override.level, override.reason) and what is accepted; nothing is
// decided then.
func Decide(ix *Index, c *Complaint, call Call) (Decision, error) {
	if ix == nil || c == nil {
		return Decision{}, &FieldError{Field: "complaint", Message: "no index or complaint given"}
	}
	if call.AgeYears < -1 || call.AgeYears > MaxAgeYears {
		return Decision{}, &FieldError{Field: "age_years", Message: fmt.Sprintf("%d: want 0-%d whole years, or -1 when unknown", call.AgeYears, MaxAgeYears)}
	}
	months := -1
	if m := call.AgeMonths; m != nil {
		if *m < 0 || *m > 23 || *m/12 != call.AgeYears {
			return Decision{}, &FieldError{Field: "age_months", Message: fmt.Sprintf("%d: want 0-23 whole months agreeing with age_years %d, or none", *m, call.AgeYears)}
		}
		months = *m
	}
	d := Decision{
		Complaint:     c.ID,
		Vitals:        call.Vitals,
		IndexID:       ix.ID,
		IndexVersion:  ix.Version,
		Demonstration: ix.Demonstration,
		Answers:       make(map[Code]Answer, len(c.Criteria)),
	}
	for _, cr := range c.Criteria {
		d.Answers[cr.Code] = NotAsked
	}
	level, floored := Vanlig, false
	for _, code := range call.Yes {
		cr, ok := c.Criterion(code)
		if !ok {
			return Decision{}, &FieldError{Field: "yes", Message: fmt.Sprintf("criterion %s is not in complaint %q (chapter %02d); want one of %s", code, c.ID, c.Chapter, codeList(c, Akutt, Haster))}
		}
		if code.Level == Vanlig {
			return Decision{}, &FieldError{Field: "yes", Message: fmt.Sprintf("criterion %s is a vanlig criterion; give it as vanlig, and only akutt or haster criteria as yes (%s)", code, codeList(c, Akutt, Haster))}
		}
		if d.Answers[code] == Yes {
			continue
		}
		d.Answers[code] = Yes
		d.Codes = append(d.Codes, code)
		d.Reasons = append(d.Reasons, Reason{Source: ReasonCriterion, Code: code, Level: code.Level, Text: cr.Text})
		level, floored = MostUrgent(level, code.Level), true
	}
	for _, code := range call.No {
		if _, ok := c.Criterion(code); !ok {
			return Decision{}, &FieldError{Field: "no", Message: fmt.Sprintf("criterion %s is not in complaint %q (chapter %02d); want one of %s", code, c.ID, c.Chapter, codeList(c, Akutt, Haster, Vanlig))}
		}
		if d.Answers[code] == Yes || code == call.Vanlig {
			return Decision{}, &FieldError{Field: "no", Message: fmt.Sprintf("criterion %s is answered both yes and no; give one answer", code)}
		}
		d.Answers[code] = No
	}
	// The akutt and haster questions asked at this age that the nurse has
	// not answered: while any is open, nothing may rest on their being
	// absent (neither an affirmed vanlig criterion nor a lowering).
	unanswered := unansweredQuestions(c, call.AgeYears, months, d.Answers)
	var vanlig Criterion
	if !call.Vanlig.IsZero() {
		cr, ok := c.Criterion(call.Vanlig)
		if !ok || call.Vanlig.Level != Vanlig {
			return Decision{}, &FieldError{Field: "vanlig", Message: fmt.Sprintf("%s is not a vanlig criterion of %q; want one of %s, or none", call.Vanlig, c.ID, codeList(c, Vanlig))}
		}
		if len(unanswered) > 0 {
			return Decision{}, &FieldError{Field: "vanlig", Message: fmt.Sprintf("%s can be affirmed only when every akutt and haster question is answered yes or no; not answered: %s", call.Vanlig, joinCodes(unanswered))}
		}
		// What the caller said stays recorded, whether or not it sets the
		// level.
		d.Answers[call.Vanlig] = Yes
		vanlig = cr
	}
	for _, r := range homeRules(c, call.AgeYears, call.Vitals) {
		d.Reasons = append(d.Reasons, r)
		level, floored = MostUrgent(level, r.Level), true
	}
	// An affirmed vanlig criterion whose condition a reported value
	// contradicts (SpO2 94 % against "SpO2 96 % eller mer") does not
	// hold: the call is not vanlig on its account, and the reasons say so.
	var broken []Text
	if !call.Vanlig.IsZero() {
		broken = vanlig.Contradictions(call.Vitals.Values)
	}
	for _, t := range broken {
		if !floored {
			t = Text{NB: t.NB + "; " + wording.ConditionFallback.NB, EN: t.EN + "; " + wording.ConditionFallback.EN}
		}
		d.Reasons = append(d.Reasons, Reason{Source: ReasonContradicted, Code: call.Vanlig, Level: Haster, Text: t})
	}
	restsOnDefault := false
	switch {
	case floored:
	case !call.Vanlig.IsZero() && len(broken) == 0:
		level = Vanlig
	case len(broken) > 0:
		// As when nothing is affirmed: the safe default, the nurse chooses.
		level, restsOnDefault = Haster, true
	default:
		level, restsOnDefault = Haster, true
		d.Reasons = append(d.Reasons, Reason{Source: ReasonDefault, Level: Haster, Text: defaultText})
	}
	d.Computed, d.Level = level, level
	if ov := call.Override; ov != nil {
		if err := d.override(*ov, restsOnDefault, unanswered); err != nil {
			return Decision{}, err
		}
	}
	// The affirmed vanlig criterion is a reason and a code only of a call
	// that is vanlig on its account: never beside a more urgent level,
	// whatever raised it (a criterion, the vitals, the nurse).
	if d.Computed == Vanlig && d.Level == Vanlig && !call.Vanlig.IsZero() && len(broken) == 0 {
		d.Codes = append(d.Codes, call.Vanlig)
		d.Reasons = append(d.Reasons, Reason{Source: ReasonCriterion, Code: call.Vanlig, Level: Vanlig, Text: vanlig.Text})
	}
	d.NeedsNurseChoice = restsOnDefault && call.Override == nil
	// Most urgent reasons first, stable within a level.
	slices.SortStableFunc(d.Reasons, func(a, b Reason) int { return int(a.Level) - int(b.Level) })
	return d, nil
}

// override applies the nurse's change of d's computed level.
func (d *Decision) override(ov Override, restsOnDefault bool, unanswered []Code) error {
	if int(ov.Level) >= len(levelNames) {
		return &FieldError{Field: "override.level", Message: fmt.Sprintf("level %d: want one of akutt, haster, vanlig", uint8(ov.Level))}
	}
	ov.Reason = strings.TrimSpace(ov.Reason)
	t := Text{NB: "Sykepleiers vurdering", EN: "The nurse's judgement"}
	switch {
	case ov.Level == d.Computed:
		t = Text{NB: "Sykepleier bekrefter " + d.Computed.Label("nb"), EN: "The nurse confirms " + d.Computed.Label("en")}
	case ov.Level.MoreUrgent(d.Computed):
		t = Text{NB: "Sykepleier hever til " + ov.Level.Label("nb"), EN: "The nurse raises to " + ov.Level.Label("en")}
	default:
		if !restsOnDefault {
			return &FieldError{Field: "override.level", Message: fmt.Sprintf("%s is below the computed %s, which rests on an affirmed criterion or a vitals rule; want %s", ov.Level, d.Computed, atLeast(d.Computed))}
		}
		if len(unanswered) > 0 {
			return &FieldError{Field: "override.level", Message: fmt.Sprintf("%s is below the computed %s while akutt or haster questions are not answered (%s); answer every one no first, or want %s", ov.Level, d.Computed, joinCodes(unanswered), atLeast(d.Computed))}
		}
		if ov.Reason == "" {
			return &FieldError{Field: "override.reason", Message: fmt.Sprintf("lowering %s to %s needs the nurse's written reason; want a non-empty reason", d.Computed, ov.Level)}
		}
		t = Text{NB: "Sykepleier senker til " + ov.Level.Label("nb"), EN: "The nurse lowers to " + ov.Level.Label("en")}
	}
	if ov.Reason != "" {
		t.NB += ": " + ov.Reason
		t.EN += ": " + ov.Reason
	}
	d.Level = ov.Level
	d.Override = &ov
	d.Reasons = append(d.Reasons, Reason{Source: ReasonNurse, Level: ov.Level, Text: t})
	return nil
}

// unansweredQuestions lists the akutt and haster questions of c asked at
// ageYears (QuestionsFor) whose answer is neither yes nor no.
func unansweredQuestions(c *Complaint, ageYears, ageMonths int, answers map[Code]Answer) []Code {
	var out []Code
	for _, q := range c.QuestionsAt(ageYears, ageMonths) {
		if answers[q.Code] == NotAsked {
			out = append(out, q.Code)
		}
	}
	return out
}

// Unanswered lists the akutt and haster questions of c asked at ageYears
// that call leaves unanswered (neither in Yes nor in No): an affirmed
// vanlig criterion and a lowering are refused while any is open.
func Unanswered(c *Complaint, ageYears int, call Call) []Code {
	answers := make(map[Code]Answer, len(call.Yes)+len(call.No))
	for _, y := range call.Yes {
		answers[y] = Yes
	}
	for _, n := range call.No {
		answers[n] = No
	}
	months := -1
	if call.AgeMonths != nil {
		months = *call.AgeMonths
	}
	return unansweredQuestions(c, ageYears, months, answers)
}

// joinCodes lists codes for messages.
func joinCodes(codes []Code) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.String()
	}
	return strings.Join(out, ", ")
}

// atLeast lists the levels at least as urgent as l, for messages.
func atLeast(l Level) string {
	var out []string
	for _, m := range Levels {
		if !l.MoreUrgent(m) {
			out = append(out, m.String())
		}
	}
	return strings.Join(out, " or ")
}

// codeList lists c's criterion codes of the given levels, for messages.
func codeList(c *Complaint, levels ...Level) string {
	var out []string
	for _, cr := range c.Criteria {
		if slices.Contains(levels, cr.Code.Level) {
			out = append(out, cr.Code.String())
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
