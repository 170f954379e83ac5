package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// VerifyAudit reads the log and the head in one snapshot, so an intact
// chain that is being written to meanwhile (every queue read on every
// workstation appends) is reported intact.
func TestVerifyAuditWhileWorkstationsWrite(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		writer, verifier := open(t, path), open(t, path)
		p, _ := admit(t, writer, "Ola", WalkIn, time.Time{})

		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = writer.GetPatient(ctx, nurse, p.ID) // one audited read
			}
		}()
		defer func() { close(stop); wg.Wait() }()

		for i := range 150 {
			_, err := verifier.VerifyAudit(ctx)
			require.NoError(t, err, "verify #%d of an untampered chain while another workstation reads", i)
		}
	})
}

// holdAuditHead makes every writing store transaction on this database
// wait at its start (PostgreSQL: a row lock on audit_txn, the writers'
// lock, as a slow workstation writing would; SQLite: the write lock,
// which every store transaction takes at BEGIN). release lets them go.
func holdAuditHead(t *testing.T, s *Store, dsn string) (waiting func(n int), release func()) {
	t.Helper()
	ctx := context.Background()
	if s.backend == Postgres {
		conn, err := pgx.Connect(ctx, dsn)
		require.NoError(t, err)
		tx, err := conn.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "SELECT 1 FROM audit_txn WHERE id = 1 FOR UPDATE")
		require.NoError(t, err)
		var pid int
		require.NoError(t, conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
		mon, err := pgx.Connect(ctx, dsn)
		require.NoError(t, err)
		t.Cleanup(func() { _ = mon.Close(ctx); _ = conn.Close(ctx) })
		waiting = func(n int) {
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				var k int
				require.NoError(t, mon.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").Scan(&k))
				if k >= n {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			t.Fatalf("fewer than %d transactions reached a lock wait", n)
		}
		return waiting, func() { require.NoError(t, tx.Rollback(ctx)) }
	}
	raw, err := sql.Open("sqlite", s.path+"?_busy_timeout=10000")
	require.NoError(t, err)
	c, err := raw.Conn(ctx)
	require.NoError(t, err)
	_, err = c.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(); _ = raw.Close() })
	return func(int) { time.Sleep(300 * time.Millisecond) }, func() {
		_, err := c.ExecContext(ctx, "ROLLBACK")
		require.NoError(t, err)
	}
}

// behindTheChainLock runs first and then second, each in its own
// goroutine, while the audit chain is held (holdAuditHead), so that both
// have begun and wait at the lock; then it releases the lock and waits for
// both. It is how a race between two workstations is made to happen every
// time, not once in a while.
func behindTheChainLock(t *testing.T, s *Store, dsn string, first, second func()) {
	t.Helper()
	waiting, release := holdAuditHead(t, s, dsn)
	var wg sync.WaitGroup
	for i, f := range []func(){first, second} {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
		waiting(i + 1)
	}
	release()
	wg.Wait()
}

// Two desks editing the same patient at once: one wins, the other gets
// *ConflictError with the current state on both backends (on PostgreSQL the
// chain lock is taken before the version check, as SQLite's BEGIN
// IMMEDIATE does; before, the loser got a generic "0 rows changed").
func TestConcurrentPatientEditsGetAConflict(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		desk1, desk2 := open(t, path), open(t, path)
		p, err := desk1.CreatePatient(ctx, nurse, NewPatient{Name: "Ola"})
		require.NoError(t, err)

		a, b := p, p
		a.Name, b.Name = "Ola Nordmann", "Ola N."
		errs := make([]error, 2)
		behindTheChainLock(t, desk1, path,
			func() { _, errs[0] = desk1.UpdatePatient(ctx, Actor{User: "anne"}, a) },
			func() { _, errs[1] = desk2.UpdatePatient(ctx, Actor{User: "bjorn"}, b) })

		wins := 0
		for _, err := range errs {
			var ce *ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ce):
				assert.Equal(t, p.Version+1, ce.Actual)
			default:
				t.Errorf("a conflicting edit must be *ConflictError with the current patient, got: %v", err)
			}
		}
		assert.Equal(t, 1, wins)
	})
}

