package monitoring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/triage/vitals"
)

var nurse = store.Actor{User: "kari", Workstation: "obs-1"}

// dsns gives a fresh database per backend: a SQLite file, and a PostgreSQL
// schema of its own when DATABASE_URL is set.
func dsns(t *testing.T) map[string]string {
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "triage.db")}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Log("DATABASE_URL not set: PostgreSQL backend skipped")
		return out
	}
	out["postgres"] = storetest.Schema(t, url)
	return out
}

// swappable is the store as a long-running workstation sees it: it can be
// closed under the recorder and opened again (a new *store.Store).
type swappable struct {
	mu sync.Mutex
	st *store.Store
}

func (s *swappable) get() *store.Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *swappable) set(st *store.Store) {
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
}

func (s *swappable) AddObservations(ctx context.Context, a store.Actor, enc ids.Encounter, obs []vitals.Observation) error {
	return s.get().AddObservations(ctx, a, enc, obs)
}

// failing refuses writes while down is set, as a database that is stopped.
type failing struct {
	Writer
	mu      sync.Mutex
	down    bool
	refused int
}

func (f *failing) setDown(d bool) {
	f.mu.Lock()
	f.down = d
	f.mu.Unlock()
}

func (f *failing) AddObservations(ctx context.Context, enc ids.Encounter, obs []vitals.Observation) error {
	f.mu.Lock()
	if f.down {
		f.refused++
		f.mu.Unlock()
		return errors.New("connection refused")
	}
	f.mu.Unlock()
	return f.Writer.AddObservations(ctx, enc, obs)
}

func value(i int, at time.Time) vitals.Observation {
	return vitals.Observation{Kind: vitals.HR, Value: float64(60 + i%100), Unit: vitals.PerMin, Source: "mon-1",
		HostTime: at.Add(time.Duration(i) * time.Millisecond), Quality: vitals.Valid}
}

func encounter(t *testing.T, st *store.Store) ids.Encounter {
	t.Helper()
	r, err := st.Register(context.Background(), nurse, store.Registration{Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	return r.Encounter.ID
}

// requireAllStored checks that exactly the n values 0..n-1 are stored once.
func requireAllStored(t *testing.T, st *store.Store, enc ids.Encounter, n int, at time.Time) {
	t.Helper()
	obs, err := st.Observations(context.Background(), nurse, enc, time.Time{})
	require.NoError(t, err)
	seen := map[time.Time]int{}
	for _, o := range obs {
		seen[o.HostTime]++
	}
	for i := range n {
		require.Equal(t, 1, seen[value(i, at).HostTime.UTC()], "value %d stored exactly once", i)
	}
	require.Len(t, obs, n)
}

func TestRecorderLosesNothingWhileTheStoreFailsForAWhile(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			require.NoError(t, err)
			defer st.Close()
			enc := encounter(t, st)
			w := &failing{Writer: StoreWriter{Store: st, Actor: nurse}}
			r := New(ctx, w, Options{Every: time.Hour})
			at := time.Now().UTC().Truncate(time.Millisecond)
			const n = 300
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // a monitor sending while the store comes and goes
				defer wg.Done()
				for i := range n {
					assert.True(t, r.Add(enc, value(i, at)))
				}
			}()
			for round := range 6 {
				w.setDown(round%2 == 0)
				err := r.Flush(ctx)
				if round%2 == 0 && r.Stats().Pending > 0 {
					require.Error(t, err, "a refused write is reported")
				}
			}
			wg.Wait()
			w.setDown(true)
			for i := n; i < n+10; i++ {
				r.Add(enc, value(i, at))
			}
			require.Error(t, r.Flush(ctx))
			assert.Positive(t, r.Stats().Pending, "kept while the store is down")
			select {
			case <-r.Failed():
			default:
				t.Fatal("a failed flush is signalled for the nurse")
			}
			w.setDown(false)
			require.NoError(t, r.Close())
			assert.Positive(t, w.refused)
			s := r.Stats()
			assert.Equal(t, n+10, s.Stored)
			assert.Zero(t, s.Pending)
			requireAllStored(t, st, enc, n+10, at)
		})
	}
}

