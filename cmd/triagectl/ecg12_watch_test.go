package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/ecgimport"
)

// The watch applies attach's checks (issue 15, left from session 4): a
// cart file recorded days before the patient arrived, or in the future,
// is not attached by its identity number alone; it is held in DIR/held
// with its reason and counted, the output names the file and the kind of
// mismatch only, and a nurse then attaches it with --confirm-mismatch.
func TestECG12WatchHoldsAFileWhoseRecordingTimeNeedsConfirmation(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "triage.db")
	drop := filepath.Join(dir, "drop")
	require.NoError(t, os.Mkdir(drop, 0o700))
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	nurse := store.Actor{User: "kari", Workstation: "resepsjon-1"}
	nid := someNID(t)
	r, err := st.Register(ctx, nurse, store.Registration{Patient: store.NewPatient{Name: "Test Pasient", NID: nid},
		Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	require.NoError(t, st.Close())

	now := time.Now()
	for name, data := range map[string][]byte{
		"fresh.xml":  aecgAt(nid, now.Add(-time.Minute)),
		"old.xml":    aecgAt(nid, now.Add(-72*time.Hour)),
		"future.xml": aecgAt(nid, now.Add(24*time.Hour)),
		"other.xml":  aecgAt("SBJ-123", now),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(drop, name), data, 0o644))
	}
	rc, out, stderr := runTC("ecg12", "watch", "--dir", drop, "--db", db, "--user", "kari", "--once", "--every", "100ms")
	require.Equal(t, 0, rc, stderr)
	assert.Contains(t, out, "fresh.xml: attached")
	assert.Contains(t, out, "old.xml: held for confirmation (recorded_old)")
	assert.Contains(t, out, "future.xml: held for confirmation (recorded_future)")
	assert.Contains(t, out, "other.xml: rejected")
	assert.Contains(t, out, "ecg12 watch: 1 attached, 2 held for confirmation, 1 rejected")
	assert.NotContains(t, out+stderr, nid, "no identity number in the output")
	assert.NotContains(t, out+stderr, "Test Pasient", "no name in the output")
	assert.NotContains(t, out+stderr, "1980", "no birth date in the output")

	for _, name := range []string{"old.xml", "future.xml"} {
		fi, err := os.Stat(filepath.Join(drop, "held", name))
		require.NoError(t, err, "%s is held", name)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		reason, err := os.ReadFile(filepath.Join(drop, "held", name+".reason.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(reason), "--confirm-mismatch")
	}

	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	list, err := st.ECGsOfEncounter(ctx, nurse, r.Encounter.ID)
	require.NoError(t, err)
	require.Len(t, list, 1, "only the fresh file is attached")
	assert.Equal(t, "fresh.xml", list[0].SourceName)
	require.NoError(t, st.Close())

	// The nurse checks the held file and attaches it with the confirmation.
	enc := r.Encounter.ID.String()
	rc, out, stderr = runTC("ecg12", "attach", filepath.Join(drop, "held", "old.xml"), "--db", db, "--encounter", enc)
	require.Equal(t, 1, rc, "without --confirm-mismatch: %s", out)
	assert.Contains(t, stderr, "recorded more than 24 hours before the patient arrived")
	rc, out, stderr = runTC("ecg12", "attach", filepath.Join(drop, "held", "old.xml"), "--db", db, "--encounter", enc, "--confirm-mismatch")
	require.Equal(t, 0, rc, stderr)
	assert.True(t, strings.Contains(out, "mismatch confirmed by"), out)
	st, err = store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	list, err = st.ECGsOfEncounter(ctx, nurse, r.Encounter.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []ecgimport.Mismatch{ecgimport.MismatchOld}, ecgimport.ConfirmedMismatches(list[0].Summary))
}