// An encounter opened for an unidentified patient while that patient is
// being merged ends up with the identified patient: a merged record keeps
// no encounters.
func TestMergeDuringNewEncounterLeavesNoneBehind(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		desk1, desk2 := open(t, path), open(t, path)
		anon, err := desk1.CreatePatient(ctx, nurse, NewPatient{})
		require.NoError(t, err)
		known, err := desk1.CreatePatient(ctx, nurse, NewPatient{NID: validNID(t, "311270", 0), Name: "Kari Nordmann"})
		require.NoError(t, err)

		var encErr, mergeErr error
		behindTheChainLock(t, desk1, path,
			func() {
				_, encErr = desk1.CreateEncounter(ctx, nurse, NewEncounter{PatientID: anon.ID, Channel: Phone})
			},
			func() { _, mergeErr = desk2.MergePatients(ctx, nurse, anon.ID, known.ID) })
		require.NoError(t, mergeErr)

		left, err := desk1.EncountersForPatient(ctx, nurse, anon.ID)
		require.NoError(t, err)
		assert.Empty(t, left, "a merged record keeps no encounters (CreateEncounter err: %v)", encErr)
	})
}

// A write on an unknown id leaves an audit entry (failed lookups are
// audited too: the attempt is kept even though nothing changed).
func TestFailedLookupsAreAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		known, err := s.CreatePatient(ctx, nurse, NewPatient{Name: "Ola"})
		require.NoError(t, err)
		calls := map[string]func() error{
			"MergePatients": func() error { _, err := s.MergePatients(ctx, nurse, 999, known.ID); return err },
			"CreateEncounter": func() error {
				_, err := s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: 999, Channel: WalkIn})
				return err
			},
			"AddAssessment": func() error { _, err := s.AddAssessment(ctx, nurse, assessment(999, 2)); return err },
			"AddEvent":      func() error { _, err := s.AddEvent(ctx, nurse, NewEvent{EncounterID: 999, Kind: "x"}); return err },
			"AddObservations": func() error {
				return s.AddObservations(ctx, nurse, 999, []vitals.Observation{{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "manual", HostTime: time.Now()}})
			},
		}
		for name, call := range calls {
			before, _, err := s.AuditHead(ctx)
			require.NoError(t, err)
			require.ErrorIs(t, call(), ErrNotFound, name)
			after, _, err := s.AuditHead(ctx)
			require.NoError(t, err)
			assert.Equal(t, before+1, after, "%s of an unknown id must leave an audit entry", name)
		}
	})
}

// A merge running while another desk renames the identified patient never
// overwrites the acknowledged name with a stale one.
func TestMergeDoesNotOverwriteAConcurrentEdit(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		desk1, desk2 := open(t, path), open(t, path)
		anon, err := desk1.CreatePatient(ctx, nurse, NewPatient{Name: "Ukjent kvinne"})
		require.NoError(t, err)
		known, err := desk1.CreatePatient(ctx, nurse, NewPatient{NID: validNID(t, "311270", 0)})
		require.NoError(t, err)

		edit := known
		edit.Name = "Kari Nordmann"
		var editErr, mergeErr error
		behindTheChainLock(t, desk1, path,
			func() { _, editErr = desk1.UpdatePatient(ctx, nurse, edit) },
			func() { _, mergeErr = desk2.MergePatients(ctx, nurse, anon.ID, known.ID) })
		require.NoError(t, mergeErr)

		got, err := desk1.GetPatient(ctx, nurse, known.ID)
		require.NoError(t, err)
		if editErr == nil {
			assert.Equal(t, "Kari Nordmann", got.Name, "the acknowledged edit was overwritten by the merge")
		}
	})
}
