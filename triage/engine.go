package triage

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/vitals"
)

// EngineVersion is written into every Assessment. It changes whenever the
// engine's evaluation (not the rule data) changes.
const EngineVersion = "1.0.0"

// Engine assesses inputs against one rule set. It holds no mutable state:
// one Engine may be shared by any number of goroutines.
type Engine struct {
	rules   *rules.Set
	targets Targets
	stale   vitals.StalePolicy
	demo    bool
}

// Option configures an Engine.
type Option func(*Engine)

// WithTargets sets the target time per colour (default DefaultTargets).
func WithTargets(t Targets) Option { return func(e *Engine) { e.targets = t } }

// WithStalePolicy sets the maximum observation ages (default
// vitals.DefaultStalePolicy).
func WithStalePolicy(p vitals.StalePolicy) Option { return func(e *Engine) { e.stale = p } }

// WithDemoValues marks a demo session (`triage-desk --demo`, `make demo`):
// observations of quality "demo" (from simulators) are scored as if valid.
// Every result then carries one demo note that says exactly what is true:
// "demo_values" when a simulated value is among the values the result used,
// else "demo_session" (training data, all values from real sources such as
// the nurse's hand). Never use it with real patients.
func WithDemoValues() Option { return func(e *Engine) { e.demo = true } }

