package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16 item 2: a PostgreSQL address on another machine needs verified
// TLS, unless plain text is allowed explicitly for a test set-up.
func TestRemotePostgresNeedsVerifiedTLS(t *testing.T) {
	for dsn, ok := range map[string]bool{
		"postgres://u@127.0.0.1:5432/db?sslmode=disable":                             true,
		"postgres://u@localhost/db":                                                  true,
		"postgres://u@[::1]:5432/db":                                                 true,
		"postgres:///db?host=/var/run/postgresql":                                    true,
		"postgres://u@db.legevakt.no/db":                                             false,
		"postgres://u@db.legevakt.no/db?sslmode=require":                             false,
		"postgres://u@db.legevakt.no/db?sslmode=prefer":                              false,
		"postgres://u@10.0.0.5/db?sslmode=disable":                                   false,
		"postgres://u@localhost,db2.legevakt.no/db":                                  false,
		"postgres://u@localhost/db?host=db.legevakt.no":                              false,
		"postgres://u@db.legevakt.no/db?sslmode=verify-full&sslrootcert=/etc/ca.pem": true,
		"postgres://u@db.legevakt.no/db?sslmode=verify-ca":                           true,
	} {
		err := checkTransport(dsn)
		if ok {
			assert.NoError(t, err, dsn)
			continue
		}
		require.ErrorIs(t, err, ErrPlaintextRemote, dsn)
		assert.Contains(t, err.Error(), "sslmode=verify-full", "the message says how to fix it")
	}
	_, err := Open(context.Background(), "postgres://u:secret@192.0.2.1/db?sslmode=disable")
	require.ErrorIs(t, err, ErrPlaintextRemote)
	assert.NotContains(t, err.Error(), "secret", "the password in the URL is never echoed")
}

// Issue 16 item 3: an existing database file and its -wal and -shm with
// wider modes are made owner-only when opened.
func TestExistingSideFilesAreMadeOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "triage.db")
	s := open(t, path)
	admit(t, s, "Ola", WalkIn, s.now())
	require.NoError(t, s.Close())
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(f); os.IsNotExist(err) {
			require.NoError(t, os.WriteFile(f, nil, 0o644))
		}
		require.NoError(t, os.Chmod(f, 0o644))
	}
	s = open(t, path)
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), filepath.Base(f))
	}
	_, err := s.VerifyAudit(context.Background())
	require.NoError(t, err)
}
