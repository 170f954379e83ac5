package tui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// ObservationAdder is the part of the store the recorder writes to;
// *store.Store has it.
type ObservationAdder interface {
	AddObservations(ctx context.Context, a store.Actor, encounterID int64, obs []vitals.Observation) error
}

// RecordEvery is how often the recorder writes the buffered monitor values:
// one transaction (and one audit entry) per patient every few seconds
// instead of one per value, which at about six values a second per monitor
// would be most of a small database's write load.
const RecordEvery = 5 * time.Second

// maxPending bounds what is kept for a patient while the store refuses or
// is unreachable: an hour of one monitor (about six values a second), so a
// long outage cannot eat the workstation's memory. The oldest go first.
const maxPending = 6 * 3600

// MonitorRecorder sits between this workstation's monitors and the board:
// it names the patient on each reading of a monitor with a patient
// attached, passes the readings on, and stores the values for the
// patient's encounter in batches (AddObservations every RecordEvery). A
// batch the store refuses is kept and retried with the next one, so a
// passing database problem loses nothing; Close writes what is left.
type MonitorRecorder struct {
	readings chan MonitorReading
	src      MonitorFeed
	st       ObservationAdder
	actor    store.Actor
	byDevice map[string]MonitoredPatient

	mu      sync.Mutex
	pending map[int64][]vitals.Observation
	stored  int   // values written so far
	dropped int   // values given up after maxPending
	lastErr error // the last refusal, nil once a write succeeds

	failed chan struct{} // a flush failed; Report tells the nurse

	stop context.CancelFunc
	done sync.WaitGroup
}

// NewMonitorRecorder starts recording src for the attached patients until
// ctx ends or Close is called; every is the batch interval (RecordEvery
// when not positive).
func NewMonitorRecorder(ctx context.Context, src MonitorFeed, st ObservationAdder, a store.Actor, patients []MonitoredPatient, every time.Duration) *MonitorRecorder {
	if every <= 0 {
		every = RecordEvery
	}
	ctx, stop := context.WithCancel(ctx)
	r := &MonitorRecorder{
		readings: make(chan MonitorReading, 64), src: src, st: st, actor: a,
		byDevice: map[string]MonitoredPatient{}, pending: map[int64][]vitals.Observation{}, stop: stop,
		failed: make(chan struct{}, 1),
	}
	for _, p := range patients {
		r.byDevice[p.Device] = p
	}
	r.done.Add(2)
	go r.forward(ctx)
	go r.flushEvery(ctx, every)
	return r
}

// Readings implements MonitorFeed: the source's readings, labelled.
func (r *MonitorRecorder) Readings() <-chan MonitorReading { return r.readings }

// Statuses implements MonitorFeed: the source's, unchanged.
func (r *MonitorRecorder) Statuses() <-chan MonitorStatus { return r.src.Statuses() }

func (r *MonitorRecorder) forward(ctx context.Context) {
	defer r.done.Done()
	defer close(r.readings)
	for {
		var rd MonitorReading
		var ok bool
		select {
		case rd, ok = <-r.src.Readings():
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
		rd = r.Label(rd)
		select {
		case r.readings <- rd:
		case <-ctx.Done():
			return
		}
	}
}

// Label names the patient of a reading and buffers its value for the
// patient's encounter; a reading of a monitor without a patient passes
// unchanged.
func (r *MonitorRecorder) Label(rd MonitorReading) MonitorReading {
	p, ok := r.byDevice[rd.Device]
	if !ok {
		return rd
	}
	rd.Patient, rd.EncounterID = p.Label, p.EncounterID
	if rd.Location == "" {
		rd.Location = p.Location
	}
	o := rd.Obs
	if strings.TrimSpace(o.Source) == "" {
		o.Source = rd.Device
	}
	// The store takes a batch all or nothing; a value it would refuse is
	// not kept, so it cannot block the patient's other values for good.
	if !o.Kind.Valid() || math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || o.HostTime.IsZero() || o.Unit == "" || o.Quality > vitals.Demo {
		return rd
	}
	r.mu.Lock()
	q := append(r.pending[p.EncounterID], o)
	if over := len(q) - maxPending; over > 0 {
		q = append(q[:0], q[over:]...)
		r.dropped += over
	}
	r.pending[p.EncounterID] = q
	r.mu.Unlock()
	return rd
}

func (r *MonitorRecorder) flushEvery(ctx context.Context, every time.Duration) {
	defer r.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.Flush(ctx)
		case <-ctx.Done():
			return
		}
	}
}

// Flush writes every patient's buffered values, one batch each. A batch the
// store refuses stays buffered for the next Flush; the error is returned
// and kept for Stats.
func (r *MonitorRecorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	batches := r.pending
	r.pending = map[int64][]vitals.Observation{}
	r.mu.Unlock()
	var firstErr error
	for enc, obs := range batches {
		err := r.st.AddObservations(ctx, r.actor, enc, obs)
		r.mu.Lock()
		if err != nil {
			// Put the batch back in front of what arrived meanwhile.
			q := append(obs, r.pending[enc]...)
			if over := len(q) - maxPending; over > 0 {
				q = q[over:]
				r.dropped += over
			}
			r.pending[enc] = q
			r.lastErr = err
			if firstErr == nil {
				firstErr = err
			}
		} else {
			r.stored += len(obs)
		}
		r.mu.Unlock()
	}
	if firstErr == nil {
		r.mu.Lock()
		r.lastErr = nil
		r.mu.Unlock()
		return nil
	}
	select {
	case r.failed <- struct{}{}:
	default: // a report is already due
	}
	return firstErr
}

// RecorderStats says how the recording goes.
type RecorderStats struct {
	Stored, Pending, Dropped int
	LastErr                  error
}

// Stats returns the counts so far.
func (r *MonitorRecorder) Stats() RecorderStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := RecorderStats{Stored: r.stored, Dropped: r.dropped, LastErr: r.lastErr}
	for _, q := range r.pending {
		s.Pending += len(q)
	}
	return s
}

// Report tells the nurse, as a Notice through send, each time the store
// refuses the monitor values: they are kept and retried, but they are not
// in the record until written, and after an hour the oldest are given up.
// It returns when ctx ends.
func (r *MonitorRecorder) Report(ctx context.Context, lang string, send func(tea.Msg)) {
	for {
		select {
		case <-r.failed:
			s := r.Stats()
			if s.LastErr != nil {
				// Store errors name ids and fields, never patient data.
				send(Notice{Text: fmt.Sprintf(text(lang, "m.notstored"), s.Pending, s.LastErr)})
			}
		case <-ctx.Done():
			return
		}
	}
}

// Close stops forwarding and writes what is left, within a few seconds so
// that a dead database cannot hold up the exit.
func (r *MonitorRecorder) Close() error {
	r.stop()
	r.done.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Flush(ctx)
}
