package tui

import (
	"context"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
)

// The screens reach the engine, the store and the devices only through
// these interfaces, so that models and views are tested with fakes.

// PhoneVitals are the values a caller reported from home devices; a nil
// field was not measured.
type PhoneVitals struct {
	TempC  *float64 // thermometer, °C
	HR     *float64 // pulse, /min (blood-pressure cuff or pulse oximeter)
	SpO2   *float64 // pulse oximeter, %
	RR     *float64 // breaths counted with the nurse on the line, /min
	SBP    *float64 // blood-pressure cuff, mm[Hg]
	DBP    *float64
	Taken  time.Time // when the caller read them (the time of the call)
	Source string    // always vitals.SourcePhone
}

// Empty reports whether nothing was reported.
func (v PhoneVitals) Empty() bool {
	return v.TempC == nil && v.HR == nil && v.SpO2 == nil && v.RR == nil && v.SBP == nil && v.DBP == nil
}

// Observations turns the reported values into observations marked as
// reported by phone (vitals.SourcePhone), host time Taken.
func (v PhoneVitals) Observations() []vitals.Observation {
	var out []vitals.Observation
	add := func(k vitals.Kind, p *float64, u vitals.Unit) {
		if p != nil {
			out = append(out, vitals.Observation{Kind: k, Value: *p, Unit: u, Source: vitals.SourcePhone, HostTime: v.Taken, Quality: vitals.Valid})
		}
	}
	add(vitals.Temp, v.TempC, vitals.Cel)
	add(vitals.PR, v.HR, vitals.PerMin)
	add(vitals.SpO2, v.SpO2, vitals.Percent)
	add(vitals.RR, v.RR, vitals.PerMin)
	add(vitals.SBP, v.SBP, vitals.MmHg)
	add(vitals.DBP, v.DBP, vitals.MmHg)
	return out
}

// Patient is who the call is about, as the nurse entered it.
type Patient struct {
	NID      string // validated identity number, "" when unknown
	Name     string
	AgeYears int       // from the identity number, or as told; -1 unknown
	Birth    time.Time // date of birth from the identity number, zero if unknown
	Caller   string
	Phone    string
}

// FieldError is a refusal that names the field, so the screen can show it
// inline under that field. Field uses the vital field names ("temp", "hr",
// "spo2", "rr", "sbp", "dbp").
type FieldError struct {
	Field   string
	Message string
}

// Error names the field and the problem.
func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

// Scored is what the engine made of a call's reported vitals.
type Scored struct {
	Finding phone.VitalsFinding
	// Assessment is the engine's full result as JSON, stored with the call.
	Assessment []byte
}

// Scorer runs the main triage engine on reported vitals. Errors that
// concern one value are *FieldError.
type Scorer interface {
	ScorePhone(p Patient, v PhoneVitals, now time.Time) (Scored, error)
}

// PastContact is one earlier call or visit of a returning patient.
type PastContact struct {
	At      time.Time
	Channel string // "phone" or "walk_in"
	Label   string // e.g. "HASTER H.06.01" or "GUL"
	Summary string // complaint or reason
	Nurse   string
}

// CallRecord is a finished phone assessment, ready to be saved.
type CallRecord struct {
	Patient   Patient
	Nurse     string
	StartedAt time.Time
	DecidedAt time.Time
	Complaint string // complaint id
	Decision  phone.Decision
	Vitals    []vitals.Observation // source "phone"
	Scored    Scored
	// Progress is shared by the attempts to save this call: what a failed
	// attempt already wrote is not written again.
	Progress *SaveProgress
}

// SaveProgress records the rows a save has written so far.
type SaveProgress struct {
	PatientID         int64
	EncounterID       int64
	ObservationsSaved bool
}

// CallStore keeps calls: the history of a returning patient and the save.
type CallStore interface {
	History(ctx context.Context, nid string) ([]PastContact, error)
	SaveCall(ctx context.Context, c CallRecord) (ref string, err error)
}

// QueueSource is the shared queue: a snapshot in the store's order, and a
// channel that ticks whenever another workstation changed it.
type QueueSource interface {
	// AppendQueue appends the snapshot to dst and returns it, dst unchanged
	// on error (store.AppendQueue): the board passes an array it no longer
	// shows, so a re-read of a long queue does not allocate.
	AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error)
	Watch(ctx context.Context) (<-chan struct{}, error)
}

// MonitorReading is one observation from a monitored patient's device.
type MonitorReading struct {
	Device   string // device id
	Location string // bed or room
	Patient  string // who is on it, "" if not assigned
	// EncounterID is the patient's encounter when the monitor is attached
	// to one (MonitorRecorder), 0 otherwise.
	EncounterID int64
	Obs         vitals.Observation
}

// MonitorStatus is a device's connection state, as text ("connected",
// "reconnecting", ...).
type MonitorStatus struct {
	Device   string
	Location string
	State    string
	// Hint is the device layer's advice while the link is not live
	// ("port not found: check that the USB adapter is plugged in"), for
	// whoever stands at the workstation; empty when there is none.
	Hint string
}

// MonitorFeed delivers monitor readings and status changes. Each channel
// is closed when the feed ends.
type MonitorFeed interface {
	Readings() <-chan MonitorReading
	Statuses() <-chan MonitorStatus
}

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
