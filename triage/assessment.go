package triage

import (
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// Assessment is the engine's result: the colour with its target time, the
// NEWS2 score, every rule that fired with the value it fired on, what was
// left out and why, and the versions that produced it. It is plain data and
// serialises to JSON for the store and the UIs.
type Assessment struct {
	// At is the assessment time (the now given to Assess).
	At time.Time `json:"at"`
	// Colour is the final colour: Computed, or the nurse's override.
	Colour        Colour `json:"colour"`
	TargetMinutes int    `json:"target_minutes"`
	// Computed is the colour the rules gave, before any override.
	Computed Colour          `json:"computed_colour"`
	Override *OverrideRecord `json:"override,omitempty"`
	// AgeGroup is the rule set's age group used (e.g. "adult", "infant-0-2m").
	AgeGroup string       `json:"age_group"`
	NEWS2    news2.Result `json:"news2"`
	// Reasons are the rules that fired, most urgent first, then by rule id.
	Reasons []Reason `json:"reasons"`
	// Notes explain context decisions (age unknown, scale 2 refused, ...).
	Notes []Note `json:"notes"`
	// Used are the values scored, per kind, with their source and age.
	Used []Used `json:"used"`
	// LeftOut are observations not scored, with why.
	LeftOut []LeftOut `json:"left_out"`

	EngineVersion string `json:"engine_version"`
	RulesVersion  string `json:"rules_version"`
	RulesDigest   string `json:"rules_digest"`
	// TargetsMinutes are the target times per colour (red … blue) in force,
	// so that an override can restate the target without the engine.
	TargetsMinutes [5]int `json:"targets_minutes"`
}

// Reason is one rule that fired.
type Reason struct {
	Rule  string `json:"rule"`  // rule id in the rule set, e.g. "adult.hr.red.high"
	Field string `json:"field"` // the input it looked at: hr, spo2, complaint, news2, ...
	Value string `json:"value"` // the (quantised) value it fired on, as text
	// Effect in words: "at least orange", "raised to red", "lowered to green".
	Effect string `json:"effect"`
	Colour Colour `json:"colour"`
	// Threshold is the rule as written ("> 130 /min"); Source is the rule
	// set's source key, cited in the rule set's sources.
	Threshold string `json:"threshold,omitempty"`
	Source    string `json:"source,omitempty"`
	// Label names a coded value for people (a complaint's or finding's
	// text from the rule set, in bokmål and English); nil when the value
	// is a number or needs no name.
	Label *news2.Text `json:"label,omitempty"`
	// Change is how the rule moves the colour (at least, raised to,
	// lowered to); Detail is the value as data. Text words both in the
	// nurse's language; Value and Effect keep the engine's English words
	// for the record.
	Change Change  `json:"change,omitempty"`
	Detail *Detail `json:"detail,omitempty"`
}

// Note is a context decision the nurse should see, in bokmål and English.
type Note struct {
	Code string     `json:"code"`
	Text news2.Text `json:"text"`
}

// Used is one value that entered scoring.
type Used struct {
	Kind  vitals.Kind `json:"kind"`
	Value float64     `json:"value"` // in the canonical unit
	Unit  vitals.Unit `json:"unit"`
	// Raw and RawUnit are as received, when a unit was converted.
	Raw      float64       `json:"raw"`
	RawUnit  vitals.Unit   `json:"raw_unit"`
	Source   string        `json:"source"`
	HostTime time.Time     `json:"t"`
	Age      time.Duration `json:"age_ns"`
}

// LeftOut is an observation that was not scored.
type LeftOut struct {
	Observation vitals.Observation `json:"observation"`
	// Why is one of the Why* constants.
	Why    string `json:"why"`
	Detail string `json:"detail"`
}

// Why an observation was left out (LeftOut.Why).
const (
	WhyStale          = "stale"             // older than its maximum age
	WhyQuestionable   = "questionable"      // quality questionable
	WhyInvalid        = "invalid"           // quality invalid
	WhyDemo           = "demo"              // simulated, outside demo mode
	WhyOutOfRange     = "out_of_range"      // outside vitals.ValidRange
	WhyUnit           = "unit"              // unit not convertible to the kind's
	WhyUnknownKind    = "unknown_kind"      // not a vital kind
	WhySBPNotAboveDBP = "sbp_not_above_dbp" // a device's systolic at or below its diastolic
)

// OverrideRecord is the nurse's change of the computed colour.
type OverrideRecord struct {
	From      Colour `json:"from"`
	To        Colour `json:"to"`
	Direction string `json:"direction"` // "raise" or "lower"
	Reason    string `json:"reason"`
}

// ReasonFor returns the first reason whose rule id is id.
func (a *Assessment) ReasonFor(id string) (Reason, bool) {
	for _, r := range a.Reasons {
		if r.Rule == id {
			return r, true
		}
	}
	return Reason{}, false
}
