package queueboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/recordstate"
)

// recordStore answers as the store would: Kari's record has everything,
// Ola's triage waits, Per's triage is refused.
type recordStore struct{ fail bool }

func (f recordStore) RecordStatuses(_ context.Context, _ store.Actor, encs []ids.Encounter) (map[ids.Encounter][]store.RecordStatus, error) {
	if f.fail {
		return nil, store.ErrForbidden
	}
	at := testNow.Add(-5 * time.Minute)
	sent := store.RecordItem{State: store.OutboxSent, Since: at, SentAt: at}
	return map[ids.Encounter][]store.RecordStatus{
		1: {{EncounterID: 1, Destination: "dips.fhir", Vitals: sent, Triage: sent}},
		2: {{EncounterID: 2, Destination: "dips.fhir", Triage: store.RecordItem{State: store.OutboxWaiting, Since: at, Attempts: 2, Reason: "HTTP 503"}}},
		4: {{EncounterID: 4, Destination: "dips.fhir", Vitals: sent, Triage: store.RecordItem{State: store.OutboxParked, Since: at, Reason: "HTTP 422: unknown ward"}}},
	}, nil
}

func (f recordStore) OutboxHealth(context.Context) ([]store.OutboxTotals, error) {
	return []store.OutboxTotals{{Destination: "dips.fhir", Waiting: 2, Retrying: 1, Parked: 1, LastSent: testNow.Add(-5 * time.Minute)}}, nil
}

// boardWithRecords loads the sample queue and the record state as the
// running board does (the queue's load asks for the record state).
func boardWithRecords(t *testing.T, lang wording.Lang, fail bool, cursor int) *Model {
	c := newTestContext(lang, true)
	m := New(c, nil)
	m.SetRecordState(recordstate.Reader{Store: recordStore{fail: fail}, Lang: lang, Loc: c.Zone()})
	_, cmd := m.Update(Loaded{Entries: sampleQueue(), At: testNow})
	require.NotNil(t, cmd, "a queue load reads the record state")
	m.Update(cmd())
	for i := 0; i < cursor; i++ {
		press(m, "down")
	}
	return m
}

// The queue board shows each patient's record state in words (a column,
// and the selected patient's lines with a refusal's reason in English)
// and the outbox's health line, in bokmål and English.
func TestQueueBoardShowsTheRecordState(t *testing.T) {
	for _, c := range []struct {
		name string
		lang wording.Lang
	}{{"bokmål", "nb"}, {"English", "en"}} {
		t.Run(c.name, func(t *testing.T) {
			m := boardWithRecords(t, c.lang, false, 3) // Per Olsen, refused
			requireGolden(t, m.Render())
		})
	}
	nb := ansi.Strip(boardWithRecords(t, "nb", false, 3).Render())
	require.Contains(t, nb, "Journal dips.fhir: 2 venter, 1 avvist")
	require.Contains(t, nb, "avvist av journalsystemet; kontakt systemansvarlig")
	require.NotContains(t, nb, "HTTP", "no receiver text on a bokmål screen")
	for _, w := range []string{"sendt", "venter", "avvist"} {
		require.Contains(t, nb, w)
	}
	en := ansi.Strip(boardWithRecords(t, "en", false, 3).Render())
	require.Contains(t, en, "refused by the record system: HTTP 422: unknown ward")
	// A failed read shows "unknown", never "nothing to send".
	bad := ansi.Strip(boardWithRecords(t, "nb", true, 0).Render())
	require.Contains(t, bad, "Journal: status ukjent (kunne ikke leses)")
	require.Equal(t, 6, strings.Count(bad, " ? "), "every row marked unknown:\n%s", bad)
}

type noRoutes struct{ recordStore }

func (noRoutes) OutboxHealth(context.Context) ([]store.OutboxTotals, error) { return nil, nil }

// A clinic without a record system configured sees no record column.
func TestQueueBoardWithoutRecordSystemHasNoColumn(t *testing.T) {
	c := newTestContext("nb", true)
	m := New(c, nil)
	m.SetRecordState(recordstate.Reader{Store: noRoutes{}, Lang: "nb"})
	_, cmd := m.Update(Loaded{Entries: sampleQueue(), At: testNow})
	m.Update(cmd())
	require.NotContains(t, ansi.Strip(m.Render()), "Journal")
}
