package queueboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueueBoardScreens(t *testing.T) {
	for _, c := range []struct {
		name    string
		lang    wording.Lang
		noColor bool
	}{{"bokmål", "nb", false}, {"English", "en", false}, {"NO_COLOR", "nb", true}} {
		t.Run(c.name, func(t *testing.T) {
			m := New(newTestContext(c.lang, c.noColor), nil)
			m.SetEntries(sampleQueue(), testNow)
			requireGolden(t, m.Render())
		})
	}
}

func TestQueueBoardShowsEveryFlagInText(t *testing.T) {
	m := New(newTestContext("nb", true), nil)
	m.SetEntries(sampleQueue(), testNow)
	s := plain(m)
	lines := strings.Split(s, "\n")
	row := func(name string) string {
		for _, l := range lines {
			if strings.Contains(l, name) {
				return l
			}
		}
		t.Fatalf("no row for %s in\n%s", name, s)
		return ""
	}
	assert.Contains(t, row("Ola Hansen"), "[AKUTT]", "a phone call shows the level told, not its colour")
	assert.Contains(t, row("Ola Hansen"), "telefon")
	assert.Contains(t, row("Kari Nordmann"), "BRUDD", "25 min waited against a 10 min target")
	assert.Contains(t, row("Kari Nordmann"), "0:25/0:10")
	assert.Contains(t, row("Per Olsen"), "REVURDER", "hourly monitoring, assessed 65 min ago")
	assert.Contains(t, row("Per Olsen"), "BRUDD")
	assert.Contains(t, row("UKJENT-7K2Q9D"), "[UTRIERT]")
	assert.Contains(t, row("UKJENT-7K2Q9D"), "0:04/0:10", "an untriaged patient is measured against the time to triage")
	assert.NotContains(t, row("Nils Lie"), "BRUDD")
	assert.Contains(t, row("Ingrid"), "Ingrid Berg-Johann…", "long names are cut, not wrapped")
	assert.True(t, strings.Index(s, "Ola Hansen") < strings.Index(s, "Kari Nordmann"), "store order is kept: red first")
}

func TestQueueBoardScrollsThroughALongQueue(t *testing.T) {
	m := New(newTestContext("nb", true), nil)
	m.SetEntries(bigQueue(1000), testNow)
	assert.Contains(t, plain(m), "1–17 / 1000")
	press(m, "pgdown")
	assert.Equal(t, 17, m.cursor)
	assert.Contains(t, plain(m), "18–34 / 1000", "a page down shows the next page")
	press(m, "pgup")
	assert.Equal(t, 0, m.cursor)
	assert.Contains(t, plain(m), "1–17 / 1000")
	press(m, "pgdown")
	press(m, "G")
	assert.Equal(t, 999, m.cursor)
	assert.Contains(t, plain(m), "/ 1000")
	assert.Contains(t, plain(m), fmt.Sprintf("%4d ", 1000))
	press(m, "g")
	assert.Equal(t, 0, m.cursor)
	press(m, "k")
	assert.Equal(t, 0, m.cursor, "the cursor stops at the top")
}

// fakeQueue is a QueueSource whose content and change feed the test drives.
type fakeQueue struct {
	mu      sync.Mutex
	entries []queue.Entry
	changes chan struct{}
}

func (f *fakeQueue) AppendQueue(_ context.Context, _ time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append(dst, f.entries...), nil
}

func (f *fakeQueue) Changes(context.Context) (<-chan struct{}, error) { return f.changes, nil }

func (f *fakeQueue) set(e []queue.Entry) {
	f.mu.Lock()
	f.entries = e
	f.mu.Unlock()
}

// TestQueueBoardFollowsChangesFromOtherWorkstations drives the live path:
// a change notice makes the board re-read the queue and re-subscribe.
func TestQueueBoardFollowsChangesFromOtherWorkstations(t *testing.T) {
	src := &fakeQueue{entries: sampleQueue()[:2], changes: make(chan struct{}, 1)}
	m := New(newTestContext("nb", true), src)
	m.Update(m.load()())
	m.Update(Watching{Ch: src.changes})
	require.True(t, m.live)
	assert.Contains(t, plain(m), "(2)")
	assert.Contains(t, plain(m), "direkte")

	src.set(sampleQueue())
	src.changes <- struct{}{}
	msg := WaitChange(src.changes)()
	require.IsType(t, Changed{}, msg)
	_, cmd := m.Update(msg)
	require.NotNil(t, cmd, "a change re-reads the queue and re-subscribes")
	m.Update(m.load()())
	assert.Contains(t, plain(m), "(6)")
	assert.Contains(t, plain(m), "Per Olsen")

	close(src.changes)
	m.Update(WaitChange(src.changes)())
	assert.False(t, m.live)
	assert.Contains(t, plain(m), "ikke direkte", "a lost feed is said, not hidden")
}

// failingQueue fails every read, to show that the board keeps what it shows.
type failingQueue struct{ fakeQueue }

func (f *failingQueue) AppendQueue(_ context.Context, _ time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	return dst, errors.New("database locked")
}

// The board reads the queue into the array of the snapshot before last
// (no new array per re-read), never into the one on screen, never into a
// snapshot handed in from elsewhere, and overlapping loads do not share an
// array.
func TestQueueBoardReusesAnArrayItNoLongerShows(t *testing.T) {
	src := &fakeQueue{entries: sampleQueue(), changes: make(chan struct{}, 1)}
	m := New(newTestContext("en", true), src)
	outside := sampleQueue()
	m.SetEntries(outside, testNow)

	m.Update(m.load()()) // first own read: a new array; outside is not recycled
	first := &m.entries[0]
	assert.Nil(t, m.spare, "an array handed in from elsewhere is never reused")
	m.Update(m.load()()) // second: a new array again; the first becomes the spare
	second := &m.entries[0]
	assert.NotSame(t, first, second)
	m.Update(m.load()()) // third: into the first read's array
	assert.Same(t, first, &m.entries[0], "re-read into the array of the snapshot before last")
	assert.Equal(t, sampleQueue(), m.entries)
	assert.Equal(t, sampleQueue(), outside, "the snapshot from elsewhere is unchanged")

	// Two loads at once: the second does not get the first's array.
	a, b := m.load(), m.load()
	ma, mb := a().(Loaded), b().(Loaded)
	assert.NotSame(t, &ma.Entries[0], &mb.Entries[0])
	assert.NotSame(t, &m.entries[0], &ma.Entries[0], "nothing is read into the array on screen")
	assert.NotSame(t, &m.entries[0], &mb.Entries[0])
	m.Update(ma)
	m.Update(mb)
	assert.Equal(t, sampleQueue(), m.entries)
}

// A failed re-read keeps the queue on screen and says so; the array lent
// to the read comes back.
func TestQueueBoardKeepsItsQueueWhenARereadFails(t *testing.T) {
	src := &fakeQueue{entries: sampleQueue(), changes: make(chan struct{}, 1)}
	m := New(newTestContext("en", true), src)
	m.Update(m.load()())
	m.Update(m.load()())
	spare := m.spare
	require.NotNil(t, spare)
	m.src = &failingQueue{}
	m.Update(m.load()())
	assert.Equal(t, sampleQueue(), m.entries, "the last good queue stays on screen")
	assert.Error(t, m.err)
	assert.Same(t, &spare[:1][0], &m.spare[:1][0], "the lent array is handed back")
}
