package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unguardECGs drops the ECG table's own guards (a signed ECG immutable,
// never deleted) as an attacker with direct database access could, on
// top of unguard's.
func unguardECGs(t *testing.T, s *Store) {
	t.Helper()
	unguard(t, s)
	ctx := context.Background()
	if s.backend == Postgres {
		_, err := s.db.ExecContext(ctx, "ALTER TABLE ecgs DISABLE TRIGGER USER")
		require.NoError(t, err)
		return
	}
	for _, tr := range []string{"ecgs_signed_immutable", "ecgs_never_deleted", "ecgs_file_immutable"} {
		_, err := s.db.ExecContext(ctx, "DROP TRIGGER "+tr)
		require.NoError(t, err)
	}
}

// ecgDay is clinicalDay with two ECGs on the contact, the first signed
// by a physician; it returns the signed and the unconfirmed one.
func ecgDay(t *testing.T, s *Store) (signed, unconfirmed ECG) {
	t.Helper()
	ctx := context.Background()
	_, e, _ := clinicalDay(t, s)
	g1, err := s.AttachECG(ctx, nurse, newECG(e.ID, "SCPECG samples of the first recording"))
	require.NoError(t, err)
	g2, err := s.AttachECG(ctx, nurse, newECG(e.ID, "SCPECG samples of the second recording"))
	require.NoError(t, err)
	signed, err = s.SignECG(ctx, physician, g1.ID, Interpretation{Text: "Sinusrytme, normalt EKG", Findings: []ECGFinding{FindingSinus}})
	require.NoError(t, err)
	return signed, g2
}

// The ECG records (schema 7) are bound into the chain from schema 9: an
// interpretation, a signature or the samples edited in the database, and
// an ECG added or deleted there, are found and named like any clinical
// row.
func TestAuditVerifyFindsECGsChangedOutsideTheStore(t *testing.T) {
	cases := []struct {
		name   string
		sql    string
		args   func(signed, unconfirmed ECG) []any
		id     func(t testing.TB, s *Store, signed, unconfirmed ECG) int64
		reason string
	}{
		{"a signed interpretation", "UPDATE ecgs SET interpretation = 'Kari har ST-elevasjon' WHERE id = ?",
			func(g, _ ECG) []any { return []any{g.ID} }, nil, "edited"},
		{"the findings and STEMI mark", "UPDATE ecgs SET findings = '[\"mistenkt_stemi\"]', stemi = 1 WHERE id = ?",
			func(g, _ ECG) []any { return []any{g.ID} }, nil, "edited"},
		{"the signature", "UPDATE ecgs SET signed_by = 'annenlege' WHERE id = ?",
			func(g, _ ECG) []any { return []any{g.ID} }, nil, "edited"},
		{"an unconfirmed ECG made signed", "UPDATE ecgs SET status = 'signed', signed_by = 'lege', signed_at = attached_at WHERE id = ?",
			func(_, o ECG) []any { return []any{o.ID} }, func(_ testing.TB, _ *Store, _, o ECG) int64 { return o.ID }, "edited"},
		{"the samples", "UPDATE ecgs SET data = ? WHERE id = ?",
			func(g, _ ECG) []any { return []any{[]byte("SCPECG forged samples"), g.ID} }, nil, "edited"},
		{"an inserted ECG", `INSERT INTO ecgs (encounter_id, patient_id, attached_at, attached_by, workstation, format, source_name, acquired_at, sha256, data, summary)
			SELECT encounter_id, patient_id, attached_at, attached_by, workstation, format, source_name, acquired_at, sha256, data, summary FROM ecgs WHERE id = ?`,
			func(g, _ ECG) []any { return []any{g.ID} },
			func(t testing.TB, s *Store, _, _ ECG) int64 {
				var id int64
				require.NoError(t, s.db.QueryRow("SELECT max(id) FROM ecgs").Scan(&id))
				return id
			}, "not recorded"},
		{"a deleted ECG", "DELETE FROM ecgs WHERE id = ?",
			func(_, o ECG) []any { return []any{o.ID} }, func(_ testing.TB, _ *Store, _, o ECG) int64 { return o.ID }, "missing"},
	}
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				s := open(t, dsn(t))
				signed, unconfirmed := ecgDay(t, s)
				r, err := s.VerifyAuditWith(ctx, nil)
				require.NoError(t, err, "intact before the change")
				assert.EqualValues(t, 2, r.RowsIn["ecgs"], "both ECGs bound")
				unguardECGs(t, s)
				_, err = s.db.ExecContext(ctx, s.q(c.sql), c.args(signed, unconfirmed)...)
				require.NoError(t, err)
				want := signed.ID
				if c.id != nil {
					want = c.id(t, s, signed, unconfirmed)
				}
				_, err = s.VerifyAudit(ctx)
				var ce *ContentError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, "ecgs", ce.Table)
				assert.Equal(t, want, ce.ID)
				assert.Contains(t, ce.Reason, c.reason)
				assert.True(t, Tampered(err))
				assert.NotContains(t, err.Error(), "Kari", "the error names rows, never their content")

				// The next honest ECG write does not launder the change.
				_, err = s.AttachECG(ctx, nurse, newECG(signed.EncounterID, "SCPECG samples of a third recording"))
				require.NoError(t, err)
				_, err = s.VerifyAudit(ctx)
				require.ErrorAs(t, err, &ce, "still found after another write")
				assert.Equal(t, "ecgs", ce.Table)
			})
		}
	})
}

