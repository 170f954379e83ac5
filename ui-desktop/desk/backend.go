// Package desk builds the screens of the reception desktop (triage-desk):
// registration, the triage form with live monitor vitals, the waiting
// board, the deterioration alert with re-triage, the vitals trend, the ECG
// strip and the always-visible device status. It never imports
// fyne.io/fyne/v2/app, so its tests run headless with fyne's test driver
// and without cgo.
//
// The screens talk to the engine, the store, the devices and the ECG
// analyser through the small interfaces in this file; package
// ui-desktop/wire adapts the real packages to them, and the tests use fakes.
package desk

import (
	"context"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// FormInput is what the triage form holds when it asks for a score: the
// latest observation of each kind (from the monitor and typed by hand,
// stale ones included: the scorer decides what it leaves out) and the
// nurse's own findings.
type FormInput struct {
	Lang     i18n.Lang // language of the reasons in the Result
	AgeYears int
	AgeKnown bool
	// AgeDays, when AgeDaysKnown, is the age in whole days and is scored
	// instead of AgeYears: an infant's age in months or days, or the exact
	// age an earlier triage recorded.
	AgeDays      int
	AgeDaysKnown bool
	// Pregnant (or recently given birth) puts the patient outside NEWS2.
	Pregnant bool
	// Scale2 is a clinician's recorded decision to use SpO2 scale 2 (who and
	// when); the zero value is none.
	Scale2        news2.Scale2Decision
	Observations  []vitals.Observation
	Consciousness string // "A", "C", "V", "P", "U" or "" when not assessed
	Oxygen        bool   // on supplemental oxygen
	OxygenKnown   bool
	NurseConcern  bool
	Complaint     string
}

// Result is a scored form, worded for the screen.
type Result struct {
	NEWS2Applicable bool
	NEWS2Complete   bool
	NEWS2Total      int
	NEWS2Band       string   // "low", "low-medium", "medium", "high" or ""
	Missing         []string // parameters missing from NEWS2
	NotApplicable   string   // why NEWS2 does not apply, worded
	Colour          triage.Colour
	Target          time.Duration
	Monitoring      time.Duration // NEWS2 minimum monitoring interval, 0 if none
	Reasons         []string      // the rules that fired, worded in FormInput.Lang
	Stale           []vitals.Kind // observations left out because they were too old
	// Overridden is set when the nurse changed the colour; From is the
	// engine's colour and OverrideReason the written reason.
	Overridden     bool
	From           triage.Colour
	OverrideReason string
	// Record is the engine's own assessment, handed back to the store as
	// is; nil from a scorer that is not the engine (the tests' fakes).
	Record *triage.Assessment
	// Lang is the language the reasons are worded in.
	Lang string
	// Threes are the NEWS2 parameters scoring 3 and RedRules the ids of the
	// rules that gave red, for a scorer whose Record is not the engine's
	// assessment (the watch reads those from the assessment itself).
	Threes   []string
	RedRules []string
}

// Scorer is the triage engine as the screens use it.
type Scorer interface {
	// Score assesses the form at now. An error names the field at fault
	// (a physiologically impossible value) and is shown beside the form.
	Score(in FormInput, now time.Time) (Result, error)
	// Override sets the colour to to: raising is free, lowering needs a
	// non-empty written reason, else an error.
	Override(r Result, to triage.Colour, reason string) (Result, error)
}

// Registration is a patient arriving.
type Registration struct {
	// NID is the validated 11-digit identity number; "" registers an
	// unknown patient, for whom the store draws a temporary id.
	NID      string
	Name     string
	AgeYears int
	AgeKnown bool
	// Sex is the sex the nurse chose for an unknown patient (the identity
	// number's wins when there is one); 0 when not chosen.
	Sex     patient.Sex
	Arrived time.Time
	Channel string // "walk_in", "phone" or "ambulance"
}

// Encounter is one registered visit as the screens refer to it, with the
// patient context the triage form starts from.
type Encounter struct {
	ID       ids.Encounter
	Patient  string // display name or temporary id
	AgeYears int
	AgeKnown bool
	// AgeDays, when AgeDaysKnown, is the exact age in days (from an
	// earlier triage's record); it wins over AgeYears.
	AgeDays      int
	AgeDaysKnown bool
	AgeFrom      AgeSource
	Arrived      time.Time
	// Pregnant and Scale2 are the context of the latest triage, carried
	// into a re-triage.
	Pregnant bool
	Scale2   news2.Scale2Decision
	// Sex (from the identity number, or chosen at registration) and TempID
	// (an unknown patient's temporary id) tell patients apart at a glance;
	// zero when not known.
	Sex    patient.Sex
	TempID string
	// PrefilledFrom is when the latest triage whose input gave the age,
	// pregnancy or scale 2 decision was made; zero when none did. The form
	// tells the nurse these are prefilled and to check them.
	PrefilledFrom time.Time
	// Colour is the patient's current colour (the latest triage's, its
	// override's when it had one) when Triaged. A save that would lower it
	// asks for a written reason (formScreen.lowering).
	Colour  triage.Colour
	Triaged bool
}

// AgeSource says where an encounter's age came from.
type AgeSource string

// Where an age can come from.
const (
	AgeUnknown        AgeSource = ""             // nobody has recorded it: the form asks
	AgeFromNID        AgeSource = "nid"          // the identity number's birth date
	AgeFromRegistered AgeSource = "registration" // typed at registration
	AgeFromTriage     AgeSource = "triage"       // the latest triage's stored input
)

// Saved is a triage to store.
type Saved struct {
	Encounter    Encounter
	Input        FormInput
	Result       Result
	Observations []vitals.Observation
	By           string
	At           time.Time
	// IncompleteChosen records that NEWS2 was incomplete and the nurse,
	// asked, chose to save it so.
	IncompleteChosen bool
	// Lowered, when not nil, records that this triage lowers the
	// patient's colour and the nurse's written reason for it.
	Lowered *Lowering
}

// Lowering is a saved colour less urgent than the patient's current one,
// with the reason the nurse wrote. Incomplete and Missing record that the
// new colour came from an incomplete NEWS2 (a lower bound) and what was
// missing.
type Lowering struct {
	From, To   triage.Colour
	Reason     string
	Incomplete bool
	Missing    []string
}

// Store is the patient store as the screens use it.
type Store interface {
	Register(ctx context.Context, r Registration) (Encounter, error)
	SaveTriage(ctx context.Context, s Saved) error
	// AppendQueue appends the open encounters in queue order at now to
	// dst and returns it (dst unchanged on error); the board passes its
	// previous entries so that a re-read does not allocate.
	AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error)
	// Encounter looks one up (for re-triage from the board).
	Encounter(ctx context.Context, id ids.Encounter) (Encounter, error)
	// Changes delivers a value whenever the queue changed, on this or
	// another workstation; it closes when ctx ends.
	Changes(ctx context.Context) (<-chan struct{}, error)
	AddObservations(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error
	// Observations returns an encounter's observations since a time, for
	// the trend (including those other workstations recorded).
	Observations(ctx context.Context, encounterID ids.Encounter, since time.Time) ([]vitals.Observation, error)
	// RecordAck writes an acknowledged deterioration alert to the shared
	// record (audited), where every workstation on the queue sees it.
	RecordAck(ctx context.Context, ack Acknowledgement) error
	// Acks returns an encounter's recorded acknowledgements, oldest first,
	// from every workstation.
	Acks(ctx context.Context, encounterID ids.Encounter) ([]Acknowledgement, error)
}

// Acknowledgement is an acknowledged deterioration alert as it is
// recorded: who and when, the encounter and alert, the NEWS2 total and band
// before (the comparison point) and after (the alerting reading), and
// whether the nurse went on to re-triage.
type Acknowledgement struct {
	EncounterID ids.Encounter
	AlertID     string // the watch's alert id, "<encounter>#<n>"
	By          string
	Workstation string // where it was acknowledged; filled when read back
	At          time.Time
	NEWS2Before int
	NEWS2After  int
	BandBefore  string // "low", "low-medium", "medium", "high", or "" when no band was claimed
	BandAfter   string
	Retriage    bool   // the nurse chose re-triage rather than acknowledge only
	Note        string // optional free text
}

// MonitorKind says where a monitor choice comes from.
type MonitorKind string

// The three kinds of monitor the form offers.
const (
	MonitorConfigured MonitorKind = "configured" // in the workstation's device file
	MonitorPort       MonitorKind = "port"       // a serial port found on the machine
	MonitorSimulator  MonitorKind = "simulator"  // a running simulator (demo, training)
)

// MonitorChoice is one monitor the nurse can pick.
type MonitorChoice struct {
	Kind     MonitorKind
	ID       string // device id, used as the observations' source
	Location string // bed or room, "" if unknown
	Path     string // serial port or pseudo-terminal path
	Profile  string // protocol profile name
}

// DeviceState is a device's link state, as the devices layer reports it.
type DeviceState string

// The link states.
const (
	StateConnecting   DeviceState = "connecting"
	StateLive         DeviceState = "live"
	StateNoData       DeviceState = "no_data"
	StateDisconnected DeviceState = "disconnected"
)

// DeviceStatus is one status change of a device.
type DeviceStatus struct {
	State DeviceState
	Hint  string // what the devices layer suggests checking, may be ""
	At    time.Time
}

// Feed is a connected monitor.
type Feed interface {
	Observations() <-chan vitals.Observation
	Waves() <-chan vitals.Wave
	Status() <-chan DeviceStatus
	Close() error
}

// Monitors lists and opens monitors.
type Monitors interface {
	List(ctx context.Context) ([]MonitorChoice, error)
	Open(ctx context.Context, m MonitorChoice) (Feed, error)
}

// ECGReading is what the ECG analyser made of one block of samples.
type ECGReading struct {
	// Beats are the beats found while pushing this block, as indexes
	// relative to the block's first sample: a detector reports a beat a
	// little late, so an index may be negative (a beat in the block before).
	Beats    []int
	HR       float64 // heart rate over the analyser's window, /min
	HROK     bool    // false when no beat was found for too long: never shown as 0
	AF       bool    // irregular rhythm, suspected atrial fibrillation
	LeadsOff bool
	Noisy    bool
	// HRObs is the ECG heart rate as an observation (source "ecg"), nil
	// when there is none to give.
	HRObs *vitals.Observation
}

// ECGAnalyzer detects beats in one ECG lead, block by block.
type ECGAnalyzer interface {
	Push(w vitals.Wave) ECGReading
}

// Drafts keeps what the nurse typed, so nothing is lost when a device
// drops or the app closes mid-form.
type Drafts interface {
	Load() (Draft, error)
	Save(d Draft) error
}
