package fhir_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
)

// A dropped call (CONTRACTS.md 1: the line went before the triage was
// done) is never sent as a finished triage: over every outcome x status x
// channel x triaged (even a row that says triaged, which the store never
// writes for a dropped call) x colour, its Encounter is "cancelled", with
// its end, no priority and no target; and no other outcome becomes
// "cancelled" but by its status (left without being seen). The same
// resource goes in a Bundle and in the bulk export.
func TestADroppedCallIsNeverSentAsAFinishedTriage(t *testing.T) {
	p := store.Patient{ID: 1, NID: nid(t, "240580"), Name: "Ola Nordmann"}
	var dropped int
	for _, o := range store.Outcomes {
		for _, st := range store.Statuses {
			for _, ch := range []store.Channel{store.WalkIn, store.Phone} {
				for _, triaged := range []bool{false, true} {
					for _, c := range triage.Colours {
						e := store.Encounter{ID: 7, PatientID: p.ID, Channel: ch, Status: st, Outcome: o, Triaged: triaged, Colour: c,
							Target: triage.DefaultTargets().For(c), ArrivedAt: now.Add(-30 * time.Minute), UpdatedAt: now}
						pl := store.OutboxPayload{Message: store.OutboxMessage{ID: 1, Destination: "rec.fhir", PatientID: p.ID, EncounterID: 7,
							Kind: store.OutboxEncounter, Actor: "kari"}, Patient: p, Encounter: &e}
						b, err := clinic.Bundle(pl, nil)
						require.NoError(t, err)
						var enc *fhir.Encounter
						for _, en := range b.Entry {
							if r, ok := asEncounter(en.Resource); ok {
								enc = &r
							}
						}
						require.NotNil(t, enc, "the Bundle has the Encounter")
						what := fmt.Sprintf("outcome %s, status %s, %s, triaged %t, %s", o, st, ch, triaged, c)
						if o == store.OutcomeDropped {
							dropped++
							assert.Equal(t, "cancelled", enc.Status, what)
							assert.Nil(t, enc.Priority, what)
							assert.Empty(t, enc.Extension, what)
							require.NotNil(t, enc.Period, what)
							assert.NotEmpty(t, enc.Period.End, what)
							continue
						}
						if enc.Status == "cancelled" {
							assert.Equal(t, store.LeftWithoutBeingSeen, st, what)
						}
						if triaged {
							assert.NotNil(t, enc.Priority, "%s: a triaged contact carries its level", what)
						}
					}
				}
			}
		}
	}
	assert.NotZero(t, dropped, "store.Outcomes holds dropped")

	// The bulk export builds the same Encounter.
	sink := &memSink{}
	x, err := fhir.NewExporter(clinic, sink)
	require.NoError(t, err)
	require.NoError(t, x.Patient(p))
	require.NoError(t, x.Encounter(store.Encounter{ID: 8, PatientID: p.ID, Channel: store.Phone, Status: store.Waiting, Outcome: store.OutcomeDropped,
		Triaged: true, Colour: triage.Red, ArrivedAt: now.Add(-30 * time.Minute), UpdatedAt: now}))
	require.NoError(t, x.Finish())
	var got []fhir.Encounter
	for _, r := range sink.res {
		if e, ok := asEncounter(r); ok {
			got = append(got, e)
		}
	}
	require.Len(t, got, 1)
	assert.Equal(t, "cancelled", got[0].Status)
	assert.Nil(t, got[0].Priority)
}

// asEncounter is r as an Encounter, whether the builder made it a value
// or a pointer.
func asEncounter(r any) (fhir.Encounter, bool) {
	switch e := r.(type) {
	case fhir.Encounter:
		return e, true
	case *fhir.Encounter:
		return *e, true
	}
	return fhir.Encounter{}, false
}
