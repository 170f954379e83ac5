package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
)

func newECG(encID ids.Encounter, data string) NewECG {
	return NewECG{EncounterID: encID, Format: "scp-ecg", SourceName: "cart-0001.scp", Data: []byte(data),
		AcquiredAt: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC), Summary: json.RawMessage(`{"measurements":{"qt_ms":400}}`)}
}

var physician = Actor{User: "lege", Workstation: "legekontor", Role: RolePhysician}

func TestECGReviewListIsOrderedByUrgencyThenWaitingTime(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		var encs []Encounter
		for i, c := range []triage.Colour{triage.Green, triage.Red, triage.Yellow, triage.Green} {
			_, e := admit(t, s, "P"+string(rune('A'+i)), WalkIn, time.Time{})
			_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, c))
			require.NoError(t, err)
			encs = append(encs, e)
		}
		_, untriaged := admit(t, s, "Uten triage", WalkIn, time.Time{})
		// Attach in this order, a minute apart: green A, red B, yellow C,
		// untriaged, green D.
		var ids []int64
		for _, e := range []Encounter{encs[0], encs[1], encs[2], untriaged, encs[3]} {
			g, err := s.AttachECG(ctx, nurse, newECG(e.ID, "SCPECG file of "+e.Complaint+time.Now().String()))
			require.NoError(t, err)
			assert.Equal(t, ECGUnconfirmed, g.Status)
			ids = append(ids, g.ID)
			clock.add(time.Minute)
		}
		list, err := s.ECGsForReview(ctx, physician, clock.now())
		require.NoError(t, err)
		var got []int64
		for _, r := range list {
			got = append(got, r.ID)
		}
		// red, yellow, green (waited longest first), green, then untriaged.
		assert.Equal(t, []int64{ids[1], ids[2], ids[0], ids[4], ids[3]}, got)
		assert.Equal(t, 5*time.Minute, list[2].Waiting, "green A has waited five minutes")
		assert.False(t, list[4].Triaged)
	})
}

func TestASignedECGIsImmutableAndEveryStepIsAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
		require.NoError(t, err)
		head, _, err := s.AuditHead(ctx)
		require.NoError(t, err)

		g, err := s.AttachECG(ctx, nurse, newECG(e.ID, "the cart's bytes"))
		require.NoError(t, err)
		assert.Len(t, g.SHA256, 64)
		assert.Equal(t, len("the cart's bytes"), g.Size)
		got, data, err := s.ViewECG(ctx, physician, g.ID)
		require.NoError(t, err)
		assert.Equal(t, "the cart's bytes", string(data))
		assert.JSONEq(t, `{"measurements":{"qt_ms":400}}`, string(got.Summary))

		signed, err := s.SignECG(ctx, physician, g.ID, Interpretation{Text: "Sinusrytme, normalt EKG.", Findings: []ECGFinding{FindingSinus, FindingNormal}})
		require.NoError(t, err)
		assert.Equal(t, ECGSigned, signed.Status)
		assert.Equal(t, "lege", signed.SignedBy)
		assert.Equal(t, []ECGFinding{FindingSinus, FindingNormal}, signed.Findings)

		_, err = s.SignECG(ctx, physician, g.ID, Interpretation{Text: "endret"})
		require.ErrorIs(t, err, ErrInvalid, "a second signature is refused")
		require.ErrorIs(t, err, ErrECGSigned)
		assert.Contains(t, err.Error(), "immutable")
		// Not even SQL outside the store changes it.
		_, err = s.db.ExecContext(ctx, s.q("UPDATE ecgs SET interpretation = 'forfalsket' WHERE id = ?"), g.ID)
		assert.ErrorContains(t, err, "immutable")
		_, err = s.db.ExecContext(ctx, s.q("DELETE FROM ecgs WHERE id = ?"), g.ID)
		assert.ErrorContains(t, err, "never deleted")
		again, _, err := s.ViewECG(ctx, physician, g.ID)
		require.NoError(t, err)
		assert.Equal(t, "Sinusrytme, normalt EKG.", again.Text)

		list, err := s.ECGsForReview(ctx, physician, time.Now())
		require.NoError(t, err)
		assert.Empty(t, list, "signed ECGs leave the review list")

		_, _, err = s.ViewECG(ctx, physician, 99999)
		require.ErrorIs(t, err, ErrNotFound)

		log, err := s.AuditLog(ctx, Actor{User: "revisor", Workstation: "kontor", Role: RoleAdmin}, head, 100)
		require.NoError(t, err)
		var actions []string
		for _, en := range log {
			if strings.HasPrefix(en.Action, "ecg.") {
				actions = append(actions, en.Action+" "+en.Actor)
			}
		}
		assert.Equal(t, []string{"ecg.attach kari", "ecg.read lege", "ecg.sign lege", "ecg.read lege", "ecg.list lege", "ecg.read lege"}, actions,
			"attach, every view, the signature, the list and the failed lookup")
	})
}

