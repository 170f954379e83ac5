package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/vitals"
)

// next waits for a change of the given kind; the deadline only keeps a
// broken feed from hanging the test.
func next(t *testing.T, ch <-chan Change, kind string) Change {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case c, ok := <-ch:
			require.True(t, ok, "watch channel closed while waiting for %s", kind)
			if c.Kind == kind {
				return c
			}
		case <-deadline:
			t.Fatalf("no %s change arrived", kind)
		}
	}
}

func TestWatchReconnectsAfterTheConnectionDrops(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Skip("DATABASE_URL not set")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgSchema(t, url)
	viewer, writer := open(t, dsn), open(t, dsn)
	ch, err := viewer.Watch(ctx)
	require.NoError(t, err)

	// Kill the listening connection from the server side.
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	tag, err := conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1", "LISTEN "+pgx.Identifier{viewer.channel}.Sanitize())
	require.NoError(t, err)
	require.Equal(t, int64(1), tag.RowsAffected(), "one listening connection")

	next(t, ch, ChangeReload)
	_, e := admit(t, writer, "Ola", WalkIn, time.Time{})
	c := next(t, ch, "encounter")
	assert.Equal(t, e.ID, c.EncounterID)
}

func TestWatchEndsWhenTheStoreCloses(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		s, err := Open(context.Background(), dsn(t))
		require.NoError(t, err)
		ch, err := s.Watch(context.Background())
		require.NoError(t, err)
		require.NoError(t, s.Close())
		deadline := time.After(10 * time.Second)
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					_, err := s.Watch(context.Background())
					assert.ErrorIs(t, err, ErrClosed)
					return
				}
			case <-deadline:
				t.Fatal("the watch channel stayed open after Close")
			}
		}
	})
}

// A batch with a device value is an "observations" change; one typed by a
// nurse or reported by phone only is "observations.manual", so a monitor
// board can skip it without reading that patient. Both leave the queue as
// it is.
func TestObservationChangesSayWhetherADeviceSentThem(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		ch, err := s.Watch(ctx)
		require.NoError(t, err)
		at := s.now()
		phone := vitals.Observation{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: vitals.SourcePhone, HostTime: at, Quality: vitals.Valid}
		typed := phone
		typed.Source = vitals.SourceManual
		monitor := phone
		monitor.Source = "monitor-1"

		require.NoError(t, s.AddObservations(ctx, nurse, e.ID, []vitals.Observation{phone, typed}))
		c := next(t, ch, ChangeObservationsManual)
		assert.Equal(t, e.ID, c.EncounterID)
		require.NoError(t, s.AddObservations(ctx, nurse, e.ID, []vitals.Observation{typed, monitor}))
		assert.Equal(t, e.ID, next(t, ch, ChangeObservations).EncounterID, "one device value makes it a device batch")

		for _, k := range []string{ChangeObservations, ChangeObservationsManual, "event"} {
			assert.True(t, QueueNeutral(k), k)
		}
		for _, k := range []string{"patient", "encounter", "assessment", ChangeReload} {
			assert.False(t, QueueNeutral(k), k)
		}
	})
}
