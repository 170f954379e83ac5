package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Store is safe for concurrent use, Close too: several Close calls at once
// close the store once and never panic. The race is narrow, so it is tried
// many times on stores whose database handle is not yet connected (opening
// a real store each time would take seconds).
func TestConcurrentCloseDoesNotPanic(t *testing.T) {
	dir := t.TempDir()
	for i := range 20000 {
		db, err := sql.Open("sqlite", filepath.Join(dir, "unused.db"))
		require.NoError(t, err)
		s := &Store{db: db, done: make(chan struct{})}
		var wg sync.WaitGroup
		start := make(chan struct{})
		panics := make(chan any, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						panics <- r
					}
				}()
				<-start
				_ = s.Close()
			}()
		}
		close(start)
		wg.Wait()
		close(panics)
		for p := range panics {
			t.Fatalf("iteration %d: Close panicked: %v", i, p)
		}
	}
}

// A real store closes once; a second Close is harmless and calls after it
// say the store is closed.
func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "triage.db"))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.NoError(t, s.Close())
	_, err = s.Queue(context.Background(), nurse, s.now())
	assert.ErrorIs(t, err, ErrClosed)
}
