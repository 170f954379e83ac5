package queuefeed

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

// scripted is a change feed that delivers what the test sent, then ends.
type scripted struct{ ch chan store.Change }

func (s scripted) Watch(context.Context) (<-chan store.Change, error) { return s.ch, nil }

func count(ch <-chan struct{}) int {
	n := 0
	for range ch {
		n++
	}
	return n
}

// feed sends the changes one by one (unbuffered: each is taken before the
// next is sent) and ends the feed; nobody reads the ticks meanwhile.
func feed(t *testing.T, kinds ...string) <-chan struct{} {
	w := scripted{ch: make(chan store.Change)}
	ticks, err := Ticks(context.Background(), w)
	require.NoError(t, err)
	for _, k := range kinds {
		w.ch <- store.Change{Kind: k, EncounterID: 1}
	}
	close(w.ch)
	return ticks
}

func TestTicksSkipQueueNeutralChanges(t *testing.T) {
	ticks := feed(t, store.ChangeObservations, store.ChangeObservationsManual, "event")
	assert.Zero(t, count(ticks), "new vitals and events do not make a board re-read the queue")
}

func TestTicksCoalesceToOnePendingReRead(t *testing.T) {
	ticks := feed(t, "patient", "encounter", "assessment", store.ChangeObservations, "encounter")
	// Nobody read while the changes came: one re-read covers them all.
	assert.Equal(t, 1, count(ticks))
}
