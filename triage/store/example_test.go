package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
)

// A walk-in is registered without identification, triaged, and shows up
// in the queue with its temporary id; the audit chain records all of it.
func Example() {
	dir, _ := os.MkdirTemp("", "triage-example")
	defer os.RemoveAll(dir)
	now := time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)
	ctx := context.Background()

	s, err := store.Open(ctx, filepath.Join(dir, "triage.db"), store.WithClock(func() time.Time { return now }))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}

	p, _ := s.CreatePatient(ctx, nurse, store.NewPatient{})
	e, _ := s.CreateEncounter(ctx, nurse, store.NewEncounter{PatientID: p.ID, Channel: store.WalkIn, ArrivedAt: now.Add(-25 * time.Minute)})
	_, err = s.AddAssessment(ctx, nurse, store.NewAssessment{
		EncounterID: e.ID, At: now.Add(-20 * time.Minute),
		Colour: triage.Orange, Target: triage.DefaultTargets().For(triage.Orange),
		EngineVersion: "example", RuleSetVersion: "example",
		Input: json.RawMessage(`{}`), Result: json.RawMessage(`{}`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := s.Queue(ctx, nurse, now)
	for _, entry := range q {
		fmt.Printf("%d. %s waited %v, target %v, breach %v\n", entry.Position, entry.Colour.Label("nb"), entry.Waited, entry.Target, entry.Breach)
	}
	n, err := s.VerifyAudit(ctx)
	fmt.Println("audit entries:", n, "intact:", err == nil)
	// Output:
	// 1. ORANSJE waited 25m0s, target 10m0s, breach true
	// audit entries: 4 intact: true
}
