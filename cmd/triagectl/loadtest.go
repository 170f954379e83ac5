package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

func init() {
	register(command{name: "loadtest", summary: "many workstations on one database at the clinic's peak rate plus a x10 burst: throughput, p50/p99 per operation, errors, lost writes, audit verify (loadtest --db DSN --workstations N --for D)", run: runLoadtest})
}

// The rate of one workstation is the clinic's evening peak shared by the
// 20 workstations on duty then (docs/PERFORMANCE.md derives it):
//
//   - the busiest hour carries 9/114.5 of the day's arrivals (the hourly
//     profile of triage/store/seed): 27.5 of the 350 walk-ins and 79 of
//     the 1,000 phone calls (35 phone nurses; a call takes about 9 min,
//     so 12 of them are on the phone then);
//   - a walk-in is registered at the desk and triaged once measured; a
//     call is registered with its triage in one transaction; about as
//     many reassessments as walk-ins (NEWS2 monitoring, re-triage);
//   - 8 monitored beds (seed's default), each monitor's values stored as
//     one batch every 5 s (workstation/monitoring.Every) of about 30
//     values (six a second);
//   - every board re-reads the queue every 5 s and on each change of the
//     queue (161 an hour: one every 22 s), about every 4 s in all.
//
// Per workstation that is a walk-in registered every 44 min, a call every
// 15 min, a triage every 22 min, a batch of vitals every 12.5 s and a
// queue read every 4 s. --rate scales all of it; the middle fifth of the
// run goes at --burst (10) times that.
var ltEvery = [opCount]time.Duration{
	opWalkIn: 44 * time.Minute,
	opCall:   15 * time.Minute,
	opTriage: 22 * time.Minute,
	opVitals: 12500 * time.Millisecond,
	opQueue:  4 * time.Second,
}

// ltBatch is the number of values in one monitor batch (5 s at six a
// second).
const ltBatch = 30

type ltOp int

const (
	opWalkIn ltOp = iota
	opCall
	opTriage
	opVitals
	opQueue
	opCount
)

var ltOpNames = [opCount]string{"register walk-in", "call+triage", "triage", "vitals batch", "queue read"}

type ltStats struct {
	mu     sync.Mutex
	lat    [opCount][]time.Duration
	errs   [opCount]int
	firstE error
	// Acknowledged writes, counted back against what is stored.
	encounters, assessments, observations int
}

func (s *ltStats) add(op ltOp, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs[op]++
		if s.firstE == nil {
			s.firstE = fmt.Errorf("%s: %w", ltOpNames[op], err)
		}
		return
	}
	s.lat[op] = append(s.lat[op], d)
	switch op {
	case opWalkIn:
		s.encounters++
	case opCall:
		s.encounters++
		s.assessments++
	case opTriage:
		s.assessments++
	case opVitals:
		s.observations += ltBatch
	}
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(ds)))) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// loadAverage is the 1-minute load average (Linux), "" elsewhere: every
// figure is printed beside it, as the machine may be shared.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return f[0]
}

// runLoadtest: exit 0 done (figures printed), 1 errors, lost writes or a
// broken chain, 2 usage or no database.
func runLoadtest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: triagectl loadtest --db DSN [--workstations N] [--for D] [--burst X] [--rate X] [--connections N] [--seed N]

Simulates N workstations on one database, each at the clinic's evening-peak
rate (350 walk-ins and 1,000 phone calls a day, 20 workstations on duty, 8
monitors, boards re-reading the queue): a walk-in registered every 44 min,
a call registered with its triage every 15 min, a triage every 22 min, a
batch of 30 monitor values every 12.5 s and a queue read every 4 s, as
Poisson arrivals; the middle fifth of the run goes at --burst times that.
Before the clock starts each workstation registers one monitored patient.
Prints per operation the count, throughput, p50, p99, max and errors, the
load average, the acknowledged writes read back (lost writes), and runs
audit verify at the end. Exit 1 on any error, lost write or broken chain.

