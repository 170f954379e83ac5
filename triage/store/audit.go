package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// genesisHash is the "previous hash" of the first audit entry.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEntry is one line of the append-only audit log: who did what to
// which record, and when. Detail names fields and counts, never values of
// patient data.
type AuditEntry struct {
	Seq         int64
	At          time.Time
	Actor       string
	Workstation string
	Action      string // e.g. "patient.read", "encounter.update"
	Entity      string // "patient", "encounter", "assessment", "observations", "queue"
	EntityID    int64  // 0 for the queue
	PatientID   int64  // 0 when the entry concerns no single patient
	Detail      string
	PrevHash    string // hex SHA-256 of the previous entry
	Hash        string // hex SHA-256 over PrevHash and the canonical entry
}

// canonical is the byte form that is hashed: a JSON array in a fixed
// order, with the time in integer microseconds as stored, so that the
// same entry hashes the same on both backends.
func (e AuditEntry) canonical() []byte {
	var pid any
	if e.PatientID != 0 {
		pid = e.PatientID
	}
	b, _ := json.Marshal([]any{e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail})
	return b
}

// chainHash is SHA-256(prevHash || canonical entry), hex encoded.
func chainHash(prev string, e AuditEntry) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(e.canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// ChainError names the first audit entry where the hash chain is broken.
type ChainError struct {
	Seq    int64  // sequence number of the first broken entry
	Reason string // what does not match
}

// Error names the entry and what is wrong with it.
func (e *ChainError) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", e.Seq, e.Reason)
}

// txn is one transaction with its actor; audit entries and change
// notices are collected and written before commit.
type txn struct {
	s       *Store
	tx      *sql.Tx
	actor   Actor
	at      time.Time
	loaded  bool
	seq     int64
	hash    string
	changes []Change
}

// auditedOutcome reports whether an error is an answer the caller was given
// (not found, conflict): the audit entries of the attempt are kept.
func auditedOutcome(err error) bool {
	var ce *ConflictError
	return errors.Is(err, ErrNotFound) || errors.As(err, &ce)
}

// do runs fn in a transaction and commits it with its audit entries.
func (s *Store) do(ctx context.Context, a Actor, fn func(t *txn) error) error {
	if err := a.validate(); err != nil {
		return err
	}
	select {
	case <-s.done:
		return ErrClosed
	default:
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	t := &txn{s: s, tx: tx, actor: a, at: s.now().UTC()}
	if s.backend == Postgres {
		// Take the chain lock before fn reads anything, as SQLite's BEGIN
		// IMMEDIATE does: every check-then-write in fn then sees the
		// latest committed state, and the backends behave the same.
		if err := t.loadHead(ctx); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	ferr := fn(t)
	if ferr != nil && !auditedOutcome(ferr) {
		_ = tx.Rollback()
		return ferr
	}
	if err := t.finish(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return ferr
}

func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.s.q(query), args...)
}

func (t *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.s.q(query), args...)
}

func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.s.q(query), args...)
}

// loadHead reads (PostgreSQL: and locks) the chain head once per transaction.
func (t *txn) loadHead(ctx context.Context) error {
	if t.loaded {
		return nil
	}
	lock := ""
	if t.s.backend == Postgres {
		lock = " FOR UPDATE"
	}
	if err := t.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+lock).Scan(&t.seq, &t.hash); err != nil {
		return fmt.Errorf("audit: reading the chain head: %w", err)
	}
	t.loaded = true
	return nil
}

