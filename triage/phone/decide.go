package phone

import (
	"fmt"
	"slices"
)

// VitalsFinding is what the main triage engine concluded from the vitals
// the caller reported by phone (home thermometer, blood-pressure cuff,
// pulse oximeter; observations with source vitals.SourcePhone). The caller
// of Decide fills it from the engine's Assessment, so this package stays
// free of the engine.
type VitalsFinding struct {
	// Assessed is true when reported vitals were scored at all.
	Assessed bool `json:"assessed"`
	// Colour is the engine's colour name ("red", "orange", ...), kept for
	// the record and the screen.
	Colour string `json:"colour,omitempty"`
	// Red is true when the engine called the vitals red: the call is akutt.
	Red bool `json:"red"`
	// Orange is true when the engine called them orange: the call is at
	// least haster (our choice; orange's 10-minute target means "assessed by
	// a doctor without delay", the NIMN definition of haster).
	Orange bool `json:"orange"`
	// Reasons are the engine's rules that fired, worded for the screen in
	// both languages (triage.Reason.Text).
	Reasons []Text `json:"reasons,omitempty"`
}

// Reason says why a decision has its level.
type Reason struct {
	// Source is "criterion" (a criterion the nurse ticked), "vitals" (the
	// engine on reported vitals) or "default" (no criterion met).
	Source string `json:"source"`
	Code   Code   `json:"code,omitzero"`
	Level  Level  `json:"level"`
	Text   Text   `json:"text"`
}

// Reason sources.
const (
	ReasonCriterion = "criterion"
	ReasonVitals    = "vitals"
	ReasonDefault   = "default"
	ReasonNurse     = "nurse" // the nurse raised the level
)

// Decision is the outcome of one phone assessment: the level, the criteria
// that set it and why, and the index it was made with.
type Decision struct {
	Level         Level         `json:"level"`
	Complaint     string        `json:"complaint"` // complaint id
	Codes         []Code        `json:"codes"`     // criteria met, or the default
	Reasons       []Reason      `json:"reasons"`
	Vitals        VitalsFinding `json:"vitals"`
	IndexID       string        `json:"index_id"`
	IndexVersion  string        `json:"index_version"`
	Demonstration bool          `json:"demonstration"`
	// Computed is the level the criteria and vitals gave; Level differs
	// from it only when the nurse raised it (Raise).
	Computed Level `json:"computed"`
}

// Raise returns d with its level raised to to by the nurse (clinical
// concern, what the caller sounds like), recorded as a nurse reason with
// the nurse's words. A phone level is only ever raised: to must be more
// urgent than the computed level, and raising again replaces the earlier
// raise. Raise(d, d.Computed, "") takes a raise back.
func Raise(d Decision, to Level, reason string) (Decision, error) {
	if int(to) >= len(levelNames) {
		return d, fmt.Errorf("phone raise: level %d out of range 0-2", uint8(to))
	}
	out := d
	out.Reasons = slices.DeleteFunc(slices.Clone(d.Reasons), func(r Reason) bool { return r.Source == ReasonNurse })
	out.Level = d.Computed
	if to == d.Computed {
		return out, nil
	}
	if !to.MoreUrgent(d.Computed) {
		return d, fmt.Errorf("phone raise: %s is not more urgent than the computed %s; a phone level is only raised", to, d.Computed)
	}
	out.Level = to
	t := Text{NB: "Sykepleiers vurdering", EN: "The nurse's judgement"}
	if reason != "" {
		t.NB += ": " + reason
		t.EN += ": " + reason
	}
	out.Reasons = append([]Reason{{Source: ReasonNurse, Level: to, Text: t}}, out.Reasons...)
	return out, nil
}

// Actions lists what the nurse does now for d's level.
func (d Decision) Actions(lang string) []string { return d.Level.Actions(lang) }

// Decide combines the criteria answered yes for complaint c of index ix with
// the engine's finding on reported vitals. The level is the most urgent of
// the ticked criteria and the vitals (red makes akutt, orange at least
// haster); with neither it is vanlig under the complaint's default
// criterion. A code that is not one of c's akutt or haster criteria is an
// error naming the code, and nothing is decided.
func Decide(ix *Index, c *Complaint, yes []Code, v VitalsFinding) (Decision, error) {
	if ix == nil || c == nil {
		return Decision{}, fmt.Errorf("phone decision: no index or complaint")
	}
	d := Decision{
		Level:         Vanlig,
		Complaint:     c.ID,
		Vitals:        v,
		IndexID:       ix.ID,
		IndexVersion:  ix.Version,
		Demonstration: ix.Demonstration,
	}
	seen := map[Code]bool{}
	for _, code := range yes {
		cr, ok := c.Criterion(code)
		if !ok {
			return Decision{}, fmt.Errorf("phone decision: criterion %s is not in complaint %q (chapter %02d)", code, c.ID, c.Chapter)
		}
		if code.Level == Vanlig {
			return Decision{}, fmt.Errorf("phone decision: criterion %s is a vanlig criterion and is not asked; want an A or H criterion of %q", code, c.ID)
		}
		if seen[code] {
			continue
		}
		seen[code] = true
		d.Codes = append(d.Codes, code)
		d.Reasons = append(d.Reasons, Reason{Source: ReasonCriterion, Code: code, Level: code.Level, Text: cr.Text})
		d.Level = MostUrgent(d.Level, code.Level)
	}
	if v.Red {
		d.Level = Akutt
		d.Reasons = append(d.Reasons, Reason{Source: ReasonVitals, Level: Akutt, Text: vitalsText(v, "RØD", "RED")})
	} else if v.Orange {
		d.Level = MostUrgent(d.Level, Haster)
		d.Reasons = append(d.Reasons, Reason{Source: ReasonVitals, Level: Haster, Text: vitalsText(v, "ORANSJE", "ORANGE")})
	}
	if len(d.Codes) == 0 && d.Level == Vanlig {
		def, _ := c.Criterion(c.Default)
		d.Codes = []Code{c.Default}
		d.Reasons = append(d.Reasons, Reason{Source: ReasonDefault, Code: c.Default, Level: Vanlig, Text: def.Text})
	}
	// Most urgent reasons first, stable within a level.
	slices.SortStableFunc(d.Reasons, func(a, b Reason) int { return int(a.Level) - int(b.Level) })
	d.Computed = d.Level
	return d, nil
}

func vitalsText(v VitalsFinding, nb, en string) Text {
	t := Text{
		NB: "Innringers målinger vurdert " + nb + " av triagemotoren",
		EN: "The caller's reported vitals scored " + en + " by the triage engine",
	}
	for _, r := range v.Reasons {
		t.NB += "; " + r.In("nb")
		t.EN += "; " + r.In("en")
	}
	return t
}
