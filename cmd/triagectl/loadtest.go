package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

func init() {
	register(command{name: "loadtest", summary: "many workstations on one database: throughput and p50/p99 per operation (loadtest --db DSN --workstations N --for D)", run: runLoadtest})
}

// The realistic rate of one workstation (docs/PERFORMANCE.md): a
// registration with its first triage every 10 minutes, a set of vitals
// every minute, and a queue re-read every 10 seconds (a board re-reads on
// every change; the poll is the floor). The burst multiplies all three.
const (
	ltRegisterEvery = 10 * time.Minute
	ltVitalsEvery   = time.Minute
	ltQueueEvery    = 10 * time.Second
)

type ltOp int

const (
	opRegister ltOp = iota
	opVitals
	opQueue
	opCount
)

var ltOpNames = [opCount]string{"register+triage", "vitals", "queue read"}

type ltStats struct {
	mu     sync.Mutex
	lat    [opCount][]time.Duration
	errs   [opCount]int
	firstE error
	regs   int // acknowledged registrations
	obs    int // acknowledged observations
}

func (s *ltStats) add(op ltOp, d time.Duration, err error, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs[op]++
		if s.firstE == nil {
			s.firstE = err
		}
		return
	}
	s.lat[op] = append(s.lat[op], d)
	switch op {
	case opRegister:
		s.regs++
	case opVitals:
		s.obs += n
	}
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(ds)))) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// runLoadtest: exit 0 done (figures printed), 1 errors, lost writes or a
// broken chain, 2 usage or no database.
func runLoadtest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database for the load test: a SQLite file path or a postgres:// URL (required; a database in use is refused)")
	n := fs.Int("workstations", 20, "simulated workstations, 1 to 500")
	dur := fs.Duration("for", time.Minute, "how long to run, 5s to 24h")
	burst := fs.Float64("burst", 10, "rate multiplier of the burst (the middle fifth of the run), 1 to 100")
	scale := fs.Float64("rate", 1, "rate multiplier of the whole run (1 = the realistic rate), 0.1 to 1000")
	conns := fs.Int("connections", 0, "database connections in all (default: one per workstation, at most 80)")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "triagectl loadtest: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *db == "":
		fmt.Fprintln(stderr, "triagectl loadtest: give --db DSN, a database for synthetic data")
		return 2
	case *n < 1 || *n > 500:
		fmt.Fprintf(stderr, "triagectl loadtest: --workstations %d: want 1 to 500\n", *n)
		return 2
	case *dur < 5*time.Second || *dur > 24*time.Hour:
		fmt.Fprintf(stderr, "triagectl loadtest: --for %v: want 5s to 24h\n", *dur)
		return 2
	case !(*burst >= 1 && *burst <= 100):
		fmt.Fprintf(stderr, "triagectl loadtest: --burst %v: want 1 to 100\n", *burst)
		return 2
	case !(*scale >= 0.1 && *scale <= 1000):
		fmt.Fprintf(stderr, "triagectl loadtest: --rate %v: want 0.1 to 1000\n", *scale)
		return 2
	case *conns < 0 || *conns > 400:
		fmt.Fprintf(stderr, "triagectl loadtest: --connections %d: want 1 to 400 (0: the default)\n", *conns)
		return 2
	}
	nc := *conns
	if nc == 0 {
		nc = min(*n, 80)
	}
	nc = min(nc, *n)
	ctx := context.Background()
	// One store per connection; workstations share them round-robin.
	stores := make([]*store.Store, nc)
	for i := range stores {
		s, err := store.Open(ctx, *db, store.WithMaxConns(1), store.WithoutCheckpoints())
		if err != nil {
			fmt.Fprintf(stderr, "triagectl loadtest: %v\n", err)
			return 2
		}
		defer s.Close()
		stores[i] = s
	}
	if seq, _, err := stores[0].AuditHead(ctx); err != nil || seq > 0 {
		fmt.Fprintf(stderr, "triagectl loadtest: %s already holds %d audit entries; the load test writes synthetic patients only into an empty database (%v)\n", *db, seq, err)
		return 2
	}
	// The test writes no accounts: roles are not checked (the account
	// check is one cached lookup per call and is measured by the store
	// benchmarks).
	stats := &ltStats{}
	start := time.Now()
	end := start.Add(*dur)
	bFrom, bTo := start.Add(*dur*2/5), start.Add(*dur*3/5)
	var wg sync.WaitGroup
	for w := 0; w < *n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			ltWorkstation(ctx, stores[w%nc], w, *seed, *scale, *burst, end, bFrom, bTo, stats)
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	return ltReport(ctx, stores[0], *n, nc, elapsed, *burst, stats, stdout, stderr)
}