func TestSuspectedSTEMIRaisesTheContactToRedAndAlertsTheBoard(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Per", WalkIn, time.Time{})
		_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Green))
		require.NoError(t, err)
		g, err := s.AttachECG(ctx, nurse, newECG(e.ID, "stemi file"))
		require.NoError(t, err)
		_, err = s.SignECG(ctx, physician, g.ID, Interpretation{Findings: []ECGFinding{FindingSTElevation, FindingSTEMI}})
		require.NoError(t, err)

		enc, err := s.GetEncounter(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Equal(t, triage.Red, enc.Colour, "the queue colour is red")
		as, err := s.Assessments(ctx, nurse, e.ID)
		require.NoError(t, err)
		last := as[len(as)-1]
		require.NotNil(t, last.Override)
		assert.Equal(t, triage.Red, last.Override.Colour)
		assert.Equal(t, STEMIReason, last.Override.Reason)
		evs, err := s.Events(ctx, nurse, e.ID)
		require.NoError(t, err)
		var kinds []string
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
		assert.Contains(t, kinds, EventECGSTEMI)
		q, err := s.Queue(ctx, nurse, time.Now())
		require.NoError(t, err)
		require.NotEmpty(t, q)
		assert.Equal(t, e.ID, q[0].EncounterID, "first in the queue")
	})
}

func TestOnlyPhysiciansSignAndBadInputIsRefusedByName(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		actors := staff(t, s)
		rec := actors[string(RoleReception)]
		p, err := s.CreatePatient(ctx, rec, NewPatient{Name: "Ola"})
		require.NoError(t, err)
		e, err := s.CreateEncounter(ctx, rec, NewEncounter{PatientID: p.ID, Channel: WalkIn})
		require.NoError(t, err)
		g, err := s.AttachECG(ctx, rec, newECG(e.ID, "bytes"))
		require.NoError(t, err)
		_, err = s.SignECG(ctx, rec, g.ID, Interpretation{Text: "ser fint ut"})
		require.ErrorIs(t, err, ErrForbidden, "a nurse does not sign")
		_, err = s.AttachECG(ctx, actors[string(RoleBiomed)], newECG(e.ID, "x"))
		require.ErrorIs(t, err, ErrForbidden)
		_, err = s.SignECG(ctx, actors[string(RolePhysician)], g.ID, Interpretation{})
		require.ErrorIs(t, err, ErrInvalid)
		assert.Contains(t, err.Error(), "interpretation")
		_, err = s.SignECG(ctx, actors[string(RolePhysician)], g.ID, Interpretation{Findings: []ECGFinding{"hjertesvikt"}})
		assert.ErrorContains(t, err, `finding: "hjertesvikt"`)
		_, err = s.AttachECG(ctx, rec, NewECG{EncounterID: e.ID, Format: "scp-ecg"})
		assert.ErrorContains(t, err, "ecg file")
		_, err = s.SignECG(ctx, actors[string(RolePhysician)], g.ID, Interpretation{Text: "Sinusrytme"})
		require.NoError(t, err)
	})
}

func TestFindingLabelsInBothLanguages(t *testing.T) {
	for _, f := range ECGFindings {
		assert.NotEqual(t, string(f), f.Label("nb"), f)
		assert.NotEqual(t, f.Label("nb"), f.Label("en"), f)
	}
	assert.Equal(t, "Mistenkt STEMI", FindingSTEMI.Label("nb"))
}

