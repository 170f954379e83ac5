package store

import (
	"context"
	"github.com/legevakt/workstation/triage/ids"
	"time"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
)

// The interfaces below split *Store by concern, so that a screen can ask
// for only what it uses and its tests can hand it a small fake. Every
// method that reads or changes patient data takes the Actor and is audited.

// PatientStore registers, finds, identifies and merges patients.
type PatientStore interface {
	CreatePatient(ctx context.Context, a Actor, p NewPatient) (Patient, error)
	GetPatient(ctx context.Context, a Actor, id ids.Patient) (Patient, error)
	FindPatientByNID(ctx context.Context, a Actor, nid string) (Patient, error)
	UpdatePatient(ctx context.Context, a Actor, p Patient) (Patient, error)
	MergePatients(ctx context.Context, a Actor, from, into ids.Patient) (Patient, error)
}

// EncounterStore opens, reads and updates encounters.
type EncounterStore interface {
	CreateEncounter(ctx context.Context, a Actor, e NewEncounter) (Encounter, error)
	GetEncounter(ctx context.Context, a Actor, id ids.Encounter) (Encounter, error)
	UpdateEncounter(ctx context.Context, a Actor, e Encounter) (Encounter, error)
	EncountersForPatient(ctx context.Context, a Actor, patientID ids.Patient) ([]Encounter, error)
}

// RegistrationStore registers a patient with the encounter, observations
// and first assessment in one transaction, and stores a later triage of a
// registered encounter (complaint, observations, assessment) in one.
type RegistrationStore interface {
	Register(ctx context.Context, a Actor, r Registration) (Registered, error)
	SaveTriage(ctx context.Context, a Actor, tr Triage) (Assessment, error)
}

// AssessmentStore records and lists immutable triage assessments.
type AssessmentStore interface {
	AddAssessment(ctx context.Context, a Actor, na NewAssessment) (Assessment, error)
	Assessments(ctx context.Context, a Actor, encounterID ids.Encounter) ([]Assessment, error)
}

// ObservationStore records and lists vital-sign observations.
type ObservationStore interface {
	AddObservations(ctx context.Context, a Actor, encounterID ids.Encounter, obs []vitals.Observation) error
	Observations(ctx context.Context, a Actor, encounterID ids.Encounter, since time.Time) ([]vitals.Observation, error)
}

// EventStore records and lists append-only encounter events such as
// acknowledgements of deterioration alerts.
type EventStore interface {
	AddEvent(ctx context.Context, a Actor, ne NewEvent) (Event, error)
	Events(ctx context.Context, a Actor, encounterID ids.Encounter) ([]Event, error)
}

// QueueStore gives the ordered live queue and its change feed.
type QueueStore interface {
	Queue(ctx context.Context, a Actor, now time.Time) ([]queue.Entry, error)
	// AppendQueue is Queue appending to dst, for a caller that re-reads
	// the queue into its previous result.
	AppendQueue(ctx context.Context, a Actor, now time.Time, dst []queue.Entry) ([]queue.Entry, error)
	Watch(ctx context.Context) (<-chan Change, error)
}

// CallRecordStore keeps phone call records and how calls ended.
type CallRecordStore interface {
	AddCall(ctx context.Context, a Actor, nc NewCall) (Call, error)
	CallOf(ctx context.Context, a Actor, encounterID ids.Encounter) (Call, error)
	LastCallFrom(ctx context.Context, a Actor, phone string) (CallerContact, error)
	SetOutcome(ctx context.Context, a Actor, encounterID ids.Encounter, o Outcome, note string) (Encounter, error)
	EndedCalls(ctx context.Context, a Actor, since time.Time, limit int) ([]queue.Item, error)
}

// AuditStore reads and verifies the audit log.
type AuditStore interface {
	VerifyAudit(ctx context.Context) (int64, error)
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	AuditLog(ctx context.Context, a Actor, afterSeq int64, limit int) ([]AuditEntry, error)
}

// Interface is everything a workstation needs; *Store implements it.
type Interface interface {
	PatientStore
	EncounterStore
	RegistrationStore
	AssessmentStore
	ObservationStore
	EventStore
	CallRecordStore
	QueueStore
	AuditStore
	Backend() Backend
	Close() error
}

var _ Interface = (*Store)(nil)
