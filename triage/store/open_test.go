package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSQLiteFileIsOwnerOnlyAndWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "triage.db")
	s := open(t, path)
	admit(t, s, "Ola", WalkIn, s.now())
	for _, f := range []string{path, path + "-wal"} {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "%s", filepath.Base(f))
	}
	var sync int
	require.NoError(t, s.db.QueryRow("PRAGMA synchronous").Scan(&sync))
	assert.Equal(t, 2, sync, "synchronous=FULL")
}

func TestSQLiteTightensALooseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "triage.db")
	require.NoError(t, os.WriteFile(path, nil, 0o644))
	open(t, path)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestOpenRefusesAFileThatIsNotOurs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	text := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(text, []byte("dette er ikke en database\n"), 0o600))
	_, err := Open(ctx, text)
	assert.ErrorIs(t, err, ErrNotOurs)
	b, _ := os.ReadFile(text)
	assert.Equal(t, "dette er ikke en database\n", string(b), "the file is left untouched")

	other := filepath.Join(dir, "other.db")
	o, err := Open(ctx, other)
	require.NoError(t, err)
	require.NoError(t, o.Close())
	// Make it look like another program's database.
	raw := sqliteRaw(t, other)
	_, err = raw.ExecContext(ctx, "PRAGMA application_id = 12345")
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	_, err = Open(ctx, other)
	assert.ErrorIs(t, err, ErrNotOurs)

	foreign := filepath.Join(dir, "foreign.db")
	raw = sqliteRaw(t, foreign)
	_, err = raw.ExecContext(ctx, "CREATE TABLE invoices (id INTEGER)")
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	_, err = Open(ctx, foreign)
	assert.ErrorIs(t, err, ErrNotOurs)
}

func TestOpenRefusesAPostgresSchemaThatIsNotOurs(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Skip("DATABASE_URL not set")
	}
	ctx := context.Background()
	dsn := pgSchema(t, url)
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE TABLE invoices (id INTEGER)")
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))
	_, err = Open(ctx, dsn)
	assert.ErrorIs(t, err, ErrNotOurs)
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s, err := Open(ctx, path)
		require.NoError(t, err)
		_, err = s.db.ExecContext(ctx, s.q("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from the future', 0)"), SchemaVersion()+1)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		_, err = Open(ctx, path)
		assert.ErrorIs(t, err, ErrNewerSchema)
		assert.ErrorContains(t, err, fmt.Sprintf("schema version %d, this program knows up to %d", SchemaVersion()+1, SchemaVersion()))
	})
}

func TestOpenTwiceKeepsData(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		s, err := Open(ctx, path)
		require.NoError(t, err)
		p, _ := admit(t, s, "Ola", WalkIn, s.now())
		require.NoError(t, s.Close())
		s2 := open(t, path)
		got, err := s2.GetPatient(ctx, nurse, p.ID)
		require.NoError(t, err)
		assert.Equal(t, p, got)
		_, err = s.GetPatient(ctx, nurse, p.ID)
		assert.ErrorIs(t, err, ErrClosed)
	})
}

func TestMigrationsAreNumberedAlikeForBothDialects(t *testing.T) {
	lite, err := migrations(SQLite)
	require.NoError(t, err)
	pg, err := migrations(Postgres)
	require.NoError(t, err)
	require.Equal(t, len(lite), len(pg))
	for i := range lite {
		assert.Equal(t, lite[i].name, pg[i].name)
	}
}

// A database written by the previous schema is upgraded on open, with its
// data kept.
func TestOpenUpgradesAnOlderSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		// Schema 1 only, as an older program left it.
		// This program writes only its own schema, so the old program's
		// patient is written as it would have: by SQL.
		s, err := Open(ctx, path, withSchemaLimit(2))
		require.NoError(t, err)
		_, err = s.db.ExecContext(ctx, "INSERT INTO patients (id, temp_id, name, created_at, updated_at) VALUES (1, 'UKJENT-0LA123', 'Ola', 0, 0)")
		require.NoError(t, err)
		require.NoError(t, s.Close())

		s2 := open(t, path)
		got, err := s2.GetPatient(ctx, nurse, 1)
		require.NoError(t, err)
		assert.Equal(t, "Ola", got.Name)
		_, err = s2.VerifyAudit(ctx)
		assert.NoError(t, err, "the old rows are bound at the upgrade")
		var v int
		require.NoError(t, s2.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_version").Scan(&v))
		assert.Equal(t, SchemaVersion(), v)
		_, err = s2.Events(ctx, nurse, 1)
		assert.ErrorIs(t, err, ErrNotFound, "the events table exists (no encounter 1 to list)")
	})
}

// A read-only tool (audit verify) opens an older schema without changing
// it, and can still verify the audit chain.
func TestOpenWithoutUpgradeLeavesAnOlderSchemaAlone(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		// All but the newest migration, as the previous program left it.
		s, err := Open(ctx, path, withSchemaLimit(SchemaVersion()))
		require.NoError(t, err)
		admit(t, s, "Ola", WalkIn, s.now())
		require.NoError(t, s.Close())

		ro, err := Open(ctx, path, WithoutCreate(), WithoutUpgrade())
		require.NoError(t, err)
		defer ro.Close()
		var v int
		require.NoError(t, ro.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_version").Scan(&v))
		assert.Less(t, v, SchemaVersion(), "the schema was left as it was")
		n, err := ro.VerifyAudit(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
	})
}

func TestOpenWithoutCreateRefusesAMissingStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		_, err := Open(ctx, path, WithoutCreate())
		assert.ErrorIs(t, err, ErrNoDatabase)
		if !strings.HasPrefix(path, "postgres") {
			_, statErr := os.Stat(path)
			assert.True(t, os.IsNotExist(statErr), "no file is created")
		}
		s, err := Open(ctx, path)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		s, err = Open(ctx, path, WithoutCreate())
		require.NoError(t, err)
		require.NoError(t, s.Close())
	})
}

func TestPostgresHonoursTLSSettingsInTheURL(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Skip("DATABASE_URL not set")
	}
	// The test server has no TLS: demanding it must fail, proving the
	// URL's sslmode reaches the driver rather than being dropped.
	tlsURL := strings.Replace(url, "sslmode=disable", "sslmode=require", 1)
	if tlsURL == url {
		t.Skip("DATABASE_URL does not say sslmode=disable")
	}
	_, err := Open(context.Background(), tlsURL)
	require.Error(t, err)
	assert.ErrorContains(t, err, "tls")
}

func TestCurrentActor(t *testing.T) {
	a, err := CurrentActor("")
	require.NoError(t, err)
	assert.NotEmpty(t, a.User, "the operating-system user")
	b, err := CurrentActor("kari.nordmann")
	require.NoError(t, err)
	assert.Equal(t, "kari.nordmann", b.User, "configuration overrides the OS user")
	assert.Equal(t, a.Workstation, b.Workstation)
}

// A workstation starting while another one holds the writer (SQLite's one
// write lock, PostgreSQL's chain-head row) opens an up-to-date store: the
// schema check only reads. (Before, Open took the write lock and failed
// with "database is locked" after the 10 s busy timeout.)
func TestOpenAnUpToDateStoreWhileAnotherWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		first := open(t, path)
		_, release := holdAuditHead(t, first, path)
		defer release()
		s, err := Open(ctx, path)
		require.NoError(t, err)
		assert.NoError(t, s.Close())
	})
}
