package tui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// StoreMonitorFeed follows the monitor observations that other
// workstations store (e.g. the reception desktops' bedside monitors) on a
// shared database: each "observations" change names an encounter, whose
// new observations are read and passed on, labelled with the patient.
// Values typed by a nurse or reported by phone are not monitor values and
// are left out.
type StoreMonitorFeed struct {
	readings chan MonitorReading
	statuses chan MonitorStatus
}

// StoreFeedWindow is how far back a monitored encounter's observations
// are read the first time it is seen.
const StoreFeedWindow = 10 * time.Minute

// NewStoreMonitorFeed subscribes to st's changes until ctx ends or the
// store closes; now is the clock for the first read's window. The
// encounters in own are recorded by this workstation's monitors
// (MonitorRecorder), which the board already shows live: they are left
// out, so that no value shows twice.
func NewStoreMonitorFeed(ctx context.Context, st store.Interface, a store.Actor, now func() time.Time, own ...int64) (*StoreMonitorFeed, error) {
	ch, err := st.Watch(ctx)
	if err != nil {
		return nil, fmt.Errorf("monitor feed from the store: %w", err)
	}
	f := &StoreMonitorFeed{readings: make(chan MonitorReading, 64), statuses: make(chan MonitorStatus)}
	skip := make(map[int64]bool, len(own))
	for _, e := range own {
		skip[e] = true
	}
	go f.run(ctx, st, a, now, ch, skip)
	return f, nil
}

func (f *StoreMonitorFeed) run(ctx context.Context, st store.Interface, a store.Actor, now func() time.Time, ch <-chan store.Change, skip map[int64]bool) {
	defer close(f.readings)
	defer close(f.statuses)
	since := map[int64]time.Time{}
	label := map[int64]string{}
	for c := range ch {
		if c.Kind != changeObservations || c.EncounterID == 0 || skip[c.EncounterID] {
			continue
		}
		enc := c.EncounterID
		from, seen := since[enc]
		if !seen {
			from = now().Add(-StoreFeedWindow)
		}
		obs, err := st.Observations(ctx, a, enc, from)
		if err != nil {
			continue // the next change retries from the same point
		}
		for _, o := range obs {
			if !o.HostTime.Before(from) {
				since[enc] = o.HostTime.Add(time.Microsecond) // the store keeps microseconds
			}
			if o.Source == vitals.SourceManual || o.Source == vitals.SourcePhone {
				continue
			}
			// The patient is read (and so audited as read by this nurse)
			// only when the board has a monitor value of theirs to show.
			if _, ok := label[enc]; !ok {
				label[enc] = patientLabel(ctx, st, a, enc)
			}
			r := MonitorReading{Device: o.Source, Location: label[enc], Patient: label[enc], EncounterID: enc, Obs: o}
			select {
			case f.readings <- r:
			case <-ctx.Done():
				return
			}
		}
	}
}

// patientLabel is how the queue names the patient of an encounter.
func patientLabel(ctx context.Context, st store.Interface, a store.Actor, enc int64) string {
	e, err := st.GetEncounter(ctx, a, enc)
	if err != nil {
		return fmt.Sprintf("#%d", enc)
	}
	p, err := st.GetPatient(ctx, a, e.PatientID)
	if err != nil {
		return fmt.Sprintf("#%d", enc)
	}
	return p.Label()
}

// Readings implements MonitorFeed.
func (f *StoreMonitorFeed) Readings() <-chan MonitorReading { return f.readings }

// Statuses implements MonitorFeed; the store carries no device states.
func (f *StoreMonitorFeed) Statuses() <-chan MonitorStatus { return f.statuses }

// MergeFeeds combines monitor feeds into one, closed when all have ended
// or ctx ends.
func MergeFeeds(ctx context.Context, feeds ...MonitorFeed) MonitorFeed {
	out := &DeviceFeed{readings: make(chan MonitorReading, 64), statuses: make(chan MonitorStatus, 16)}
	var rw, sw sync.WaitGroup
	for _, f := range feeds {
		if f == nil {
			continue
		}
		rw.Add(1)
		go func() {
			defer rw.Done()
			for r := range f.Readings() {
				select {
				case out.readings <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
		sw.Add(1)
		go func() {
			defer sw.Done()
			for s := range f.Statuses() {
				select {
				case out.statuses <- s:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { rw.Wait(); close(out.readings) }()
	go func() { sw.Wait(); close(out.statuses) }()
	return out
}
