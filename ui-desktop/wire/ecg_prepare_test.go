package wire

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/workstation/ecgimport"
)

// The desk attaches through ecgimport.Prepare, the checks of `triagectl
// ecg12 attach` and `ecg12 watch`: for each kind of file it refuses what
// Prepare refuses (as the desk's errors) and stores what Prepare gives.
func TestTheDeskAttachesWhatPrepareGives(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	mine, other := twoNIDs(t) // born 02.03.1975, a man and a woman
	nurse := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
	now := time.Now()
	ecgs := &ECGs{S: st, Actors: OneActor(nurse), Now: func() time.Time { return now }}
	same := `<name>ZZDEMOPTONLY</name><administrativeGenderCode code="M"/><birthTime value="19750302"/>`
	old := `<name>ZZDEMOPTONLY</name><administrativeGenderCode code="M"/><birthTime value="19500101"/>`
	for _, c := range []struct {
		name      string
		nid       string // in the file
		person    string
		at        time.Time
		confirmed bool
		want      error // the desk's error, nil when attached
	}{
		{"matching", mine, same, now.Add(-time.Minute), false, nil},
		{"no number, matching", "9999", same, now.Add(-time.Minute), false, nil},
		{"older and another birth date", "9999", old, time.Date(2010, 1, 19, 10, 0, 0, 0, time.Local), false, &desk.ECGMismatchError{}},
		{"older and another birth date, confirmed", "9999", old, time.Date(2010, 1, 19, 10, 0, 0, 0, time.Local), true, nil},
		{"another patient's number", other, same, now.Add(-time.Minute), false, desk.ErrECGOtherPatient},
		{"another patient's number, confirmed", other, same, now.Add(-time.Minute), true, desk.ErrECGOtherPatient},
	} {
		t.Run(c.name, func(t *testing.T) {
			reg, err := st.Register(ctx, nurse, store.Registration{Patient: store.NewPatient{NID: mine, Name: "Per Hansen"},
				Encounter: store.NewEncounter{Channel: store.WalkIn, ArrivedAt: now.Add(-10 * time.Minute)}})
			require.NoError(t, err)
			data := restingECGWith(c.nid, c.person, c.at)
			path := filepath.Join(dir, "cart.xml")
			require.NoError(t, os.WriteFile(path, data, 0o600))
			rec, err := ecgfile.Decode(data)
			require.NoError(t, err)
			ne, _, perr := ecgimport.Prepare(reg.Patient, reg.Encounter, "cart.xml", data, rec, c.confirmed, now, time.Local)

			got, err := ecgs.Attach(ctx, ids.Encounter(reg.Encounter.ID), path, c.confirmed)
			list, lerr := st.ECGsOfEncounter(ctx, nurse, reg.Encounter.ID)
			require.NoError(t, lerr)
			var mm *desk.ECGMismatchError
			switch {
			case c.want == nil:
				require.NoError(t, perr)
				require.NoError(t, err)
				require.Len(t, list, 1)
				assert.Equal(t, got.ID, list[0].ID)
				assert.JSONEq(t, string(ne.Summary), string(list[0].Summary), "the summary Prepare gives, confirmations included")
				assert.Equal(t, ne.Format, list[0].Format)
				assert.True(t, ne.AcquiredAt.Equal(list[0].AcquiredAt))
			case errors.As(c.want, &mm):
				var pm *ecgimport.MismatchError
				require.ErrorAs(t, perr, &pm)
				require.ErrorAs(t, err, &mm)
				codes := make([]string, len(pm.Mismatches))
				for i, m := range pm.Mismatches {
					codes[i] = string(m)
				}
				assert.Equal(t, codes, mm.Codes)
				assert.Empty(t, list)
			default:
				require.ErrorIs(t, perr, ecgimport.ErrOtherPatient)
				require.ErrorIs(t, err, c.want)
				assert.Empty(t, list)
			}
		})
	}
}
