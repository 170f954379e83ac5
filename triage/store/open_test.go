package store

import (
	"context"
	"os"
	"path/filepath"
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
		assert.ErrorContains(t, err, "schema version 2")
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
