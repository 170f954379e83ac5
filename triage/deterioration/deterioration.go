// Package deterioration is the deterioration watch of the reception: a
// patient who is waiting and still on a monitor is re-scored as values
// arrive, and an alert asking for re-triage is raised on every clinical
// worsening over the last triage:
//
//   - the NEWS2 total rises by 2 or more, or the NEWS2 band crosses into a
//     higher band (RCP 2017 Chart 3 bands);
//   - a NEWS2 parameter newly scores 3 (RCP 2017: a single red score is an
//     urgent ward-based response trigger of its own);
//   - the engine newly fires a rule that gives red, or the engine's colour
//     becomes more urgent;
//   - a value the monitor delivers goes stale, or the monitor falls silent,
//     while the patient is continuously monitored (the watch is then blind,
//     which is a worsening of what is known).
//
// A patient has at most one open alert: a later worsening folds into it, so
// it always shows the latest reading. Acknowledging an alert is recorded
// with who, when and what was done.
//
// The package is pure: it holds no clock, does no I/O and starts no
// goroutines. Times come in with the readings and acknowledgements, so the
// same sequence of calls always gives the same alerts.
package deterioration

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
)

// Band is a NEWS2 clinical risk band, ordered so that a higher value is a
// higher risk. The zero value is BandUnknown: no band is claimed (an
// incomplete parameter set, or NEWS2 not applicable).
type Band uint8

// The NEWS2 bands (RCP 2017): low (0-4), low-medium (a single parameter
// scoring 3), medium (5-6) and high (7 or more).
const (
	BandUnknown Band = iota
	BandLow
	BandLowMedium
	BandMedium
	BandHigh
)

var bandNames = [...]string{"", "low", "low-medium", "medium", "high"}

// String returns the band's name as the engine writes it ("low",
// "low-medium", "medium", "high"), or "unknown".
func (b Band) String() string {
	if b == BandUnknown || int(b) >= len(bandNames) {
		return "unknown"
	}
	return bandNames[b]
}

// ParseBand reads a band name as the engine writes it. The empty string is
// BandUnknown (no band claimed).
func ParseBand(s string) (Band, error) {
	if s == "" {
		return BandUnknown, nil
	}
	for i, n := range bandNames {
		if i > 0 && n == s {
			return Band(i), nil
		}
	}
	return BandUnknown, fmt.Errorf("NEWS2 band %q: want one of low, low-medium, medium, high (or empty for none)", s)
}

// Reading is one NEWS2 result for a watched encounter.
type Reading struct {
	At    time.Time // when the values behind it were received (host time)
	Total int       // NEWS2 total, 0-20
	Band  Band      // BandUnknown when the set is incomplete
	// Complete is false when parameters are missing. The total of an
	// incomplete set is then a lower bound of the real total (a missing
	// parameter can only add points), so a rise in it is still a real rise;
	// but the band of an incomplete set is never compared.
	Complete bool
	// Threes are the NEWS2 parameters scoring 3 in this reading, by their
	// chart names ("rr", "spo2", "sbp", "hr", "consciousness", "temp",
	// "oxygen" never scores 3). A parameter not in the baseline's Threes
	// alerts (RCP 2017 Chart 3: a single parameter scoring 3 calls for an
	// urgent ward-based response).
	Threes []string
	// RedRules are the ids of the engine's rules that gave red in this
	// reading; one not in the baseline's alerts.
	RedRules []string
	// Colour is the engine's computed colour (before any override), compared
	// only when HasColour is set in both readings: more urgent alerts.
	Colour    triage.Colour
	HasColour bool
}

