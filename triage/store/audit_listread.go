package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// ListReadWindow is how long the audit entry of a list read (the queue,
// the ECG board, the record state, the ECG review list) covers the same
// user seeing the same list again on the same workstation, in the same
// role and on the same basis (docs/security.md, "Repeated list reads").
//
// Why 15 minutes: Normen fact sheet 15 asks that the log can answer who
// had access to which patient's data, and when. A board open all evening
// re-reads its lists on every change in the clinic and on a timer, and
// wrote the same entry hundreds of times an hour (TestAuditVolumeOfAn-
// HourOfBoards: 524 identical queue reads an hour from one terminal),
// which buries the entries a privacy officer must review. With the window
// an unchanged screen still has an entry at least every quarter of an
// hour, so a patient's access log shows, to the quarter hour, for how
// long their name stood on a user's screen; a change of what is shown is
// logged at once, whatever the window.
const ListReadWindow = 15 * time.Minute

// maxListViews bounds the remembered views of one store; beyond it, views
// older than the window are forgotten (they would be logged anyway).
const maxListViews = 4096

// listSeed seeds the digest of what a list showed; the digests are only
// compared within this process.
var listSeed = maphash.MakeSeed()

// listView is what one list read showed: its patients, in the order
// shown (one per row), and a digest of everything else shown of them.
type listView struct {
	// view names the list ("queue", "ecg-board", "ecg-review",
	// "record-state"): two lists are never each other's repeat.
	view           string
	action, entity string
	n              int
	patient        func(i int) ids.Patient
	content        uint64
	// detail is the entry's detail, made only when the read is logged;
	// it lists the patients (patientsDetail) for the access log.
	detail func() string
}

// listKey is whose repeated read is recognised: the user on this
// workstation, in this role and service, on this basis, reading this list.
type listKey struct {
	user, workstation string
	role              Role
	service           Service
	basis             string
	view              string
}

// listLogged is the last logged view of a key.
type listLogged struct {
	patients []ids.Patient
	content  uint64
	at       time.Time
}

// listReads remembers, per key, the view its last committed audit entry
// recorded. It is memory of this process only: another workstation, a
// restart, or two reads racing each log their own entry, which costs an
// entry and never loses one (a view is remembered only once its entry is
// committed).
type listReads struct {
	mu sync.Mutex
	m  map[listKey]listLogged
}

// covered reports whether v, read at at, repeats the view last logged for
// k within the window: the same patients in the same order, the same
// content, and at most ListReadWindow later.
func (l *listReads) covered(k listKey, v listView, at time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.m[k]
	if !ok || at.Before(p.at) || at.Sub(p.at) >= ListReadWindow || p.content != v.content || len(p.patients) != v.n {
		return false
	}
	for i, id := range p.patients {
		if v.patient(i) != id {
			return false
		}
	}
	return true
}

// logged remembers a view whose entry was committed. A view logged later
// (a read that raced this one) is kept.
func (l *listReads) logged(k listKey, patients []ids.Patient, content uint64, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[listKey]listLogged{}
	}
	if p, ok := l.m[k]; ok && p.at.After(at) {
		return
	}
	l.m[k] = listLogged{patients: patients, content: content, at: at}
	if len(l.m) > maxListViews {
		for key, p := range l.m {
			if at.Sub(p.at) >= ListReadWindow {
				delete(l.m, key)
			}
		}
	}
}

// auditList audits a list read unless it repeats, within ListReadWindow,
// the view last logged for the same user, workstation, role, service and
// basis. The role check of audit is made either way. The view is
// remembered only after the transaction commits (txn.afterCommit), so a
// read whose entry was rolled back is never taken as logged.
func (t *txn) auditList(ctx context.Context, v listView) error {
	if err := t.auditAllowed(v.action, v.entity, 0, ""); err != nil {
		return err
	}
	a := t.actor
	k := listKey{user: a.User, workstation: a.Workstation, role: a.Role, service: a.Service, basis: basisText(a.Basis), view: v.view}
	if t.s.lists.covered(k, v, t.at) {
		return nil
	}
	if err := t.audit(ctx, v.action, v.entity, 0, 0, v.detail()); err != nil {
		return err
	}
	patients := make([]ids.Patient, v.n)
	for i := range patients {
		patients[i] = v.patient(i)
	}
	at, content := t.at, v.content
	t.afterCommit(func() { t.s.lists.logged(k, patients, content, at) })
	return nil
}

