package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/queue"
)

// queueCache keeps the open encounters in memory between Queue calls and
// brings them up to date from the change table, so that a queue of 10,000
// costs one small query plus the sort instead of a full join each time.
// Changes are numbered in commit order on both backends (SQLite has one
// writer; on PostgreSQL the change row is written while the audit-chain
// lock is held), so "everything after seq" is exactly what is new. Any
// doubt (a gap in the numbers, a patient-level change) means a full reload.
type queueCache struct {
	mu    sync.Mutex
	valid bool
	seq   int64
	items map[int64]queue.Item
	// sorted is items in queue order (queue.Sort does not depend on the
	// clock); nil when items changed since it was built.
	sorted []queue.Item
}

const queueSelect = `SELECT e.id, e.patient_id, p.name, p.temp_id, e.channel, e.status, e.arrived_at, e.colour, e.target_s,
	e.last_assessed_at, e.monitor_every_s, e.news2, e.news2_band
	FROM encounters e JOIN patients p ON p.id = e.patient_id`

func scanQueueItem(rows *sql.Rows) (queue.Item, error) {
	var it queue.Item
	var name string
	var temp, band sql.NullString
	var arrived int64
	var colour, target, last, every, news2 sql.NullInt64
	if err := rows.Scan(&it.EncounterID, &it.PatientID, &name, &temp, &it.Channel, &it.Status, &arrived, &colour, &target, &last, &every, &news2, &band); err != nil {
		return queue.Item{}, err
	}
	it.Patient = patientLabel(it.PatientID, name, temp.String)
	it.ArrivedAt = fromMicros(arrived)
	if colour.Valid {
		it.Triaged, it.Colour, it.Target = true, triage.Colour(colour.Int64), time.Duration(target.Int64)*time.Second
	}
	if last.Valid {
		it.LastAssessedAt = fromMicros(last.Int64)
	}
	it.MonitorEvery = time.Duration(every.Int64) * time.Second
	if news2.Valid {
		v := int(news2.Int64)
		it.NEWS2 = &v
	}
	it.NEWS2Band = band.String
	return it, nil
}

// load runs a queue select and hands each row to f.
func (t *txn) loadQueueRows(ctx context.Context, where string, args []any, f func(queue.Item)) error {
	rows, err := t.query(ctx, queueSelect+" WHERE "+where, args...)
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

// refresh brings the cache up to date inside transaction t.
func (t *txn) refreshQueue(ctx context.Context, c *queueCache) error {
	if c.valid {
		rows, err := t.query(ctx, "SELECT seq, COALESCE(encounter_id, 0), kind FROM changes WHERE seq > ? ORDER BY seq", c.seq)
		if err != nil {
			return fmt.Errorf("queue: reading changes: %w", err)
		}
		ids := map[int64]bool{}
		last, reload := c.seq, false
		for rows.Next() {
			var seq, enc int64
			var kind string
			if err := rows.Scan(&seq, &enc, &kind); err != nil {
				rows.Close()
				return fmt.Errorf("queue: reading changes: %w", err)
			}
			// Observations and events do not change a queue entry.
			skip := kind == "observations" || kind == "event"
			if seq != last+1 || (enc == 0 && !skip) {
				reload = true
			}
			if !skip {
				ids[enc] = true
			}
			last = seq
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("queue: reading changes: %w", err)
		}
		if !reload {
			if len(ids) > 0 {
				if err := t.updateQueueItems(ctx, c, ids, t.s.policy); err != nil {
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
	items := make(map[int64]queue.Item, len(c.items))
	if err := t.loadQueueRows(ctx, "e.status IN "+queueStatuses, nil, func(it queue.Item) { items[it.EncounterID] = it }); err != nil {
		return err
	}
	c.items, c.seq, c.valid, c.sorted = items, seq, true, nil
	return nil
}

// updateQueueItems re-reads the given encounters: open ones are put in the
// cache, others removed. A sorted order that exists is updated by merging
// the changed items in (linear), not by sorting everything again.
func (t *txn) updateQueueItems(ctx context.Context, c *queueCache, ids map[int64]bool, p queue.Policy) error {
	list := make([]any, 0, len(ids))
	for id := range ids {
		list = append(list, id)
		delete(c.items, id)
	}
	var changed []queue.Item
	for start := 0; start < len(list); start += 500 {
		chunk := list[start:min(start+500, len(list))]
		where := "e.id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ") AND e.status IN " + queueStatuses
		if err := t.loadQueueRows(ctx, where, chunk, func(it queue.Item) {
			c.items[it.EncounterID] = it
			changed = append(changed, it)
		}); err != nil {
			return err
		}
	}
	if c.sorted == nil {
		return nil
	}
	queue.Sort(changed, p)
	// A new slice: the old one may still be read by an earlier caller.
	merged := make([]queue.Item, 0, len(c.items))
	j := 0
	for _, it := range c.sorted {
		if ids[it.EncounterID] {
			continue
		}
		for j < len(changed) && queue.Compare(changed[j], it, p) < 0 {
			merged = append(merged, changed[j])
			j++
		}
		merged = append(merged, it)
	}
	merged = append(merged, changed[j:]...)
	c.sorted = merged
	return nil
}

// Queue returns the patients waiting for a clinician (statuses waiting,
// in_triage and waiting_for_doctor), ordered by triage/queue at time now:
// colour first, then how far past the target, with breaches and due
// reassessments flagged. The read is audited as one entry with the count.
func (s *Store) Queue(ctx context.Context, a Actor, now time.Time) ([]queue.Entry, error) {
	var sorted []queue.Item
	err := s.do(ctx, a, func(t *txn) error {
		s.qc.mu.Lock()
		defer s.qc.mu.Unlock()
		if err := t.refreshQueue(ctx, &s.qc); err != nil {
			s.qc.valid = false
			return err
		}
		if s.qc.sorted == nil {
			s.qc.sorted = make([]queue.Item, 0, len(s.qc.items))
			for _, it := range s.qc.items {
				s.qc.sorted = append(s.qc.sorted, it)
			}
			queue.Sort(s.qc.sorted, s.policy)
		}
		// The cached slice is never modified, only replaced: safe to
		// read after the lock is released.
		sorted = s.qc.sorted
		return t.audit(ctx, "queue.read", "queue", 0, 0, fmt.Sprintf("count=%d", len(sorted)))
	})
	if err != nil {
		return nil, err
	}
	return queue.Place(sorted, now, s.policy), nil
}
