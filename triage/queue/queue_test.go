package queue

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func triaged(id ids.Encounter, c triage.Colour, arrivedAgo time.Duration) Item {
	return Item{EncounterID: id, Triaged: true, Colour: c, Target: triage.DefaultTargets().For(c), ArrivedAt: t0.Add(-arrivedAgo)}
}

func encountersOf(es []Entry) []ids.Encounter {
	out := make([]ids.Encounter, len(es))
	for i, e := range es {
		out[i] = e.EncounterID
	}
	return out
}

func TestOrder(t *testing.T) {
	cases := []struct {
		name  string
		items []Item
		want  []ids.Encounter
	}{
		{
			"a more urgent colour goes first however long the others waited",
			[]Item{triaged(1, triage.Green, 5*time.Hour), triaged(2, triage.Orange, time.Minute), triaged(3, triage.Red, 0)},
			[]ids.Encounter{3, 2, 1},
		},
		{
			"within a colour the patient furthest past the target goes first",
			[]Item{triaged(1, triage.Yellow, 30*time.Minute), triaged(2, triage.Yellow, 90*time.Minute), triaged(3, triage.Yellow, 61*time.Minute)},
			[]ids.Encounter{2, 3, 1},
		},
		{
			"within a colour a shorter custom target counts before a longer wait",
			[]Item{
				{EncounterID: 1, Triaged: true, Colour: triage.Green, Target: 120 * time.Minute, ArrivedAt: t0.Add(-100 * time.Minute)},
				{EncounterID: 2, Triaged: true, Colour: triage.Green, Target: 30 * time.Minute, ArrivedAt: t0.Add(-40 * time.Minute)},
			},
			[]ids.Encounter{2, 1},
		},
		{
			"an untriaged patient goes after red and before orange",
			[]Item{triaged(1, triage.Orange, 20*time.Minute), {EncounterID: 2, ArrivedAt: t0}, triaged(3, triage.Red, 0)},
			[]ids.Encounter{3, 2, 1},
		},
		{
			"equal waits fall back to the lower encounter id",
			[]Item{triaged(2, triage.Blue, time.Hour), triaged(1, triage.Blue, time.Hour)},
			[]ids.Encounter{1, 2},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Order(c.items, t0, DefaultPolicy())
			assert.Equal(t, c.want, encountersOf(got))
			for i, e := range got {
				assert.Equal(t, i+1, e.Position)
			}
		})
	}
}

func TestOrderFlagsBreaches(t *testing.T) {
	got := Order([]Item{
		triaged(1, triage.Orange, 11*time.Minute),
		triaged(2, triage.Orange, 9*time.Minute),
		triaged(3, triage.Orange, 10*time.Minute),
		{EncounterID: 4, ArrivedAt: t0.Add(-11 * time.Minute)},
		{EncounterID: 5, ArrivedAt: t0.Add(-5 * time.Minute)},
	}, t0, DefaultPolicy())
	byID := map[ids.Encounter]Entry{}
	for _, e := range got {
		byID[e.EncounterID] = e
	}
	assert.True(t, byID[1].Breach, "orange waited 11 min, target 10: breach")
	assert.Equal(t, time.Minute, byID[1].Overdue)
	assert.False(t, byID[2].Breach, "orange waited 9 min, target 10: no breach")
	assert.Equal(t, -time.Minute, byID[2].Overdue)
	assert.False(t, byID[3].Breach, "orange waited exactly the target: not yet a breach")
	assert.True(t, byID[4].Breach, "untriaged for 11 min, triage target 10: breach")
	assert.False(t, byID[5].Breach, "untriaged for 5 min: no breach")
}

func TestOrderClampsArrivalInTheFuture(t *testing.T) {
	got := Order([]Item{{EncounterID: 1, Triaged: true, Colour: triage.Green, Target: time.Hour, ArrivedAt: t0.Add(2 * time.Second)}}, t0, DefaultPolicy())
	require.Len(t, got, 1)
	assert.Equal(t, time.Duration(0), got[0].Waited)
}