// patientsDetail is a list read's audit detail: prefix, then every
// listed patient ("patients=1,2,3"), so that the read counts as access to
// each of them in the patient's access log (accesses, listsAny).
func patientsDetail(prefix string, n int, patient func(i int) ids.Patient) string {
	var b strings.Builder
	b.WriteString(prefix)
	if n > 0 {
		b.WriteString(" patients=")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%d", patient(i))
		}
	}
	return b.String()
}

// listActions are the actions of list reads: an entry of one of them with
// no single patient names the patients it showed in its detail.
var listActions = []string{"queue.read", "ecg.list", "record.status.read", "call.ended.read", "outbox.list", "records.export"}

// isListRead reports whether e is the entry of a list read (one that
// counts as access to every patient its detail lists).
func isListRead(e AuditEntry) bool {
	if e.PatientID != 0 {
		return false
	}
	for _, a := range listActions {
		if e.Action == a {
			return true
		}
	}
	return false
}

// viewHash digests what a list showed (maphash: fast and allocation-free;
// a digest is only compared with this process's own).
type viewHash struct {
	h maphash.Hash
	b [8]byte
}

func newViewHash() *viewHash {
	v := &viewHash{}
	v.h.SetSeed(listSeed)
	return v
}

func (v *viewHash) int(n int64) {
	binary.LittleEndian.PutUint64(v.b[:], uint64(n))
	_, _ = v.h.Write(v.b[:])
}

func (v *viewHash) str(s string) {
	v.int(int64(len(s)))
	_, _ = v.h.WriteString(s)
}

func (v *viewHash) bytes(p []byte) {
	v.int(int64(len(p)))
	_, _ = v.h.Write(p)
}

func (v *viewHash) time(t time.Time) {
	if t.IsZero() {
		v.int(-1 << 63)
		return
	}
	v.int(t.UnixMicro())
}

func (v *viewHash) bool(b bool) {
	if b {
		v.int(1)
	} else {
		v.int(0)
	}
}

// queueItem digests everything a board shows of a queue item (the waiting
// time and the flags placed from the clock are not stored data; they
// follow from these and the time).
func (v *viewHash) queueItem(it queue.Item) {
	v.int(int64(it.EncounterID))
	v.int(int64(it.PatientID))
	v.str(it.Patient)
	v.str(it.TempID)
	v.int(int64(it.Sex))
	v.time(it.BirthDate)
	v.str(it.Channel)
	v.str(it.Status)
	v.time(it.ArrivedAt)
	v.bool(it.Triaged)
	v.int(int64(it.Colour))
	v.int(int64(it.Target))
	v.time(it.LastAssessedAt)
	v.int(int64(it.MonitorEvery))
	if it.NEWS2 == nil {
		v.int(-1)
	} else {
		v.int(int64(*it.NEWS2))
	}
	v.str(it.NEWS2Band)
	v.str(it.Outcome)
	if it.CallBack != "" { // a dropped call's call-back (schema 13); others digest as before
		v.str(it.CallBack)
	}
}

// queueView is the view of a queue read that showed items.
func queueView(items []queue.Item) listView {
	return itemsView("queue", "queue.read", items, func() string { return queueDetail(items) })
}

// itemsView is the view of a read that listed queue items (the queue, the
// ended calls), digested as a board shows them, in the order shown.
func itemsView(view, action string, items []queue.Item, detail func() string) listView {
	h := newViewHash()
	for _, it := range items {
		h.queueItem(it)
	}
	return listView{view: view, action: action, entity: "queue", n: len(items),
		patient: func(i int) ids.Patient { return items[i].PatientID },
		content: h.h.Sum64(),
		detail:  detail}
}

