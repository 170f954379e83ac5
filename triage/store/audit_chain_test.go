package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// openTail opens a store whose entries go to the unchained tail on both
// backends (SQLite defers them as PostgreSQL always does) and whose
// background chainer is stopped, so the tail stays as the test leaves it.
func openTail(t *testing.T, dsn string) *Store {
	t.Helper()
	s := open(t, dsn, withDeferredChain())
	require.True(t, s.unchained, "entries go to the tail")
	c := s.chain
	s.chain = nil
	close(c.stop)
	<-c.finished
	return s
}

// tailWork registers a patient with a triage, adds vitals, reads the
// queue and the patient: entries that bind rows and entries that do not.
func tailWork(t *testing.T, s *Store, name string) Encounter {
	t.Helper()
	ctx := context.Background()
	p, e := admit(t, s, name, WalkIn, s.now())
	_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
	require.NoError(t, err)
	require.NoError(t, s.AddObservations(ctx, nurse, e.ID, []vitals.Observation{
		{Kind: vitals.HR, Value: 96, Unit: vitals.PerMin, Source: "manual", HostTime: s.now(), Quality: vitals.Valid},
	}))
	_, err = s.Queue(ctx, nurse, s.now())
	require.NoError(t, err)
	_, err = s.GetPatient(ctx, nurse, p.ID)
	require.NoError(t, err)
	return e
}

// Entries committed to the tail are checked by verify before they are
// chained (the rows they bind included), and chaining links each exactly
// once, in one order, with the rows still matching.
func TestUnchainedTailIsVerifiedThenChainedOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := openTail(t, dsn(t))
		tailWork(t, s, "Ola")
		r, err := s.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, r.Entries, "nothing chained yet")
		require.Greater(t, r.Unchained, int64(4))
		assert.EqualValues(t, 1, r.RowsIn["assessments"], "a row bound by a tail entry is checked")
		tail := r.Unchained

		require.NoError(t, s.chainAll(ctx))
		r, err = s.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, tail, r.Entries, "every tail entry chained")
		assert.Zero(t, r.Unchained)
		assert.EqualValues(t, 1, r.RowsIn["assessments"])

		require.NoError(t, s.chainAll(ctx))
		n, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		assert.Equal(t, tail, n, "chaining again adds nothing")
	})
}

// Several workstations write and read while several chainers link the
// tail: every acknowledged call has exactly one entry, the chain is one
// unbroken order, and no chainer links an entry twice.
func TestChainersRacingLinkEveryEntryOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		stores := []*Store{openTail(t, path), openTail(t, path), openTail(t, path)}
		const workers, each = 4, 8
		var wg sync.WaitGroup
		stop := make(chan struct{})
		chainErrs := make(chan error, 100)
		for _, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, _, err := s.chainOnce(ctx, false); err != nil {
						chainErrs <- err
						return
					}
				}
			}()
		}
		var work sync.WaitGroup
		errs := make(chan error, 2*workers*each)
		for w := range workers {
			work.Add(1)
			go func() {
				defer work.Done()
				s := stores[w%len(stores)]
				a := Actor{User: "w", Workstation: "ws"}
				for i := range each {
					if _, err := s.CreatePatient(ctx, a, NewPatient{}); err != nil {
						errs <- err
					}
					// A workstation of its own per read: a repeated list
					// read would not be logged again (auditList).
					r := a
					r.Workstation = fmt.Sprintf("ws-%d-%d", w, i)
					if _, err := s.Queue(ctx, r, s.now()); err != nil {
						errs <- err
					}
				}
			}()
		}
		work.Wait()
		close(stop)
		wg.Wait()
		close(errs)
		close(chainErrs)
		for err := range errs {
			require.NoError(t, err)
		}
		for err := range chainErrs {
			require.NoError(t, err)
		}
		require.NoError(t, stores[2].chainAll(ctx))
		r, err := stores[0].VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, r.Unchained)
		assert.Equal(t, int64(2*workers*each), r.Entries, "one entry per call, each chained once")
		assert.EqualValues(t, workers*each, r.RowsIn["patients"])
	})
}

// A process that dies after committing leaves its entries in the tail:
// nothing is lost, verify reports and checks them, and the next store
// that opens the database links them.
func TestEntriesLeftUnchainedByADeadProcessAreLinkedAtOpen(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s, err := Open(ctx, path, withDeferredChain(), WithoutCheckpoints())
		require.NoError(t, err)
		c := s.chain
		s.chain = nil
		close(c.stop)
		<-c.finished
		tailWork(t, s, "Kari")
		// Dies: the connection goes without Close (which would chain).
		require.NoError(t, s.db.Close())

		ro := open(t, path, WithoutCreate(), WithoutUpgrade())
		r, err := ro.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		tail := r.Unchained
		require.Greater(t, tail, int64(4))
		assert.Zero(t, r.Entries, "a read-only store chains nothing")

		s2 := open(t, path, withDeferredChain())
		r, err = s2.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, r.Unchained)
		assert.Equal(t, tail, r.Entries)
		assert.EqualValues(t, 1, r.RowsIn["assessments"])
		assert.EqualValues(t, 1, r.RowsIn["observations"])
	})
}

