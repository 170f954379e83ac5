package fhir_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// refsOf collects every "reference" string in a JSON value.
func refsOf(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "reference" {
				*out = append(*out, s)
			}
			refsOf(e, out)
		}
	case []any:
		for _, e := range x {
			refsOf(e, out)
		}
	}
}

// For random messages (any kind, channel, status, identity, vitals with
// random kinds, sources, qualities and times, engine assessments of random
// inputs): every Bundle entry is a conditional create or update on an
// identifier, fullUrls are unique, every reference points at an entry of
// the same Bundle, and the same message gives the same Bundle.
func TestBundlesAreSelfContainedAndConditionalForRandomMessages(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2026))
	kinds := []vitals.Kind{vitals.HR, vitals.PR, vitals.SpO2, vitals.RR, vitals.SBP, vitals.DBP, vitals.MAP, vitals.Temp, vitals.EtCO2}
	sources := []string{"mon-1", "mon-2", vitals.SourceManual, vitals.SourcePhone, vitals.SourceECG}
	patients := payloads(t) // the fixed cases give the patients
	for i := 0; i < 300; i++ {
		pl := patients[r.IntN(6)] // one of the patient messages
		pl.Message.Kind = store.OutboxKinds[r.IntN(len(store.OutboxKinds))]
		pl.Message.Actor = []string{"kari", "per", ""}[r.IntN(3)]
		if pl.Message.Kind != store.OutboxPatient {
			st := store.Statuses[r.IntN(len(store.Statuses))]
			pl.Encounter = &store.Encounter{ID: ids.Encounter(1 + r.IntN(5)), PatientID: pl.Patient.ID, Channel: []store.Channel{store.WalkIn, store.Phone}[r.IntN(2)],
				ArrivedAt: now.Add(-time.Duration(r.IntN(600)) * time.Minute), Status: st, Triaged: r.IntN(2) == 0, Colour: triage.Colours[r.IntN(5)], UpdatedAt: now}
		}
		switch pl.Message.Kind {
		case store.OutboxObservations:
			n := r.IntN(12)
			for j := 0; j < n; j++ {
				k := kinds[r.IntN(len(kinds))]
				rg, _ := vitals.ValidRange(k)
				pl.Observations = append(pl.Observations, store.StoredObservation{ID: int64(j + 1), EncounterID: pl.Encounter.ID, Observation: vitals.Observation{
					Kind: k, Value: rg.Min + r.Float64()*(rg.Max-rg.Min), Unit: vitals.CanonicalUnit(k), Source: sources[r.IntN(len(sources))],
					HostTime: now.Add(-time.Duration(r.IntN(3)) * time.Second), Quality: vitals.Quality(r.IntN(4))}})
			}
		case store.OutboxAssessment:
			in := triage.Input{AgeDays: r.IntN(90 * 365), AgeKnown: r.IntN(4) > 0, Oxygen: news2.Oxygen(r.IntN(3)), Consciousness: news2.ACVPU(r.IntN(6))}
			for _, k := range []vitals.Kind{vitals.RR, vitals.SpO2, vitals.SBP, vitals.DBP, vitals.HR, vitals.Temp} {
				if r.IntN(5) == 0 {
					continue
				}
				rg, _ := vitals.ValidRange(k)
				in.Observations = append(in.Observations, vitals.Observation{Kind: k, Value: rg.Min + r.Float64()*(rg.Max-rg.Min), Unit: vitals.CanonicalUnit(k),
					Source: sources[r.IntN(2)], HostTime: now.Add(-time.Minute)})
			}
			var ov *store.Override
			if r.IntN(3) == 0 {
				ov = &store.Override{Colour: triage.Colours[r.IntN(5)], Reason: "klinisk vurdering"}
			}
			a := engineAssessment(t, int64(i+1), in, ov)
			pl.Assessment = &a
		}
		b, err := clinic.Bundle(pl, usedFound(pl.Assessment))
		require.NoError(t, err)
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc))
		full := map[string]bool{}
		for _, e := range b.Entry {
			require.False(t, full[e.FullURL], "case %d: fullUrl %s twice", i, e.FullURL)
			full[e.FullURL] = true
			switch e.Request.Method {
			case "POST":
				require.True(t, strings.HasPrefix(e.Request.IfNoneExist, "identifier="), "case %d: unconditional create of %s", i, e.Resource.Type())
			case "PUT":
				require.True(t, strings.HasPrefix(e.Request.URL, e.Resource.Type()+"?identifier="), "case %d: unconditional update %s", i, e.Request.URL)
			default:
				t.Fatalf("case %d: method %s", i, e.Request.Method)
			}
		}
		var refs []string
		refsOf(doc, &refs)
		for _, ref := range refs {
			require.True(t, full[ref], "case %d (%s): reference %s has no entry in the Bundle", i, pl.Message.Kind, ref)
		}
		again, err := clinic.Bundle(pl, usedFound(pl.Assessment))
		require.NoError(t, err)
		raw2, _ := json.Marshal(again)
		require.JSONEq(t, string(raw), string(raw2), "case %d: the same message gave another Bundle", i)
	}
}
