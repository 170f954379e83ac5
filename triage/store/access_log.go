package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
)

// Access is one read or change of a patient's data, as the patient's
// access log shows it (pasientjournalforskriften § 14).
type Access struct {
	Seq         int64
	At          time.Time
	User        string
	DisplayName string // from the account, when there is one
	Workstation string
	Role        Role
	Action      string // e.g. "patient.read"; screens translate it
	Basis       Basis  // empty for the service's own patients
	// List is true for a read of a list that showed the patient (the
	// waiting queue), not of the patient's own record.
	List bool
}

// AccessLog lists who read or changed the data of the patient with
// identity number nid (and of records merged into it) between from and to
// (zero: no bound), oldest first. For administrators (log review); the
// reading is itself audited. The number is validated first.
func (s *Store) AccessLog(ctx context.Context, a Actor, nid string, from, to time.Time) ([]Access, error) {
	n, err := patient.Parse(nid)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, ErrInvalid)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	// Accesses still in the unchained tail are linked first: the view
	// shows every acknowledged one.
	if err := s.chainAll(ctx); err != nil {
		return nil, err
	}
	var out []Access
	err = s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReviewLog, "audit", 0); err != nil {
			return err
		}
		var id ids.Patient
		err := t.queryRow(ctx, "SELECT id FROM patients WHERE nid = ?", n.Number).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if aerr := t.auditPatient(ctx, "audit.access", 0, 0, "not found"); aerr != nil {
				return aerr
			}
			return fmt.Errorf("no patient with this identity number: %w", ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("access log: %w", err)
		}
		pids := map[ids.Patient]bool{id: true}
		rows, err := t.query(ctx, "SELECT id FROM patients WHERE merged_into = ?", id)
		if err != nil {
			return fmt.Errorf("access log: %w", err)
		}
		for rows.Next() {
			var m ids.Patient
			if err := rows.Scan(&m); err != nil {
				rows.Close()
				return fmt.Errorf("access log: %w", err)
			}
			pids[m] = true
		}
		rows.Close()
		names, err := t.displayNames(ctx)
		if err != nil {
			return err
		}
		if out, err = t.accesses(ctx, pids, from, to, names); err != nil {
			return err
		}
		return t.auditPatient(ctx, "audit.access", id, 0, fmt.Sprintf("entries=%d", len(out)))
	})
	return keep(out, err)
}

func (t *txn) displayNames(ctx context.Context) (map[string]string, error) {
	rows, err := t.query(ctx, "SELECT username, display_name FROM users")
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, d string
		if err := rows.Scan(&u, &d); err != nil {
			return nil, fmt.Errorf("access log: %w", err)
		}
		out[u] = d
	}
	return out, rows.Err()
}

// accesses reads the entries about any of pids, and the list reads (the
// queue, the ECG board and review list, the record state, the outbox
// list, bulk exports: listActions) that listed one of them, in time
// order.
func (t *txn) accesses(ctx context.Context, pids map[ids.Patient]bool, from, to time.Time, names map[string]string) ([]Access, error) {
	var list []string
	for id := range pids {
		list = append(list, id.String())
	}
	// ids are integers from the database and the list actions constants:
	// safe to inline.
	q := "SELECT " + t.s.entryColumns() + " FROM audit_log WHERE at >= ? AND at < ? AND (patient_id IN (" + strings.Join(list, ",") +
		") OR action IN ('" + strings.Join(listActions, "', '") + "')) ORDER BY seq"
	rows, err := t.query(ctx, q, micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	defer rows.Close()
	var out []Access
	for rows.Next() {
		e, err := t.s.scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("access log: %w", err)
		}
		isList := isListRead(e)
		if isList && !listsAny(e.Detail, pids) {
			continue
		}
		if e.Action == "access.denied" || e.Actor == systemUser {
			continue // not an access: shown in log review
		}
		out = append(out, Access{Seq: e.Seq, At: e.At, User: e.Actor, DisplayName: names[e.Actor], Workstation: e.Workstation,
			Role: Role(e.Role), Action: e.Action, Basis: ParseBasis(e.Basis), List: isList})
	}
	return out, rows.Err()
}

