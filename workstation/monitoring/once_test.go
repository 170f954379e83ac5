package monitoring

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
)

// flaky is a BatchWriter on the store that can refuse before the commit
// (down, as a stopped database) or commit and then fail (lost, as an
// answer lost with the connection), so that the recorder writes the same
// batch again.
type flaky struct {
	StoreWriter
	mu   sync.Mutex
	down bool
	lost int // the next lost writes commit and then report failure
	rng  *rand.Rand
}

func (f *flaky) fail() (down, lost bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rng != nil { // the killed child: a store that comes and goes
		switch f.rng.IntN(4) {
		case 0:
			return true, false
		case 1:
			return false, true
		}
		return false, false
	}
	if f.lost > 0 {
		f.lost--
		return false, true
	}
	return f.down, false
}

func (f *flaky) AddObservationBatch(ctx context.Context, enc ids.Encounter, id BatchID, obs []vitals.Observation) error {
	down, lost := f.fail()
	if down {
		return errors.New("connection refused")
	}
	if err := f.StoreWriter.AddObservationBatch(ctx, enc, id, obs); err != nil {
		return err
	}
	if lost {
		return errors.New("connection reset after commit")
	}
	return nil
}

// requireQueuedOnce checks that the outbox holds one message per stored
// batch of enc: the observation id ranges are disjoint and cover n rows.
func requireQueuedOnce(t *testing.T, st *store.Store, enc ids.Encounter, n int) {
	t.Helper()
	msgs, err := st.OutboxList(context.Background(), nurse, store.OutboxFilter{EncounterID: enc, Limit: 10000})
	require.NoError(t, err)
	var ranges [][2]int64
	total := int64(0)
	for _, m := range msgs {
		if m.Kind == store.OutboxObservations {
			ranges = append(ranges, [2]int64{m.RefFrom, m.RefTo})
			total += m.RefTo - m.RefFrom + 1
		}
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	for i := 1; i < len(ranges); i++ {
		require.Greater(t, ranges[i][0], ranges[i-1][1], "observations queued twice")
	}
	require.Equal(t, int64(n), total, "every stored value queued for the record once")
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(from, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, n := range names {
		b, err := os.ReadFile(n)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(to, filepath.Base(n)), b, 0o600))
	}
}

// A batch stored from the spool whose file comes back (the process died
// between the commit and the removal), and a batch whose commit's answer
// was lost, are stored once and queued for the record once.
func TestRecorderStoresABatchWrittenAgainOnce(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			require.NoError(t, err)
			defer st.Close()
			require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", []store.OutboxKind{store.OutboxObservations}))
			enc := encounter(t, st)
			spool, saved := filepath.Join(t.TempDir(), "spool"), t.TempDir()
			w := &flaky{StoreWriter: StoreWriter{Store: st, Actor: nurse}, down: true}
			at := time.Now().UTC().Truncate(time.Millisecond)

			// The store is down: everything goes to the spool at Close.
			r := New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
			const n = 150
			for i := range n {
				require.True(t, r.Add(enc, value(i, at)))
			}
			require.Error(t, r.Close())
			copyDir(t, spool, saved)

			// Up again: the spool is stored and its files removed ...
			w.mu.Lock()
			w.down = false
			w.mu.Unlock()
			r = New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
			require.NoError(t, r.Flush(ctx))
			require.NoError(t, r.Close())
			left, _ := filepath.Glob(filepath.Join(spool, "*.json"))
			require.Empty(t, left)
			requireAllStored(t, st, enc, n, at)
			// ... and come back, as after a crash before their removal.
			copyDir(t, saved, spool)
			r = New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
			require.Equal(t, n, r.Stats().Spooled)
			require.NoError(t, r.Flush(ctx))
			require.NoError(t, r.Close())
			requireAllStored(t, st, enc, n, at)
			requireQueuedOnce(t, st, enc, n)

			// A commit whose answer is lost: the batch is retried with
			// its id, and stored once.
			w.mu.Lock()
			w.lost = 1
			w.mu.Unlock()
			r = New(ctx, w, Options{Every: time.Hour, MaxPending: 40, SpoolDir: spool})
			for i := n; i < n+30; i++ {
				require.True(t, r.Add(enc, value(i, at)))
			}
			require.Error(t, r.Flush(ctx))
			for i := n + 30; i < n+35; i++ { // arriving meanwhile
				require.True(t, r.Add(enc, value(i, at)))
			}
			require.NoError(t, r.Flush(ctx))
			require.NoError(t, r.Close())
			requireAllStored(t, st, enc, n+35, at)
			requireQueuedOnce(t, st, enc, n+35)
		})
	}
}

// A spool file of the earlier version (no batch id) gets its id written
// into it before the first attempt: a lost answer then repeats nothing.
func TestRecorderGivesAnOldSpoolFileAnIDBeforeWritingIt(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			require.NoError(t, err)
			defer st.Close()
			enc := encounter(t, st)
			spool := filepath.Join(t.TempDir(), "spool")
			require.NoError(t, os.Mkdir(spool, 0o700))
			at := time.Now().UTC().Truncate(time.Millisecond)
			var obs []vitals.Observation
			for i := range 10 {
				obs = append(obs, value(i, at))
			}
			b, err := json.Marshal(spoolRecord{EncounterID: enc, Observations: obs})
			require.NoError(t, err)
			require.NotContains(t, string(b), "batch_id")
			name := filepath.Join(spool, "1-000001.json")
			require.NoError(t, os.WriteFile(name, b, 0o600))
			w := &flaky{StoreWriter: StoreWriter{Store: st, Actor: nurse}, lost: 1}
			r := New(ctx, w, Options{Every: time.Hour, SpoolDir: spool})
			require.Error(t, r.Flush(ctx))
			rec, err := readSpool(name)
			require.NoError(t, err)
			require.NotEmpty(t, rec.BatchID, "the id is in the file before the first attempt")
			require.NoError(t, r.Flush(ctx))
			require.NoError(t, r.Close())
			requireAllStored(t, st, enc, 10, at)
		})
	}
}

