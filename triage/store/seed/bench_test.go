package seed

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
)

// benchDSNs gives a fresh SQLite file and, when DATABASE_URL is set, a
// fresh PostgreSQL schema.
func benchDSNs(b *testing.B) map[string]string {
	out := map[string]string{"sqlite": filepath.Join(b.TempDir(), "day.db")}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return out
	}
	out["postgres"] = storetest.Schema(b, url)
	return out
}

// BenchmarkSimulatedDay loads a full day (about 1,350 assessments and 1 Hz
// vitals from 8 monitors for 24 hours, about 700,000 observations) through
// the store API, then times the queries a workstation makes. Run with
// -benchtime=1x: one iteration is one whole day.
func BenchmarkSimulatedDay(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				dsn, ok := benchDSNs(b)[name]
				if !ok {
					b.Skip("DATABASE_URL not set")
				}
				end := time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)
				s, err := store.Open(context.Background(), dsn, store.WithClock(func() time.Time { return end }))
				require.NoError(b, err)
				ctx := context.Background()
				b.StartTimer()
				t0 := time.Now()
				sum, err := Day(ctx, s, Options{Patients: 1230, End: end, Seed: 42})
				load := time.Since(t0)
				require.NoError(b, err)

				a := store.Actor{User: "bench"}
				t1 := time.Now()
				q, err := s.Queue(ctx, a, end)
				require.NoError(b, err)
				queueT := time.Since(t1)
				// A monitored walk-in: the eighth walk-in from the end keeps
				// its monitor from its arrival to the end of the day (no
				// later walk-in takes that monitor over).
				var walkIn ids.Encounter
				seen := 0
				for id := ids.Encounter(sum.Encounters); walkIn == 0; id-- {
					e, err := s.GetEncounter(ctx, a, id)
					require.NoError(b, err)
					if e.Channel == store.WalkIn {
						if seen++; seen == 8 {
							walkIn = id
						}
					}
				}
				t2 := time.Now()
				obs, err := s.Observations(ctx, a, walkIn, end.Add(-24*time.Hour))
				require.NoError(b, err)
				obsT := time.Since(t2)
				t4 := time.Now()
				recent, err := s.Observations(ctx, a, walkIn, end.Add(-time.Hour))
				require.NoError(b, err)
				recentT := time.Since(t4)
				t3 := time.Now()
				n, err := s.VerifyAudit(ctx)
				require.NoError(b, err)
				verifyT := time.Since(t3)
				b.StopTimer()
				require.NoError(b, s.Close())

				b.ReportMetric(float64(sum.Assessments), "assessments")
				b.ReportMetric(float64(sum.Observations), "observations")
				b.ReportMetric(load.Seconds(), "load-s")
				b.ReportMetric(float64(sum.Observations)/load.Seconds(), "obs/s")
				b.ReportMetric(float64(queueT.Microseconds())/1000, "queue-ms")
				b.ReportMetric(float64(obsT.Microseconds())/1000, "obs-read-ms")
				b.ReportMetric(float64(len(obs)), "obs-read")
				b.ReportMetric(float64(recentT.Microseconds())/1000, "obs-last-hour-ms")
				b.ReportMetric(float64(len(recent)), "obs-last-hour")
				b.ReportMetric(float64(verifyT.Microseconds())/1000, "verify-ms")
				b.ReportMetric(float64(n), "audit-entries")
				b.Logf("%s: %+v, queue %d", name, sum, len(q))
				b.StartTimer()
			}
		})
	}
}