func TestRecorderSurvivesTheStoreClosedAndReopened(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			require.NoError(t, err)
			enc := encounter(t, st)
			sw := &swappable{st: st}
			r := New(ctx, StoreWriter{Store: sw, Actor: nurse}, Options{Every: time.Hour})
			at := time.Now().UTC().Truncate(time.Millisecond)
			for i := range 50 {
				r.Add(enc, value(i, at))
			}
			require.NoError(t, r.Flush(ctx))

			require.NoError(t, st.Close()) // the database goes away under the recorder
			for i := 50; i < 120; i++ {
				r.Add(enc, value(i, at))
			}
			err = r.Flush(ctx)
			require.ErrorIs(t, err, store.ErrClosed)
			assert.Equal(t, 70, r.Stats().Pending)

			st2, err := store.Open(ctx, dsn) // and comes back
			require.NoError(t, err)
			defer st2.Close()
			sw.set(st2)
			for i := 120; i < 150; i++ {
				r.Add(enc, value(i, at))
			}
			require.NoError(t, r.Close())
			requireAllStored(t, st2, enc, 150, at)
		})
	}
}

func TestRecorderSpoolsBeyondItsBoundAndWritesTheSpoolLater(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	enc := encounter(t, st)
	spool := filepath.Join(dir, "spool")
	w := &failing{Writer: StoreWriter{Store: st, Actor: nurse}, down: true}
	r := New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
	at := time.Now().UTC().Truncate(time.Millisecond)
	const n = 500
	for i := range n {
		require.True(t, r.Add(enc, value(i, at)))
		require.LessOrEqual(t, r.Stats().Pending-r.Stats().Spooled, 40, "memory stays within the bound")
	}
	require.Error(t, r.Flush(ctx))
	s := r.Stats()
	assert.Equal(t, n, s.Pending, "nothing dropped")
	assert.Positive(t, s.Spooled)
	assert.False(t, s.OverBound)

	// The store is still down when the workstation closes: everything is
	// kept in the spool, and the error says so.
	err = r.Close()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "kept in "+spool)
	files, _ := filepath.Glob(filepath.Join(spool, "*.json"))
	assert.NotEmpty(t, files)
	for _, f := range files {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "spool files are owner-only")
	}

	// The next start takes the spool up and writes it.
	w.setDown(false)
	r2 := New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
	assert.Equal(t, n, r2.Stats().Pending)
	require.NoError(t, r2.Close())
	requireAllStored(t, st, enc, n, at)
	files, _ = filepath.Glob(filepath.Join(spool, "*.json*"))
	assert.Empty(t, files, "written spool files are removed")
}

func TestRecorderRefusesValuesTheStoreWouldRefuse(t *testing.T) {
	r := New(context.Background(), &failing{down: true}, Options{Every: time.Hour})
	defer func() { _ = r.Close() }()
	at := time.Now()
	good := value(1, at)
	for name, o := range map[string]vitals.Observation{
		"kind": {Kind: "x", Value: 1, Unit: vitals.PerMin, Source: "m", HostTime: at},
		"time": {Kind: vitals.HR, Value: 1, Unit: vitals.PerMin, Source: "m"},
		"unit": {Kind: vitals.HR, Value: 1, Source: "m", HostTime: at},
	} {
		assert.False(t, r.Add(1, o), name)
	}
	assert.False(t, r.Add(0, good), "no encounter")
	assert.True(t, r.Add(1, good))
	assert.Equal(t, 1, r.Stats().Pending)
}

// BenchmarkRecorderAdd is the cost on the monitor's path of buffering one
// value (the write happens later, off that path).
func BenchmarkRecorderAdd(b *testing.B) {
	r := New(context.Background(), &failing{down: true}, Options{Every: time.Hour, MaxPending: 1 << 30})
	o := value(1, time.Now())
	b.ReportAllocs()
	for b.Loop() {
		r.Add(42, o)
	}
}

func TestOneRecorderPerSpoolDirectory(t *testing.T) {
	spool := filepath.Join(t.TempDir(), "spool")
	w := &failing{down: true}
	a := New(context.Background(), w, Options{Every: time.Hour, SpoolDir: spool})
	b := New(context.Background(), w, Options{Every: time.Hour, SpoolDir: spool})
	assert.NoError(t, a.Stats().SpoolErr)
	require.Error(t, b.Stats().SpoolErr, "a second recorder does not take another's spool")
	assert.Contains(t, b.Stats().SpoolErr.Error(), "in use by another recorder")
	_ = a.Close()
	c := New(context.Background(), w, Options{Every: time.Hour, SpoolDir: spool})
	assert.NoError(t, c.Stats().SpoolErr, "the lock goes with its recorder")
	_ = c.Close()
	_ = b.Close()
}