func TestOnlyAPhysicianSignsAlsoInAStoreWithoutAccounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		require.False(t, s.AccessControl(), "no accounts: roles are not checked elsewhere")
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		g, err := s.AttachECG(ctx, nurse, newECG(e.ID, "bytes"))
		require.NoError(t, err)
		head, _, err := s.AuditHead(ctx)
		require.NoError(t, err)
		for _, a := range []Actor{
			{User: "os-bruker", Workstation: "mottak-1"}, // the operating-system user: no role
			{User: "kari", Workstation: "mottak-1", Role: RoleReception},
			{User: "tone", Workstation: "telefon-1", Role: RolePhone},
			{User: "admin", Workstation: "kontor", Role: RoleAdmin},
		} {
			_, err := s.SignECG(ctx, a, g.ID, Interpretation{Text: "Sinusrytme", Findings: []ECGFinding{FindingSTEMI}})
			require.ErrorIs(t, err, ErrForbidden, "%q may not sign", a.Role)
			assert.Contains(t, err.Error(), "physicians only")
		}
		got, _, err := s.ViewECG(ctx, physician, g.ID)
		require.NoError(t, err)
		assert.Equal(t, ECGUnconfirmed, got.Status, "no refused signature changed it")
		enc, err := s.GetEncounter(ctx, physician, e.ID)
		require.NoError(t, err)
		assert.False(t, enc.Triaged, "no refused STEMI raised the triage")
		log, err := s.AuditLog(ctx, Actor{User: "revisor", Workstation: "kontor", Role: RoleAdmin}, head, 100)
		require.NoError(t, err)
		denied := 0
		for _, en := range log {
			if en.Action == "access.denied" && strings.Contains(en.Detail, "ecg.sign") {
				denied++
			}
		}
		assert.Equal(t, 4, denied, "every refusal is audited")
		_, err = s.SignECG(ctx, physician, g.ID, Interpretation{Text: "Sinusrytme"})
		require.NoError(t, err)
	})
}

func TestTheBoardSeesWaitingECGsAndASignedSuspectedSTEMI(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		_, a := admit(t, s, "Anne", WalkIn, time.Time{})
		_, b := admit(t, s, "Per", WalkIn, time.Time{})
		_, c := admit(t, s, "Ingen EKG", WalkIn, time.Time{})
		var gs []ECG
		for i, e := range []Encounter{a, a, b} {
			g, err := s.AttachECG(ctx, nurse, newECG(e.ID, "file "+string(rune('0'+i))))
			require.NoError(t, err)
			gs = append(gs, g)
		}
		board, err := s.ECGBoard(ctx, nurse, []ids.Encounter{a.ID, b.ID, c.ID})
		require.NoError(t, err)
		assert.Equal(t, map[ids.Encounter]ECGBoardState{a.ID: {Unconfirmed: 2}, b.ID: {Unconfirmed: 1}}, board)

		clock.add(3 * time.Minute)
		_, err = s.SignECG(ctx, physician, gs[2].ID, Interpretation{Findings: []ECGFinding{FindingSTElevation, FindingSTEMI}})
		require.NoError(t, err)
		_, err = s.SignECG(ctx, physician, gs[0].ID, Interpretation{Findings: []ECGFinding{FindingSinus}})
		require.NoError(t, err)
		board, err = s.ECGBoard(ctx, nurse, []ids.Encounter{a.ID, b.ID, c.ID})
		require.NoError(t, err)
		assert.Equal(t, 1, board[a.ID].Unconfirmed)
		assert.Zero(t, board[a.ID].STEMI.ID, "a signed ECG without STEMI is not flagged")
		assert.Equal(t, 0, board[b.ID].Unconfirmed)
		assert.Equal(t, gs[2].ID, board[b.ID].STEMI.ID)
		assert.Equal(t, "lege", board[b.ID].STEMI.SignedBy)
		assert.True(t, board[b.ID].STEMI.SignedAt.Equal(clock.now()), "signed at %v", board[b.ID].STEMI.SignedAt)

		empty, err := s.ECGBoard(ctx, nurse, nil)
		require.NoError(t, err)
		assert.Empty(t, empty)
		_, err = s.ECGBoard(ctx, nurse, make([]ids.Encounter, maxBoardEncounters+1))
		require.ErrorIs(t, err, ErrInvalid)

		list, err := s.ECGsForReview(ctx, physician, clock.now())
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "Anne", list[0].Patient, "the review list names the patient")
	})
}

func TestAContactsECGsAreListedSignedOrNotNewestFirst(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		_, other := admit(t, s, "Kari", WalkIn, time.Time{})
		g1, err := s.AttachECG(ctx, nurse, newECG(e.ID, "first"))
		require.NoError(t, err)
		g2, err := s.AttachECG(ctx, nurse, newECG(e.ID, "second"))
		require.NoError(t, err)
		_, err = s.AttachECG(ctx, nurse, newECG(other.ID, "someone else's"))
		require.NoError(t, err)
		_, err = s.SignECG(ctx, physician, g1.ID, Interpretation{Findings: []ECGFinding{FindingNormal}})
		require.NoError(t, err)
		list, err := s.ECGsOfEncounter(ctx, nurse, e.ID)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, g2.ID, list[0].ID)
		assert.Equal(t, ECGUnconfirmed, list[0].Status)
		assert.Equal(t, g1.ID, list[1].ID)
		assert.Equal(t, ECGSigned, list[1].Status)
		assert.Equal(t, "lege", list[1].SignedBy)
		_, err = s.ECGsOfEncounter(ctx, nurse, 99999)
		require.ErrorIs(t, err, ErrNotFound)
	})
}
