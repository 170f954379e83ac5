// Package recordstatetest gives the front ends' tests a record state
// store (recordstate.Store) that answers as the store would, without a
// database, and a sample of the three states a record can be in.
package recordstatetest

import (
	"context"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
)

// Store answers RecordStatuses with Statuses (or Err) and OutboxHealth
// with Health (nil: no record system routed).
type Store struct {
	Statuses map[ids.Encounter][]store.RecordStatus
	Health   []store.OutboxTotals
	Err      error // RecordStatuses fails with it when set
}

// RecordStatuses implements recordstate.Store.
func (s Store) RecordStatuses(context.Context, store.Actor, []ids.Encounter) (map[ids.Encounter][]store.RecordStatus, error) {
	if s.Err != nil {
		return nil, s.Err
	}
	return s.Statuses, nil
}

// OutboxHealth implements recordstate.Store.
func (s Store) OutboxHealth(context.Context) ([]store.OutboxTotals, error) { return s.Health, nil }

// Destination is the record system the sample sends to.
const Destination = "dips.fhir"

// Sample is a store whose record system last sent at at: encounter 1's
// record has the latest vitals and triage, encounter 2's triage waits,
// encounter 3's triage was refused ("HTTP 422: unknown ward"); the outbox
// holds one waiting and one refused item.
func Sample(at time.Time) Store {
	sent := store.RecordItem{State: store.OutboxSent, Since: at, SentAt: at}
	return Store{
		Statuses: map[ids.Encounter][]store.RecordStatus{
			1: {{EncounterID: 1, Destination: Destination, Vitals: sent, Triage: sent}},
			2: {{EncounterID: 2, Destination: Destination, Triage: store.RecordItem{State: store.OutboxWaiting, Since: at}}},
			3: {{EncounterID: 3, Destination: Destination, Vitals: sent, Triage: store.RecordItem{State: store.OutboxParked, Since: at, Reason: "HTTP 422: unknown ward"}}},
		},
		Health: []store.OutboxTotals{{Destination: Destination, Waiting: 1, Parked: 1, LastSent: at}},
	}
}
