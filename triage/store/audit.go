package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/ids"
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
	Action      string      // e.g. "patient.read", "encounter.update"
	Entity      string      // "patient", "encounter", "assessment", "observations", "queue"
	EntityID    int64       // 0 for the queue
	PatientID   ids.Patient // 0 when the entry concerns no single patient
	Detail      string
	// Role is the role the user acted in (schema 5; empty before, and for
	// actors without a personal login).
	Role string
	// Basis is the stated basis of an access outside the user's own
	// service ("akutt-behov: ..."), or "emergency" for break-the-glass.
	Basis string
	// RowsHash is the digest of the clinical rows this entry wrote, as
	// written (schema 5): an edit of such a row outside the store no longer
	// matches it.
	RowsHash string
	PrevHash string // hex SHA-256 of the previous entry
	Hash     string // hex SHA-256 over PrevHash and the canonical entry
}

// canonical is the byte form that is hashed: a JSON array in a fixed
// order, with the time in integer microseconds as stored, so that the
// same entry hashes the same on both backends.
func (e AuditEntry) canonical() []byte {
	var pid any
	if e.PatientID != 0 {
		pid = e.PatientID
	}
	fields := []any{e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail}
	// Schema 5's fields are appended only when set, so entries written
	// before keep their hash.
	if e.Role != "" || e.Basis != "" || e.RowsHash != "" {
		fields = append(fields, e.Role, e.Basis, e.RowsHash)
	}
	b, _ := json.Marshal(fields)
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
	s     *Store
	tx    *sql.Tx
	actor Actor
	at    time.Time
	// read: the transaction changes no clinical row (doRead).
	read bool
	// maxQid is the highest tail id of its entries (appendUnchained).
	maxQid int64
	// appendOnly: the transaction only appends rows to encounters whose
	// rows it locks (doAppend): on PostgreSQL it takes no writers' lock.
	appendOnly bool
	// loaded: the chain head was read (and on PostgreSQL locked) to
	// chain this transaction's entries itself (chainsItself); seq and
	// hash are the head as it moves.
	loaded bool
	seq    int64
	hash   string
	// token marks the rows this transaction writes (SQLite; PostgreSQL
	// uses the transaction id), so that they are bound into its entries.
	token   string
	entries []AuditEntry
	changes []Change
	// denied are refusals (access.denied) to record after the rollback.
	denied []AuditEntry
	// premade are rows bound without a trigger (the rows of schema 5's
	// migration), bound into this transaction's entries.
	premade []rowDigest
	// committed run after the commit (afterCommit).
	committed []func()
}

// auditedOutcome reports whether an error is an answer the caller was given
// (not found, conflict): the audit entries of the attempt are kept. A
// refusal (ErrForbidden) is not: the transaction is rolled back and only
// the refusal is recorded.
func auditedOutcome(err error) bool {
	var ce *ConflictError
	return errors.Is(err, ErrNotFound) || errors.As(err, &ce)
}

// do runs fn in a transaction and commits it with its audit entries.
func (s *Store) do(ctx context.Context, a Actor, fn func(t *txn) error) error {
	return s.run(ctx, a, txWrite, fn)
}

// doRead is do for a transaction that changes no clinical row and no
// queue (the queue read): on PostgreSQL it takes no lock at all. Its
// audit entry goes to the unchained tail like every entry (schema 12),
// so a hundred workstations re-reading the queue never wait on each
// other or on a writer (issue 16 item 8). fn must write no bound row.
func (s *Store) doRead(ctx context.Context, a Actor, fn func(t *txn) error) error {
	return s.run(ctx, a, txRead, fn)
}

// doAppend is do for a transaction that only appends insert-only rows
// (observations, a batch id) to one encounter and changes nothing the
// queue shows: a monitor's batch of vitals. On PostgreSQL (schema 12) it
// takes no writers' lock; fn locks the encounter's row first
// (lockEncounter), which every transaction that appends observations to
// it or changes it also takes, so what it checks and counts for that
// encounter holds until commit. Its rows are never rewritten, so their
// one binding needs no order among writers (see audit_chain.go); its
// change is announced but not numbered in the change table (the queue
// ignores it; numbers there stay in commit order).
func (s *Store) doAppend(ctx context.Context, a Actor, fn func(t *txn) error) error {
	return s.run(ctx, a, txAppend, fn)
}

