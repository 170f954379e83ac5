package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
