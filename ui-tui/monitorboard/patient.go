package monitorboard

import (
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// MonitorReading is one observation from a monitored patient's device
// (monitoring.Reading).
type MonitorReading = monitoring.Reading

// MonitorStatus is a device's connection state (monitoring.Status).
type MonitorStatus = monitoring.Status

// MonitorFeed delivers monitor readings and status changes
// (monitoring.Feed). Each channel is closed when the feed ends.
type MonitorFeed = monitoring.Feed

// NEWS2Result is the part of a NEWS2 score the monitor board shows.
type NEWS2Result struct {
	Total    int
	Band     string // low, low-medium, medium, high
	Complete bool   // false when parameters are missing; Missing names them
	Missing  []string
	// NotApplicable: the patient is outside NEWS2 (under 16, pregnant);
	// no total and no band.
	NotApplicable bool
}

// NEWS2Scorer scores the latest scorable observations of one patient.
type NEWS2Scorer interface {
	NEWS2(obs []vitals.Observation, now time.Time) (NEWS2Result, error)
}

// NEWS2ContextScorer scores a monitor's values together with the air or
// oxygen and the consciousness (ACVPU) the nurse recorded at the patient's
// last assessment, which a monitor cannot measure.
type NEWS2ContextScorer interface {
	NEWS2Assessed(obs []vitals.Observation, nc NEWS2Context, now time.Time) (NEWS2Result, error)
}

// NEWS2Context is the patient context of the last assessment that a
// monitor cannot see; zero values mean not recorded.
type NEWS2Context struct {
	Oxygen        news2.Oxygen
	Consciousness news2.ACVPU
	AgeDays       int
	AgeKnown      bool
	Pregnant      bool
	Scale2        news2.Scale2Decision
}

// MonitoredPatient is a waiting patient attached to a monitor of this
// workstation: the board shows the patient beside the monitor's values, the
// values are stored for the encounter, and the last assessment completes the
// monitor's NEWS2 and is the baseline of the deterioration watch.
type MonitoredPatient struct {
	Device      ids.Device // the monitor
	Location    string     // bed or room
	EncounterID ids.Encounter
	Label       string // as the queue shows the patient: name or temporary id
	Assessed    AssessedContext
	// Left says the encounter has left the queue (read from the store by
	// a reload): only then does the watch stop. A patient missing from the
	// queue this user sees may be outside the user's service (a walk-in on
	// a phone nurse's board), which says nothing about the patient.
	Left bool
}

// AssessedContext is what the patient's last assessment adds to the values
// of a monitor, which cannot see them: air or oxygen and consciousness
// (ACVPU), and the NEWS2 it scored, the baseline a rise is measured from.
type AssessedContext struct {
	At            time.Time // when the assessment was made; zero: none yet
	Oxygen        news2.Oxygen
	Consciousness news2.ACVPU
	// The rest of the assessment's NEWS2 context, which does not age: the
	// age and pregnancy that put a patient outside NEWS2, and a recorded
	// decision to use SpO2 scale 2.
	AgeDays  int
	AgeKnown bool
	Pregnant bool
	Scale2   news2.Scale2Decision
	// NEWS2 is the assessment's total, nil when it scored none (a phone
	// call, a child); Band its band name ("" for none).
	NEWS2 *int
	Band  string
}

// AssessedContextMaxAge is how long the air/oxygen and consciousness of an
// assessment are used to complete a monitor's NEWS2. An hour is the
// monitoring interval NEWS2 asks for at medium risk (RCP 2017, chart 2):
// older than that, the nurse has not looked at the patient as often as the
// chart requires, so the board goes back to the honest incomplete lower
// bound rather than assume nothing changed.
const AssessedContextMaxAge = time.Hour

// completes reports whether the assessment's context may complete a NEWS2
// scored at now: both parameters recorded, and the assessment recent.
func (c AssessedContext) completes(now time.Time) bool {
	if c.At.IsZero() || c.Oxygen == news2.OxygenUnknown || c.Consciousness == news2.ConsciousnessUnknown {
		return false
	}
	age := now.Sub(c.At)
	return age >= 0 && age <= AssessedContextMaxAge
}

// news2Context is what the assessment adds to a monitor's values scored
// at now: the age, pregnancy and scale 2 always, air/oxygen and ACVPU
// only while the assessment completes (completes).
func (c AssessedContext) news2Context(now time.Time) (NEWS2Context, bool) {
	nc := NEWS2Context{AgeDays: c.AgeDays, AgeKnown: c.AgeKnown, Pregnant: c.Pregnant, Scale2: c.Scale2}
	ok := c.completes(now)
	if ok {
		nc.Oxygen, nc.Consciousness = c.Oxygen, c.Consciousness
	}
	return nc, ok
}
