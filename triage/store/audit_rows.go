package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// boundTable is a table whose rows are bound into the audit chain: the
// hash of each row as a store transaction wrote it is kept under the
// audit entry that recorded the write (audit_rows), so an edit made
// outside the store (a colour, a vital, an identity) no longer matches.
type boundTable struct {
	name   string
	entity string // the audit entity that records writes of this table
	cols   []string
	// kinds per column: 'i' integer, 't' text, 'f' float, 'b' bytes (all
	// nullable); 'o' is a text column added by a later migration, hashed
	// only when not NULL so the rows written before it still verify (only
	// trailing columns may be 'o'). The first column is the row's key (id,
	// or encounter_id for calls).
	kinds string
	// since is the schema version whose migration binds this table (its
	// triggers); 0 means accessSchema. A database held below it (an
	// older schema, or a table another team's migration has not created
	// yet) has no bound rows of the table, and VerifyAudit skips it.
	since int
	// created is the audit action (on entity) that records a row's
	// creation, for a table whose rows are written once and never
	// deleted: an id created twice is a row deleted outside the store
	// whose id the database gave again (SQLite reuses the highest id), so
	// that the honest new row would otherwise hide the deletion.
	created string
}

// schema is the version that binds bt.
func (bt boundTable) schema() int {
	if bt.since == 0 {
		return accessSchema
	}
	return bt.since
}

// selectList is the columns to select for bt in s: an 'o' column that s's
// schema does not have yet reads NULL (hashed as before it existed; the
// one 'o' column is patients.sex of schema 10).
func (bt boundTable) selectList(s *Store) string {
	cols := make([]string, len(bt.cols))
	for i, c := range bt.cols {
		cols[i] = c
		if bt.kinds[i] == 'o' && !s.patientSex {
			cols[i] = "NULL"
		}
	}
	return strings.Join(cols, ", ")
}

// key is the column that identifies a row.
func (bt boundTable) key() string { return bt.cols[0] }

// boundTables lists the bound tables and the columns hashed, in a fixed
// order. A column added by a later migration is not hashed until it is
// listed here (and then only rows written afterwards verify; see
// docs/security.md).
var boundTables = []boundTable{
	{"patients", "patient", []string{"id", "nid", "temp_id", "name", "merged_into", "created_at", "updated_at", "version",
		"sex"}, "itttiiii" + "o", 0, ""},
	{"encounters", "encounter", []string{"id", "patient_id", "channel", "arrived_at", "status", "complaint", "colour", "target_s",
		"last_assessed_at", "monitor_every_s", "news2", "news2_band", "created_at", "updated_at", "version", "outcome", "outcome_note"}, "iitittiiiiitiiitt", 0, ""},
	{"assessments", "assessment", []string{"id", "encounter_id", "at", "actor", "workstation", "colour", "target_s", "news2", "news2_band",
		"monitor_every_s", "engine_version", "ruleset_version", "override_colour", "override_reason", "input", "result"}, "iiittiiitittittt", 0, ""},
	{"observations", "encounter", []string{"id", "encounter_id", "kind", "value", "unit", "source", "device_time", "host_time", "quality"}, "iitfttiii", 0, ""},
	// calls (schema 4) are keyed by their encounter.
	{"calls", "encounter", []string{"encounter_id", "assessment_id", "at", "actor", "workstation", "complaint", "note", "onset", "onset_at",
		"sex", "sex_source", "caller_relation", "caller_phone", "answers", "level_told", "level_computed"}, "iiitttttittttttt", 0, ""},
	// dropped calls and their call-backs (schema 13) are keyed by their encounter.
	{"dropped_calls", "encounter", []string{"encounter_id", "started_at", "ended_at", "actor", "workstation", "step", "complaint", "note", "onset",
		"onset_at", "sex", "sex_source", "caller_relation", "caller_phone", "answers", "level_proposed", "call_back", "partial"}, "iiitttttt" + "itttttttt", droppedSchema, ""},
	{"call_backs", "encounter", []string{"encounter_id", "at", "actor", "workstation", "note", "new_encounter_id"}, "iittti", droppedSchema, ""},
	{"encounter_events", "event", []string{"id", "encounter_id", "at", "actor", "workstation", "kind", "ref", "note"}, "iiittttt", 0, ""},
	{"users", "user", []string{"id", "username", "display_name", "roles", "service", "password_hash", "totp_secret", "oidc_issuer",
		"oidc_subject", "hpr", "security_level", "disabled", "failures", "locked_until", "created_at", "updated_at", "version"}, "itttttttttt" + "iiiiii", 0, ""},
	// ECGs (table of schema 7, bound from schema 9): the cart's file (data,
	// hashed as the SHA-256 of its bytes), our and the cart's measurements,
	// the review's interpretation, findings and signature.
	{"ecgs", "ecg", []string{"id", "encounter_id", "patient_id", "attached_at", "attached_by", "workstation", "format", "source_name",
		"acquired_at", "sha256", "data", "summary", "status", "interpretation", "findings", "stemi", "signed_by", "signed_at"},
		"iiiitttt" + "itbttttiti", ecgAuditSchema, "ecg.attach"},
}

// ecgAuditSchema is the migration that binds the ECG records.
const ecgAuditSchema = 9

func boundTableNamed(name string) (boundTable, bool) {
	for _, bt := range boundTables {
		if bt.name == name {
			return bt, true
		}
	}
	return boundTable{}, false
}

// rowDigest is one bound row as hashed: its table, id, the hash of its
// content, and (observations) the encounter it belongs to, which names
// the audit entry it is recorded under.
type rowDigest struct {
	tbl    string
	id     int64
	parent int64
	hash   string
}