// encounterPatients gives the patient of each of encounterIDs that exists.
func (t *txn) encounterPatients(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]ids.Patient, error) {
	out := make(map[ids.Encounter]ids.Patient, len(encounterIDs))
	for start := 0; start < len(encounterIDs); start += 500 {
		chunk := encounterIDs[start:min(start+500, len(encounterIDs))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := t.query(ctx, "SELECT id, patient_id FROM encounters WHERE id IN ("+marks+")", args...)
		if err != nil {
			return nil, fmt.Errorf("patients of encounters: %w", err)
		}
		for rows.Next() {
			var id ids.Encounter
			var p ids.Patient
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, fmt.Errorf("patients of encounters: %w", err)
			}
			out[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("patients of encounters: %w", err)
		}
	}
	return out, nil
}

// encountersView is the view of a read of per-encounter state (the ECG
// board, the record state) for encounterIDs: one row per encounter that
// exists, with its patient, in encounter order (these reads show each
// encounter's state, not an order: a board re-sorted by a triage asks for
// the same state again), and the digest of each encounter's state, hashed
// by state.
func encountersView(view, action, entity, prefix string, encounterIDs []ids.Encounter, patients map[ids.Encounter]ids.Patient, state func(h *viewHash, enc ids.Encounter)) listView {
	encs := slices.Compact(slices.Sorted(slices.Values(encounterIDs)))
	rows := make([]ids.Patient, 0, len(encs))
	h := newViewHash()
	for _, enc := range encs {
		p, ok := patients[enc]
		if !ok {
			continue
		}
		rows = append(rows, p)
		h.int(int64(enc))
		h.int(int64(p))
		state(h, enc)
	}
	return listView{view: view, action: action, entity: entity, n: len(rows),
		patient: func(i int) ids.Patient { return rows[i] },
		content: h.h.Sum64(),
		detail:  func() string { return patientsDetail(prefix, len(rows), func(i int) ids.Patient { return rows[i] }) }}
}

// ecgReviewView is the view of the ECG review list.
func ecgReviewView(list []ECGReview) listView {
	h := newViewHash()
	for _, r := range list {
		h.int(r.ID)
		h.int(int64(r.EncounterID))
		h.int(int64(r.PatientID))
		h.str(r.Patient)
		h.bool(r.Triaged)
		h.int(int64(r.Colour))
		h.time(r.ArrivedAt)
		h.time(r.AttachedAt)
		h.str(r.AttachedBy)
		h.str(r.Format)
		h.str(r.SourceName)
		h.time(r.AcquiredAt)
		h.str(r.SHA256)
		h.bytes(r.Summary)
		h.str(string(r.Status))
		h.bool(r.STEMI)
		h.str(r.SignedBy)
	}
	return listView{view: "ecg-review", action: "ecg.list", entity: "ecg", n: len(list),
		patient: func(i int) ids.Patient { return list[i].PatientID },
		content: h.h.Sum64(),
		detail: func() string {
			return patientsDetail(fmt.Sprintf("unconfirmed=%d", len(list)), len(list), func(i int) ids.Patient { return list[i].PatientID })
		}}
}

// recordStateView is the view of a record-state read (RecordStatuses) of
// encounterIDs that gave out.
func (t *txn) recordStateView(ctx context.Context, encounterIDs []ids.Encounter, out map[ids.Encounter][]RecordStatus) (listView, error) {
	patients, err := t.encounterPatients(ctx, encounterIDs)
	if err != nil {
		return listView{}, fmt.Errorf("record status: %w", err)
	}
	item := func(h *viewHash, it RecordItem) {
		h.str(string(it.State))
		h.time(it.Since)
		h.time(it.SentAt)
		h.int(int64(it.Attempts))
		h.str(it.Reason)
	}
	return encountersView("record-state", "record.status.read", "outbox", fmt.Sprintf("encounters=%d", len(encounterIDs)),
		encounterIDs, patients, func(h *viewHash, enc ids.Encounter) {
			h.int(int64(len(out[enc])))
			for _, rs := range out[enc] {
				h.str(rs.Destination)
				item(h, rs.Vitals)
				item(h, rs.Triage)
			}
		}), nil
}
