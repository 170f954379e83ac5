package wire

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	deskwire "github.com/legevakt/workstation/ui-desktop/wire"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/disposition"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// storedState is what a choice leaves in the store for one encounter: its
// status, outcome and version, and the audited changes to it (action,
// detail, who and where), in order.
type storedState struct {
	Status  store.Status
	Outcome store.Outcome
	Version int64
	Audit   []string
}

func stateOf(t *testing.T, st *store.Store, a store.Actor, id ids.Encounter) storedState {
	t.Helper()
	ctx := context.Background()
	e, err := st.GetEncounter(ctx, a, id)
	require.NoError(t, err)
	log, err := st.AuditLog(ctx, sessiontest.AdminActor(), 0, 10000)
	require.NoError(t, err)
	s := storedState{Status: e.Status, Outcome: e.Outcome, Version: e.Version}
	for _, l := range log {
		if l.EntityID == int64(id) && (l.Action == "encounter.update" || l.Action == "encounter.outcome") {
			s.Audit = append(s.Audit, strings.Join([]string{l.Action, l.Detail, l.Actor, l.Workstation}, " "))
		}
	}
	return s
}

// Property over random patients (walk-in or phone, each level), statuses
// a waiting patient has, destinations and whether another workstation
// moved the patient first: the terminal's queue board, driven by its keys
// (s, the number, enter, j for "left without being seen"), and the desk's
// send-on (ui-desktop/wire.SendOn, what its Ctrl+Shift+D dialog calls)
// leave the same stored state for the same choice: status, outcome,
// version, and the audited changes (as the same logged-in user at the
// same workstation); a stale choice is refused by both and the board
// says so. Two identical patients are made for each trial, one per front
// end, in one store.
func TestTheTerminalAndTheDeskSendOnToTheSameStoredState(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newSessionFixture(t, st)
			f.login(t, "lars") // a physician sees both channels
			lars := physicianActor(t, f)
			other := lars
			other.Workstation = "mottak-2"
			desk := deskwire.SendOn{S: st, Actor: f.cur}
			board := queueboard.New(screentest.Context("nb", true), sessionQueue{st: st, cur: f.cur})
			board.SetOutcomes(sessionDisposition{sessionOutcomes: sessionOutcomes{base: f.base, cur: f.cur}, st: st})
			drive := screentest.Driver{Skip: func(msg tea.Msg) bool { _, ok := msg.(queueboard.Refresh); return ok }}
			rng := rand.New(rand.NewPCG(6, 12))
			statuses := []store.Status{store.Waiting, store.InTriage, store.WaitingForDoctor}
			colours := []triage.Colour{triage.Red, triage.Orange, triage.Yellow, triage.Green, triage.Blue}
			trials := 24
			if testing.Short() {
				trials = 8
			}
			stale := 0
			for i := range trials {
				channel := []store.Channel{store.WalkIn, store.Phone}[rng.IntN(2)]
				colour := colours[rng.IntN(len(colours))]
				seen := statuses[rng.IntN(len(statuses))]
				var dests []disposition.Destination
				for _, d := range disposition.Destinations {
					if d.Status() != seen {
						dests = append(dests, d)
					}
				}
				pick := rng.IntN(len(dests))
				to := dests[pick]
				first := store.Status("") // another workstation's move before the choice
				if rng.IntN(4) == 0 {
					first = statuses[(slicesIndex(statuses, seen)+1)%len(statuses)]
				}
				choice := fmt.Sprintf("trial %d: %s %s seen %s, to %s, first %q", i, channel, colour, seen, to, first)

				var pair [2]ids.Encounter
				for k := range pair {
					in := []byte(`{"trial":true}`)
					reg, err := st.Register(ctx, lars, store.Registration{Patient: store.NewPatient{Name: fmt.Sprintf("Pasient %d-%d", i, k)},
						Encounter:  store.NewEncounter{Channel: channel, ArrivedAt: time.Now().Add(-time.Duration(10+i) * time.Minute)},
						Assessment: &store.NewAssessment{Colour: colour, Target: time.Hour, EngineVersion: "test", RuleSetVersion: "test", Input: in, Result: in}})
					require.NoError(t, err, choice)
					e := reg.Encounter
					if e.Status != seen {
						e.Status = seen
						_, err = st.UpdateEncounter(ctx, lars, e)
						require.NoError(t, err, choice)
					}
					pair[k] = e.ID
				}
				// Both boards show the patients at seen.
				drive.Run(board, board.Reload(), 0)
				row := -1
				for j, e := range board.Entries() {
					if e.EncounterID == pair[0] {
						row = j
					}
				}
				require.GreaterOrEqual(t, row, 0, "%s: on the terminal's board", choice)
				require.Equal(t, string(seen), board.Entries()[row].Status)
				if first != "" {
					stale++
					for _, id := range pair {
						e, err := st.GetEncounter(ctx, other, id)
						require.NoError(t, err)
						e.Status = first
						_, err = st.UpdateEncounter(ctx, other, e)
						require.NoError(t, err)
					}
				}

				// The terminal: the row, s, the number, enter (and j).
				drive.Press(board, "g")
				for range row {
					drive.Press(board, "j")
				}
				drive.Press(board, "s", fmt.Sprint(pick+1), "enter")
				if to == disposition.LeftWithoutBeingSeen {
					drive.Press(board, "j")
				}
				screen := screentest.Plain(board)
				// The desk.
				deskErr := desk.Send(ctx, pair[1], string(seen), to)

				tuiState, deskState := stateOf(t, st, lars, pair[0]), stateOf(t, st, lars, pair[1])
				assert.Equal(t, deskState, tuiState, "%s: the same stored state", choice)
				var se *disposition.StaleError
				if first != "" {
					require.True(t, errors.As(deskErr, &se), "%s: the desk is told: %v", choice, deskErr)
					assert.Contains(t, screen, "! Ikke endret: Pasient", "%s: the terminal says so", choice)
					assert.Equal(t, first, tuiState.Status, "%s: the other workstation's move stands", choice)
					continue
				}
				require.NoError(t, deskErr, choice)
				assert.Equal(t, to.Status(), tuiState.Status, choice)
				assert.Contains(t, screen, "(logget)", choice)
				require.NotEmpty(t, tuiState.Audit)
				assert.Equal(t, fmt.Sprintf("encounter.update status=%s from=%s lars tlf-1", to, seen), tuiState.Audit[len(tuiState.Audit)-1], choice)
			}
			assert.Positive(t, stale, "some trials are stale")
			assert.Less(t, stale, trials, "most are not")
		})
	}
}

func slicesIndex(s []store.Status, x store.Status) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}
