package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// On PostgreSQL the workstations connect as a least-privilege role that
// does not own the schema: everything the store does works, and dropping
// a trigger, rewriting the log or truncating a table does not.
func TestPostgresLeastPrivilegeRole(t *testing.T) {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Skip("DATABASE_URL not set: PostgreSQL not tested")
	}
	ctx := context.Background()
	dsn := pgSchema(t, base)
	owner := open(t, dsn)
	schema := ""
	require.NoError(t, owner.db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema))
	var b [4]byte
	_, _ = rand.Read(b[:])
	role := "triage_app_" + hex.EncodeToString(b[:])
	_, err := owner.db.ExecContext(ctx, "CREATE ROLE "+role+" LOGIN")
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = owner.db.ExecContext(context.Background(), "DROP OWNED BY "+role)
		_, _ = owner.db.ExecContext(context.Background(), "DROP ROLE "+role)
	})
	grants, err := PostgresAppGrants(role, schema)
	require.NoError(t, err)
	for _, g := range grants {
		_, err := owner.db.ExecContext(ctx, g)
		require.NoError(t, err, g)
	}
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.User = url.User(role)
	app := open(t, u.String())

	p, e := admit(t, app, "Ola", WalkIn, app.now())
	_, err = app.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
	require.NoError(t, err)
	require.NoError(t, app.AddObservations(ctx, nurse, e.ID, []vitals.Observation{{Kind: vitals.HR, Value: 90, Unit: vitals.PerMin, Source: "manual", HostTime: app.now()}}))
	_, err = app.UpdatePatient(ctx, nurse, p)
	require.NoError(t, err)
	_, err = app.Queue(ctx, nurse, app.now())
	require.NoError(t, err)
	_, err = app.VerifyAudit(ctx)
	require.NoError(t, err)

	raw, err := sql.Open("pgx", u.String())
	require.NoError(t, err)
	defer raw.Close()
	for _, attack := range []string{
		"ALTER TABLE assessments DISABLE TRIGGER USER",
		"DROP TRIGGER assessments_bind ON assessments",
		"UPDATE assessments SET colour = 4",
		"UPDATE audit_log SET detail = 'x'",
		"DELETE FROM audit_log",
		"TRUNCATE audit_rows",
		"UPDATE audit_rows SET hash = 'x'",
		"CREATE TABLE evil (x int)",
	} {
		_, err := raw.ExecContext(ctx, attack)
		assert.Error(t, err, "the application role must not: %s", attack)
	}
	_, err = PostgresAppGrants("app; DROP", schema)
	require.ErrorIs(t, err, ErrInvalid)
}
