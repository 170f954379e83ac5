package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// BenchmarkAddAssessment measures committed assessments per second: each
// one is its own durable transaction with its audit entry and change
// notice (SQLite: WAL, synchronous=FULL).
func BenchmarkAddAssessment(b *testing.B) {
	for _, be := range backends(b) {
		b.Run(be.name, func(b *testing.B) {
			s := open(b, be.dsn(b))
			_, e := admit(b, s, "Bench", WalkIn, s.now())
			na := assessment(e.ID, triage.Yellow)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if _, err := s.AddAssessment(ctx, nurse, na); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "assessments/s")
		})
	}
}

// bulkOpen inserts n open encounters with patients directly (bench setup
// only; the API path is measured elsewhere), a realistic mix of colours,
// NEWS2 and untriaged patients.
func bulkOpen(b *testing.B, s *Store, n int, now time.Time) {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	require.NoError(b, err)
	r := rand.New(rand.NewPCG(1, 2))
	const chunk = 500
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		var pb, eb strings.Builder
		pb.WriteString("INSERT INTO patients (id, temp_id, name, created_at, updated_at) VALUES ")
		eb.WriteString("INSERT INTO encounters (id, patient_id, channel, arrived_at, status, colour, target_s, last_assessed_at, monitor_every_s, news2, news2_band, created_at, updated_at) VALUES ")
		for i := start; i < end; i++ {
			if i > start {
				pb.WriteString(", ")
				eb.WriteString(", ")
			}
			id := i + 1
			fmt.Fprintf(&pb, "(%d, 'UKJENT-%06d', 'Pasient %d', 0, 0)", id, id, id)
			arrived := now.Add(-time.Duration(r.IntN(6*3600)) * time.Second)
			ch := "walk_in"
			if r.IntN(10) < 6 {
				ch = "phone"
			}
			if r.IntN(10) == 0 {
				fmt.Fprintf(&eb, "(%d, %d, '%s', %d, 'waiting', NULL, NULL, NULL, NULL, NULL, NULL, 0, 0)", id, id, ch, micros(arrived))
				continue
			}
			c := triage.Colour(r.IntN(5))
			news := r.IntN(10)
			fmt.Fprintf(&eb, "(%d, %d, '%s', %d, 'waiting_for_doctor', %d, %d, %d, %d, %d, 'low', 0, 0)", id, id, ch, micros(arrived),
				int(c), int64(triage.DefaultTargets().For(c)/time.Second), micros(arrived.Add(5*time.Minute)), 3600, news)
		}
		_, err := tx.ExecContext(ctx, pb.String())
		require.NoError(b, err)
		_, err = tx.ExecContext(ctx, eb.String())
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
}

// BenchmarkQueue10k measures the queue read with 10,000 open encounters
// (refresh from the change table, audit entry, durable commit, placing)
// and reports p50 and p99 latency, two ways:
//
//   - reused: AppendQueue into the previous result, as the reception board
//     re-reads the queue on every change;
//   - new: Queue, a fresh 2.2 MB slice on every read.
func BenchmarkQueue10k(b *testing.B) {
	benchQueue10k(b, nil)
}

// BenchmarkQueue10kAfterAChange is the live case: between two reads one
// encounter is re-triaged elsewhere, so the cache is refreshed and the
// change merged into the order on every read. Only the read is timed.
func BenchmarkQueue10kAfterAChange(b *testing.B) {
	i := 0
	benchQueue10k(b, func(s *Store) {
		i++
		if _, err := s.AddAssessment(context.Background(), nurse, assessment(ids.Encounter(1+i%10000), triage.Colour(i%5))); err != nil {
			b.Fatal(err)
		}
	})
}

// benchQueue10k runs the queue benchmarks; between runs it calls before
// (when not nil) with the timer stopped.
func benchQueue10k(b *testing.B, before func(*Store)) {
	for _, be := range backends(b) {
		for _, reuse := range []bool{true, false} {
			name := be.name + "/new"
			if reuse {
				name = be.name + "/reused"
			}
			b.Run(name, func(b *testing.B) {
				s := open(b, be.dsn(b))
				now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
				bulkOpen(b, s, 10000, now)
				ctx := context.Background()
				var q []queue.Entry
				var err error
				lat := make([]time.Duration, 0, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if before != nil {
						b.StopTimer()
						before(s)
						b.StartTimer()
					}
					t0 := time.Now()
					if reuse {
						q, err = s.AppendQueue(ctx, nurse, now, q[:0])
					} else {
						q, err = s.Queue(ctx, nurse, now)
					}
					lat = append(lat, time.Since(t0))
					if err != nil || len(q) != 10000 {
						b.Fatalf("queue: %d entries, %v", len(q), err)
					}
				}
				reportLatency(b, lat)
			})
		}
	}
}

// reportLatency reports the p50 and p99 of lat in milliseconds.
func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkWatchLatency measures how long after a commit on one
// workstation another workstation's Watch reports it (the issue asks for
// under 1 s). SQLite uses the default 250 ms poll.
func BenchmarkWatchLatency(b *testing.B) {
	for _, be := range backends(b) {
		b.Run(be.name, func(b *testing.B) {
			path := be.dsn(b)
			viewer, writer := open(b, path), open(b, path)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ch, err := viewer.Watch(ctx)
			require.NoError(b, err)
			_, e := admit(b, writer, "Bench", WalkIn, writer.now())
			var lat []time.Duration
			for b.Loop() {
				if _, err := writer.AddAssessment(ctx, nurse, assessment(e.ID, triage.Green)); err != nil {
					b.Fatal(err)
				}
				committed := time.Now()
				for c := range ch {
					if c.Kind == "assessment" {
						break
					}
				}
				lat = append(lat, time.Since(committed))
			}
			reportLatency(b, lat)
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		})
	}
}
