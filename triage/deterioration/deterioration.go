// Package deterioration is the deterioration watch of the reception: a
// patient who is waiting and still on a monitor is re-scored as values
// arrive, and when the NEWS2 total rises by 2 or more over the score of the
// last triage, or the NEWS2 band crosses into a higher band, an alert is
// raised that asks for re-triage. Acknowledging an alert is recorded with who
// and when.
//
// The package is pure: it holds no clock, does no I/O and starts no
// goroutines. Times come in with the readings and acknowledgements, so the
// same sequence of calls always gives the same alerts.
package deterioration

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
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
	return nil
}

// Reason says why an alert was raised.
type Reason string

// The reasons an alert is raised; an alert may carry both.
const (
	ReasonRise   Reason = "news2-rise" // the total rose by at least the configured rise
	ReasonBandUp Reason = "band-up"    // the band crossed into a higher band
)

// Alert is a raised deterioration alert for one encounter.
type Alert struct {
	ID          string    // "<encounter>#<n>", n counting from 1 per encounter
	EncounterID string    //
	Raised      time.Time // the time of the reading that raised it
	Baseline    Reading   // the reading it is compared against (last triage, or the last alert)
	Reading     Reading   // the reading that raised it
	Reasons     []Reason  // why, in a stable order: rise before band
	Ack         *Ack      // nil while unacknowledged
}

// Rise is how far the total rose over the baseline.
func (a Alert) Rise() int { return a.Reading.Total - a.Baseline.Total }

// Acknowledged reports whether someone has acknowledged the alert.
func (a Alert) Acknowledged() bool { return a.Ack != nil }

// Ack records who acknowledged an alert and when. Note is optional free text
// ("re-triaged", "doctor informed").
type Ack struct {
	AlertID     string
	EncounterID string
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
	tracked map[string]*tracked
	alerts  []*Alert
	byID    map[string]*Alert
	acks    []Ack
	seq     map[string]int // alerts raised so far per encounter, kept across Untrack
}

type tracked struct {
	baseline Reading // last triage, or the reading of the last alert
	last     Reading // last reading seen
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
	return &Watch{cfg: cfg, tracked: map[string]*tracked{}, byID: map[string]*Alert{}, seq: map[string]int{}}, nil
}

// Track starts (or restarts) watching an encounter: the patient is waiting
// and on a monitor, and baseline is the NEWS2 of the triage just made. A
// re-triage calls Track again with the new result, which becomes the new
// baseline; open alerts stay open until acknowledged.
func (w *Watch) Track(encounterID string, baseline Reading) error {
	if encounterID == "" {
		return errors.New("track: encounter id must be set")
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
func (w *Watch) Untrack(encounterID string) { delete(w.tracked, encounterID) }

// Tracking reports whether an encounter is being watched.
func (w *Watch) Tracking(encounterID string) bool {
	_, ok := w.tracked[encounterID]
	return ok
}

// Baseline returns the reading an encounter is compared against.
func (w *Watch) Baseline(encounterID string) (Reading, bool) {
	t, ok := w.tracked[encounterID]
	if !ok {
		return Reading{}, false
	}
	return t.baseline, true
}

// Last returns the latest reading seen for a tracked encounter (the
// baseline until a reading arrives).
func (w *Watch) Last(encounterID string) (Reading, bool) {
	t, ok := w.tracked[encounterID]
	if !ok {
		return Reading{}, false
	}
	return t.last, true
}

// Observe compares a new reading of a tracked encounter with its baseline.
// It returns the alert when one is raised. After an alert the reading that
// raised it becomes the baseline, so the same level does not alert again
// while a further rise of MinRise or a further band crossing does.
// Readings of untracked encounters are ignored (no alert, no error).
func (w *Watch) Observe(encounterID string, r Reading) (Alert, bool, error) {
	if err := r.validate(); err != nil {
		return Alert{}, false, fmt.Errorf("observe %s: %w", encounterID, err)
	}
	t, ok := w.tracked[encounterID]
	if !ok {
		return Alert{}, false, nil
	}
	t.last = r
	reasons := w.compare(t.baseline, r)
	if len(reasons) == 0 {
		return Alert{}, false, nil
	}
	w.seq[encounterID]++
	a := &Alert{
		ID:          fmt.Sprintf("%s#%d", encounterID, w.seq[encounterID]),
		EncounterID: encounterID,
		Raised:      r.At,
		Baseline:    t.baseline,
		Reading:     r,
		Reasons:     reasons,
	}
	w.alerts = append(w.alerts, a)
	w.byID[a.ID] = a
	t.baseline = r
	return *a, true, nil
}

func (w *Watch) compare(base, r Reading) []Reason {
	var reasons []Reason
	if r.Total-base.Total >= w.cfg.MinRise {
		reasons = append(reasons, ReasonRise)
	}
	// A band is compared only when both sets are complete: an incomplete
	// set claims no band, and "unknown" is not lower than "low".
	if base.Complete && r.Complete && base.Band != BandUnknown && r.Band > base.Band {
		reasons = append(reasons, ReasonBandUp)
	}
	return reasons
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
			out = append(out, *a)
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
		out[i] = *a
	}
	return out
}

// Acks returns every acknowledgement, in the order made.
func (w *Watch) Acks() []Ack { return append([]Ack(nil), w.acks...) }