// FromAssessment is the reading of an engine assessment at at: the NEWS2
// total, band and completeness, the parameters scoring 3, the rules that
// gave red and the computed colour. It is the one place an assessment
// becomes a reading, for every front end.
func FromAssessment(a triage.Assessment, at time.Time) Reading {
	n := a.NEWS2
	r := Reading{At: at, Total: n.Total, Complete: n.Complete, Colour: a.Computed, HasColour: true}
	if n.Complete {
		// The engine's band names are the watch's (low ... high).
		if b, err := ParseBand(n.Band.String()); err == nil {
			r.Band = b
		}
	}
	for _, p := range []news2.Param{news2.ParamRR, news2.ParamSpO2, news2.ParamOxygen, news2.ParamSBP,
		news2.ParamHR, news2.ParamConsciousness, news2.ParamTemp} {
		if c := n.Components.Get(p); c.Present && c.Score == 3 {
			r.Threes = append(r.Threes, p.String())
		}
	}
	for _, x := range a.Reasons {
		if x.Colour == triage.Red && x.Field != "override" {
			r.RedRules = append(r.RedRules, x.Rule)
		}
	}
	return r
}

// MaxTotal is the highest NEWS2 total the chart can give.
const MaxTotal = 20

func (r Reading) validate() error {
	if r.Total < 0 || r.Total > MaxTotal {
		return fmt.Errorf("NEWS2 total %d: accepted range 0-%d", r.Total, MaxTotal)
	}
	if r.Band > BandHigh {
		return fmt.Errorf("NEWS2 band %d: accepted range %d-%d", r.Band, BandUnknown, BandHigh)
	}
	if r.At.IsZero() {
		return errors.New("reading time: must be set")
	}
	if r.HasColour && int(r.Colour) >= len(triage.Colours) {
		return fmt.Errorf("colour %d: accepted range 0-%d (red to blue)", r.Colour, len(triage.Colours)-1)
	}
	return nil
}

// Reason says why an alert was raised.
type Reason string

// The reasons an alert is raised; an alert may carry several, listed in
// this order.
const (
	ReasonRise     Reason = "news2-rise"     // the total rose by at least the configured rise
	ReasonBandUp   Reason = "band-up"        // the band crossed into a higher band
	ReasonThree    Reason = "single-three"   // a parameter newly scores 3
	ReasonRedRule  Reason = "red-rule"       // an engine rule newly gives red
	ReasonColourUp Reason = "colour-up"      // the engine's colour became more urgent
	ReasonStale    Reason = "monitor-stale"  // a monitored value went stale
	ReasonSilent   Reason = "monitor-silent" // the monitor fell silent
)

// reasonOrder is the stable order of reasons in an alert.
var reasonOrder = []Reason{ReasonRise, ReasonBandUp, ReasonThree, ReasonRedRule, ReasonColourUp, ReasonStale, ReasonSilent}

// Alert is a raised deterioration alert for one encounter.
type Alert struct {
	ID          string        // "<encounter>#<n>", n counting from 1 per encounter
	EncounterID ids.Encounter //
	Raised      time.Time     // the time of the reading that raised it
	Baseline    Reading       // the reading it is compared against (last triage, or the last alert)
	Reading     Reading       // the reading that raised it
	Reasons     []Reason      // why, in reasonOrder, gathered over every folded worsening
	// NewThrees, NewRedRules and Stale name what alerted: the parameters
	// newly scoring 3, the rules newly giving red, the monitored kinds gone
	// stale; Silent is set when the monitor fell silent.
	NewThrees   []string
	NewRedRules []string
	Stale       []string
	Silent      bool
	// Updates counts the later worsenings folded into this alert while it
	// was open (0: only the one that raised it).
	Updates int
	// Updated is the time of the latest worsening folded in (Raised if none).
	Updated time.Time
	Ack     *Ack // nil while unacknowledged
}

// Rise is how far the total rose over the baseline.
func (a Alert) Rise() int { return a.Reading.Total - a.Baseline.Total }

// Acknowledged reports whether someone has acknowledged the alert.
func (a Alert) Acknowledged() bool { return a.Ack != nil }

