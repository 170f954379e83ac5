package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/legevakt/workstation/triage/ids"
)

// The unchained tail (schema 12). Before it, every store transaction on
// PostgreSQL locked the chain head for its whole duration, reads
// included, because its audit entries needed the previous entry's hash:
// a hundred workstations queued behind one row lock (issue 16 item 8).
//
// Now a transaction writes its entries, with the digests that bind the
// clinical rows it wrote, to audit_unchained / audit_unchained_rows in the
// same transaction as the data: durable when the data is, without the
// head. A chainer (any store; one at a time, whoever holds the audit_head
// row lock) then moves the committed entries into audit_log in one order,
// each with its sequence number and hash, and deletes them from the tail
// in the same transaction (the database lets an entry leave the tail only
// once audit_log holds it, and audit_log.qid is unique: nothing is chained
// twice or dropped). It runs right after each commit, in the background,
// and every chainEvery; Open and Close chain what is left. VerifyAudit
// checks the chain and the tail (VerifyReport.Unchained).
//
// Row hashes stay in commit order: every transaction that writes a bound
// row holds the writers' lock (lockWriters) and draws its tail ids while
// holding it, so a later write of a row always has a higher id, and the
// chainer links committed entries in id order.

// unchainedSchema is the migration that adds the unchained tail.
const unchainedSchema = 12

// chainEvery is how often a store looks for entries left unchained (by
// a chainer that lost the head to another, or a process that died).
const chainEvery = time.Second

// chainBatch bounds the entries linked in one chaining transaction.
const chainBatch = 500

// chainRetry is how soon a chainer that found the head held tries again.
const chainRetry = 20 * time.Millisecond

// appendUnchained writes t's entries, each with the rows bound to it, to
// the unchained tail.
func (t *txn) appendUnchained(ctx context.Context, perEntry [][]rowDigest) error {
	for i := range t.entries {
		e := &t.entries[i]
		e.RowsHash = rowsDigest(perEntry[i])
		var pid any
		if e.PatientID != 0 {
			pid = e.PatientID
		}
		var qid int64
		if err := t.queryRow(ctx, `INSERT INTO audit_unchained (at, actor, workstation, action, entity, entity_id, patient_id, detail, role, basis, rows_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail, e.Role, e.Basis, e.RowsHash).Scan(&qid); err != nil {
			return fmt.Errorf("audit: appending entry %s: %w", e.Action, err)
		}
		t.maxQid = max(t.maxQid, qid)
		rows := perEntry[i]
		for start := 0; start < len(rows); start += 500 {
			chunk := rows[start:min(start+500, len(rows))]
			args := make([]any, 0, 4*len(chunk))
			for _, r := range chunk {
				args = append(args, qid, r.tbl, r.id, r.hash)
			}
			q := "INSERT INTO audit_unchained_rows (qid, tbl, row_id, hash) VALUES (?, ?, ?, ?)" + strings.Repeat(", (?, ?, ?, ?)", len(chunk)-1)
			if _, err := t.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("audit: recording the rows of entry %s: %w", e.Action, err)
			}
		}
	}
	return nil
}

// chainDelay is how long a chainer waits after a commit before it looks:
// commits of other workstations meanwhile are linked in the same run, and
// often another store's run has linked this one's entries already.
const chainDelay = 5 * time.Millisecond

// chainer links the unchained tail in the background for one store.
type chainer struct {
	s        *Store
	kicks    chan struct{}
	stop     chan struct{}
	finished chan struct{}
	// wrote is the highest tail id this store committed; linked the
	// highest it knows to be chained (run's goroutine only).
	wrote  atomic.Int64
	linked int64
}

func startChainer(s *Store) *chainer {
	c := &chainer{s: s, kicks: make(chan struct{}, 1), stop: make(chan struct{}), finished: make(chan struct{})}
	go c.run()
	return c
}

// committed notes that this store committed tail entries up to id and
// asks for a chaining run soon, without waiting for it.
func (c *chainer) committed(id int64) {
	if c == nil {
		return
	}
	for {
		old := c.wrote.Load()
		if id <= old || c.wrote.CompareAndSwap(old, id) {
			break
		}
	}
	c.kick()
}

// kick asks for a chaining run soon, without waiting for it.
func (c *chainer) kick() {
	if c == nil {
		return
	}
	select {
	case c.kicks <- struct{}{}:
	default: // one is already asked for
	}
}

// run chains on every kick and every chainEvery until stopped. A run that
// finds the head held by another chainer tries again after chainRetry
// (that chainer may have read the tail before this store's commit).
func (c *chainer) run() {
	defer close(c.finished)
	tk := time.NewTicker(chainEvery)
	defer tk.Stop()
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-c.stop; cancel() }()
	for {
		select {
		case <-c.stop:
			return
		case <-c.kicks:
			if !c.needed(ctx) {
				continue
			}
		case <-retry.C:
			if !c.needed(ctx) {
				continue
			}
		case <-tk.C:
			if n, err := c.s.unchainedCount(ctx); err != nil || n == 0 {
				continue
			}
		}
		wrote := c.wrote.Load()
		for {
			n, held, err := c.s.chainOnce(ctx, false)
			if held {
				retry.Reset(chainRetry)
			}
			if err == nil && !held && n < chainBatch {
				// Everything committed before the run is linked, this
				// store's entries up to wrote included.
				c.linked = max(c.linked, wrote)
			}
			if err != nil || held || n < chainBatch {
				// An error (the database away) is retried at the next
				// tick; the entries stay committed in the tail.
				break
			}
		}
	}
}

// needed waits chainDelay, then reports whether entries this store
// committed are still unchained (another store's run may have linked
// them meanwhile: one cheap look instead of a chaining transaction).
func (c *chainer) needed(ctx context.Context) bool {
	wrote := c.wrote.Load()
	if wrote <= c.linked {
		return false
	}
	select {
	case <-time.After(chainDelay):
	case <-ctx.Done():
		return false
	}
	var left bool
	if err := c.s.db.QueryRowContext(ctx, c.s.q("SELECT EXISTS (SELECT 1 FROM audit_unchained WHERE id <= ?)"), wrote).Scan(&left); err != nil {
		return true // let the run find out
	}
	if !left {
		c.linked = max(c.linked, wrote)
	}
	return left
}

// close stops the background chainer and links what is left.
func (c *chainer) close() error {
	if c == nil {
		return nil
	}
	close(c.stop)
	<-c.finished
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.s.chainAll(ctx)
}

// unchainedCount is the number of committed entries in the tail.
func (s *Store) unchainedCount(ctx context.Context) (int64, error) {
	if !s.tail {
		return 0, nil
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM audit_unchained").Scan(&n); err != nil {
		return 0, fmt.Errorf("audit: reading the unchained tail: %w", err)
	}
	return n, nil
}

// chainAll links every entry committed to the tail before it was called,
// waiting for the head if another chainer holds it. The audit views call
// it before reading the log, Open and Close too.
func (s *Store) chainAll(ctx context.Context) error {
	if !s.tail || s.noUpgrade {
		return nil
	}
	// Look first: an empty tail (always on SQLite) needs no lock.
	n, err := s.unchainedCount(ctx)
	if err != nil || n == 0 {
		return err
	}
	for {
		k, _, err := s.chainOnce(ctx, true)
		if err != nil {
			return err
		}
		if k < chainBatch {
			return nil
		}
	}
}

// chainOnce links up to chainBatch committed entries of the tail, oldest
// id first, in one transaction holding the head. With wait false it gives
// up at once when another chainer holds the head (held true).
func (s *Store) chainOnce(ctx context.Context, wait bool) (n int, held bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("audit: chaining: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	lock := ""
	if s.backend == Postgres {
		lock = " FOR UPDATE"
		if !wait {
			lock += " SKIP LOCKED"
		}
	}
	var seq int64
	var hash string
	err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+lock).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) && !wait {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("audit: chaining: reading the head: %w", err)
	}
	entries, qids, err := s.readUnchained(ctx, tx, 0, chainBatch)
	if err != nil || len(entries) == 0 {
		return 0, false, err
	}
	rows, err := s.unchainedRows(ctx, tx, qids)
	if err != nil {
		return 0, false, err
	}
	for start := 0; start < len(entries); start += 200 {
		chunk := entries[start:min(start+200, len(entries))]
		args := make([]any, 0, 15*len(chunk))
		for i := range chunk {
			e := &chunk[i]
			e.Seq, e.PrevHash = seq+1, hash
			e.Hash = chainHash(e.PrevHash, *e)
			seq, hash = e.Seq, e.Hash
			var pid any
			if e.PatientID != 0 {
				pid = e.PatientID
			}
			args = append(args, e.Seq, micros(e.At), e.Actor, e.Workstation, e.Action, e.Entity, e.EntityID, pid, e.Detail, e.Role, e.Basis, e.RowsHash, e.PrevHash, e.Hash, qids[start+i])
		}
		q := `INSERT INTO audit_log (seq, at, actor, workstation, action, entity, entity_id, patient_id, detail, role, basis, rows_hash, prev_hash, hash, qid) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ")
		if _, err := tx.ExecContext(ctx, s.q(q), args...); err != nil {
			return 0, false, fmt.Errorf("audit: chaining entries %d-%d: %w", chunk[0].Seq, chunk[len(chunk)-1].Seq, err)
		}
	}
	var bound []any
	for i, e := range entries {
		for _, r := range rows[qids[i]] {
			bound = append(bound, e.Seq, r.tbl, r.id, r.hash)
		}
	}
	for start := 0; start < len(bound); start += 4 * 500 {
		chunk := bound[start:min(start+4*500, len(bound))]
		q := "INSERT INTO audit_rows (seq, tbl, row_id, hash) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(chunk)/4), ", ")
		if _, err := tx.ExecContext(ctx, s.q(q), chunk...); err != nil {
			return 0, false, fmt.Errorf("audit: chaining row hashes: %w", err)
		}
	}
	ids := make([]any, len(qids))
	for i, id := range qids {
		ids[i] = id
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	if _, err := tx.ExecContext(ctx, s.q("DELETE FROM audit_unchained_rows WHERE qid IN "+in), ids...); err != nil {
		return 0, false, fmt.Errorf("audit: chaining: clearing the tail: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q("DELETE FROM audit_unchained WHERE id IN "+in), ids...); err != nil {
		return 0, false, fmt.Errorf("audit: chaining: clearing the tail: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), seq, hash); err != nil {
		return 0, false, fmt.Errorf("audit: chaining: moving the head: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("audit: chaining: commit: %w", err)
	}
	s.cp.note(seq, hash)
	return len(entries), false, nil
}

// unchainedColumns is the column list readUnchained scans.
const unchainedColumns = "id, at, actor, workstation, action, entity, entity_id, patient_id, detail, role, basis, rows_hash"

// readUnchained reads up to limit entries of the tail (0: all) with tail
// ids above after, oldest id first, with their tail ids. The chainer and
// audit verify both read the tail through it.
func (s *Store) readUnchained(ctx context.Context, tx *sql.Tx, after int64, limit int) ([]AuditEntry, []int64, error) {
	q := "SELECT " + unchainedColumns + " FROM audit_unchained WHERE id > ? ORDER BY id"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := tx.QueryContext(ctx, s.q(q), after)
	if err != nil {
		return nil, nil, fmt.Errorf("audit: reading the unchained tail: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	var qids []int64
	for rows.Next() {
		var e AuditEntry
		var qid, at int64
		var pid sql.Null[ids.Patient]
		if err := rows.Scan(&qid, &at, &e.Actor, &e.Workstation, &e.Action, &e.Entity, &e.EntityID, &pid, &e.Detail, &e.Role, &e.Basis, &e.RowsHash); err != nil {
			return nil, nil, fmt.Errorf("audit: reading the unchained tail: %w", err)
		}
		e.At, e.PatientID = fromMicros(at), pid.V
		out = append(out, e)
		qids = append(qids, qid)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("audit: reading the unchained tail: %w", err)
	}
	return out, qids, nil
}

// unchainedRows reads the row hashes recorded under the tail entries qids
// (sorted), by entry. Rows of an entry not among qids (one committed
// since qids were read) are left out.
func (s *Store) unchainedRows(ctx context.Context, tx *sql.Tx, qids []int64) (map[int64][]rowDigest, error) {
	out := map[int64][]rowDigest{}
	if len(qids) == 0 {
		return out, nil
	}
	want := make(map[int64]bool, len(qids))
	for _, id := range qids {
		want[id] = true
	}
	rows, err := tx.QueryContext(ctx, s.q("SELECT qid, tbl, row_id, hash FROM audit_unchained_rows WHERE qid >= ? AND qid <= ?"), qids[0], qids[len(qids)-1])
	if err != nil {
		return nil, fmt.Errorf("audit: reading the unchained row hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var qid int64
		var d rowDigest
		if err := rows.Scan(&qid, &d.tbl, &d.id, &d.hash); err != nil {
			return nil, fmt.Errorf("audit: reading the unchained row hashes: %w", err)
		}
		if want[qid] {
			out[qid] = append(out[qid], d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: reading the unchained row hashes: %w", err)
	}
	return out, nil
}