// scanRows reads rows of bt (selected with bt's columns in order) and
// hashes each: SHA-256 of a JSON array [table, col1, col2, ...] with
// NULL as null, integers as numbers, floats as their shortest decimal
// text, text as strings and bytes as the hex SHA-256 of the bytes, so
// both backends hash a row the same.
func (bt boundTable) scanRows(rows *sql.Rows, each func(rowDigest) error) error {
	n := len(bt.cols)
	ints := make([]sql.NullInt64, n)
	texts := make([]sql.NullString, n)
	floats := make([]sql.NullFloat64, n)
	blobs := make([][]byte, n)
	dest := make([]any, n)
	for i := 0; i < n; i++ {
		switch bt.kinds[i] {
		case 'i':
			dest[i] = &ints[i]
		case 'f':
			dest[i] = &floats[i]
		case 'b':
			dest[i] = &blobs[i]
		default:
			dest[i] = &texts[i]
		}
	}
	vals := make([]any, 0, n+1)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reading %s: %w", bt.name, err)
		}
		vals = append(vals[:0], bt.name)
		for i := 0; i < n; i++ {
			var v any
			switch bt.kinds[i] {
			case 'o':
				if !texts[i].Valid {
					continue
				}
				v = texts[i].String
			case 'i':
				if ints[i].Valid {
					v = ints[i].Int64
				}
			case 'f':
				if floats[i].Valid {
					v = strconv.FormatFloat(floats[i].Float64, 'g', -1, 64)
				}
			case 'b':
				// A file of up to MaxECGBytes: its SHA-256 (hex) stands
				// for it, so the hashed array stays small.
				if blobs[i] != nil {
					sum := sha256.Sum256(blobs[i])
					v = hex.EncodeToString(sum[:])
				}
			default:
				if texts[i].Valid {
					v = texts[i].String
				}
			}
			vals = append(vals, v)
		}
		b, err := json.Marshal(vals)
		if err != nil {
			return fmt.Errorf("hashing %s row %d: %w", bt.name, ints[0].Int64, err)
		}
		sum := sha256.Sum256(b)
		d := rowDigest{tbl: bt.name, id: ints[0].Int64, hash: hex.EncodeToString(sum[:])}
		if bt.name == "observations" {
			d.parent = ints[1].Int64
		}
		if err := each(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rowsDigest is the digest of an entry's bound rows (sorted by table and
// id): the rows_hash that goes into the entry's own hash.
func rowsDigest(rs []rowDigest) string {
	if len(rs) == 0 {
		return ""
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].tbl != rs[j].tbl {
			return rs[i].tbl < rs[j].tbl
		}
		return rs[i].id < rs[j].id
	})
	h := sha256.New()
	for _, r := range rs {
		fmt.Fprintf(h, "%s\t%d\t%s\n", r.tbl, r.id, r.hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// pendingToken is the token under which the triggers of schema 5 record
// the rows this transaction wrote.
func (t *txn) pendingToken(ctx context.Context) (string, error) {
	if t.s.backend == Postgres {
		var tok string
		if err := t.queryRow(ctx, "SELECT txid_current()::text").Scan(&tok); err != nil {
			return "", fmt.Errorf("audit: transaction id: %w", err)
		}
		return tok, nil
	}
	return t.token, nil
}

// boundRows reads the rows written under token and hashes them as they
// are now (the end of the transaction), then clears them from pending.
func (t *txn) boundRows(ctx context.Context, token string) ([]rowDigest, error) {
	rows, err := t.query(ctx, "SELECT tbl, row_id FROM audit_pending WHERE token = ?", token)
	if err != nil {
		return nil, fmt.Errorf("audit: reading written rows: %w", err)
	}
	ids := map[string][]int64{}
	for rows.Next() {
		var tbl string
		var id int64
		if err := rows.Scan(&tbl, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("audit: reading written rows: %w", err)
		}
		ids[tbl] = append(ids[tbl], id)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("audit: reading written rows: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var out []rowDigest
	for _, bt := range boundTables {
		list := ids[bt.name]
		for start := 0; start < len(list); start += 500 {
			chunk := list[start:min(start+500, len(list))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			q := "SELECT " + bt.selectList(t.s) + " FROM " + bt.name + " WHERE " + bt.key() + " IN (?" + strings.Repeat(", ?", len(chunk)-1) + ")"
			rs, err := t.query(ctx, q, args...)
			if err != nil {
				return nil, fmt.Errorf("audit: reading written %s: %w", bt.name, err)
			}
			err = bt.scanRows(rs, func(d rowDigest) error { out = append(out, d); return nil })
			rs.Close()
			if err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
		}
	}
	if _, err := t.exec(ctx, "DELETE FROM audit_pending WHERE token = ?", token); err != nil {
		return nil, fmt.Errorf("audit: clearing written rows: %w", err)
	}
	return out, nil
}

// assignRows gives each written row to the audit entry of this
// transaction that recorded it: the entry about that very record (for
// observations: about their encounter), else the transaction's last
// entry (an encounter's colour set by "assessment.create").
func assignRows(entries []AuditEntry, rows []rowDigest) [][]rowDigest {
	out := make([][]rowDigest, len(entries))
	for _, r := range rows {
		bt, _ := boundTableNamed(r.tbl)
		id := r.id
		if r.tbl == "observations" {
			id = r.parent
		}
		at := len(entries) - 1
		for i := len(entries) - 1; i >= 0; i-- {
			if entries[i].Entity == bt.entity && entries[i].EntityID == id {
				at = i
				break
			}
		}
		out[at] = append(out[at], r)
	}
	return out
}
