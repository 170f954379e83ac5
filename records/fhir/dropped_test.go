package fhir_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
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

// Should an assessment reach a dropped call's contact (the store gives a
// dropped call none), its triage level and NEWS2 go out "preliminary"
// with a note saying the call was dropped, in a Bundle and in the bulk
// export; the same assessment of a contact not dropped goes out "final".
func TestAnAssessmentOfADroppedCallIsNeverAFinalTriage(t *testing.T) {
	p := store.Patient{ID: 1, NID: nid(t, "240580"), Name: "Ola Nordmann"}
	in := triage.Input{AgeDays: 40 * 365, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert, Observations: []vitals.Observation{
		{Kind: vitals.RR, Value: 24, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.SBP, Value: 98, Unit: vitals.MmHg, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "mon-1", HostTime: now.Add(-time.Minute)},
		{Kind: vitals.Temp, Value: 38.6, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: now.Add(-time.Minute)},
	}}
	a := engineAssessment(t, 30, in, nil)
	for _, o := range store.Outcomes {
		e := store.Encounter{ID: 7, PatientID: p.ID, Channel: store.Phone, Status: store.Waiting, Outcome: o, Triaged: true, Colour: a.Effective(),
			ArrivedAt: now.Add(-30 * time.Minute), UpdatedAt: now}
		pl := store.OutboxPayload{Message: store.OutboxMessage{ID: 2, Destination: "rec.fhir", PatientID: p.ID, EncounterID: 7,
			Kind: store.OutboxAssessment, Actor: "kari"}, Patient: p, Encounter: &e, Assessment: &a}
		b, err := clinic.Bundle(pl, nil)
		require.NoError(t, err)
		var rs []any
		for _, en := range b.Entry {
			rs = append(rs, en.Resource)
		}
		checkDecisions(t, rs, o == store.OutcomeDropped, "bundle, outcome "+string(o))

		sink := &memSink{}
		x, err := fhir.NewExporter(clinic, sink)
		require.NoError(t, err)
		require.NoError(t, x.Patient(p))
		require.NoError(t, x.Encounter(e))
		require.NoError(t, x.Assessment(a))
		require.NoError(t, x.Finish())
		checkDecisions(t, sink.res, o == store.OutcomeDropped, "export, outcome "+string(o))
	}
}

// checkDecisions finds the triage level and NEWS2 Observations in rs and
// checks they are final, or preliminary with the dropped call's note.
func checkDecisions(t *testing.T, rs []any, dropped bool, what string) {
	t.Helper()
	var n int
	for _, r := range rs {
		o, ok := r.(fhir.Observation)
		if !ok {
			if po, isPtr := r.(*fhir.Observation); isPtr {
				o, ok = *po, true
			}
		}
		if !ok || (o.Code.Text != "Hastegrad (triage)" && o.Code.Text != "NEWS2") {
			continue
		}
		n++
		if dropped {
			assert.Equal(t, "preliminary", o.Status, "%s: %s", what, o.Code.Text)
			require.NotEmpty(t, o.Note, "%s: %s", what, o.Code.Text)
			assert.Contains(t, o.Note[len(o.Note)-1].Text, "brutt før triagen var ferdig", "%s: %s", what, o.Code.Text)
		} else {
			assert.Equal(t, "final", o.Status, "%s: %s", what, o.Code.Text)
		}
	}
	assert.Equal(t, 2, n, "%s: the triage level and the NEWS2 total", what)
}
