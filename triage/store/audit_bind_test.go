package store

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// TestMain keeps the default checkpoint key and directory of every store
// these tests open in a temporary home, not the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "store-test-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// unguard drops the database's own guards (immutability triggers) as an
// attacker with direct database access could.
func unguard(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if s.backend == Postgres {
		for _, tb := range []string{"assessments", "audit_log", "audit_rows", "encounter_events"} {
			_, err := s.db.ExecContext(ctx, "ALTER TABLE "+tb+" DISABLE TRIGGER USER")
			require.NoError(t, err)
		}
		return
	}
	for _, tr := range []string{"assessments_immutable_update", "assessments_immutable_delete", "audit_log_append_only_update",
		"audit_log_append_only_delete", "audit_rows_append_only_update", "audit_rows_append_only_delete"} {
		_, err := s.db.ExecContext(ctx, "DROP TRIGGER "+tr)
		require.NoError(t, err)
	}
}

// clinicalDay records one patient with an encounter, an assessment and a
// batch of vitals, and returns the ids.
func clinicalDay(t *testing.T, s *Store) (Patient, Encounter, Assessment) {
	t.Helper()
	ctx := context.Background()
	p, e := admit(t, s, "Ola", WalkIn, s.now())
	a, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Orange))
	require.NoError(t, err)
	require.NoError(t, s.AddObservations(ctx, nurse, e.ID, []vitals.Observation{
		{Kind: vitals.HR, Value: 112, Unit: vitals.PerMin, Source: "manual", HostTime: s.now(), Quality: vitals.Valid},
		{Kind: vitals.SpO2, Value: 93, Unit: vitals.Percent, Source: "manual", HostTime: s.now(), Quality: vitals.Valid},
	}))
	_, err = s.Queue(ctx, nurse, s.now())
	require.NoError(t, err)
	// Linked now: tests tamper with the chain itself.
	require.NoError(t, s.chainAll(context.Background()))
	return p, e, a
}

// Every clinical row's content is bound into the chain: an edit made
// outside the store (a colour, a vital, an identity) is found and named.
func TestAuditVerifyFindsClinicalRowsEditedOutsideTheStore(t *testing.T) {
	cases := []struct {
		name, table, sql string
	}{
		{"an assessment's colour", "assessments", "UPDATE assessments SET colour = 4 WHERE id = ?"},
		{"an encounter's colour", "encounters", "UPDATE encounters SET colour = 4 WHERE id = ?"},
		{"a vital", "observations", "UPDATE observations SET value = 72 WHERE id = (SELECT min(id) FROM observations WHERE encounter_id = ?)"},
		{"an identity", "patients", "UPDATE patients SET name = 'Kari' WHERE id = ?"},
		{"a sex (schema 10)", "patients", "UPDATE patients SET sex = 'male' WHERE id = ?"},
		{"an inserted vital", "observations", "INSERT INTO observations (encounter_id, kind, value, unit, source, host_time, quality) SELECT encounter_id, kind, 40, unit, source, host_time, quality FROM observations WHERE encounter_id = ? LIMIT 1"},
		{"a deleted vital", "observations", "DELETE FROM observations WHERE id = (SELECT max(id) FROM observations WHERE encounter_id = ?)"},
	}
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				s := open(t, dsn(t))
				p, e, a := clinicalDay(t, s)
				_, err := s.VerifyAudit(ctx)
				require.NoError(t, err, "intact before the edit")
				unguard(t, s)
				id := map[string]any{"assessments": a.ID, "encounters": e.ID, "observations": e.ID, "patients": p.ID}[c.table]
				_, err = s.db.ExecContext(ctx, s.q(c.sql), id)
				require.NoError(t, err)
				_, err = s.VerifyAudit(ctx)
				var ce *ContentError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, c.table, ce.Table)
				assert.True(t, Tampered(err))
				assert.NotContains(t, err.Error(), "Kari", "the error names rows, never their content")

				// The next honest write does not launder the edit.
				_, err = s.CreatePatient(ctx, nurse, NewPatient{Name: "Per"})
				require.NoError(t, err)
				_, err = s.VerifyAudit(ctx)
				require.ErrorAs(t, err, &ce, "still found after another write")
			})
		}
	})
}

// The row hashes kept under an entry are themselves in the entry's hash.
func TestAuditVerifyFindsAlteredRowHashes(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, _, a := clinicalDay(t, s)
		unguard(t, s)
		// Edit the colour and the recorded hash to match it.
		_, err := s.db.ExecContext(ctx, s.q("UPDATE assessments SET colour = 4 WHERE id = ?"), a.ID)
		require.NoError(t, err)
		var hash string
		err = func() error {
			rows, err := s.db.QueryContext(ctx, s.q("SELECT "+colsOf("assessments")+" FROM assessments WHERE id = ?"), a.ID)
			if err != nil {
				return err
			}
			defer rows.Close()
			bt, _ := boundTableNamed("assessments")
			return bt.scanRows(rows, func(d rowDigest) error { hash = d.hash; return nil })
		}()
		require.NoError(t, err)
		_, err = s.db.ExecContext(ctx, s.q("UPDATE audit_rows SET hash = ? WHERE tbl = 'assessments' AND row_id = ?"), hash, a.ID)
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		var ce *ChainError
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, ce.Reason, "row hashes")
	})
}

