package desk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/recordstate"
	"github.com/legevakt/workstation/workstation/recordstate/recordstatetest"
)

// sampleRecords is the sample record state (patient 1's record has
// everything, patient 2's triage waits, patient 3's triage is refused),
// last sent five minutes before t0; fail makes the per-patient read fail
// and noRoutes leaves the record system out.
func sampleRecords(fail, noRoutes bool) recordstatetest.Store {
	s := recordstatetest.Sample(t0.Add(-5 * time.Minute))
	if fail {
		s.Err = store.ErrForbidden
	}
	if noRoutes {
		s.Health = nil
	}
	return s
}

func recordRig(t *testing.T, lang i18n.Lang, rs recordstate.Store) *rig {
	r := newRig(t, lang, nil)
	for i, c := range []triage.Colour{triage.Yellow, triage.Green, triage.Orange} {
		id := ids.Encounter(i + 1)
		r.store.items[id] = &queue.Item{EncounterID: id, Patient: []string{"Kari Nordmann", "Ola Hansen", "Per Olsen"}[i], Channel: "walk_in",
			Status: "waiting", ArrivedAt: t0.Add(-10 * time.Minute), Triaged: true, Colour: c, Target: triage.DefaultTargets().For(c)}
	}
	r.app.d.Records = recordstate.Reader{Store: rs, Lang: lang, Loc: time.UTC}
	r.app.RefreshQueue()
	return r
}

// The board says per patient, in words, whether the record has the
// latest vitals and triage (sent, waiting, refused; the reason in
// English), and the device bar carries the outbox's health line; golden
// text per language.
func TestBoardShowsTheRecordState(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.NB, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			r := recordRig(t, lang, sampleRecords(false, false))
			got := strings.Join(r.app.BoardText(), "\n") + "\n--\n" + r.app.DeviceLine() + "\n"
			path := filepath.Join("testdata", "TestBoardShowsTheRecordState", string(lang)+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(want), got)
		})
	}
	nb := strings.Join(recordRig(t, i18n.NB, sampleRecords(false, false)).app.BoardText(), "\n")
	require.Contains(t, nb, "Journal: hastegrad avvist av journalsystemet; kontakt systemansvarlig")
	require.NotContains(t, nb, "HTTP", "no receiver text on a bokmål screen")
	en := recordRig(t, i18n.EN, sampleRecords(false, false))
	require.Contains(t, strings.Join(en.app.BoardText(), "\n"), "refused by the record system: HTTP 422: unknown ward")
	require.Contains(t, en.app.DeviceLine(), "Record dips.fhir: 1 waiting, 1 refused")
}

// A failed read says "unknown" on every row; without a record system
// neither the rows nor the device bar mention the record.
func TestBoardRecordStateUnknownAndAbsent(t *testing.T) {
	bad := recordRig(t, i18n.NB, sampleRecords(true, false)).app.BoardText()
	for _, l := range bad {
		require.Contains(t, l, "Journal: status ukjent (kunne ikke leses)")
	}
	none := recordRig(t, i18n.NB, sampleRecords(false, true))
	require.NotContains(t, strings.Join(none.app.BoardText(), "\n"), "Journal")
	require.NotContains(t, none.app.DeviceLine(), "Journal")
}

// A row with a record line is made taller so the line does not overlap
// the next row (found trying it under Xvfb); rows without are not.
func TestBoardRowsWithARecordLineAreTaller(t *testing.T) {
	with := recordRig(t, i18n.NB, sampleRecords(false, false))
	none := recordRig(t, i18n.NB, sampleRecords(false, true))
	const w = 1200
	require.Equal(t, len(with.app.brd.rows), len(none.app.brd.rows))
	for i := range with.app.brd.rows {
		require.NotEmpty(t, with.app.brd.rows[i].Record)
		require.Empty(t, none.app.brd.rows[i].Record)
		hw := with.app.brd.list.Fit.Height(i, w)
		hn := none.app.brd.list.Fit.Height(i, w)
		require.Greater(t, hw, hn, "row %d", i)
	}
}
