package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
)

// queueCache keeps the open encounters in memory between Queue calls and
// brings them up to date from the change table, so that a queue of 10,000
// costs one small query plus the placing instead of a full join each time.
// Changes are numbered in commit order on both backends (SQLite has one
// writer; on PostgreSQL the change row is written while the writers'
// lock is held), so "everything after seq" is exactly what is new. Any
// doubt (a gap in the numbers, a patient-level change) means a full reload.
//
// The cache is one slice in queue order (queue.Sort does not depend on the
// clock) and nothing else: a second copy keyed by id would double what the
// garbage collector scans on every cycle, and that scanning, not the
// database, was the tail of the 10,000-patient queue read.
//
// mu is held from the refresh until the entries are placed, so a refresh
// may build the next order in spare (the array of the order before) and
// swap: a change costs no allocation either.
type queueCache struct {
	mu     sync.Mutex
	valid  bool
	seq    int64
	sorted []queue.Item
	spare  []queue.Item
}

// queueSelect reads p.sex, or NULL on a store before schema 10
// (queueSelectOld).
const queueSelect = `SELECT e.id, e.patient_id, p.name, p.temp_id, p.nid, p.sex, e.channel, e.status, e.arrived_at, e.colour, e.target_s,
	e.last_assessed_at, e.monitor_every_s, e.news2, e.news2_band, e.outcome
	FROM encounters e JOIN patients p ON p.id = e.patient_id`

var queueSelectOld = strings.Replace(queueSelect, "p.sex", "NULL", 1)

// The queue's small vocabularies are interned: a cached item then points
// at these constants rather than at one heap string per row, which keeps
// the cache cheap for the garbage collector. Unknown values are kept as
// read.
var (
	internedWords = func() map[string]string {
		m := map[string]string{}
		for _, w := range []string{string(WalkIn), string(Phone)} {
			m[w] = w
		}
		for _, b := range []news2.Band{news2.Low, news2.LowMedium, news2.Medium, news2.High} {
			m[b.String()] = b.String()
		}
		for _, st := range Statuses {
			m[string(st)] = string(st)
		}
		for _, o := range Outcomes {
			m[string(o)] = string(o)
		}
		return m
	}()
	// news2Values backs Item.NEWS2 for totals 0-20 (the NEWS2 maximum), so
	// the pointers are not 10,000 separate allocations. Read-only: nothing
	// writes through Item.NEWS2.
	news2Values = func() (v [21]int) {
		for i := range v {
			v[i] = i
		}
		return v
	}()
)

func intern(s string) string {
	if w, ok := internedWords[s]; ok {
		return w
	}
	return s
}

func scanQueueItem(rows *sql.Rows) (queue.Item, error) {
	var it queue.Item
	var name, channel, status, outcome string
	var temp, nid, sex, band sql.NullString
	var arrived int64
	var colour, target, last, every, news2 sql.NullInt64
	if err := rows.Scan(&it.EncounterID, &it.PatientID, &name, &temp, &nid, &sex, &channel, &status, &arrived, &colour, &target, &last, &every, &news2, &band, &outcome); err != nil {
		return queue.Item{}, err
	}
	it.Patient = patientLabel(name, temp.String) // "" is worded by the screen (wording.PatientLabel)
	if temp.Valid && !nid.Valid {
		it.TempID = temp.String
	}
	// Sex and age from the identity number when known (the number is
	// not kept on the item), else the sex chosen at registration.
	if n, err := patient.Parse(nid.String); nid.Valid && err == nil {
		it.Sex, it.BirthDate = n.Sex, n.BirthDate
	} else {
		it.Sex = PatientSex(Sex(sex.String))
	}
	it.Channel, it.Status = intern(channel), intern(status)
	it.ArrivedAt = fromMicros(arrived)
	if colour.Valid {
		it.Triaged, it.Colour, it.Target = true, triage.Colour(colour.Int64), time.Duration(target.Int64)*time.Second
	}
	if last.Valid {
		it.LastAssessedAt = fromMicros(last.Int64)
	}
	it.MonitorEvery = time.Duration(every.Int64) * time.Second
	if news2.Valid {
		if n := news2.Int64; n >= 0 && n < int64(len(news2Values)) {
			it.NEWS2 = &news2Values[n]
		} else {
			v := int(n)
			it.NEWS2 = &v
		}
	}
	it.NEWS2Band = intern(band.String)
	it.Outcome = intern(outcome)
	return it, nil
}

