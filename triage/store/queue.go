package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/queue"
)

// Queue returns the patients waiting for a clinician (statuses waiting,
// in_triage and waiting_for_doctor), ordered by triage/queue at time now:
// colour first, then how far past the target, with breaches and due
// reassessments flagged. The read is audited as one entry with the count.
func (s *Store) Queue(ctx context.Context, a Actor, now time.Time) ([]queue.Entry, error) {
	var items []queue.Item
	err := s.do(ctx, a, func(t *txn) error {
		rows, err := t.query(ctx, `SELECT e.id, e.patient_id, p.name, p.temp_id, e.channel, e.status, e.arrived_at, e.colour, e.target_s,
			e.last_assessed_at, e.monitor_every_s, e.news2, e.news2_band
			FROM encounters e JOIN patients p ON p.id = e.patient_id
			WHERE e.status IN `+queueStatuses)
		if err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var it queue.Item
			var name string
			var temp, band sql.NullString
			var arrived int64
			var colour, target, last, every, news2 sql.NullInt64
			if err := rows.Scan(&it.EncounterID, &it.PatientID, &name, &temp, &it.Channel, &it.Status, &arrived, &colour, &target, &last, &every, &news2, &band); err != nil {
				return fmt.Errorf("queue: %w", err)
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
			items = append(items, it)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		return t.audit(ctx, "queue.read", "queue", 0, 0, fmt.Sprintf("count=%d", len(items)))
	})
	if err != nil {
		return nil, err
	}
	return queue.Order(items, now, s.policy), nil
}