// The tail is guarded like the log: an entry cannot be changed, nor
// removed unless it is in the chain; with the guards dropped, a changed
// row hash, an entry removed from under its rows and a clinical row
// edited while its binding is still in the tail are each found.
func TestUnchainedTailTamperingIsFound(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s := openTail(t, path)
		e := tailWork(t, s, "Per")
		for _, q := range []string{"UPDATE audit_unchained SET detail = 'x'", "DELETE FROM audit_unchained", "UPDATE audit_unchained_rows SET hash = 'x'", "DELETE FROM audit_unchained_rows"} {
			_, err := s.db.ExecContext(ctx, q)
			require.Error(t, err, q)
		}
		unguardTail(t, s)

		_, err := s.db.ExecContext(ctx, s.q("UPDATE observations SET value = 60 WHERE encounter_id = ?"), e.ID)
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		var re *ContentError
		require.ErrorAs(t, err, &re, "a row edited while its binding is in the tail")
		assert.Equal(t, "observations", re.Table)
		_, err = s.db.ExecContext(ctx, s.q("UPDATE observations SET value = 96 WHERE encounter_id = ?"), e.ID)
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "restored")

		_, err = s.db.ExecContext(ctx, "UPDATE audit_unchained_rows SET hash = 'x' WHERE tbl = 'assessments'")
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		var ce *ChainError
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, ce.Reason, "unchained entry")

		_, err = s.db.ExecContext(ctx, "DELETE FROM audit_unchained WHERE action = 'assessment.create'")
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, ce.Reason, "not in the tail")
	})
}

// unguardTail drops the tail's guards as an attacker with direct database
// access could.
func unguardTail(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if s.backend == Postgres {
		for _, tb := range []string{"audit_unchained", "audit_unchained_rows"} {
			_, err := s.db.ExecContext(ctx, "ALTER TABLE "+tb+" DISABLE TRIGGER USER")
			require.NoError(t, err)
		}
		return
	}
	for _, tr := range []string{"audit_unchained_no_update", "audit_unchained_leave", "audit_unchained_rows_no_update", "audit_unchained_rows_leave"} {
		_, err := s.db.ExecContext(ctx, "DROP TRIGGER "+tr)
		require.NoError(t, err)
	}
}

// A queue read on PostgreSQL takes no lock: it completes while a writer
// holds the writers' lock (before, every store transaction queued on the
// chain head's row lock).
func TestQueueReadDoesNotWaitForAWriter(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		path := dsn(t)
		s := open(t, path)
		if s.backend != Postgres {
			t.Skip("SQLite has one writer; its reads write their audit entry under it")
		}
		ctx := context.Background()
		admit(t, s, "Liv", WalkIn, s.now())
		_, release := holdAuditHead(t, s, path)
		defer release()
		// The lock is released only after the read: a read that waited
		// for it would end with the deadline (a guard, not a measurement).
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err := s.Queue(ctx, nurse, s.now())
		require.NoError(t, err)
	})
}

// A monitor's batch takes no writers' lock on PostgreSQL: it is stored
// while another workstation's write holds that lock.
func TestVitalsBatchDoesNotWaitForAWriter(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		path := dsn(t)
		s := open(t, path)
		if s.backend != Postgres {
			t.Skip("SQLite has one writer")
		}
		_, e := admit(t, s, "Liv", WalkIn, s.now())
		_, release := holdAuditHead(t, s, path)
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, s.AddObservationBatch(ctx, nurse, e.ID, "batch-0123456789abcdef", monitorValues(s.now())))
	})
}

// The same batch written twice at once (a retry racing the first
// attempt) is stored once; both calls succeed. Both are started while
// the encounter is held, so they race every time.
func TestABatchRacingItsRetryIsStoredOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s := open(t, path)
		_, e := admit(t, s, "Ivar", WalkIn, s.now())
		obs := monitorValues(s.now())
		var errs [2]error
		write := func(i int) func() {
			return func() { errs[i] = s.AddObservationBatch(ctx, nurse, e.ID, "batch-race-0123456789", obs) }
		}
		if s.backend == Postgres {
			behindTheEncounter(t, s, path, e.ID, write(0), write(1))
		} else {
			behindTheChainLock(t, s, path, write(0), write(1))
		}
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		got, err := s.Observations(ctx, nurse, e.ID, time.Time{})
		require.NoError(t, err)
		assert.Len(t, got, len(obs), "stored once")
		r, err := s.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.EqualValues(t, len(obs), r.RowsIn["observations"])
	})
}

// monitorValues is a monitor's batch: device values (queue-neutral).
func monitorValues(at time.Time) []vitals.Observation {
	var out []vitals.Observation
	for i := 0; i < 6; i++ {
		out = append(out, vitals.Observation{Kind: vitals.HR, Value: float64(80 + i), Unit: vitals.PerMin, Source: "monitor-1",
			DeviceTime: at.Add(time.Duration(i) * time.Second), HostTime: at.Add(time.Duration(i) * time.Second), Quality: vitals.Valid})
	}
	return out
}

// behindTheEncounter is behindTheChainLock for an encounter's row lock
// (PostgreSQL), which appends to the encounter take.
func behindTheEncounter(t *testing.T, s *Store, dsn string, id ids.Encounter, first, second func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	mon, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = mon.Close(ctx); _ = conn.Close(ctx) })
	tx, err := conn.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "SELECT 1 FROM encounters WHERE id = $1 FOR UPDATE", id)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i, f := range []func(){first, second} {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
		for {
			var k int
			require.NoError(t, mon.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").Scan(&k))
			if k >= i+1 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	require.NoError(t, tx.Rollback(ctx))
	wg.Wait()
}

// A store limited to one connection (as the load test opens its stores)
// never waits for itself: the periodic look-up for accounts, when it
// falls inside a transaction, runs on that transaction's connection.
func TestOneConnectionStoreLooksUpAccountsInItsTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		s := open(t, dsn(t), WithMaxConns(1))
		ctx := context.Background()
		err := s.do(ctx, nurse, func(tx *txn) error {
			s.enforceChecked.Store(0) // the look-up is due now, inside the transaction
			return tx.audit(ctx, "queue.read", "queue", 0, 0, "count=0")
		})
		require.NoError(t, err)
	})
}
