package monitoring

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
)

// Reading is one observation from a monitored patient's device.
type Reading struct {
	Device   ids.Device
	Location string // bed or room
	Patient  string // who is on it, "" if not assigned
	// EncounterID is the patient's encounter when the monitor is attached
	// to one, 0 otherwise.
	EncounterID ids.Encounter
	Obs         vitals.Observation
}

// Status is a device's connection state, as text ("connected",
// "reconnecting", ...).
type Status struct {
	Device   ids.Device
	Location string
	State    string
	// Hint is the device layer's advice while the link is not live
	// ("port not found: check that the USB adapter is plugged in"), for
	// whoever stands at the workstation; empty when there is none.
	Hint string
}

// Feed delivers monitor readings and status changes. Each channel is
// closed when the feed ends.
type Feed interface {
	Readings() <-chan Reading
	Statuses() <-chan Status
}

// DeviceSource is what the monitor feed needs of a running device;
// *devices.Device has it.
type DeviceSource interface {
	ID() ids.Device
	Observations() <-chan vitals.Observation
	Status() <-chan devices.StatusEvent
}

// DeviceFeed merges the observations and status changes of this
// workstation's devices into one Feed, naming each device's
// location. Its channels close when every device has stopped or ctx ends.
type DeviceFeed struct {
	readings chan Reading
	statuses chan Status
}

// NewDeviceFeed starts forwarding from srcs; location maps a device id to
// its bed or room.
func NewDeviceFeed(ctx context.Context, srcs []DeviceSource, location map[ids.Device]string) *DeviceFeed {
	f := &DeviceFeed{readings: make(chan Reading, 64), statuses: make(chan Status, 16)}
	var obsWG, stWG sync.WaitGroup
	for _, s := range srcs {
		id, loc := s.ID(), location[s.ID()]
		obsWG.Add(1)
		go func() {
			defer obsWG.Done()
			for o := range s.Observations() {
				select {
				case f.readings <- Reading{Device: id, Location: loc, Obs: o}:
				case <-ctx.Done():
					return
				}
			}
		}()
		stWG.Add(1)
		go func() {
			defer stWG.Done()
			for e := range s.Status() {
				select {
				case f.statuses <- Status{Device: id, Location: loc, State: string(e.State), Hint: e.Hint}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { obsWG.Wait(); close(f.readings) }()
	go func() { stWG.Wait(); close(f.statuses) }()
	return f
}

// Readings implements Feed.
func (f *DeviceFeed) Readings() <-chan Reading { return f.readings }

// Statuses implements Feed.
func (f *DeviceFeed) Statuses() <-chan Status { return f.statuses }

// StoreFeed follows the monitor observations that other
// workstations store (e.g. the reception desktops' bedside monitors) on a
// shared database: each "observations" change names an encounter, whose
// new observations are read and passed on, labelled with the patient.
// Values typed by a nurse or reported by phone are not monitor values and
// are left out.
type StoreFeed struct {
	readings chan Reading
	statuses chan Status
}

// StoreWindow is how far back a monitored encounter's observations
// are read the first time it is seen.
const StoreWindow = 10 * time.Minute

// NewStoreFeed subscribes to st's changes until ctx ends or the
// store closes; now is the clock for the first read's window. The
// encounters in own are recorded by this workstation's monitors
// (Recorder), which the board already shows live: they are left
// out, so that no value shows twice.
func NewStoreFeed(ctx context.Context, st store.Interface, a store.Actor, now func() time.Time, own ...ids.Encounter) (*StoreFeed, error) {
	ch, err := st.Watch(ctx)
	if err != nil {
		return nil, fmt.Errorf("monitor feed from the store: %w", err)
	}
	f := &StoreFeed{readings: make(chan Reading, 64), statuses: make(chan Status)}
	skip := make(map[ids.Encounter]bool, len(own))
	for _, e := range own {
		skip[e] = true
	}
	go f.run(ctx, st, a, now, ch, skip)
	return f, nil
}

func (f *StoreFeed) run(ctx context.Context, st store.Interface, a store.Actor, now func() time.Time, ch <-chan store.Change, skip map[ids.Encounter]bool) {
	defer close(f.readings)
	defer close(f.statuses)
	since := map[ids.Encounter]time.Time{}
	label := map[ids.Encounter]string{}
	for c := range ch {
		if c.Kind != store.ChangeObservations || c.EncounterID == 0 || skip[c.EncounterID] {
			continue
		}
		enc := c.EncounterID
		from, seen := since[enc]
		if !seen {
			from = now().Add(-StoreWindow)
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
			// Manual and phone values are gone above: a value left came
			// from a monitor, and its source is that monitor's id.
			r := Reading{Device: ids.Device(o.Source), Location: label[enc], Patient: label[enc], EncounterID: enc, Obs: o}
			select {
			case f.readings <- r:
			case <-ctx.Done():
				return
			}
		}
	}
}

// patientLabel is how the queue names the patient of an encounter.
func patientLabel(ctx context.Context, st store.Interface, a store.Actor, enc ids.Encounter) string {
	e, err := st.GetEncounter(ctx, a, enc)
	if err != nil {
		return fmt.Sprintf("#%d", enc)
	}
	p, err := st.GetPatient(ctx, a, e.PatientID)
	if err != nil {
		return fmt.Sprintf("#%d", enc)
	}
	// This feed has no language: a patient known only by the identity
	// number is worded in bokmål, as the store did before it held no text.
	return wording.PatientLabel(p.Label(), p.ID, wording.NB)
}

// Readings implements Feed.
func (f *StoreFeed) Readings() <-chan Reading { return f.readings }

// Statuses implements Feed; the store carries no device states.
func (f *StoreFeed) Statuses() <-chan Status { return f.statuses }

// Merge combines monitor feeds into one, closed when all have ended
// or ctx ends.
func Merge(ctx context.Context, feeds ...Feed) Feed {
	out := &DeviceFeed{readings: make(chan Reading, 64), statuses: make(chan Status, 16)}
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