// Environment of the killed child (TestRecorderKilledChild).
const (
	childDSN   = "MONITORING_KILL_DSN"
	childSpool = "MONITORING_KILL_SPOOL"
	childEnc   = "MONITORING_KILL_ENC"
	childRun   = "MONITORING_KILL_RUN"
	childAt    = "MONITORING_KILL_AT"
)

// childRounds and childPerRound bound the child's work: it ends by itself.
const childRounds, childPerRound = 30, 50

// TestRecorderKilledChild is the process TestRecorderLosesAndRepeatsNothingWhenKilled
// kills: rounds of a recorder on a store that refuses, loses answers and
// accepts at random, each round closed (stored or spooled) and then
// acknowledged on stdout as "acked I" (values up to I are durable).
func TestRecorderKilledChild(t *testing.T) {
	dsn := os.Getenv(childDSN)
	if dsn == "" {
		t.Skip("run by TestRecorderLosesAndRepeatsNothingWhenKilled")
	}
	ctx := context.Background()
	enc, _ := strconv.ParseInt(os.Getenv(childEnc), 10, 64)
	run, _ := strconv.Atoi(os.Getenv(childRun))
	atMicro, _ := strconv.ParseInt(os.Getenv(childAt), 10, 64)
	at := time.UnixMicro(atMicro).UTC()
	st, err := store.Open(ctx, dsn)
	require.NoError(t, err)
	w := &flaky{StoreWriter: StoreWriter{Store: st, Actor: nurse}, rng: rand.New(rand.NewPCG(uint64(run), uint64(time.Now().UnixNano())))}
	for round := range childRounds {
		r := New(ctx, w, Options{Every: time.Hour, MaxPending: 20, SpoolDir: os.Getenv(childSpool)})
		for j := range childPerRound {
			r.Add(ids.Encounter(enc), value(childValue(run, round, j), at))
			if j%17 == 16 {
				_ = r.Flush(ctx)
			}
		}
		if err := r.Close(); err == nil || r.Stats().Pending == r.Stats().Spooled {
			fmt.Printf("acked %d\n", childValue(run, round, childPerRound-1))
		}
	}
	require.NoError(t, st.Close())
}

// childValue is the index of value j of a round of a run: distinct over
// all runs, so a value stored twice shows.
func childValue(run, round, j int) int {
	return run*childRounds*childPerRound + round*childPerRound + j
}

// A process writing through the recorder, killed at random points (also
// between a batch's commit and the removal of its spool file), loses no
// acknowledged value and stores none twice, in the database and in the
// outbox to the record.
func TestRecorderLosesAndRepeatsNothingWhenKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			require.NoError(t, err)
			require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", []store.OutboxKind{store.OutboxObservations}))
			enc := encounter(t, st)
			require.NoError(t, st.Close())
			spool := filepath.Join(t.TempDir(), "spool")
			at := time.Now().UTC().Truncate(time.Millisecond)
			const runs = 4
			acked := make([]int, runs)
			rng := rand.New(rand.NewPCG(uint64(at.UnixNano()), 7))
			for run := range runs {
				acked[run] = -1
				cmd := exec.Command(os.Args[0], "-test.run=^TestRecorderKilledChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), childDSN+"="+dsn, childSpool+"="+spool,
					childEnc+"="+strconv.FormatInt(int64(enc), 10), childRun+"="+strconv.Itoa(run),
					childAt+"="+strconv.FormatInt(at.UnixMicro(), 10))
				out, err := cmd.StdoutPipe()
				require.NoError(t, err)
				require.NoError(t, cmd.Start())
				// Kill after a random number of acknowledged rounds, at a
				// random point of the next one.
				killAfter := 1 + rng.IntN(childRounds-5)
				sc := bufio.NewScanner(out)
				seen := 0
				for sc.Scan() {
					if v, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
						acked[run], _ = strconv.Atoi(v)
						if seen++; seen == killAfter {
							time.Sleep(time.Duration(rng.IntN(20000)) * time.Microsecond)
							_ = cmd.Process.Signal(syscall.SIGKILL)
						}
					}
				}
				_ = cmd.Wait()
				t.Logf("run %d: killed after %d acknowledged rounds (value %d)", run, seen, acked[run])
			}

			// The next start takes up the spool and stores it.
			st, err = store.Open(ctx, dsn)
			require.NoError(t, err)
			defer st.Close()
			r := New(ctx, StoreWriter{Store: st, Actor: nurse}, Options{Every: time.Hour, SpoolDir: spool})
			require.NoError(t, r.Close())
			obs, err := st.Observations(ctx, nurse, enc, time.Time{})
			require.NoError(t, err)
			seen := map[time.Time]int{}
			for _, o := range obs {
				seen[o.HostTime]++
				require.Equal(t, 1, seen[o.HostTime], "value at %v stored twice", o.HostTime)
			}
			for run := range runs {
				require.GreaterOrEqual(t, acked[run], 0, "run %d acknowledged nothing", run)
				for i := childValue(run, 0, 0); i <= acked[run]; i++ {
					require.Equal(t, 1, seen[value(i, at).HostTime.UTC()], "acknowledged value %d of run %d lost", i, run)
				}
			}
			requireQueuedOnce(t, st, enc, len(obs))
		})
	}
}