// audit appends one entry to the chain.
func (t *txn) audit(ctx context.Context, action, entity string, entityID, patientID int64, detail string) error {
	if err := t.loadHead(ctx); err != nil {
		return err
	}
	e := AuditEntry{
		Seq: t.seq + 1, At: t.at, Actor: t.actor.User, Workstation: t.actor.Workstation,
		Action: action, Entity: entity, EntityID: entityID, PatientID: patientID, Detail: detail, PrevHash: t.hash,
	}
	e.Hash = chainHash(e.PrevHash, e)
	var pid any
	if patientID != 0 {
		pid = patientID
	}
	if _, err := t.exec(ctx, `INSERT INTO audit_log (seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: appending entry %d: %w", e.Seq, err)
	}
	t.seq, t.hash = e.Seq, e.Hash
	return nil
}

// auditNotFound keeps the attempt on an unknown id in the log ("failed
// lookups are audited too") and returns err.
func (t *txn) auditNotFound(ctx context.Context, err error, action, entity string, id int64) error {
	if errors.Is(err, ErrNotFound) {
		if aerr := t.audit(ctx, action, entity, id, 0, "not found"); aerr != nil {
			return aerr
		}
	}
	return err
}

// changed records that the queue's view changed (written at finish).
func (t *txn) changed(kind string, encounterID int64) {
	t.changes = append(t.changes, Change{Kind: kind, EncounterID: encounterID, At: t.at})
}

// changeKeep is how many change rows are kept for pollers; older ones are
// pruned as new ones arrive (a watcher that far behind reloads anyway).
const changeKeep = 10000

func (t *txn) finish(ctx context.Context) error {
	if t.loaded {
		if _, err := t.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", t.seq, t.hash); err != nil {
			return fmt.Errorf("audit: moving the chain head: %w", err)
		}
	}
	for _, c := range t.changes {
		var enc any
		if c.EncounterID != 0 {
			enc = c.EncounterID
		}
		var seq int64
		if err := t.queryRow(ctx, "INSERT INTO changes (at, kind, encounter_id) VALUES (?, ?, ?) RETURNING seq", micros(c.At), c.Kind, enc).Scan(&seq); err != nil {
			return fmt.Errorf("recording change: %w", err)
		}
		if seq%1000 == 0 {
			if _, err := t.exec(ctx, "DELETE FROM changes WHERE seq <= ?", seq-changeKeep); err != nil {
				return fmt.Errorf("pruning changes: %w", err)
			}
		}
		if t.s.backend == Postgres {
			c.Seq = seq
			payload, _ := json.Marshal(c)
			if _, err := t.exec(ctx, "SELECT pg_notify(?, ?)", t.s.channel, string(payload)); err != nil {
				return fmt.Errorf("announcing change: %w", err)
			}
		}
	}
	return nil
}

// VerifyAudit walks the whole audit chain and returns the number of entries
// checked. A broken chain (an entry changed, removed, inserted or
// reordered, or the head not matching the last entry) is a *ChainError
// naming the first broken entry. It reads no patient data, so it is not
// itself audited.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	// One read-only snapshot for the walk and the head: entries committed
	// by other workstations meanwhile are neither half-seen nor "missing".
	opts := &sql.TxOptions{ReadOnly: true}
	if s.backend == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return 0, fmt.Errorf("audit verify: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	const page = 5000
	prev := genesisHash
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash
			FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`), last, page)
		if err != nil {
			return last, fmt.Errorf("audit verify: %w", err)
		}
		n := 0
		for rows.Next() {
			var e AuditEntry
			var at int64
			var pid sql.NullInt64
			if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Workstation, &e.Action, &e.Entity, &e.EntityID, &pid, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
				rows.Close()
				return last, fmt.Errorf("audit verify: reading entry after %d: %w", last, err)
			}
			e.At, e.PatientID = fromMicros(at), pid.Int64
			n++
			switch {
			case e.Seq != last+1:
				rows.Close()
				return last, &ChainError{Seq: last + 1, Reason: fmt.Sprintf("entry missing (next entry present is %d)", e.Seq)}
			case e.PrevHash != prev:
				rows.Close()
				return last, &ChainError{Seq: e.Seq, Reason: "previous-hash does not match the entry before it"}
			case chainHash(prev, e) != e.Hash:
				rows.Close()
				return last, &ChainError{Seq: e.Seq, Reason: "content does not match its hash (entry altered)"}
			}
			prev, last = e.Hash, e.Seq
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return last, fmt.Errorf("audit verify: %w", err)
		}
		if n < page {
			break
		}
	}
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return last, fmt.Errorf("audit verify: reading the chain head: %w", err)
	}
	switch {
	case headSeq != last:
		// Entries cut from the end, or appended outside the store.
		return last, &ChainError{Seq: min(headSeq, last) + 1, Reason: fmt.Sprintf("the chain head records %d entries but the log ends at entry %d", headSeq, last)}
	case !strings.EqualFold(headHash, prev):
		return last - 1, &ChainError{Seq: last, Reason: "the last entry does not match the hash recorded in the chain head (entry rewritten)"}
	}
	return last, nil
}

// AuditHead returns the sequence number and hash of the newest audit
// entry. Writing it down outside the database (a printout, another
// system) anchors the chain: someone able to rewrite the whole log and
// recompute every hash still cannot match a head recorded elsewhere.
func (s *Store) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	if err := s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return seq, hash, nil
}

// AuditLog returns up to limit audit entries after seq afterSeq, oldest
// first, for the audit view. Reading the log is itself audited.
func (s *Store) AuditLog(ctx context.Context, a Actor, afterSeq int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 10000 {
		return nil, invalid("limit", "%d, want 1-10000", limit)
	}
	var out []AuditEntry
	err := s.do(ctx, a, func(t *txn) error {
		rows, err := t.query(ctx, `SELECT seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash
			FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
		if err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var at int64
			var pid sql.NullInt64
			if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Workstation, &e.Action, &e.Entity, &e.EntityID, &pid, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
				return fmt.Errorf("audit log: %w", err)
			}
			e.At, e.PatientID = fromMicros(at), pid.Int64
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		return t.audit(ctx, "audit.read", "audit", 0, 0, fmt.Sprintf("after=%d count=%d", afterSeq, len(out)))
	})
	return out, err
}
