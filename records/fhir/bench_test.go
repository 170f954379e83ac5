package fhir_test

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

type discard struct{}

func (discard) Write(_ string, r fhir.Resource) error {
	b, err := json.Marshal(r)
	_, _ = io.Discard.Write(b)
	return err
}

// BenchmarkExportObservation: one stored monitor value to one NDJSON line
// (build and marshal), the bulk export's inner loop.
func BenchmarkExportObservation(b *testing.B) {
	x, err := fhir.NewExporter(clinic, discard{})
	if err != nil {
		b.Fatal(err)
	}
	_ = x.Patient(store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"})
	_ = x.Encounter(store.Encounter{ID: 7, PatientID: 1, Channel: store.WalkIn, ArrivedAt: now, Status: store.Waiting})
	kinds := []vitals.Kind{vitals.HR, vitals.SpO2, vitals.RR, vitals.Temp}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := kinds[i%len(kinds)]
		o := store.StoredObservation{ID: int64(i + 1), EncounterID: 7, Observation: vitals.Observation{Kind: k, Value: 80, Unit: vitals.CanonicalUnit(k),
			Source: "mon-1", HostTime: now.Add(time.Duration(i) * time.Second)}}
		if err := x.Observation(o); err != nil {
			b.Fatal(err)
		}
	}
}