// A database held below schema 9 (no ECG table at all below 7, ECGs not
// yet bound below 9) verifies intact as it is, as `audit verify` opens it
// (WithoutUpgrade); upgraded, its ECGs are bound in one "audit.bind"
// entry and an edit is found from then on.
func TestECGsOfAnOlderSchemaVerifyAndAreBoundOnUpgrade(t *testing.T) {
	const ecgSchema = 7 // the migration that creates the ecgs table
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		for _, limit := range []int{ecgSchema, ecgAuditSchema} {
			ctx := context.Background()
			path := dsn(t)
			held, err := Open(ctx, path, withSchemaLimit(limit))
			require.NoError(t, err)
			_, e, _ := clinicalDay(t, held)
			var g ECG
			if limit > ecgSchema {
				g, err = held.AttachECG(ctx, nurse, newECG(e.ID, "SCPECG samples recorded before schema 9"))
				require.NoError(t, err)
				g, err = held.SignECG(ctx, physician, g.ID, Interpretation{Text: "Atrieflimmer", Findings: []ECGFinding{FindingAF}})
				require.NoError(t, err)
			}
			require.NoError(t, held.Close())

			old := open(t, path, WithoutUpgrade())
			r, err := old.VerifyAuditWith(ctx, nil)
			require.NoError(t, err, "schema below %d verifies intact", limit)
			assert.Zero(t, r.RowsIn["ecgs"], "no ECG bound below schema 9")
			assert.Positive(t, r.RowsIn["assessments"], "the clinical rows are still checked")
			require.NoError(t, old.Close())

			s := open(t, path)
			r, err = s.VerifyAuditWith(ctx, nil)
			require.NoError(t, err, "upgraded from below %d", limit)
			if limit == ecgSchema {
				assert.Zero(t, r.RowsIn["ecgs"])
				continue
			}
			assert.EqualValues(t, 1, r.RowsIn["ecgs"], "the ECG written before schema 9 is bound")
			var action, detail string
			require.NoError(t, s.db.QueryRowContext(ctx, "SELECT action, detail FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)").Scan(&action, &detail))
			assert.Equal(t, "audit.bind", action)
			assert.Equal(t, "rows=1 written before schema 9", detail)
			unguardECGs(t, s)
			_, err = s.db.ExecContext(ctx, s.q("UPDATE ecgs SET interpretation = 'Sinusrytme' WHERE id = ?"), g.ID)
			require.NoError(t, err)
			_, err = s.VerifyAudit(ctx)
			var ce *ContentError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "ecgs", ce.Table)
			assert.Equal(t, g.ID, ce.ID)
		}
	})
}