// Ack records who acknowledged an alert and when. Note is optional free text
// ("re-triaged", "doctor informed").
type Ack struct {
	AlertID     string
	EncounterID ids.Encounter
	By          string
	At          time.Time
	Note        string
}

// Config tunes the watch. The zero value is not usable; start from
// DefaultConfig.
type Config struct {
	// MinRise is the rise of the NEWS2 total over the baseline that raises
	// an alert. The issue and local practice use 2.
	MinRise int
}

// DefaultConfig is a rise of 2 or more.
func DefaultConfig() Config { return Config{MinRise: 2} }

// Watch holds the encounters being watched and their alerts. It is not safe
// for concurrent use; the UI owns one and calls it from one goroutine.
type Watch struct {
	cfg     Config
	tracked map[ids.Encounter]*tracked
	alerts  []*Alert
	byID    map[string]*Alert
	acks    []Ack
	seq     map[ids.Encounter]int // alerts raised so far per encounter, kept across Untrack
}

type tracked struct {
	baseline Reading // last triage, or the reading of the last alert
	last     Reading // last reading seen
	signal   Signal  // the monitor's last reported state
}

// Signal is the state of the monitor of a continuously monitored patient,
// reported by the front end as it sees it (every second or on a change).
type Signal struct {
	At time.Time
	// Stale are the kinds the monitor delivers whose latest value is older
	// than its limit (vitals.StalePolicy), by their vitals names.
	Stale []string
	// Silent is set when the monitor sends nothing: no data, disconnected.
	Silent bool
}

// ErrUnknownAlert is returned when acknowledging an alert id the watch never raised.
var ErrUnknownAlert = errors.New("unknown alert")

// ErrAlreadyAcknowledged is returned when an alert is acknowledged twice.
var ErrAlreadyAcknowledged = errors.New("alert already acknowledged")

// New returns an empty watch. A MinRise below 1 is an error, since it would
// alert on every reading.
func New(cfg Config) (*Watch, error) {
	if cfg.MinRise < 1 || cfg.MinRise > MaxTotal {
		return nil, fmt.Errorf("deterioration MinRise %d: accepted range 1-%d", cfg.MinRise, MaxTotal)
	}
	return &Watch{cfg: cfg, tracked: map[ids.Encounter]*tracked{}, byID: map[string]*Alert{}, seq: map[ids.Encounter]int{}}, nil
}

// Track starts (or restarts) watching an encounter: the patient is waiting
// and on a monitor, and baseline is the NEWS2 of the triage just made. A
// re-triage calls Track again with the new result, which becomes the new
// baseline; open alerts stay open until acknowledged.
func (w *Watch) Track(encounterID ids.Encounter, baseline Reading) error {
	if !encounterID.Valid() {
		return fmt.Errorf("track: encounter id %d: must be 1 or more", encounterID)
	}
	if err := baseline.validate(); err != nil {
		return fmt.Errorf("track %s baseline: %w", encounterID, err)
	}
	t, ok := w.tracked[encounterID]
	if !ok {
		t = &tracked{}
		w.tracked[encounterID] = t
	}
	t.baseline = baseline
	t.last = baseline
	return nil
}

// Untrack stops watching an encounter: the patient was called in, left, or
// was taken off the monitor. Its alerts are kept.
func (w *Watch) Untrack(encounterID ids.Encounter) { delete(w.tracked, encounterID) }

// Tracking reports whether an encounter is being watched.
func (w *Watch) Tracking(encounterID ids.Encounter) bool {
	_, ok := w.tracked[encounterID]
	return ok
}

// Baseline returns the reading an encounter is compared against.
func (w *Watch) Baseline(encounterID ids.Encounter) (Reading, bool) {
	t, ok := w.tracked[encounterID]
	if !ok {
		return Reading{}, false
	}
	return t.baseline, true
}