// listsAny reports whether a list read's detail lists one of pids.
func listsAny(detail string, pids map[ids.Patient]bool) bool {
	_, l, ok := strings.Cut(detail, "patients=")
	if !ok {
		return false
	}
	for _, f := range strings.Split(l, ",") {
		if id, err := ids.ParsePatient(strings.TrimSpace(f)); err == nil && pids[id] {
			return true
		}
	}
	return false
}

// Follow-up reasons of log review (docs/security.md).
const (
	FollowEmergency   = "emergency"       // break-the-glass access
	FollowOutside     = "outside-service" // access with a stated basis: outside the user's queue
	FollowDenied      = "denied"          // a refused attempt
	FollowSameSurname = "same-surname"    // the user's own or a same-surname patient
	FollowNight       = "night"           // a night-time access outside the queue (22-06 local time)
	// FollowExport: a bulk export (records.export), every patient of a
	// range at once; each is for the data controller to see, whoever ran
	// it (docs/access-lists.md).
	FollowExport = "export"
)

// ReviewItem is an entry that needs follow-up, with why, and the review
// mark when it has one.
type ReviewItem struct {
	Entry      AuditEntry
	Reasons    []string
	ReviewedBy string
	ReviewedAt time.Time
	Note       string
}

// Reviewed reports whether the item has been marked as followed up.
func (r ReviewItem) Reviewed() bool { return r.ReviewedBy != "" }

// Review lists the entries between from and to that need follow-up by
// the data controller: emergency access, access outside the user's
// service, refused attempts, the user's own or a same-surname patient,
// night-time access outside the queue, and bulk exports. Reviewed ones are included
// only with all. Administrators; audited.
func (s *Store) Review(ctx context.Context, a Actor, from, to time.Time, all bool) ([]ReviewItem, error) {
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if err := s.chainAll(ctx); err != nil {
		return nil, err
	}
	var out []ReviewItem
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReviewLog, "audit", 0); err != nil {
			return err
		}
		surnames, err := t.userSurnames(ctx)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, "SELECT "+s.entryColumns()+` FROM audit_log WHERE at >= ? AND at < ?
			AND (basis <> '' OR action IN ('access.denied', 'records.export') OR patient_id IS NOT NULL) ORDER BY seq`, micros(from), micros(to))
		if err != nil {
			return fmt.Errorf("review: %w", err)
		}
		var cand []ReviewItem
		pats := map[ids.Patient]bool{}
		for rows.Next() {
			e, err := s.scanEntry(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("review: %w", err)
			}
			if e.Actor == systemUser {
				continue
			}
			r := ReviewItem{Entry: e}
			b := ParseBasis(e.Basis)
			switch {
			case b.Reason == BasisEmergency:
				r.Reasons = append(r.Reasons, FollowEmergency)
			case b.Reason != "":
				r.Reasons = append(r.Reasons, FollowOutside)
			}
			if e.Action == "access.denied" {
				r.Reasons = append(r.Reasons, FollowDenied)
			}
			if e.Action == "records.export" {
				r.Reasons = append(r.Reasons, FollowExport)
			}
			if h := e.At.Local().Hour(); b.Reason != "" && (h >= 22 || h < 6) {
				r.Reasons = append(r.Reasons, FollowNight)
			}
			if e.PatientID != 0 && surnames[e.Actor] != "" {
				pats[e.PatientID] = true
			}
			cand = append(cand, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("review: %w", err)
		}
		psur, err := t.patientSurnames(ctx, pats)
		if err != nil {
			return err
		}
		marks, err := t.reviewMarks(ctx)
		if err != nil {
			return err
		}
		for _, r := range cand {
			e := r.Entry
			if su := surnames[e.Actor]; su != "" && e.PatientID != 0 && psur[e.PatientID] == su {
				r.Reasons = append(r.Reasons, FollowSameSurname)
			}
			if len(r.Reasons) == 0 {
				continue
			}
			if m, ok := marks[e.Seq]; ok {
				if !all {
					continue
				}
				r.ReviewedBy, r.ReviewedAt, r.Note = m.ReviewedBy, m.ReviewedAt, m.Note
			}
			out = append(out, r)
		}
		return t.audit(ctx, "audit.review", "audit", 0, 0, fmt.Sprintf("items=%d", len(out)))
	})
	return keep(out, err)
}

