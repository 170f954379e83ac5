package desk

import (
	"context"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// Recorder stores the values of the attached monitors for their
// encounters: batched, retried, and never dropped when the store refuses
// (workstation/monitoring.Recorder, shared with the terminal front end).
type Recorder interface {
	// Add buffers one value for an encounter.
	Add(encounterID ids.Encounter, o vitals.Observation) bool
	// Kick asks for the buffered values to be written now, without waiting.
	Kick()
	// Close writes what is left and stops.
	Close() error
	// Stats says what is not stored yet (the device bar tells the nurse).
	Stats() monitoring.Stats
}

// storeWriter writes monitor values through the desktop's Store.
type storeWriter struct{ s Store }

func (w storeWriter) AddObservations(ctx context.Context, id ids.Encounter, obs []vitals.Observation) error {
	return w.s.AddObservations(ctx, id, obs)
}

// defaultRecorder records through d.Store when the wiring gave no
// Recorder (tests): the same recorder, with its default options.
func defaultRecorder(ctx context.Context, d Deps) Recorder {
	return monitoring.New(ctx, storeWriter{d.Store}, monitoring.Options{})
}