// Last returns the latest reading seen for a tracked encounter (the
// baseline until a reading arrives).
func (w *Watch) Last(encounterID ids.Encounter) (Reading, bool) {
	t, ok := w.tracked[encounterID]
	if !ok {
		return Reading{}, false
	}
	return t.last, true
}

// Observe compares a new reading of a tracked encounter with its baseline.
// It returns the alert when one is raised, or the patient's open alert when
// the worsening folds into it (raised is true for both: the alert changed).
// After an alert the reading that raised it becomes the baseline, so the
// same level does not alert again while a further worsening does.
// Readings of untracked encounters are ignored (no alert, no error).
func (w *Watch) Observe(encounterID ids.Encounter, r Reading) (Alert, bool, error) {
	if err := r.validate(); err != nil {
		return Alert{}, false, fmt.Errorf("observe %s: %w", encounterID, err)
	}
	t, ok := w.tracked[encounterID]
	if !ok {
		return Alert{}, false, nil
	}
	t.last = r
	reasons, threes, reds := w.compare(t.baseline, r)
	if len(reasons) == 0 {
		return Alert{}, false, nil
	}
	a := w.raise(encounterID, t.baseline, r, r.At, reasons)
	a.NewThrees = union(a.NewThrees, threes)
	a.NewRedRules = union(a.NewRedRules, reds)
	t.baseline = r
	return a.copy(), true, nil
}

// Report takes the monitor's state for a tracked encounter and raises (or
// folds into the open alert) when a monitored kind newly went stale or the
// monitor newly fell silent. A value that recovers and goes stale again
// alerts again. Reports of untracked encounters are ignored.
func (w *Watch) Report(encounterID ids.Encounter, s Signal) (Alert, bool, error) {
	if s.At.IsZero() {
		return Alert{}, false, fmt.Errorf("report %s: signal time: must be set", encounterID)
	}
	t, ok := w.tracked[encounterID]
	if !ok {
		return Alert{}, false, nil
	}
	prev := t.signal
	t.signal = Signal{At: s.At, Stale: slices.Clone(s.Stale), Silent: s.Silent}
	var reasons []Reason
	var newly []string
	for _, k := range s.Stale {
		if !slices.Contains(prev.Stale, k) {
			newly = append(newly, k)
		}
	}
	if len(newly) > 0 {
		reasons = append(reasons, ReasonStale)
	}
	if s.Silent && !prev.Silent {
		reasons = append(reasons, ReasonSilent)
	}
	if len(reasons) == 0 {
		return Alert{}, false, nil
	}
	a := w.raise(encounterID, t.baseline, t.last, s.At, reasons)
	a.Stale = union(a.Stale, newly)
	a.Silent = a.Silent || s.Silent
	return a.copy(), true, nil
}

// raise opens an alert for the encounter, or folds into its open one: one
// open alert per patient, showing the latest reading, its reasons the
// union of everything that alerted since it was raised.
func (w *Watch) raise(encounterID ids.Encounter, baseline, r Reading, at time.Time, reasons []Reason) *Alert {
	for _, a := range w.alerts {
		if a.EncounterID == encounterID && a.Ack == nil {
			a.Reading = r
			a.Reasons = mergeReasons(a.Reasons, reasons)
			a.Updates++
			a.Updated = at
			return a
		}
	}
	w.seq[encounterID]++
	a := &Alert{
		ID:          fmt.Sprintf("%s#%d", encounterID, w.seq[encounterID]),
		EncounterID: encounterID,
		Raised:      at,
		Updated:     at,
		Baseline:    baseline,
		Reading:     r,
		Reasons:     mergeReasons(nil, reasons),
	}
	w.alerts = append(w.alerts, a)
	w.byID[a.ID] = a
	return a
}

// copy returns the alert with its slices not shared with the watch.
func (a *Alert) copy() Alert {
	c := *a
	c.Reasons = slices.Clone(a.Reasons)
	c.NewThrees = slices.Clone(a.NewThrees)
	c.NewRedRules = slices.Clone(a.NewRedRules)
	c.Stale = slices.Clone(a.Stale)
	if a.Ack != nil {
		ack := *a.Ack
		c.Ack = &ack
	}
	return c
}