// surname is the last word of a name, lower-cased ("" for none).
func surname(name string) string {
	f := strings.Fields(strings.ToLower(name))
	if len(f) < 2 {
		return ""
	}
	return f[len(f)-1]
}

func (t *txn) userSurnames(ctx context.Context) (map[string]string, error) {
	names, err := t.displayNames(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for u, d := range names {
		out[u] = surname(d)
	}
	return out, nil
}

func (t *txn) patientSurnames(ctx context.Context, pids map[ids.Patient]bool) (map[ids.Patient]string, error) {
	out := map[ids.Patient]string{}
	for id := range pids {
		var name string
		err := t.queryRow(ctx, "SELECT name FROM patients WHERE id = ?", id).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("review: %w", err)
		}
		out[id] = surname(name)
	}
	return out, nil
}

type reviewMark struct {
	ReviewedBy string
	ReviewedAt time.Time
	Note       string
}

func (t *txn) reviewMarks(ctx context.Context) (map[int64]reviewMark, error) {
	// A mark counts only with its audit.mark entry in the chain: one added
	// to the table outside the store is ignored.
	rows, err := t.query(ctx, `SELECT seq, reviewed_by, at, note FROM audit_reviews r
		WHERE EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'audit.mark' AND l.entity_id = r.seq AND l.actor = r.reviewed_by)`)
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	defer rows.Close()
	out := map[int64]reviewMark{}
	for rows.Next() {
		var seq, at int64
		var m reviewMark
		if err := rows.Scan(&seq, &m.ReviewedBy, &at, &m.Note); err != nil {
			return nil, fmt.Errorf("review: %w", err)
		}
		m.ReviewedAt = fromMicros(at)
		out[seq] = m
	}
	return out, rows.Err()
}

// MarkReviewed marks entry seq as followed up, with a note (required);
// the mark is itself audited. A second mark of the same entry is refused.
func (s *Store) MarkReviewed(ctx context.Context, a Actor, seq int64, note string) error {
	if strings.TrimSpace(note) == "" {
		return invalid("note", "required: say what was found")
	}
	if err := checkText("note", note, maxText); err != nil {
		return err
	}
	if err := s.chainAll(ctx); err != nil {
		return err
	}
	return s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReviewLog, "audit", seq); err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, "SELECT count(*) FROM audit_log WHERE seq = ?", seq).Scan(&n); err != nil {
			return fmt.Errorf("mark reviewed: %w", err)
		}
		if n == 0 {
			return t.auditNotFound(ctx, fmt.Errorf("audit entry %d: %w", seq, ErrNotFound), "audit.mark", "audit", seq)
		}
		if err := t.queryRow(ctx, "SELECT count(*) FROM audit_reviews WHERE seq = ?", seq).Scan(&n); err != nil {
			return fmt.Errorf("mark reviewed: %w", err)
		}
		if n > 0 {
			return invalid("entry", "%d is marked as reviewed already", seq)
		}
		if _, err := t.exec(ctx, "INSERT INTO audit_reviews (seq, reviewed_by, at, note) VALUES (?, ?, ?, ?)", seq, t.actor.User, micros(t.at), note); err != nil {
			return fmt.Errorf("mark reviewed: %w", err)
		}
		return t.audit(ctx, "audit.mark", "audit", seq, 0, "reviewed")
	})
}