func TestOrderFlagsReassessmentDue(t *testing.T) {
	due := triaged(1, triage.Yellow, 2*time.Hour)
	due.LastAssessedAt = t0.Add(-61 * time.Minute)
	due.MonitorEvery = time.Hour
	notYet := triaged(2, triage.Yellow, 2*time.Hour)
	notYet.LastAssessedAt = t0.Add(-59 * time.Minute)
	notYet.MonitorEvery = time.Hour
	none := triaged(3, triage.Yellow, 2*time.Hour)
	none.LastAssessedAt = t0.Add(-10 * time.Hour)

	byID := map[ids.Encounter]Entry{}
	for _, e := range Order([]Item{due, notYet, none}, t0, DefaultPolicy()) {
		byID[e.EncounterID] = e
	}
	assert.True(t, byID[1].ReassessmentDue, "hourly monitoring, assessed 61 min ago: due")
	assert.Equal(t, t0.Add(-time.Minute), byID[1].ReassessAt)
	assert.False(t, byID[2].ReassessmentDue, "hourly monitoring, assessed 59 min ago: not due")
	assert.False(t, byID[3].ReassessmentDue, "no monitoring interval: never flagged")
	assert.True(t, byID[3].ReassessAt.IsZero())
}

func TestOrderLeavesInputAlone(t *testing.T) {
	in := []Item{triaged(1, triage.Green, 0), triaged(2, triage.Red, 0)}
	Order(in, t0, DefaultPolicy())
	assert.Equal(t, ids.Encounter(1), in[0].EncounterID)
}

// The order depends only on when each patient passes the target, so it is
// the same at any time; only waits and flags move with the clock.
func TestOrderIsTheSameAtAnyTime(t *testing.T) {
	items := []Item{
		triaged(1, triage.Yellow, 30*time.Minute), triaged(2, triage.Yellow, 90*time.Minute),
		{EncounterID: 3, ArrivedAt: t0.Add(-20 * time.Minute)}, triaged(4, triage.Green, 4*time.Hour),
		triaged(5, triage.Red, time.Minute), triaged(6, triage.Green, 10*time.Minute),
	}
	want := encountersOf(Order(items, t0, DefaultPolicy()))
	for _, later := range []time.Duration{time.Minute, time.Hour, 10 * time.Hour} {
		assert.Equal(t, want, encountersOf(Order(items, t0.Add(later), DefaultPolicy())), "at +%v", later)
	}
}

func TestCompareAgreesWithSort(t *testing.T) {
	items := []Item{
		triaged(1, triage.Yellow, 30*time.Minute), triaged(2, triage.Yellow, 90*time.Minute),
		{EncounterID: 3, ArrivedAt: t0.Add(-20 * time.Minute)}, triaged(4, triage.Green, 4*time.Hour),
		triaged(5, triage.Red, time.Minute), triaged(6, triage.Green, 10*time.Minute), triaged(7, triage.Green, 10*time.Minute),
	}
	sorted := append([]Item(nil), items...)
	Sort(sorted, DefaultPolicy())
	for i := 1; i < len(sorted); i++ {
		assert.Negative(t, Compare(sorted[i-1], sorted[i], DefaultPolicy()), "%d before %d", sorted[i-1].EncounterID, sorted[i].EncounterID)
		assert.Positive(t, Compare(sorted[i], sorted[i-1], DefaultPolicy()))
	}
	assert.Zero(t, Compare(items[0], items[0], DefaultPolicy()))
}

// AppendPlace gives what Place gives, after whatever dst holds, and reuses
// dst's array when it is large enough (the board's refresh path).
func TestAppendPlaceMatchesPlaceAndReuses(t *testing.T) {
	items := []Item{triaged(2, triage.Red, time.Minute), triaged(1, triage.Yellow, 2*time.Hour), {EncounterID: 3, ArrivedAt: t0}}
	Sort(items, DefaultPolicy())
	want := Place(items, t0, DefaultPolicy())

	buf := make([]Entry, 0, 8)
	got := AppendPlace(buf, items, t0, DefaultPolicy())
	assert.Equal(t, want, got)
	assert.Same(t, &buf[:1][0], &got[0], "dst's array is reused when it has room")

	prefix := []Entry{{Position: 99}}
	got = AppendPlace(prefix, items, t0, DefaultPolicy())
	require.Len(t, got, 4)
	assert.Equal(t, 99, got[0].Position, "what dst held is kept")
	assert.Equal(t, want, got[1:])

	// A stale buffer from an earlier, longer queue leaves nothing behind.
	old := Place(append(items, triaged(9, triage.Blue, 0)), t0, DefaultPolicy())
	assert.Equal(t, want, AppendPlace(old[:0], items, t0, DefaultPolicy()))
}