func mergeReasons(have, add []Reason) []Reason {
	var out []Reason
	for _, r := range reasonOrder {
		if slices.Contains(have, r) || slices.Contains(add, r) {
			out = append(out, r)
		}
	}
	return out
}

// union appends to have the names of add it does not hold yet.
func union(have, add []string) []string {
	for _, x := range add {
		if !slices.Contains(have, x) {
			have = append(have, x)
		}
	}
	return have
}

func (w *Watch) compare(base, r Reading) (reasons []Reason, threes, reds []string) {
	if r.Total-base.Total >= w.cfg.MinRise {
		reasons = append(reasons, ReasonRise)
	}
	// A band is compared only when both sets are complete: an incomplete
	// set claims no band, and "unknown" is not lower than "low".
	if base.Complete && r.Complete && base.Band != BandUnknown && r.Band > base.Band {
		reasons = append(reasons, ReasonBandUp)
	}
	for _, p := range r.Threes {
		if !slices.Contains(base.Threes, p) {
			threes = append(threes, p)
		}
	}
	if len(threes) > 0 {
		reasons = append(reasons, ReasonThree)
	}
	for _, id := range r.RedRules {
		if !slices.Contains(base.RedRules, id) {
			reds = append(reds, id)
		}
	}
	if len(reds) > 0 {
		reasons = append(reasons, ReasonRedRule)
	}
	if base.HasColour && r.HasColour && r.Colour.MoreUrgent(base.Colour) {
		reasons = append(reasons, ReasonColourUp)
	}
	return reasons, threes, reds
}

// Acknowledge records that a nurse has seen an alert. It is an error to
// acknowledge an unknown alert or one already acknowledged, so the record
// keeps the first (real) acknowledgement.
func (w *Watch) Acknowledge(alertID, by string, at time.Time, note string) (Ack, error) {
	a, ok := w.byID[alertID]
	if !ok {
		return Ack{}, fmt.Errorf("acknowledge %q: %w", alertID, ErrUnknownAlert)
	}
	if a.Ack != nil {
		return *a.Ack, fmt.Errorf("acknowledge %q (by %s at %s): %w", alertID, a.Ack.By, a.Ack.At.Format(time.RFC3339), ErrAlreadyAcknowledged)
	}
	if strings.TrimSpace(by) == "" {
		return Ack{}, fmt.Errorf("acknowledge %q: who acknowledges must be named", alertID)
	}
	if at.IsZero() {
		return Ack{}, fmt.Errorf("acknowledge %q: time must be set", alertID)
	}
	ack := Ack{AlertID: alertID, EncounterID: a.EncounterID, By: by, At: at, Note: note}
	a.Ack = &ack
	w.acks = append(w.acks, ack)
	return ack, nil
}

// Open returns the unacknowledged alerts, most severe first (highest band,
// then highest total, then oldest).
func (w *Watch) Open() []Alert {
	var out []Alert
	for _, a := range w.alerts {
		if a.Ack == nil {
			out = append(out, a.copy())
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ai, aj := out[i].Reading, out[j].Reading
		if ai.Band != aj.Band {
			return ai.Band > aj.Band
		}
		if ai.Total != aj.Total {
			return ai.Total > aj.Total
		}
		return out[i].Raised.Before(out[j].Raised)
	})
	return out
}

// Alerts returns every alert raised, in the order raised.
func (w *Watch) Alerts() []Alert {
	out := make([]Alert, len(w.alerts))
	for i, a := range w.alerts {
		out[i] = a.copy()
	}
	return out
}

// Acks returns every acknowledgement, in the order made.
func (w *Watch) Acks() []Ack { return append([]Ack(nil), w.acks...) }
