package store

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
)

// unlockAudit removes the database's own guard against editing the audit
// log, as an attacker with direct database access could; the hash chain
// must still reveal the edit.
func unlockAudit(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if s.backend == Postgres {
		_, err := s.db.ExecContext(ctx, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
		require.NoError(t, err)
		return
	}
	for _, tr := range []string{"audit_log_append_only_update", "audit_log_append_only_delete"} {
		_, err := s.db.ExecContext(ctx, "DROP TRIGGER "+tr)
		require.NoError(t, err)
	}
}

// fillAudit performs some audited work and returns the number of entries.
func fillAudit(t *testing.T, s *Store) int64 {
	t.Helper()
	ctx := context.Background()
	p, e := admit(t, s, "Ola", WalkIn, s.now())
	_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
	require.NoError(t, err)
	_, err = s.GetPatient(ctx, nurse, p.ID)
	require.NoError(t, err)
	_, err = s.Queue(ctx, nurse, s.now())
	require.NoError(t, err)
	require.NoError(t, s.chainAll(ctx)) // tests tamper with the chain itself
	n, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	return n
}

func TestAuditRecordsWhoReadAndChangedWhat(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		p, e := admit(t, s, "Ola", WalkIn, s.now())
		reader := Actor{User: "lege-per", Workstation: "kontor-3"}
		_, err := s.GetEncounter(ctx, reader, e.ID)
		require.NoError(t, err)
		_, err = s.GetPatient(ctx, reader, 999)
		require.ErrorIs(t, err, ErrNotFound)

		log, err := s.AuditLog(ctx, nurse, 0, 100)
		require.NoError(t, err)
		var actions []string
		for _, l := range log {
			actions = append(actions, l.Action)
		}
		assert.Equal(t, []string{"patient.create", "encounter.create", "encounter.read", "patient.read"}, actions)
		read := log[2]
		assert.Equal(t, "lege-per", read.Actor)
		assert.Equal(t, "kontor-3", read.Workstation)
		assert.Equal(t, int64(e.ID), read.EntityID)
		assert.Equal(t, p.ID, read.PatientID)
		assert.Equal(t, "not found", log[3].Detail, "a failed lookup is audited too")
		for _, l := range log {
			assert.NotContains(t, l.Detail, "Ola", "audit details never hold patient data")
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  string // SQL, ? = the entry to hit
		wantSeq func(n int64) int64
	}{
		{"an altered detail is found at that entry", "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = ?", func(int64) int64 { return 3 }},
		{"an altered actor is found at that entry", "UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?", func(int64) int64 { return 3 }},
		{"a removed entry is found where it is missing", "DELETE FROM audit_log WHERE seq = ?", func(int64) int64 { return 3 }},
		{"a recomputed hash still breaks the next link", "UPDATE audit_log SET detail = 'x', hash = 'ab' WHERE seq = ?", func(int64) int64 { return 3 }},
		{"entries cut from the end are found by the head", "DELETE FROM audit_log WHERE seq >= ?", func(int64) int64 { return 3 }},
		{"an entry appended outside the store is found", "INSERT INTO audit_log (seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash) SELECT seq + 1000, at, actor, workstation, action, entity, entity_id, patient_id, detail, hash, hash FROM audit_log WHERE seq = ?",
			func(n int64) int64 { return n + 1 }},
	}
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				s := open(t, dsn(t))
				n := fillAudit(t, s)
				require.Greater(t, n, int64(4))
				unlockAudit(t, s)
				_, err := s.db.ExecContext(ctx, s.q(c.tamper), 3)
				require.NoError(t, err)
				if strings.HasPrefix(c.tamper, "INSERT") {
					// Renumber the copy to follow the last entry.
					_, err = s.db.ExecContext(ctx, s.q("UPDATE audit_log SET seq = ? WHERE seq = ?"), n+1, 1003)
					require.NoError(t, err)
				}
				_, err = s.VerifyAudit(ctx)
				var ce *ChainError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, c.wantSeq(n), ce.Seq, "first broken entry: %v", err)
			})
		}
	})
}

func TestAuditLogIsAppendOnlyInTheDatabase(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		s := open(t, dsn(t))
		fillAudit(t, s)
		_, err := s.db.ExecContext(context.Background(), "UPDATE audit_log SET detail = 'x'")
		assert.Error(t, err)
		_, err = s.db.ExecContext(context.Background(), "DELETE FROM audit_log")
		assert.Error(t, err)
	})
}

func TestAuditHeadIsTheLastEntry(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		seq, hash, err := s.AuditHead(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(0), seq)
		assert.Equal(t, genesisHash, hash)
		n := fillAudit(t, s)
		log, err := s.AuditLog(ctx, nurse, n-1, 1)
		require.NoError(t, err)
		require.Len(t, log, 1)
		seq, hash, err = s.AuditHead(ctx)
		require.NoError(t, err)
		// AuditLog appended its own entry after the one it returned.
		assert.Equal(t, n+1, seq)
		assert.NotEqual(t, log[0].Hash, hash)
		prev, err := s.AuditLog(ctx, nurse, n, 1)
		require.NoError(t, err)
		assert.Equal(t, hash, prev[0].Hash)
	})
}

// Several workstations writing at once still produce one unbroken chain
// with consecutive numbers and one entry per call.
func TestAuditChainHoldsUnderConcurrentWorkstations(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		stores := []*Store{open(t, path), open(t, path)}
		const workers, each = 4, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := stores[w%len(stores)]
				for range each {
					if _, err := s.CreatePatient(ctx, Actor{User: "w", Workstation: "ws"}, NewPatient{}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		// Chained or still in the unchained tail: every entry once.
		r, err := stores[0].VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(workers*each), r.Entries+r.Unchained, "one audit entry per created patient")
		require.NoError(t, stores[1].chainAll(ctx))
		n, err := stores[0].VerifyAudit(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(workers*each), n, "one audit entry per created patient, all chained")
	})
}
