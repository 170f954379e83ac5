package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/legevakt/workstation/triage/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A capture of a real bedside session holds a patient's vital signs (and,
// for HL7 or IntelliVue, the PID / demographics the monitor sends): it is
// patient data and must be owner-only, like the database and the drafts.
func TestRecordCaptureFileIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	for _, force := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "bedside.cap")
		args := []string{"record", "--port", feedingPTY(t), "--profile", "masimo", "-o", p, "--for", "1s"}
		if force {
			require.NoError(t, os.WriteFile(p, nil, 0o644)) // an earlier, too open file
			args = append(args, "--force")
		}
		runCmd(args...)
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "capture file mode (force=%v)", force)
	}
}

// seed fills a database with a synthetic day whose audit entries name
// made-up nurses ("sykepleier-anne@seed"). Pointed at a database that is
// in use (the default, the workstation's own, or a shared PostgreSQL
// queue) it mixes invented patients into the record and writes audit
// entries for people who did nothing, with no trace of who ran it. It must
// want an explicit --db and refuse a database that already has a history.
func TestSeedRefusesADatabaseInUseAndTheDefaultPath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := store.Open(ctx, path)
	require.NoError(t, err)
	_, err = st.CreatePatient(ctx, store.Actor{User: "kari", Workstation: "desk-1"}, store.NewPatient{Name: "Ekte Pasient"})
	require.NoError(t, err)
	seq, _, err := st.AuditHead(ctx)
	require.NoError(t, err)
	require.NoError(t, st.Close())

	_, _, code := runCmd("seed", "--db", path, "--patients", "5", "--monitors", "0")
	assert.NotEqual(t, 0, code, "seed must refuse a database that already holds records")
	st, err = store.Open(ctx, path)
	require.NoError(t, err)
	defer st.Close()
	after, _, err := st.AuditHead(ctx)
	require.NoError(t, err)
	assert.Equal(t, seq, after, "nothing written into the database in use")

	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	_, _, code = runCmd("seed", "--patients", "5", "--monitors", "0")
	assert.Equal(t, 2, code, "seed without --db would fill the workstation's own database")
	_, err = os.Stat(filepath.Join(home, "data", "legevakt-triage", "triage.db"))
	assert.True(t, os.IsNotExist(err), "no database created at the default path")
}
