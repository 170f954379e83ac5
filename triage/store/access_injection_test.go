package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
)

// SQL in every text field is stored as text: nothing of it runs, the
// schema and the chain are intact, and the value reads back verbatim
// (issue 13, bad input and attacks).
func TestSQLInEveryTextFieldIsJustText(t *testing.T) {
	payloads := []string{
		"Robert'); DROP TABLE patients;--",
		"x' OR '1'='1",
		`"; DELETE FROM audit_log; --`,
		"1; UPDATE users SET roles = 'administrator'",
		"$1 $2 ? ?? \\' \\\" %s %d",
	}
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		st := staff(t, s)
		admin, doc := st["administrator"], st[string(RolePhysician)]
		for i, sqlText := range payloads {
			p, err := s.CreatePatient(ctx, doc, NewPatient{Name: sqlText})
			require.NoError(t, err)
			got, err := s.GetPatient(ctx, doc, p.ID)
			require.NoError(t, err)
			assert.Equal(t, sqlText, got.Name)
			e, err := s.CreateEncounter(ctx, doc, NewEncounter{PatientID: p.ID, Channel: WalkIn, Complaint: sqlText})
			require.NoError(t, err)
			na := assessment(e.ID, triage.Red)
			na.Override = &Override{Colour: triage.Blue, Reason: sqlText}
			_, err = s.AddAssessment(ctx, doc, na)
			require.NoError(t, err)
			_, err = s.AddEvent(ctx, doc, NewEvent{EncounterID: e.ID, Kind: "note", Ref: sqlText, Note: sqlText})
			require.NoError(t, err)
			_, err = s.GetPatient(ctx, doc.withBasis(BasisOther, sqlText), p.ID)
			require.NoError(t, err)
			_, err = s.CreateUser(ctx, admin, NewUser{Username: "u" + string(rune('a'+i)), DisplayName: sqlText, Roles: []Role{RolePhone}, PasswordHash: "x", HPR: sqlText})
			require.NoError(t, err)
			_, err = s.CreateUser(ctx, admin, NewUser{Username: sqlText, Roles: []Role{RolePhone}, PasswordHash: "x"})
			require.ErrorIs(t, err, ErrInvalid, "user names are letters, digits and . _ -")
			_, err = s.Credentials(ctx, sqlText)
			require.ErrorIs(t, err, ErrNotFound)
			require.NoError(t, s.MarkReviewed(ctx, admin, int64(i+1), sqlText))
		}
		as, err := s.Assessments(ctx, doc, 1)
		require.NoError(t, err)
		require.Len(t, as, 1)
		assert.Equal(t, payloads[0], as[0].Override.Reason)
		us, err := s.Users(ctx, admin)
		require.NoError(t, err)
		assert.Len(t, us, 6+len(payloads), "no account was changed or added by the text")
		for _, u := range us {
			if u.Username == "admin" {
				continue
			}
			assert.False(t, u.Holds(RoleAdmin), u.Username)
		}
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "the chain and every row are intact")
	})
}