// NewEngine returns an engine for rs (rules.Default() when nil).
func NewEngine(rs *rules.Set, opts ...Option) *Engine {
	if rs == nil {
		rs = rules.Default()
	}
	e := &Engine{rules: rs, targets: DefaultTargets(), stale: vitals.DefaultStalePolicy()}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Rules returns the engine's rule set (read-only).
func (e *Engine) Rules() *rules.Set { return e.rules }

// Targets returns the target times in force.
func (e *Engine) Targets() Targets { return e.targets }

// scored is the value chosen for one kind.
type scored struct {
	ok    bool
	obs   vitals.Observation // normalised
	raw   vitals.Observation // as received
	plain bool               // typed by the nurse for this assessment
}

// kinds the engine scores, in a fixed order for Used.
var scoredKinds = [...]vitals.Kind{vitals.RR, vitals.SpO2, vitals.SBP, vitals.DBP, vitals.HR, vitals.PR, vitals.Temp}

func kindIndex(k vitals.Kind) int {
	for i, x := range scoredKinds {
		if x == k {
			return i
		}
	}
	return -1
}

// Assess scores in at now. Bad context or plain numbers give an
// *InputError; bad observations are left out and listed, never refused, so
// that one glitch from a monitor does not block a triage. The same input,
// now and rule set always give the same Assessment.
func (e *Engine) Assess(in Input, now time.Time) (Assessment, error) {
	if now.IsZero() {
		// Without a clock every observation would look fresh.
		return Assessment{}, &InputError{Field: "now", Message: "the assessment time is not set"}
	}
	if err := e.validate(&in); err != nil {
		return Assessment{}, err
	}
	a := Assessment{
		At:            now,
		EngineVersion: EngineVersion,
		RulesVersion:  e.rules.Name(),
		RulesDigest:   e.rules.Digest,
		// Sized for a typical assessment so appends do not regrow.
		Reasons: make([]Reason, 0, 8),
		Notes:   []Note{},
		Used:    make([]Used, 0, len(scoredKinds)),
		LeftOut: []LeftOut{},
	}
	for i, d := range e.targets {
		a.TargetsMinutes[i] = int(d / time.Minute)
	}

	chosen := e.choose(&in, now, &a)

	// Build the NEWS2 input. Pulse is the HR (ECG or monitor) when there is
	// one, else the pulse rate from oximetry or NIBP.
	measure := func(k vitals.Kind) news2.Measure {
		s := chosen[kindIndex(k)]
		if !s.ok {
			return news2.Measure{}
		}
		return news2.Of(s.obs.Value)
	}
	pulse := measure(vitals.HR)
	if !pulse.Present {
		pulse = measure(vitals.PR)
	}
	ni := news2.Input{
		AgeDays: in.AgeDays, AgeKnown: in.AgeKnown, Pregnant: in.Pregnant,
		RR: measure(vitals.RR), SpO2: measure(vitals.SpO2), SBP: measure(vitals.SBP),
		HR: pulse, TempC: measure(vitals.Temp),
		Oxygen: in.Oxygen, Consciousness: in.Consciousness,
	}
	switch {
	case in.Scale2 == (news2.Scale2Decision{}):
	case !in.Scale2.Recorded():
		a.Notes = append(a.Notes, noteScale2Unrecorded)
	case in.Scale2.At.After(now):
		a.Notes = append(a.Notes, noteScale2Future)
	default:
		ni.Scale2 = in.Scale2
	}
	a.NEWS2 = news2.Score(ni)
	if a.NEWS2.Scale == 2 && a.NEWS2.Applicable {
		a.Notes = append(a.Notes, noteScale2)
	}

	group := e.rules.Group(in.AgeDays, in.AgeKnown)
	a.AgeGroup = group.ID
	if !in.AgeKnown {
		a.Notes = append(a.Notes, noteAgeUnknown)
	}
	if e.demo {
		a.Notes = append(a.Notes, demoNote(&chosen))
	}

	e.evaluate(&in, ni, group, &a)

	a.Computed = colourOf(e.rules.Baseline.Level)
	for _, r := range a.Reasons {
		a.Computed = MostUrgent(a.Computed, r.Colour)
	}
	if len(a.Reasons) == 0 {
		// Nothing raised the colour: say so, so that no result is unexplained.
		x := reason(e.rules.Baseline.ID, "rules", "no rule fired", e.rules.Baseline.Level, "", e.rules.Baseline.Source)
		x.Detail = &Detail{NoRule: true}
		a.Reasons = append(a.Reasons, x)
	}
	sortReasons(a.Reasons)
	a.Colour = a.Computed
	a.TargetMinutes = a.TargetsMinutes[a.Colour]
	return a, nil
}

// choose picks, per kind, the most recent usable observation. Plain numbers
// are manual observations made at now and always win: the nurse typed them
// for this assessment, and an observation stamped in the future (a host
// clock stepped back) must not displace them.
func (e *Engine) choose(in *Input, now time.Time, a *Assessment) [len(scoredKinds)]scored {
	var chosen [len(scoredKinds)]scored
	consider := func(o vitals.Observation, plain bool) {
		raw := o
		if !o.Kind.Valid() {
			a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: WhyUnknownKind, Detail: fmt.Sprintf("kind %q is not a vital kind", o.Kind)})
			return
		}
		switch o.Quality {
		case vitals.Valid:
		case vitals.Demo:
			if !e.demo {
				a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: WhyDemo, Detail: "simulated value; not scored outside demo mode"})
				return
			}
		default:
			a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: o.Quality.String(), Detail: "quality " + o.Quality.String() + "; only valid values are scored"})
			return
		}
		n, err := vitals.Normalise(o)
		if err != nil {
			a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: WhyUnit, Detail: err.Error()})
			return
		}
		if r, _ := vitals.ValidRange(n.Kind); !r.Contains(n.Value) {
			a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: WhyOutOfRange,
				Detail: fmt.Sprintf("%s %s %s is outside %s", n.Kind, formatNumber(n.Value), n.Unit, r)})
			return
		}
		if e.stale.Stale(o, now) {
			detail := fmt.Sprintf("%s old, limit %s for source %q", o.Age(now).Round(time.Second), e.stale.MaxAge(o), o.Source)
			if o.Age(now) < 0 {
				detail = fmt.Sprintf("stamped %s in the future (clocks disagree), limit %s for source %q", (-o.Age(now)).Round(time.Second), e.stale.MaxAge(o), o.Source)
			}
			a.LeftOut = append(a.LeftOut, LeftOut{Observation: raw, Why: WhyStale, Detail: detail})
			return
		}
		i := kindIndex(n.Kind)
		if i < 0 {
			return // a valid kind the engine does not score (map, etco2)
		}
		c := &chosen[i]
		if !c.ok || plain || (!c.plain && !n.HostTime.Before(c.obs.HostTime)) {
			*c = scored{ok: true, obs: n, raw: raw, plain: plain}
		}
	}
	for _, o := range in.Observations {
		consider(o, false)
	}
	for _, p := range in.plain() {
		if p.m.Present {
			consider(vitals.Observation{Kind: p.kind, Value: p.m.Value, Unit: vitals.CanonicalUnit(p.kind),
				Source: vitals.SourceManual, HostTime: now, Quality: vitals.Valid}, true)
		}
	}
	// A device's systolic at or below its own diastolic is a failed
	// measurement: leave both out. Values from different measurements (a
	// plain number and a device value, or two sources) are not a pair and
	// are not compared: a nurse's systolic must not be discarded because of
	// an older diastolic from a monitor (plain pairs were checked earlier).
	sbp, dbp := &chosen[kindIndex(vitals.SBP)], &chosen[kindIndex(vitals.DBP)]
	if sbp.ok && dbp.ok && !sbp.plain && !dbp.plain && sbp.obs.Source == dbp.obs.Source &&
		news2.QuantiseInt(sbp.obs.Value) <= news2.QuantiseInt(dbp.obs.Value) {
		detail := fmt.Sprintf("systolic %s not above diastolic %s mm[Hg]", formatNumber(sbp.obs.Value), formatNumber(dbp.obs.Value))
		a.LeftOut = append(a.LeftOut, LeftOut{Observation: sbp.raw, Why: WhySBPNotAboveDBP, Detail: detail},
			LeftOut{Observation: dbp.raw, Why: WhySBPNotAboveDBP, Detail: detail})
		sbp.ok, dbp.ok = false, false
	}
	for _, c := range chosen {
		if c.ok {
			a.Used = append(a.Used, Used{Kind: c.obs.Kind, Value: c.obs.Value, Unit: c.obs.Unit, Raw: c.raw.Value, RawUnit: c.raw.Unit,
				Source: c.obs.Source, HostTime: c.obs.HostTime, Age: c.obs.Age(now)})
		}
	}
	return chosen
}

// demoNote is the demo session's note for a result whose chosen values are
// chosen: "demo_values" only when one of them came from a simulator (quality
// demo); a demo session scored from hand-typed or real device values is
// training data but has no simulated value to warn about.
func demoNote(chosen *[len(scoredKinds)]scored) Note {
	for _, c := range chosen {
		if c.ok && c.raw.Quality == vitals.Demo {
			return noteDemoValues
		}
	}
	return noteDemoSession
}

// colourOf converts a rule-set level to a Colour: the same order by
// construction (TestLevelsMatchColours holds them together).
func colourOf(l rules.Level) Colour { return Colour(l) }

func sortReasons(rs []Reason) {
	slices.SortStableFunc(rs, func(a, b Reason) int {
		if c := cmp.Compare(a.Colour, b.Colour); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
}
