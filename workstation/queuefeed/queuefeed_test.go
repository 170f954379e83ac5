package queuefeed

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
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

// listed is a queue of fixed items.
type listed struct {
	scripted
	items []queue.Entry
}

func (l listed) AppendQueue(_ context.Context, _ store.Actor, _ time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	return append(dst, l.items...), nil
}

// The store names a patient known only by the identity number by nothing;
// the feed words it in the screen's language, and leaves names, temporary
// ids and the entries the caller passed in as they are.
func TestAPatientWithoutANameIsWordedInTheFeedsLanguage(t *testing.T) {
	st := listed{items: []queue.Entry{{Item: queue.Item{PatientID: 12}}, {Item: queue.Item{PatientID: 13, Patient: "Kari Nordmann"}}}}
	for lang, want := range map[wording.Lang]string{wording.NB: "pasient 12", wording.EN: "patient 12", "": "pasient 12"} {
		prev := []queue.Entry{{Item: queue.Item{PatientID: 1}}}
		got, err := Feed{Store: st, Lang: lang}.AppendQueue(context.Background(), time.Now(), prev)
		require.NoError(t, err)
		require.Len(t, got, 3)
		assert.Empty(t, got[0].Patient, "an entry passed in is not changed")
		assert.Equal(t, want, got[1].Patient, lang)
		assert.Equal(t, "Kari Nordmann", got[2].Patient)
	}
}
