package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// hourOfBoards drives one simulated hour of the clinic's evening peak
// (cmd/triagectl loadtest's model: 161 queue changes an hour, one every
// 22 s) against s on a fake clock, with two boards open:
//
//   - the reception desk (ui-desktop/desk: RefreshQueue), which re-reads on
//     every queue change: the queue, the record state and the ECG board
//     of the patients on it;
//   - the terminal's queue board (ui-tui/queueboard), which re-reads every
//     10 s and on every change: the queue and the record state.
//
// It returns the audit entries written by each workstation, by action.
func hourOfBoards(t *testing.T, s *Store, clk *fakeClock, who map[string]Actor) map[string]map[string]int {
	t.Helper()
	ctx := context.Background()
	desk, tui, phone := who[string(RoleReception)], who[string(RolePhysician)], who[string(RolePhone)]
	head := lastSeq(t, s)

	board := func(a Actor, ecg bool) {
		q, err := s.Queue(ctx, a, clk.now())
		require.NoError(t, err)
		encs := boardEncounters(q)
		_, err = s.RecordStatuses(ctx, a, encs)
		require.NoError(t, err)
		if ecg {
			_, err = s.ECGBoard(ctx, a, encs)
			require.NoError(t, err)
		}
	}
	var walkIns []ids.Encounter
	change := func(i int) {
		switch i % 6 {
		case 0: // a walk-in registered at the desk
			r, err := s.Register(ctx, desk, Registration{Patient: NewPatient{Name: fmt.Sprintf("Walk In %d", i)},
				Encounter: NewEncounter{Channel: WalkIn, ArrivedAt: clk.now()}})
			require.NoError(t, err)
			walkIns = append(walkIns, r.Encounter.ID)
		case 2, 4: // the latest walk-in triaged; an earlier one reassessed
			enc := walkIns[len(walkIns)-1]
			if i%6 == 4 {
				enc = walkIns[len(walkIns)/2]
			}
			_, err := s.AddAssessment(ctx, desk, assessment(enc, triage.Colour(i%4)))
			require.NoError(t, err)
		default: // a phone call registered with its triage
			a := assessment(0, triage.Green)
			_, err := s.Register(ctx, phone, Registration{Patient: NewPatient{Name: fmt.Sprintf("Caller %d", i)},
				Encounter: NewEncounter{Channel: Phone, ArrivedAt: clk.now()}, Assessment: &a})
			require.NoError(t, err)
		}
	}
	changes := 0
	for sec := 0; sec < 3600; sec++ {
		if sec%22 == 0 {
			change(changes)
			changes++
			board(desk, true)
			board(tui, false)
		}
		if sec%10 == 0 {
			board(tui, false)
		}
		clk.add(time.Second)
	}
	return auditCounts(t, s, who["administrator"], head)
}

// boardEncounters are the encounter ids of a board's queue.
func boardEncounters(q []queue.Entry) []ids.Encounter {
	out := make([]ids.Encounter, len(q))
	for i, e := range q {
		out[i] = e.EncounterID
	}
	return out
}

// lastSeq is the newest audit entry's sequence number, all entries
// linked into the chain first.
func lastSeq(t *testing.T, s *Store) int64 {
	t.Helper()
	require.NoError(t, s.chainAll(context.Background()))
	seq, _, err := s.AuditHead(context.Background())
	require.NoError(t, err)
	return seq
}

// auditCounts counts the entries after seq (up to the head as it is now)
// by workstation and action. Reading the log is itself audited, so the
// reading stops at the head.
func auditCounts(t *testing.T, s *Store, admin Actor, seq int64) map[string]map[string]int {
	t.Helper()
	end := lastSeq(t, s)
	out := map[string]map[string]int{}
	for seq < end {
		got, err := s.AuditLog(context.Background(), admin, seq, 10000)
		require.NoError(t, err)
		for _, e := range got {
			if e.Seq > end {
				return out
			}
			if out[e.Workstation] == nil {
				out[e.Workstation] = map[string]int{}
			}
			out[e.Workstation][e.Action]++
		}
		seq = got[len(got)-1].Seq
	}
	return out
}

func countsTable(c map[string]map[string]int) string {
	var lines []string
	for ws, m := range c {
		for a, n := range m {
			lines = append(lines, fmt.Sprintf("%-16s %-20s %6d", ws, a, n))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestAuditVolumeOfAnHourOfBoards measures the access-log entries one
// hour of open boards writes per workstation, and holds the list-read
// rule (docs/security.md, "Repeated list reads"): a list read is logged
// when what it shows changes, or once per ListReadWindow; everything else
// as before. The figures are in docs/PERFORMANCE.md.
func TestAuditVolumeOfAnHourOfBoards(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		who := staff(t, s)
		counts := hourOfBoards(t, s, clk, who)
		t.Logf("audit entries in one simulated hour, per workstation and action:\n%s", countsTable(counts))

		// 164 queue changes in the hour, each seen by both boards; the
		// terminal's 360 timed re-reads see nothing new.
		const changes, windows = 164, 4 // 60 min / ListReadWindow
		desk, tui := counts["ws-resepsjon"], counts["ws-lege"]
		for _, action := range []string{"queue.read", "record.status.read", "ecg.list"} {
			require.LessOrEqual(t, desk[action], changes+windows, "desk %s", action)
		}
		for _, action := range []string{"queue.read", "record.status.read"} {
			require.LessOrEqual(t, tui[action], changes+windows, "terminal %s", action)
			require.Positive(t, tui[action], "terminal %s", action)
		}
		require.Zero(t, tui["ecg.list"])
	})
}