// Kinds of store transaction (run).
const (
	txWrite  = iota // takes the writers' lock (do)
	txRead          // doRead
	txAppend        // doAppend
)

func (s *Store) run(ctx context.Context, a Actor, kind int, fn func(t *txn) error) error {
	read := kind == txRead
	if err := a.validate(); err != nil {
		return err
	}
	if err := s.checkActor(a); err != nil {
		if errors.Is(err, ErrForbidden) {
			s.recordDenied(ctx, a, []AuditEntry{{Action: "access.denied", Entity: "store", Detail: "actor refused"}})
		}
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
	t := &txn{s: s, tx: tx, actor: a, at: s.now().UTC(), read: read, appendOnly: kind == txAppend && s.unchained && s.backend == Postgres}
	if s.backend == Postgres && !read && !t.appendOnly {
		// Take the writers' lock before fn reads anything, as SQLite's
		// BEGIN IMMEDIATE does: every check-then-write in fn then sees
		// the latest committed state, and the backends behave the same.
		if err := t.lockWriters(ctx); err != nil {
			_ = tx.Rollback()
			return err
		}
	} else if s.bound && s.backend == SQLite {
		// (PostgreSQL marks rows with the transaction id: a read there
		// takes no lock at all, not even this row's.)
		if err := t.setToken(ctx); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	ferr := fn(t)
	if ferr != nil && !auditedOutcome(ferr) {
		_ = tx.Rollback()
		if errors.Is(ferr, ErrForbidden) && len(t.denied) > 0 {
			s.recordDenied(ctx, a, t.denied)
		}
		return ferr
	}
	if err := t.finish(ctx); err != nil {
		_ = tx.Rollback()
		if errors.Is(err, ErrForbidden) && len(t.denied) > 0 {
			s.recordDenied(ctx, a, t.denied)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range t.committed {
		f()
	}
	if len(t.entries) > 0 {
		if t.loaded {
			s.cp.note(t.seq, t.hash)
		} else {
			// Committed to the unchained tail: link it now, without
			// making the caller wait for it.
			s.chain.committed(t.maxQid)
		}
	}
	return ferr
}

func basisText(b Basis) string {
	if b.Reason == "" {
		return ""
	}
	return b.String()
}

// recordDenied writes refusals in a transaction of their own. It is best
// effort: the caller gets the refusal either way.
func (s *Store) recordDenied(ctx context.Context, a Actor, entries []AuditEntry) {
	_ = s.do(ctx, Actor{User: systemUser, Workstation: a.Workstation, system: true}, func(t *txn) error {
		for _, e := range entries {
			if err := t.audit(ctx, e.Action, e.Entity, e.EntityID, e.PatientID, e.Detail); err != nil {
				return err
			}
			// Name who was refused: the entry is about them.
			last := &t.entries[len(t.entries)-1]
			last.Actor, last.Role = a.User, string(a.Role)
		}
		return nil
	})
}

// setToken gives this SQLite transaction a fresh random token; the
// triggers of schema 5 record the rows it writes under it.
func (t *txn) setToken(ctx context.Context) error {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("audit: transaction token: %w", err)
	}
	t.token = hex.EncodeToString(b[:])
	if _, err := t.exec(ctx, "UPDATE audit_txn SET token = ? WHERE id = 1", t.token); err != nil {
		return fmt.Errorf("audit: transaction token: %w", err)
	}
	return nil
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

// chainsItself reports whether this transaction links its own entries
// into the chain (holding the head) instead of leaving them in the
// unchained tail for the chainer: always on SQLite, which has one writer
// anyway (unless the chainer is being tested there), and on a database
// below schema 12.
func (t *txn) chainsItself() bool { return !t.s.unchained }

// lockWriters takes the PostgreSQL writers' lock (the audit_txn row), held
// until commit: store transactions that write run one at a time, so every
// check-then-write sees the latest commit and change numbers follow
// commit order. Below schema 12 the chain head itself is that lock.
func (t *txn) lockWriters(ctx context.Context) error {
	if t.chainsItself() {
		return t.loadHead(ctx)
	}
	var tok string
	if err := t.queryRow(ctx, "SELECT token FROM audit_txn WHERE id = 1 FOR UPDATE").Scan(&tok); err != nil {
		return fmt.Errorf("audit: taking the writers' lock: %w", err)
	}
	return nil
}

// lockEncounter locks encounter id's row (PostgreSQL) until commit, for a
// transaction that appends observations to it: appends to one encounter
// and its changes then run one at a time, also in doAppend transactions,
// which take no writers' lock. SQLite has one writer: nothing to do. An
// encounter that does not exist is left to the caller's look-up.
func (t *txn) lockEncounter(ctx context.Context, id ids.Encounter) error {
	if t.s.backend != Postgres {
		return nil
	}
	rows, err := t.query(ctx, "SELECT id FROM encounters WHERE id = ? FOR NO KEY UPDATE", id)
	if err != nil {
		return fmt.Errorf("encounter %d: locking: %w", id, err)
	}
	for rows.Next() {
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("encounter %d: locking: %w", id, err)
	}
	return nil
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

// audit adds one entry to the chain; it is written, with the digest of
// the rows it recorded, when the transaction finishes.
func (t *txn) audit(ctx context.Context, action, entity string, entityID int64, patientID ids.Patient, detail string) error {
	if err := t.auditAllowed(action, entity, entityID, detail); err != nil {
		return err
	}
	if t.chainsItself() {
		if err := t.loadHead(ctx); err != nil {
			return err
		}
	}
	t.entries = append(t.entries, AuditEntry{
		At: t.at, Actor: t.actor.User, Workstation: t.actor.Workstation, Role: string(t.actor.Role), Basis: basisText(t.actor.Basis),
		Action: action, Entity: entity, EntityID: entityID, PatientID: patientID, Detail: detail,
	})
	return nil
}

// auditAllowed is audit's role check: the actor's role may make action.
func (t *txn) auditAllowed(action, entity string, entityID int64, detail string) error {
	if p, ok := t.actor.Role.mayAudit(action, detail); !ok && t.enforcing() && !t.actor.system {
		t.denied = append(t.denied, AuditEntry{Action: "access.denied", Entity: entity, EntityID: entityID, Detail: "perm=" + string(p) + " action=" + action})
		return fmt.Errorf("%s may not %s: %w", roleName(t.actor.Role), permText[p], ErrForbidden)
	}
	return nil
}

// afterCommit runs f once the transaction has committed (not after a
// rollback).
func (t *txn) afterCommit(f func()) { t.committed = append(t.committed, f) }

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
func (t *txn) changed(kind string, encounterID ids.Encounter) {
	t.changes = append(t.changes, Change{Kind: kind, EncounterID: encounterID, At: t.at})
}

// changeKeep is how many change rows are kept for pollers; older ones are
// pruned as new ones arrive (a watcher that far behind reloads anyway).
const changeKeep = 10000

// writeEntries binds the rows this transaction wrote into its entries and
// appends the entries to the chain.
func (t *txn) writeEntries(ctx context.Context) error {
	if err := t.checkNeedToKnow(ctx); err != nil {
		return err
	}
	var written []rowDigest
	// A PostgreSQL read (doRead) writes no row: it skips the look-up
	// (SQLite's reads clear their token there).
	if t.s.bound && !(t.read && t.s.backend == Postgres) {
		token, err := t.pendingToken(ctx)
		if err != nil {
			return err
		}
		if written, err = t.boundRows(ctx, token); err != nil {
			return err
		}
		if t.s.backend == SQLite {
			if _, err := t.exec(ctx, "UPDATE audit_txn SET token = '' WHERE id = 1"); err != nil {
				return fmt.Errorf("audit: clearing the transaction token: %w", err)
			}
		}
	}
	written = append(written, t.premade...)
	if len(written) > 0 && len(t.entries) == 0 {
		// A write path that audits nothing still binds what it wrote.
		if err := t.audit(ctx, "rows.write", "store", 0, 0, fmt.Sprintf("rows=%d", len(written))); err != nil {
			return err
		}
	}
	if len(t.entries) == 0 {
		return nil
	}
	perEntry := assignRows(t.entries, written)
	if !t.chainsItself() {
		return t.appendUnchained(ctx, perEntry)
	}
	for i := range t.entries {
		e := &t.entries[i]
		e.Seq, e.PrevHash = t.seq+1, t.hash
		e.RowsHash = rowsDigest(perEntry[i])
		e.Hash = chainHash(e.PrevHash, *e)
		var pid any
		if e.PatientID != 0 {
			pid = e.PatientID
		}
		var err error
		if t.s.bound {
			_, err = t.exec(ctx, `INSERT INTO audit_log (seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, role, basis, rows_hash, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail, e.Role, e.Basis, e.RowsHash, e.PrevHash, e.Hash)
		} else {
			_, err = t.exec(ctx, `INSERT INTO audit_log (seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail, e.PrevHash, e.Hash)
		}
		if err != nil {
			return fmt.Errorf("audit: appending entry %d: %w", e.Seq, err)
		}
		for _, r := range perEntry[i] {
			if _, err := t.exec(ctx, "INSERT INTO audit_rows (seq, tbl, row_id, hash) VALUES (?, ?, ?, ?)", e.Seq, r.tbl, r.id, r.hash); err != nil {
				return fmt.Errorf("audit: recording %s row %d under entry %d: %w", r.tbl, r.id, e.Seq, err)
			}
		}
		t.seq, t.hash = e.Seq, e.Hash
	}
	return nil
}

func (t *txn) finish(ctx context.Context) error {
	if err := t.writeEntries(ctx); err != nil {
		return err
	}
	if t.loaded {
		if _, err := t.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", t.seq, t.hash); err != nil {
			return fmt.Errorf("audit: moving the chain head: %w", err)
		}
	}
	for _, c := range t.changes {
		if t.appendOnly {
			// Not numbered: without the writers' lock its number would
			// not follow commit order, which the queue cache relies on.
			// Watchers on PostgreSQL hear it by NOTIFY.
			if !QueueNeutral(c.Kind) {
				return fmt.Errorf("recording change: %s changes the queue, not allowed without the writers' lock", c.Kind)
			}
			payload, _ := json.Marshal(c)
			if _, err := t.exec(ctx, "SELECT pg_notify(?, ?)", t.s.channel, string(payload)); err != nil {
				return fmt.Errorf("announcing change: %w", err)
			}
			continue
		}
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

// AuditHead returns the sequence number and hash of the newest audit
// entry. Writing it down outside the database (a printout, another
// system) anchors the chain: someone able to rewrite the whole log and
// recompute every hash still cannot match a head recorded elsewhere.
//
// A store that writes first links the entries committed to the unchained
// tail (schema 12), so the head covers every write acknowledged before
// the call; a read-only store (WithoutUpgrade, as audit verify opens it)
// changes nothing and reports the chained head (VerifyReport.Unchained
// counts the rest).
func (s *Store) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	if err := s.chainAll(ctx); err != nil {
		return 0, "", err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return seq, hash, nil
}

// entryColumns is the column list readEntries scans, for the schema in use.
func (s *Store) entryColumns() string {
	if s.bound {
		return "seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, role, basis, rows_hash, prev_hash, hash"
	}
	return "seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, prev_hash, hash"
}

// scanEntry reads one audit_log row selected with entryColumns.
func (s *Store) scanEntry(rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	var at int64
	var pid sql.Null[ids.Patient]
	dest := []any{&e.Seq, &at, &e.Actor, &e.Workstation, &e.Action, &e.Entity, &e.EntityID, &pid, &e.Detail}
	if s.bound {
		dest = append(dest, &e.Role, &e.Basis, &e.RowsHash)
	}
	dest = append(dest, &e.PrevHash, &e.Hash)
	if err := rows.Scan(dest...); err != nil {
		return e, err
	}
	e.At, e.PatientID = fromMicros(at), pid.V
	return e, nil
}

// AuditLog returns up to limit audit entries after seq afterSeq, oldest
// first, for the audit view. Reading the log is itself audited.
func (s *Store) AuditLog(ctx context.Context, a Actor, afterSeq int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 10000 {
		return nil, invalid("limit", "%d, want 1-10000", limit)
	}
	// Entries still in the unchained tail are linked first, so the view
	// shows every acknowledged access.
	if err := s.chainAll(ctx); err != nil {
		return nil, err
	}
	var out []AuditEntry
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReviewLog, "audit", 0); err != nil {
			return err
		}
		rows, err := t.query(ctx, "SELECT "+s.entryColumns()+" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
		if err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := s.scanEntry(rows)
			if err != nil {
				return fmt.Errorf("audit log: %w", err)
			}
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audit log: %w", err)
		}
		return t.audit(ctx, "audit.read", "audit", 0, 0, fmt.Sprintf("after=%d count=%d", afterSeq, len(out)))
	})
	return out, err
}
