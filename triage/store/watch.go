package store

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"time"

	"github.com/jackc/pgx/v5"
)

// Change tells a watcher that something in the queue's view was committed,
// by this process or another workstation. Re-read what you show.
type Change struct {
	Seq         int64         `json:"seq"`
	Kind        string        `json:"kind"`                   // patient, encounter, assessment, observations, observations.manual, event or reload
	EncounterID ids.Encounter `json:"encounter_id,omitempty"` // 0 when not about one encounter
	At          time.Time     `json:"at"`
}

// ChangeReload says changes may have been missed (a reconnect, or a
// watcher that fell far behind): reload everything shown.
const ChangeReload = "reload"

// The two kinds of an observations change. A batch with at least one value
// from a device is ChangeObservations; one typed by a nurse or reported by
// phone only is ChangeObservationsManual, so that a monitor board need not
// read it (and be audited as reading that patient) to find nothing to show.
const (
	ChangeObservations       = "observations"
	ChangeObservationsManual = "observations.manual"
)

// QueueNeutral reports whether a change of this kind leaves every queue
// entry as it was (new vitals and encounter events), so that a queue board
// need not re-read for it.
func QueueNeutral(kind string) bool {
	return kind == ChangeObservations || kind == ChangeObservationsManual || kind == "event"
}

// Watch reports committed changes until ctx ends or the store closes, then
// closes the channel. PostgreSQL: LISTEN/NOTIFY on a dedicated connection,
// reconnecting with a reload notice after a broken connection. SQLite: a
// poll of the change table every poll interval (default 250 ms), which also
// sees other processes' writes.
func (s *Store) Watch(ctx context.Context) (<-chan Change, error) {
	select {
	case <-s.done:
		return nil, ErrClosed
	default:
	}
	ch := make(chan Change, 64)
	if s.backend == Postgres {
		conn, err := s.listen(ctx)
		if err != nil {
			return nil, err
		}
		go s.watchPostgres(ctx, conn, ch)
		return ch, nil
	}
	var last int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes").Scan(&last); err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	go s.watchSQLite(ctx, last, ch)
	return ch, nil
}

func (s *Store) send(ctx context.Context, ch chan<- Change, c Change) bool {
	select {
	case ch <- c:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

func (s *Store) watchSQLite(ctx context.Context, last int64, ch chan<- Change) {
	defer close(ch)
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-tick.C:
		}
		rows, err := s.db.QueryContext(ctx, "SELECT seq, at, kind, COALESCE(encounter_id, 0) FROM changes WHERE seq > ? ORDER BY seq LIMIT 1000", last)
		if err != nil {
			// A busy or briefly unavailable database: try again next tick,
			// and tell the watcher to reload once it is back.
			continue
		}
		var batch []Change
		for rows.Next() {
			var c Change
			var at int64
			if rows.Scan(&c.Seq, &at, &c.Kind, &c.EncounterID) == nil {
				c.At = fromMicros(at)
				batch = append(batch, c)
			}
		}
		rows.Close()
		for i, c := range batch {
			if i == 0 && c.Seq > last+1 && last > 0 {
				// Rows we never saw were pruned: the watcher fell behind.
				if !s.send(ctx, ch, Change{Seq: c.Seq, Kind: ChangeReload, At: c.At}) {
					return
				}
			}
			if !s.send(ctx, ch, c) {
				return
			}
			last = c.Seq
		}
	}
}

func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return nil, fmt.Errorf("watch: connecting: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		return nil, fmt.Errorf("watch: LISTEN: %w", err)
	}
	return conn, nil
}

func (s *Store) watchPostgres(ctx context.Context, conn *pgx.Conn, ch chan<- Change) {
	defer close(ch)
	// Stop waiting when the store closes, not only when ctx ends.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-wctx.Done():
		}
	}()
	defer func() {
		if conn != nil {
			_ = conn.Close(context.Background())
		}
	}()
	for {
		if conn == nil {
			select {
			case <-wctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
			c, err := s.listen(wctx)
			if err != nil {
				continue
			}
			conn = c
			if !s.send(wctx, ch, Change{Kind: ChangeReload, At: s.now().UTC()}) {
				return
			}
		}
		n, err := conn.WaitForNotification(wctx)
		if err != nil {
			if wctx.Err() != nil {
				return
			}
			_ = conn.Close(context.Background())
			conn = nil
			continue
		}
		var c Change
		if json.Unmarshal([]byte(n.Payload), &c) != nil {
			c = Change{Kind: ChangeReload, At: s.now().UTC()}
		}
		if !s.send(wctx, ch, c) {
			return
		}
	}
}