// loadQueueRows runs a queue select and hands each row to f.
func (t *txn) loadQueueRows(ctx context.Context, where string, args []any, f func(queue.Item)) error {
	sel := queueSelect
	if !t.s.patientSex {
		sel = queueSelectOld
	}
	rows, err := t.query(ctx, sel+" WHERE "+where, args...)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanQueueItem(rows)
		if err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		f(it)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

// refreshQueue brings the cache up to date inside transaction t.
func (t *txn) refreshQueue(ctx context.Context, c *queueCache) error {
	if c.valid {
		rows, err := t.query(ctx, "SELECT seq, COALESCE(encounter_id, 0), kind FROM changes WHERE seq > ? ORDER BY seq", c.seq)
		if err != nil {
			return fmt.Errorf("queue: reading changes: %w", err)
		}
		encs := map[ids.Encounter]bool{}
		last, reload := c.seq, false
		for rows.Next() {
			var seq int64
			var enc ids.Encounter
			var kind string
			if err := rows.Scan(&seq, &enc, &kind); err != nil {
				rows.Close()
				return fmt.Errorf("queue: reading changes: %w", err)
			}
			// Observations and events do not change a queue entry.
			skip := QueueNeutral(kind)
			if seq != last+1 || (enc == 0 && !skip) {
				reload = true
			}
			if !skip {
				encs[enc] = true
			}
			last = seq
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("queue: reading changes: %w", err)
		}
		if !reload {
			if len(encs) > 0 {
				if err := t.updateQueueItems(ctx, c, encs, t.s.policy); err != nil {
					return err
				}
			}
			c.seq = last
			return nil
		}
	}
	// Full load. The change number is read first: a change committed in
	// between is then applied again next time, which is harmless.
	var seq int64
	if err := t.queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&seq); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	items := make([]queue.Item, 0, len(c.sorted))
	if err := t.loadQueueRows(ctx, queueOpen, nil, func(it queue.Item) { items = append(items, it) }); err != nil {
		return err
	}
	queue.Sort(items, t.s.policy)
	c.sorted, c.spare, c.seq, c.valid = items, nil, seq, true
	return nil
}

// updateQueueItems re-reads the given encounters and merges the ones still
// open into the sorted cache (linear), dropping the rest, instead of
// sorting everything again.
func (t *txn) updateQueueItems(ctx context.Context, c *queueCache, encs map[ids.Encounter]bool, p queue.Policy) error {
	list := make([]any, 0, len(encs))
	for id := range encs {
		list = append(list, id)
	}
	var changed []queue.Item
	for start := 0; start < len(list); start += 500 {
		chunk := list[start:min(start+500, len(list))]
		where := "e.id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ") AND " + queueOpen
		if err := t.loadQueueRows(ctx, where, chunk, func(it queue.Item) { changed = append(changed, it) }); err != nil {
			return err
		}
	}
	queue.Sort(changed, p)
	merged := slices.Grow(c.spare[:0], len(c.sorted)+len(changed))
	j := 0
	for _, it := range c.sorted {
		if encs[it.EncounterID] {
			continue
		}
		for j < len(changed) && queue.Compare(changed[j], it, p) < 0 {
			merged = append(merged, changed[j])
			j++
		}
		merged = append(merged, it)
	}
	merged = append(merged, changed[j:]...)
	c.sorted, c.spare = merged, c.sorted[:0]
	return nil
}

// Queue returns the patients waiting for a clinician (statuses waiting,
// in_triage and waiting_for_doctor, outcome waiting or expected: a call handed
// over to AMK or closed with advice is not waiting), ordered by triage/queue at time now:
// colour first, then how far past the target, with breaches and due
// reassessments flagged. The read is audited as one entry with the count
// and the patients listed, unless it repeats the user's last logged view
// (auditList, ListReadWindow).
func (s *Store) Queue(ctx context.Context, a Actor, now time.Time) ([]queue.Entry, error) {
	return s.AppendQueue(ctx, a, now, nil)
}

// AppendQueue is Queue appending the entries to dst (queue.AppendPlace). A
// board that re-reads the queue on every change passes its previous
// entries as dst[:0], once nothing else reads them, and so reads 10,000
// patients without allocating. On error dst is returned as it was.
func (s *Store) AppendQueue(ctx context.Context, a Actor, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	s.qc.mu.Lock()
	defer s.qc.mu.Unlock()
	var visible []queue.Item
	err := s.doRead(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "queue", 0); err != nil {
			return err
		}
		if err := t.refreshQueue(ctx, &s.qc); err != nil {
			return err
		}
		visible = s.visibleQueue(a, s.qc.sorted, t.enforcing())
		return t.auditList(ctx, queueView(visible))
	})
	if err != nil {
		// The refresh may have been rolled back with the transaction.
		s.qc.valid = false
		return dst, err
	}
	return queue.AppendPlace(dst, visible, now, s.policy), nil
}