func ltWorkstation(ctx context.Context, s *store.Store, w int, seed uint64, scale, burst float64, end, bFrom, bTo time.Time, st *ltStats) {
	rng := rand.New(rand.NewPCG(seed, uint64(w)+1))
	ch := store.WalkIn
	svc := store.ServiceReception
	if w%3 == 2 {
		ch, svc = store.Phone, store.ServicePhone
	}
	a := store.Actor{User: fmt.Sprintf("sykepleier-%03d", w), Workstation: fmt.Sprintf("ws-%03d@loadtest", w), Service: svc}
	every := [opCount]time.Duration{ltRegisterEvery, ltVitalsEvery, ltQueueEvery}
	next := [opCount]time.Time{}
	now := time.Now()
	draw := func(op ltOp, t time.Time) time.Time {
		r := scale
		if !t.Before(bFrom) && t.Before(bTo) {
			r *= burst
		}
		mean := float64(every[op]) / r
		return t.Add(time.Duration(rng.ExpFloat64() * mean))
	}
	for op := ltOp(0); op < opCount; op++ {
		next[op] = draw(op, now)
	}
	var mine []int64 // encounters this workstation registered
	input, _ := json.Marshal(map[string]any{"loadtest": true})
	for {
		op := ltOp(0)
		for o := ltOp(1); o < opCount; o++ {
			if next[o].Before(next[op]) {
				op = o
			}
		}
		if !next[op].Before(end) {
			return
		}
		if d := time.Until(next[op]); d > 0 {
			time.Sleep(d)
		}
		t0 := time.Now()
		var err error
		count := 0
		switch op {
		case opRegister:
			news := rng.IntN(8)
			na := store.NewAssessment{Colour: triage.Colour(rng.IntN(5)), Target: time.Hour, NEWS2: &news, NEWS2Band: "low",
				EngineVersion: "loadtest", RuleSetVersion: "loadtest", Input: input, Result: input}
			var r store.Registered
			r, err = s.Register(ctx, a, store.Registration{Patient: store.NewPatient{Name: fmt.Sprintf("Syntetisk %d-%d", w, len(mine))},
				Encounter: store.NewEncounter{Channel: ch}, Assessment: &na})
			if err == nil {
				mine = append(mine, r.Encounter.ID)
			}
		case opVitals:
			if len(mine) == 0 {
				next[op] = draw(op, time.Now())
				continue
			}
			at := time.Now()
			obs := []vitals.Observation{
				{Kind: vitals.HR, Value: float64(60 + rng.IntN(60)), Unit: vitals.PerMin, Source: "manual", HostTime: at, Quality: vitals.Valid},
				{Kind: vitals.SpO2, Value: float64(90 + rng.IntN(10)), Unit: vitals.Percent, Source: "manual", HostTime: at, Quality: vitals.Valid},
				{Kind: vitals.RR, Value: float64(12 + rng.IntN(12)), Unit: vitals.PerMin, Source: "manual", HostTime: at, Quality: vitals.Valid},
			}
			count = len(obs)
			err = s.AddObservations(ctx, a, mine[rng.IntN(len(mine))], obs)
		case opQueue:
			_, err = s.Queue(ctx, a, time.Now())
		}
		st.add(op, time.Since(t0), err, count)
		next[op] = draw(op, time.Now())
	}
}

func ltReport(ctx context.Context, s *store.Store, n, nc int, elapsed time.Duration, burst float64, st *ltStats, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "loadtest: %d workstations on %s (%d connections), %v, burst x%g in the middle fifth\n", n, s.Backend(), nc, elapsed.Round(time.Second), burst)
	fmt.Fprintf(stdout, "%-16s %8s %9s %9s %9s %9s %7s\n", "operation", "count", "per s", "p50", "p99", "max", "errors")
	errs := 0
	for op := ltOp(0); op < opCount; op++ {
		ds := st.lat[op]
		slices.Sort(ds)
		var mx time.Duration
		if len(ds) > 0 {
			mx = ds[len(ds)-1]
		}
		fmt.Fprintf(stdout, "%-16s %8d %9.1f %9s %9s %9s %7d\n", ltOpNames[op], len(ds), float64(len(ds))/elapsed.Seconds(),
			pct(ds, 0.50).Round(10*time.Microsecond), pct(ds, 0.99).Round(10*time.Microsecond), mx.Round(10*time.Microsecond), st.errs[op])
		errs += st.errs[op]
	}
	if st.firstE != nil {
		fmt.Fprintf(stderr, "first error: %v\n", st.firstE)
	}
	// Lost writes: every acknowledged registration and observation is
	// there; the chain is one verifiable order.
	r, err := s.VerifyAuditWith(ctx, nil)
	if err != nil {
		fmt.Fprintf(stdout, "audit chain: BROKEN: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "audit chain: intact, %d entries, %d bound rows\n", r.Entries, r.Rows)
	// The walk hashed every stored row: its counts are what is stored.
	regs, obs := int(r.RowsIn["encounters"]), int(r.RowsIn["observations"])
	lost := (st.regs - regs) + (st.obs - obs)
	fmt.Fprintf(stdout, "writes: %d registrations and %d observations acknowledged, %d and %d stored, %d lost\n", st.regs, st.obs, regs, obs, max(lost, 0))
	if errs > 0 || lost > 0 {
		return 1
	}
	return 0
}