func colsOf(table string) string {
	bt, _ := boundTableNamed(table)
	out := ""
	for i, c := range bt.cols {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

func TestBoundTablesListAKindPerColumn(t *testing.T) {
	for _, bt := range boundTables {
		assert.Len(t, bt.kinds, len(bt.cols), bt.name)
	}
}

// cpStore opens a store writing checkpoints to its own directory and key.
func cpStore(t *testing.T, dsn string) (s *Store, dir string, keys []ed25519.PublicKey) {
	t.Helper()
	base := t.TempDir()
	dir, key := filepath.Join(base, "checkpoints"), filepath.Join(base, "key", "checkpoint.key")
	s = open(t, dsn, WithCheckpoints(dir, key))
	keys, err := ReadPublicKeys(key + ".pub")
	require.NoError(t, err)
	return s, dir, keys
}

// rewriteChain recomputes every hash from entry from on after changing
// that entry's detail, and sets the head to match: what someone who can
// write the database and knows the algorithm can do. Plain verification
// then passes.
func rewriteChain(t *testing.T, s *Store, from int64, detail string) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.chainAll(ctx))
	rows, err := s.db.QueryContext(ctx, "SELECT "+s.entryColumns()+" FROM audit_log ORDER BY seq")
	require.NoError(t, err)
	var all []AuditEntry
	for rows.Next() {
		e, err := s.scanEntry(rows)
		require.NoError(t, err)
		all = append(all, e)
	}
	require.NoError(t, rows.Close())
	prev := genesisHash
	for i := range all {
		e := &all[i]
		if e.Seq == from {
			e.Detail = detail
		}
		if e.Seq >= from {
			e.PrevHash = prev
			e.Hash = chainHash(prev, *e)
			_, err := s.db.ExecContext(ctx, s.q("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?"), e.Detail, e.PrevHash, e.Hash, e.Seq)
			require.NoError(t, err)
		}
		prev = e.Hash
	}
	_, err = s.db.ExecContext(ctx, s.q("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), all[len(all)-1].Seq, prev)
	require.NoError(t, err)
}

func loadCPs(t *testing.T, s *Store, dir string, keys []ed25519.PublicKey) []Checkpoint {
	t.Helper()
	cps, err := LoadCheckpoints(dir, s.StoreID(), keys)
	require.NoError(t, err)
	require.NotEmpty(t, cps)
	return cps
}

// A log recomputed and rewritten whole passes the plain chain check but
// not the signed checkpoints written before.
func TestCheckpointsFindARecomputedLog(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s, dir, keys := cpStore(t, dsn(t))
		clinicalDay(t, s)
		require.NoError(t, s.chainAll(ctx))
		require.NoError(t, s.cp.flush())
		unguard(t, s)
		rewriteChain(t, s, 2, "nothing happened")
		_, err := s.VerifyAudit(ctx)
		require.NoError(t, err, "the recomputed chain is consistent in itself")
		_, err = s.VerifyAuditWith(ctx, loadCPs(t, s, dir, keys))
		var pe *CheckpointError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, "rewritten")
	})
}

// A tail cut with the head set back to match passes the chain check; the
// checkpoint of the cut entries does not.
func TestCheckpointsFindACutTailWithTheHeadSetBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s, dir, keys := cpStore(t, dsn(t))
		clinicalDay(t, s)
		for i := 0; i < 3; i++ {
			_, err := s.Queue(ctx, nurse, s.now()) // reads: entries that bind no rows
			require.NoError(t, err)
		}
		require.NoError(t, s.chainAll(ctx)) // checkpoints sign the chained head
		require.NoError(t, s.cp.flush())
		head, _, err := s.AuditHead(ctx)
		require.NoError(t, err)
		unguard(t, s)
		_, err = s.db.ExecContext(ctx, s.q("DELETE FROM audit_log WHERE seq > ?"), head-3)
		require.NoError(t, err)
		var hash string
		require.NoError(t, s.db.QueryRowContext(ctx, s.q("SELECT hash FROM audit_log WHERE seq = ?"), head-3).Scan(&hash))
		_, err = s.db.ExecContext(ctx, s.q("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), head-3, hash)
		require.NoError(t, err)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "without checkpoints the cut is invisible")
		_, err = s.VerifyAuditWith(ctx, loadCPs(t, s, dir, keys))
		var pe *CheckpointError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, "rolled back")
	})
}