`)
		fs.PrintDefaults()
	}
	db := fs.String("db", "", "database for the load test: a SQLite file path or a postgres:// URL (required; a database in use is refused)")
	insecure := store.AddInsecurePlaintextFlag(fs)
	n := fs.Int("workstations", 20, "simulated workstations, 1 to 500")
	dur := fs.Duration("for", time.Minute, "how long to run, 5s to 24h")
	burst := fs.Float64("burst", 10, "rate multiplier of the burst (the middle fifth of the run), 1 to 100")
	scale := fs.Float64("rate", 1, "rate multiplier of the whole run (1 = the clinic's peak rate), 0.1 to 1000")
	conns := fs.Int("connections", 0, "database connections in all, one store each, shared by the workstations in turn (default: one per workstation, at most 50)")
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
		nc = min(*n, 50)
	}
	nc = min(nc, *n)
	ctx := context.Background()
	dbOpts := insecure.Options(stderr)
	// One store per connection; workstations share them in turn.
	stores := make([]*store.Store, nc)
	closeAll := func() error {
		var err error
		for _, s := range stores {
			if s != nil {
				if cerr := s.Close(); cerr != nil && err == nil {
					err = cerr
				}
			}
		}
		return err
	}
	for i := range stores {
		s, err := store.Open(ctx, *db, append(dbOpts, store.WithMaxConns(1), store.WithoutCheckpoints())...)
		if err != nil {
			_ = closeAll()
			fmt.Fprintf(stderr, "triagectl loadtest: %v\n", err)
			return 2
		}
		stores[i] = s
	}
	if seq, _, err := stores[0].AuditHead(ctx); err != nil || seq > 0 {
		_ = closeAll()
		fmt.Fprintf(stderr, "triagectl loadtest: %s already holds %d audit entries; the load test writes synthetic patients only into an empty database (%v)\n", *db, seq, err)
		return 2
	}
	// The test writes no accounts: roles are not checked (the account
	// check is one cached lookup per call and is measured by the store
	// benchmarks).
	stats := &ltStats{}
	ws := make([]*ltWorkstation, *n)
	for w := range ws {
		ws[w] = newLTWorkstation(stores[w%nc], w, *seed)
		if err := ws[w].setup(ctx, stats); err != nil {
			_ = closeAll()
			fmt.Fprintf(stderr, "triagectl loadtest: registering the monitored patient of workstation %d: %v\n", w, err)
			return 1
		}
	}
	loadBefore := loadAverage()
	start := time.Now()
	end := start.Add(*dur)
	bFrom, bTo := start.Add(*dur*2/5), start.Add(*dur*3/5)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(ctx, *scale, *burst, end, bFrom, bTo, stats)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	loadAfter := loadAverage()
	// Close links what the stores left unchained; verify then reads the
	// database as audit verify does.
	if err := closeAll(); err != nil {
		fmt.Fprintf(stderr, "triagectl loadtest: closing: %v\n", err)
	}
	fmt.Fprintf(stdout, "loadtest: %d workstations on %s (%d connections), %v, rate x%g, burst x%g in the middle fifth; load average %s at start, %s at end\n",
		*n, stores[0].Backend(), nc, elapsed.Round(time.Second), *scale, *burst, loadBefore, loadAfter)
	return ltReport(ctx, *db, elapsed, stats, stdout, stderr, dbOpts...)
}

// ltWorkstation is one simulated workstation.
type ltWorkstation struct {
	s       *store.Store
	w       int
	rng     *rand.Rand
	a       store.Actor
	monitor ids.Encounter   // the encounter of its monitored patient
	mine    []ids.Encounter // encounters it registered
	batches int
	input   json.RawMessage
}

func newLTWorkstation(s *store.Store, w int, seed uint64) *ltWorkstation {
	svc := store.ServiceReception
	if w%4 != 0 {
		svc = store.ServicePhone
	}
	input, _ := json.Marshal(map[string]any{"loadtest": true})
	return &ltWorkstation{s: s, w: w, rng: rand.New(rand.NewPCG(seed, uint64(w)+1)), input: input,
		a: store.Actor{User: fmt.Sprintf("sykepleier-%03d", w), Workstation: fmt.Sprintf("ws-%03d@loadtest", w), Service: svc}}
}

// setup registers the workstation's monitored patient (not timed).
func (l *ltWorkstation) setup(ctx context.Context, st *ltStats) error {
	r, err := l.s.Register(ctx, l.a, store.Registration{Patient: store.NewPatient{Name: fmt.Sprintf("Syntetisk monitor %d", l.w)},
		Encounter: store.NewEncounter{Channel: store.WalkIn}})
	if err != nil {
		return err
	}
	l.monitor = r.Encounter.ID
	l.mine = append(l.mine, r.Encounter.ID)
	st.mu.Lock()
	st.encounters++
	st.mu.Unlock()
	return nil
}

func (l *ltWorkstation) assessment(enc ids.Encounter) *store.NewAssessment {
	news := l.rng.IntN(8)
	return &store.NewAssessment{EncounterID: enc, Colour: triage.Colour(l.rng.IntN(5)), Target: time.Hour, NEWS2: &news, NEWS2Band: "low",
		EngineVersion: "loadtest", RuleSetVersion: "loadtest", Input: l.input, Result: l.input}
}

func (l *ltWorkstation) run(ctx context.Context, scale, burst float64, end, bFrom, bTo time.Time, st *ltStats) {
	next := [opCount]time.Time{}
	draw := func(op ltOp, t time.Time) time.Time {
		r := scale
		if !t.Before(bFrom) && t.Before(bTo) {
			r *= burst
		}
		mean := float64(ltEvery[op]) / r
		return t.Add(time.Duration(l.rng.ExpFloat64() * mean))
	}
	now := time.Now()
	for op := ltOp(0); op < opCount; op++ {
		next[op] = draw(op, now)
	}
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
		err := l.do(ctx, op)
		st.add(op, time.Since(t0), err)
		next[op] = draw(op, time.Now())
	}
}

// do runs one operation as the workstation's user would cause it.
func (l *ltWorkstation) do(ctx context.Context, op ltOp) error {
	switch op {
	case opWalkIn, opCall:
		reg := store.Registration{Patient: store.NewPatient{Name: fmt.Sprintf("Syntetisk %d-%d", l.w, len(l.mine))},
			Encounter: store.NewEncounter{Channel: store.WalkIn}}
		if op == opCall {
			reg.Encounter.Channel, reg.Assessment = store.Phone, l.assessment(0)
		}
		r, err := l.s.Register(ctx, l.a, reg)
		if err == nil {
			l.mine = append(l.mine, r.Encounter.ID)
		}
		return err
	case opTriage:
		_, err := l.s.AddAssessment(ctx, l.a, *l.assessment(l.mine[l.rng.IntN(len(l.mine))]))
		return err
	case opVitals:
		at := time.Now()
		obs := make([]vitals.Observation, 0, ltBatch)
		for i := 0; i < ltBatch; i++ {
			t := at.Add(time.Duration(i-ltBatch) * time.Second / 6)
			var o vitals.Observation
			switch i % 3 {
			case 0:
				o = vitals.Observation{Kind: vitals.HR, Value: float64(60 + l.rng.IntN(60)), Unit: vitals.PerMin}
			case 1:
				o = vitals.Observation{Kind: vitals.SpO2, Value: float64(90 + l.rng.IntN(10)), Unit: vitals.Percent}
			default:
				o = vitals.Observation{Kind: vitals.RR, Value: float64(12 + l.rng.IntN(12)), Unit: vitals.PerMin}
			}
			o.Source, o.DeviceTime, o.HostTime, o.Quality = fmt.Sprintf("loadtest-monitor-%03d", l.w), t, t, vitals.Valid
			obs = append(obs, o)
		}
		l.batches++
		return l.s.AddObservationBatch(ctx, l.a, l.monitor, fmt.Sprintf("loadtest-%04d-%010d", l.w, l.batches), obs)
	default:
		_, err := l.s.Queue(ctx, l.a, time.Now())
		return err
	}
}

func ltReport(ctx context.Context, dsn string, elapsed time.Duration, st *ltStats, stdout, stderr io.Writer, dbOpts ...store.Option) int {
	fmt.Fprintf(stdout, "%-17s %8s %9s %9s %9s %9s %7s\n", "operation", "count", "per s", "p50", "p99", "max", "errors")
	errs := 0
	for op := ltOp(0); op < opCount; op++ {
		ds := st.lat[op]
		slices.Sort(ds)
		var mx time.Duration
		if len(ds) > 0 {
			mx = ds[len(ds)-1]
		}
		fmt.Fprintf(stdout, "%-17s %8d %9.1f %9s %9s %9s %7d\n", ltOpNames[op], len(ds), float64(len(ds))/elapsed.Seconds(),
			ltDur(pct(ds, 0.50)), ltDur(pct(ds, 0.99)), ltDur(mx), st.errs[op])
		errs += st.errs[op]
	}
	if st.firstE != nil {
		fmt.Fprintf(stderr, "first error: %v\n", st.firstE)
	}
	// audit verify, as `triagectl audit verify` runs it (read-only): one
	// order, every stored clinical row bound, nothing left unchained.
	ro, err := store.Open(ctx, dsn, append(dbOpts, store.WithoutCreate(), store.WithoutUpgrade())...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl loadtest: opening for audit verify: %v\n", err)
		return 1
	}
	defer ro.Close()
	r, err := ro.VerifyAuditWith(ctx, nil)
	if err != nil {
		fmt.Fprintf(stdout, "audit verify: BROKEN: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "audit verify: intact, %d entries in one chain, %d unchained, %d bound rows match\n", r.Entries, r.Unchained, r.Rows)
	// Lost writes: the walk hashed every stored row, so its counts are
	// what is stored; each acknowledged write must be among them.
	type back struct {
		name      string
		ack, have int
	}
	lost := 0
	var parts []string
	for _, b := range []back{
		{"encounters", st.encounters, int(r.RowsIn["encounters"])},
		{"assessments", st.assessments, int(r.RowsIn["assessments"])},
		{"observations", st.observations, int(r.RowsIn["observations"])},
	} {
		lost += max(b.ack-b.have, 0)
		parts = append(parts, fmt.Sprintf("%s %d acknowledged, %d stored", b.name, b.ack, b.have))
	}
	fmt.Fprintf(stdout, "writes read back: %s; %d lost\n", strings.Join(parts, "; "), lost)
	if errs > 0 || lost > 0 {
		return 1
	}
	return 0
}

// ltDur prints a latency to 10 µs.
func ltDur(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }
