package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ContentError names a clinical row whose content no longer matches the
// hash recorded for it in the audit chain: it was edited, added or
// deleted outside the store.
type ContentError struct {
	Table  string // "assessments", "patients", ...
	ID     int64  // the row's id
	Seq    int64  // the audit entry that recorded its last write (0: none)
	Reason string
}

// Error names the row and the entry; never the row's content.
func (e *ContentError) Error() string {
	if e.Seq == 0 {
		return fmt.Sprintf("%s row %d: %s", e.Table, e.ID, e.Reason)
	}
	return fmt.Sprintf("%s row %d (last written in audit entry %d): %s", e.Table, e.ID, e.Seq, e.Reason)
}

// Tampered reports whether err says the audit log, a bound row or a
// checkpoint shows a change made outside the store (as opposed to a
// database that could not be read).
func Tampered(err error) bool {
	var ce *ChainError
	var re *ContentError
	var pe *CheckpointError
	return errors.As(err, &ce) || errors.As(err, &re) || errors.As(err, &pe)
}

// VerifyReport is what a verification found intact.
type VerifyReport struct {
	Entries  int64  // audit entries whose chain is intact
	HeadSeq  int64  // the chain head, as read in the verified snapshot
	HeadHash string //
	Rows     int64  // bound clinical rows whose content matches the chain
	// RowsIn counts them per table ("encounters", "observations", ...).
	RowsIn map[string]int64
	Bound  bool // false: schema older than 5, rows are not bound
	// Unchained is the number of entries committed but not yet linked
	// into the chain (schema 12's tail, normally empty within a second
	// of the last write); each is checked against the rows it binds.
	Unchained   int64
	Checkpoints int // signed checkpoints matched against the log
	// LastCheckpoint is the newest checkpoint matched (zero when none).
	LastCheckpoint Checkpoint
}

// VerifyAudit walks the whole audit chain and the bound clinical rows and
// returns the number of entries checked. A broken chain (an entry
// changed, removed, inserted or reordered, or the head not matching the
// last entry) is a *ChainError naming the first broken entry; a clinical
// row edited, added or removed outside the store is a *ContentError. It
// reads no patient data beyond hashing it, so it is not itself audited.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	r, err := s.VerifyAuditWith(ctx, nil)
	return r.Entries, err
}

// VerifyAuditWith is VerifyAudit that also matches signed checkpoints
// (written outside the database, see LoadCheckpoints): every checkpoint's
// entry must be in the log with the same hash. A log recomputed and
// rewritten whole, a tail cut with the head set back, and a database file
// rolled back to an older copy each fail with a *CheckpointError.
func (s *Store) VerifyAuditWith(ctx context.Context, cps []Checkpoint) (VerifyReport, error) {
	rep := VerifyReport{Bound: s.bound, RowsIn: map[string]int64{}}
	// One read-only snapshot for everything: entries committed by other
	// workstations meanwhile are neither half-seen nor "missing".
	opts := &sql.TxOptions{ReadOnly: true}
	if s.backend == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return rep, fmt.Errorf("audit verify: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := s.verifyChain(ctx, tx, &rep); err != nil {
		return rep, err
	}
	if s.tail {
		if err := s.verifyTail(ctx, tx, &rep); err != nil {
			return rep, err
		}
	}
	if s.bound {
		// A table is checked once the migration that binds it is applied:
		// a database held at an older schema lacks the table or has none
		// of its rows bound, and still verifies.
		applied, err := appliedVersions(ctx, tx)
		if err != nil {
			return rep, fmt.Errorf("audit verify: reading schema version: %w", err)
		}
		for _, bt := range boundTables {
			if !applied[bt.schema()] {
				continue
			}
			if err := s.verifyRows(ctx, tx, bt, &rep); err != nil {
				return rep, err
			}
		}
	}
	if err := s.verifyCheckpoints(ctx, tx, cps, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// verifyChain walks the entries in pages, checking each link, each hash
// and each entry's bound-row digest, then the head.
func (s *Store) verifyChain(ctx context.Context, tx *sql.Tx, rep *VerifyReport) error {
	const page = 5000
	prev := genesisHash
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, s.q("SELECT "+s.entryColumns()+" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"), last, page)
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		var entries []AuditEntry
		for rows.Next() {
			e, err := s.scanEntry(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("audit verify: reading entry after %d: %w", last, err)
			}
			entries = append(entries, e)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		var bound map[int64][]rowDigest
		if s.bound && len(entries) > 0 {
			if bound, err = s.boundOf(ctx, tx, entries[0].Seq, entries[len(entries)-1].Seq); err != nil {
				return err
			}
		}
		for _, e := range entries {
			switch {
			case e.Seq != last+1:
				return &ChainError{Seq: last + 1, Reason: fmt.Sprintf("entry missing (next entry present is %d)", e.Seq)}
			case e.PrevHash != prev:
				return &ChainError{Seq: e.Seq, Reason: "previous-hash does not match the entry before it"}
			case chainHash(prev, e) != e.Hash:
				return &ChainError{Seq: e.Seq, Reason: "content does not match its hash (entry altered)"}
			case s.bound && rowsDigest(bound[e.Seq]) != e.RowsHash:
				return &ChainError{Seq: e.Seq, Reason: "the row hashes recorded under the entry do not match it (audit_rows altered)"}
			}
			prev, last = e.Hash, e.Seq
			rep.Entries = last
		}
		if len(entries) < page {
			break
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&rep.HeadSeq, &rep.HeadHash); err != nil {
		return fmt.Errorf("audit verify: reading the chain head: %w", err)
	}
	switch {
	case rep.HeadSeq != last:
		// Entries cut from the end, or appended outside the store.
		return &ChainError{Seq: min(rep.HeadSeq, last) + 1, Reason: fmt.Sprintf("the chain head records %d entries but the log ends at entry %d", rep.HeadSeq, last)}
	case !strings.EqualFold(rep.HeadHash, prev):
		rep.Entries = last - 1
		return &ChainError{Seq: last, Reason: "the last entry does not match the hash recorded in the chain head (entry rewritten)"}
	}
	return nil
}

// boundOf reads the row hashes recorded under entries from..to.
func (s *Store) boundOf(ctx context.Context, tx *sql.Tx, from, to int64) (map[int64][]rowDigest, error) {
	rows, err := tx.QueryContext(ctx, s.q("SELECT seq, tbl, row_id, hash FROM audit_rows WHERE seq BETWEEN ? AND ?"), from, to)
	if err != nil {
		return nil, fmt.Errorf("audit verify: reading row hashes: %w", err)
	}
	defer rows.Close()
	out := map[int64][]rowDigest{}
	for rows.Next() {
		var seq int64
		var d rowDigest
		if err := rows.Scan(&seq, &d.tbl, &d.id, &d.hash); err != nil {
			return nil, fmt.Errorf("audit verify: reading row hashes: %w", err)
		}
		out[seq] = append(out[seq], d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit verify: reading row hashes: %w", err)
	}
	// Rows recorded under a sequence number the log does not hold.
	for seq := range out {
		if seq < from || seq > to {
			return nil, &ChainError{Seq: seq, Reason: "row hashes recorded under an entry that is not in the log"}
		}
	}
	return out, nil
}

// verifyRows compares every row of bt, as it is now, with the hash of its
// newest write in the chain, in id ranges so memory stays bounded.
func (s *Store) verifyRows(ctx context.Context, tx *sql.Tx, bt boundTable, rep *VerifyReport) error {
	const span = 5000
	var maxID sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT max("+bt.key()+") FROM "+bt.name).Scan(&maxID); err != nil {
		return fmt.Errorf("audit verify: %s: %w", bt.name, err)
	}
	if bt.created != "" {
		var id, seq int64
		err := tx.QueryRowContext(ctx, s.q("SELECT entity_id, max(seq) FROM audit_log WHERE action = ? AND entity = ? GROUP BY entity_id HAVING count(*) > 1 ORDER BY entity_id LIMIT 1"),
			bt.created, bt.entity).Scan(&id, &seq)
		switch {
		case err == nil:
			return &ContentError{Table: bt.name, ID: id, Seq: seq, Reason: "created twice in the audit log (the first deleted outside the store and its id given again)"}
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("audit verify: %s: %w", bt.name, err)
		}
	}
	var maxBound, maxTail sql.NullInt64
	if err := tx.QueryRowContext(ctx, s.q("SELECT max(row_id) FROM audit_rows WHERE tbl = ?"), bt.name).Scan(&maxBound); err != nil {
		return fmt.Errorf("audit verify: %s: %w", bt.name, err)
	}
	if s.tail {
		if err := tx.QueryRowContext(ctx, s.q("SELECT max(row_id) FROM audit_unchained_rows WHERE tbl = ?"), bt.name).Scan(&maxTail); err != nil {
			return fmt.Errorf("audit verify: %s: %w", bt.name, err)
		}
	}
	top := max(maxID.Int64, maxBound.Int64, maxTail.Int64)
	type binding struct {
		seq  int64
		hash string
	}
	for lo := int64(0); lo < top; lo += span {
		hi := lo + span
		latest := map[int64]binding{}
		rows, err := tx.QueryContext(ctx, s.q("SELECT row_id, seq, hash FROM audit_rows WHERE tbl = ? AND row_id > ? AND row_id <= ? ORDER BY row_id, seq"), bt.name, lo, hi)
		if err != nil {
			return fmt.Errorf("audit verify: %s: %w", bt.name, err)
		}
		for rows.Next() {
			var id int64
			var b binding
			if err := rows.Scan(&id, &b.seq, &b.hash); err != nil {
				rows.Close()
				return fmt.Errorf("audit verify: %s: %w", bt.name, err)
			}
			latest[id] = b
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("audit verify: %s: %w", bt.name, err)
		}
		if s.tail {
			// A write still in the unchained tail is newer than any
			// chained one (see audit_chain.go); the highest tail id is
			// the newest. Its binding carries no sequence number yet.
			rows, err := tx.QueryContext(ctx, s.q("SELECT row_id, hash FROM audit_unchained_rows WHERE tbl = ? AND row_id > ? AND row_id <= ? ORDER BY qid"), bt.name, lo, hi)
			if err != nil {
				return fmt.Errorf("audit verify: %s: %w", bt.name, err)
			}
			for rows.Next() {
				var id int64
				var b binding
				if err := rows.Scan(&id, &b.hash); err != nil {
					rows.Close()
					return fmt.Errorf("audit verify: %s: %w", bt.name, err)
				}
				latest[id] = b
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return fmt.Errorf("audit verify: %s: %w", bt.name, err)
			}
		}
		rs, err := tx.QueryContext(ctx, s.q("SELECT "+bt.selectList(s)+" FROM "+bt.name+" WHERE "+bt.key()+" > ? AND "+bt.key()+" <= ? ORDER BY "+bt.key()), lo, hi)
		if err != nil {
			return fmt.Errorf("audit verify: %s: %w", bt.name, err)
		}
		err = bt.scanRows(rs, func(d rowDigest) error {
			b, ok := latest[d.id]
			switch {
			case !ok:
				return &ContentError{Table: bt.name, ID: d.id, Reason: "not recorded in the audit log (written outside the store)"}
			case b.hash != d.hash:
				return &ContentError{Table: bt.name, ID: d.id, Seq: b.seq, Reason: "content differs from what the store wrote (edited outside the store)"}
			}
			delete(latest, d.id)
			rep.Rows++
			rep.RowsIn[bt.name]++
			return nil
		})
		rs.Close()
		if err != nil {
			return err
		}
		if len(latest) > 0 {
			first := int64(-1)
			for id := range latest {
				if first < 0 || id < first {
					first = id
				}
			}
			return &ContentError{Table: bt.name, ID: first, Seq: latest[first].seq, Reason: "recorded in the audit log but missing (deleted outside the store)"}
		}
	}
	return nil
}

// verifyTail checks the entries committed but not yet chained (schema 12):
// each one's recorded row hashes must match its rows digest, as the
// chainer will seal them. They have no hash yet; the rows they bind are
// checked by verifyRows like chained ones.
func (s *Store) verifyTail(ctx context.Context, tx *sql.Tx, rep *VerifyReport) error {
	const page = 5000
	var after int64
	for {
		entries, qids, err := s.readUnchained(ctx, tx, after, page)
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		if len(entries) == 0 {
			break
		}
		bound, err := s.unchainedRows(ctx, tx, qids)
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		for i, e := range entries {
			if rowsDigest(bound[qids[i]]) != e.RowsHash {
				return &ChainError{Seq: rep.Entries + rep.Unchained + 1, Reason: fmt.Sprintf("unchained entry %d (not yet linked): the row hashes recorded under it do not match it (audit_unchained_rows altered)", qids[i])}
			}
			rep.Unchained++
		}
		after = qids[len(qids)-1]
		if len(entries) < page {
			break
		}
	}
	// Row hashes under a tail id that holds no entry (its entry deleted).
	var orphan sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT min(r.qid) FROM audit_unchained_rows r WHERE NOT EXISTS (SELECT 1 FROM audit_unchained u WHERE u.id = r.qid)").Scan(&orphan); err != nil {
		return fmt.Errorf("audit verify: reading the unchained tail: %w", err)
	}
	if orphan.Valid {
		return &ChainError{Seq: rep.Entries + rep.Unchained + 1, Reason: fmt.Sprintf("row hashes recorded under unchained entry %d, which is not in the tail", orphan.Int64)}
	}
	return nil
}