// A SQLite file replaced by an older copy of itself is found by the
// checkpoints the store wrote since (also the one written at Close).
func TestCheckpointsFindARolledBackFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db", "triage.db")
	base := t.TempDir()
	dir, key := filepath.Join(base, "cp"), filepath.Join(base, "k", "checkpoint.key")
	s, err := Open(ctx, path, WithCheckpoints(dir, key))
	require.NoError(t, err)
	clinicalDay(t, s)
	require.NoError(t, s.Close())
	old, err := os.ReadFile(path)
	require.NoError(t, err)

	s, err = Open(ctx, path, WithCheckpoints(dir, key))
	require.NoError(t, err)
	clinicalDay(t, s)
	require.NoError(t, s.Close()) // writes the final checkpoint
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil {
			require.ErrorIs(t, err, os.ErrNotExist)
		}
	}
	require.NoError(t, os.WriteFile(path, old, 0o600))

	ro, err := Open(ctx, path, WithoutCreate(), WithoutUpgrade())
	require.NoError(t, err)
	defer ro.Close()
	_, err = ro.VerifyAudit(ctx)
	require.NoError(t, err, "the old copy is consistent in itself")
	keys, err := ReadPublicKeys(key + ".pub")
	require.NoError(t, err)
	cps, err := LoadCheckpoints(dir, ro.StoreID(), keys)
	require.NoError(t, err)
	_, err = ro.VerifyAuditWith(ctx, cps)
	var pe *CheckpointError
	require.ErrorAs(t, err, &pe)
}

// A forged or altered checkpoint, or one signed by another key, is
// refused; checkpoint files and keys are owner-only.
func TestCheckpointsAreSignedAndOwnerOnly(t *testing.T) {
	ctx := context.Background()
	s, dir, keys := cpStore(t, filepath.Join(t.TempDir(), "triage.db"))
	clinicalDay(t, s)
	require.NoError(t, s.cp.flush())
	file := checkpointFile(dir, s.StoreID())
	for _, p := range []string{file, dir} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Zero(t, fi.Mode().Perm()&0o077, "%s is owner-only", p)
	}
	cps := loadCPs(t, s, dir, keys)
	r, err := s.VerifyAuditWith(ctx, cps)
	require.NoError(t, err)
	assert.Equal(t, len(cps), r.Checkpoints)

	// Move a checkpoint back to an older entry, keeping its signature.
	c := cps[len(cps)-1]
	c.Seq--
	line, _ := json.Marshal(c)
	require.NoError(t, appendOwnerOnly(file, append(line, '\n')))
	_, err = LoadCheckpoints(dir, s.StoreID(), keys)
	var pe *CheckpointError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "signature")

	other, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	_, err = LoadCheckpoints(dir, s.StoreID(), []ed25519.PublicKey{other})
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "not among the keys")
}

// A store that writes checkpoints every interval has, after Close, a
// checkpoint of its last entry; an existing wider key file is tightened.
func TestCheckpointAtCloseRecordsTheHead(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir, key := filepath.Join(base, "cp"), filepath.Join(base, "k", "checkpoint.key")
	path := filepath.Join(t.TempDir(), "triage.db")
	s, err := Open(ctx, path, WithCheckpoints(dir, key))
	require.NoError(t, err)
	clinicalDay(t, s)
	seq, hash, err := s.AuditHead(ctx)
	require.NoError(t, err)
	id := s.StoreID()
	require.NoError(t, s.Close())
	keys, err := ReadPublicKeys(key + ".pub")
	require.NoError(t, err)
	cps, err := LoadCheckpoints(dir, id, keys)
	require.NoError(t, err)
	last := cps[len(cps)-1]
	assert.Equal(t, seq, last.Seq)
	assert.Equal(t, hash, last.Hash)

	require.NoError(t, os.Chmod(key, 0o644))
	_, err = LoadOrCreateCheckpointKey(key)
	require.NoError(t, err)
	fi, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

// The key and checkpoints may not live in the database's own directory.
func TestCheckpointsRefuseTheDatabaseDirectory(t *testing.T) {
	dbDir := t.TempDir()
	_, err := Open(context.Background(), filepath.Join(dbDir, "triage.db"), WithCheckpoints(dbDir, ""))
	require.ErrorIs(t, err, ErrInvalid)
}

// Rows written before schema 5 are bound once, when the store migrates.
func TestRowsOfAnOlderSchemaAreBoundOnUpgrade(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s, err := Open(ctx, path, withSchemaLimit(accessSchema))
		require.NoError(t, err)
		_, e := admit(t, s, "Ola", WalkIn, s.now())
		_, err = s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Red))
		require.NoError(t, err)
		require.NoError(t, s.Close())

		s2 := open(t, path)
		r, err := s2.VerifyAuditWith(ctx, nil)
		require.NoError(t, err)
		assert.EqualValues(t, 3, r.Rows, "patient, encounter and assessment bound")
		var action string
		require.NoError(t, s2.db.QueryRowContext(ctx, "SELECT action FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)").Scan(&action))
		assert.Equal(t, "audit.bind", action)
		unguard(t, s2)
		_, err = s2.db.ExecContext(ctx, s2.q("UPDATE assessments SET colour = 3 WHERE encounter_id = ?"), e.ID)
		require.NoError(t, err)
		_, err = s2.VerifyAudit(ctx)
		var ce *ContentError
		require.ErrorAs(t, err, &ce)
	})
}
