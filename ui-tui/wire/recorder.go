package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/session"
)

// ObservationAdder is the part of the store the recorder writes to;
// *store.Store has it.
type ObservationAdder interface {
	AddObservations(ctx context.Context, a store.Actor, encounterID ids.Encounter, obs []vitals.Observation) error
}

// RecordEvery is how often the recorder writes the buffered monitor values
// (monitoring.Every).
const RecordEvery = monitoring.Every

// MonitorRecorder sits between this workstation's monitors and the board:
// it names the patient on each reading of a monitor with a patient
// attached, passes the readings on, and hands the values to the shared
// recorder (workstation/monitoring), which stores them for the patient's
// encounter in batches, retries what the store refuses and never drops a
// value. Close writes what is left.
type MonitorRecorder struct {
	readings chan monitorboard.MonitorReading
	src      monitorboard.MonitorFeed
	rec      *monitoring.Recorder
	byDevice map[ids.Device]monitorboard.MonitoredPatient

	stop context.CancelFunc
	done sync.WaitGroup
}

// NewMonitorRecorder starts recording src for the attached patients until
// ctx ends or Close is called; every is the batch interval (RecordEvery
// when not positive).
func NewMonitorRecorder(ctx context.Context, src monitorboard.MonitorFeed, st ObservationAdder, a store.Actor, patients []monitorboard.MonitoredPatient, every time.Duration) *MonitorRecorder {
	return NewMonitorRecorderWith(ctx, src, st, a, patients, monitoring.Options{Every: every})
}

// NewMonitorRecorderWith is NewMonitorRecorder with the recorder's options
// (batch interval, memory bound, spool directory).
func NewMonitorRecorderWith(ctx context.Context, src monitorboard.MonitorFeed, st ObservationAdder, a store.Actor, patients []monitorboard.MonitoredPatient, opt monitoring.Options) *MonitorRecorder {
	ctx, stop := context.WithCancel(ctx)
	r := &MonitorRecorder{
		readings: make(chan monitorboard.MonitorReading, 64), src: src,
		rec:      monitoring.New(ctx, monitoring.StoreWriter{Store: st, Actor: a}, opt),
		byDevice: map[ids.Device]monitorboard.MonitoredPatient{}, stop: stop,
	}
	for _, p := range patients {
		r.byDevice[p.Device] = p
	}
	r.done.Add(1)
	go r.forward(ctx)
	return r
}

// Readings implements monitorboard.MonitorFeed: the source's readings, labelled.
func (r *MonitorRecorder) Readings() <-chan monitorboard.MonitorReading { return r.readings }

// Statuses implements monitorboard.MonitorFeed: the source's, unchanged.
func (r *MonitorRecorder) Statuses() <-chan monitorboard.MonitorStatus { return r.src.Statuses() }

func (r *MonitorRecorder) forward(ctx context.Context) {
	defer r.done.Done()
	defer close(r.readings)
	for {
		var rd monitorboard.MonitorReading
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
func (r *MonitorRecorder) Label(rd monitorboard.MonitorReading) monitorboard.MonitorReading {
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
		o.Source = string(rd.Device) // a monitor's values carry its id as their source
	}
	r.rec.Add(p.EncounterID, o)
	return rd
}

// Flush writes every patient's buffered values, one batch each. A batch the
// store refuses stays buffered for the next Flush; the error is returned
// and kept for Stats.
func (r *MonitorRecorder) Flush(ctx context.Context) error { return r.rec.Flush(ctx) }

// RecorderStats says how the recording goes.
type RecorderStats = monitoring.Stats

// Stats returns the counts so far.
func (r *MonitorRecorder) Stats() RecorderStats { return r.rec.Stats() }

// Report tells the nurse, as a Notice through send, each time the store
// refuses the monitor values: they are kept and retried, but they are not
// in the record until written. It returns when ctx ends.
func (r *MonitorRecorder) Report(ctx context.Context, lang wording.Lang, send func(tea.Msg)) {
	for {
		select {
		case <-r.rec.Failed():
			s := r.Stats()
			if s.LastErr != nil {
				send(tui.Notice{Text: fmt.Sprintf(screen.Text(lang, "m.notstored"), s.Pending, notStoredReason(s.LastErr, lang))})
			}
		case <-ctx.Done():
			return
		}
	}
}

// notStoredReason words why the store refused the monitor values in the
// user's language: a session error (nobody logged in, the account
// disabled, no role) as the login screens word it (session.Message), a
// refusal by role or need-to-know, else a fault of the database. The
// error's own (English) text never reaches the screen.
func notStoredReason(err error, lang wording.Lang) string {
	switch {
	case errors.Is(err, session.ErrNoSession), errors.Is(err, session.ErrDisabled),
		errors.Is(err, identity.ErrSessionLocked), errors.Is(err, identity.ErrNoRole):
		return session.Message(err, lang)
	case errors.Is(err, store.ErrForbidden):
		return screen.Text(lang, "m.notstored.denied")
	}
	return screen.Text(lang, "m.notstored.db")
}

// Close stops forwarding and writes what is left, within a few seconds so
// that a dead database cannot hold up the exit.
func (r *MonitorRecorder) Close() error {
	r.stop()
	r.done.Wait()
	return r.rec.Close()
}
