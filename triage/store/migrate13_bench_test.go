package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// BenchmarkUpgradeTo13 times schema 13 on a SQLite file at schema 12
// holding n encounters, each with an assessment, three observations and
// an event (the rows whose foreign keys the rebuild of encounters
// counts back): the time a workstation's first start after the upgrade
// takes. One op is one upgrade of a fresh copy; the set-up is not timed.
//
//	go test ./triage/store -run '^$' -bench UpgradeTo13 -benchtime 3x -benchmem
func BenchmarkUpgradeTo13(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("encounters=%d", n), func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "up.db")
				held, err := Open(ctx, path, withSchemaLimit(droppedSchema), WithoutCheckpoints())
				if err != nil {
					b.Fatal(err)
				}
				at := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
				for i := range n {
					na := assessment(0, triage.Colours[i%len(triage.Colours)])
					obs := []vitals.Observation{
						{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "manual", HostTime: at, Quality: vitals.Valid},
						{Kind: vitals.SpO2, Value: 97, Unit: vitals.Percent, Source: "manual", HostTime: at, Quality: vitals.Valid},
						{Kind: vitals.RR, Value: 16, Unit: vitals.PerMin, Source: "manual", HostTime: at, Quality: vitals.Valid},
					}
					reg, err := held.Register(ctx, nurse, Registration{Patient: NewPatient{Name: fmt.Sprintf("P %d", i)},
						Encounter: NewEncounter{Channel: WalkIn, ArrivedAt: at}, Observations: obs, Assessment: &na})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := held.AddEvent(ctx, nurse, NewEvent{EncounterID: reg.Encounter.ID, Kind: "bench.event"}); err != nil {
						b.Fatal(err)
					}
				}
				if err := held.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s, err := Open(ctx, path, WithoutCheckpoints())
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
