package queueboard

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/stretchr/testify/assert"
)

// Two queue reads overlap (a change notice while the 10 s refresh is still
// reading): the older snapshot arriving last does not replace the newer one.
func TestOlderQueueSnapshotDoesNotReplaceNewer(t *testing.T) {
	c := newTestContext("en", true)
	m := New(c, nil)
	old := []queue.Entry{{Position: 1, Item: queue.Item{EncounterID: 1, Patient: "Old Snapshot", Channel: "phone", ArrivedAt: testNow.Add(-time.Minute), Triaged: true, Colour: triage.Green}}}
	fresh := []queue.Entry{{Position: 1, Item: queue.Item{EncounterID: 2, Patient: "Fresh Snapshot", Channel: "phone", ArrivedAt: testNow.Add(-time.Minute), Triaged: true, Colour: triage.Red}}}
	t1, t2 := testNow.Add(-2*time.Second), testNow.Add(-time.Second)
	m.Update(Loaded{Entries: fresh, At: t2, Own: true}) // issued second, answered first
	m.Update(Loaded{Entries: old, At: t1, Own: true})   // issued first, answered last
	s := ansi.Strip(m.Render())
	assert.Contains(t, s, "Fresh Snapshot", "the board went back to an older snapshot:\n%s", s)
	assert.NotContains(t, s, "Updated 14:29:58", "the 'Updated' time went backwards")
}
