package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
)

// queueIDs is the encounter ids in the queue, in order.
func queueIDs(t *testing.T, s *Store, now time.Time) []ids.Encounter {
	t.Helper()
	q, err := s.Queue(context.Background(), nurse, now)
	require.NoError(t, err)
	var out []ids.Encounter
	for _, e := range q {
		out = append(out, e.EncounterID)
	}
	return out
}

func TestOutcomesLeaveAndReenterTheQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		p, akutt := admit(t, s, "Ola", Phone, time.Time{})
		_, haster := admit(t, s, "Kari", Phone, time.Time{})
		_, vanlig := admit(t, s, "Per", Phone, time.Time{})
		// Triaged on the engine's colours (no call record): red is told
		// akutt, yellow haster, green vanlig.
		for e, c := range map[ids.Encounter]triage.Colour{akutt.ID: triage.Red, haster.ID: triage.Yellow, vanlig.ID: triage.Green} {
			_, err := s.AddAssessment(ctx, nurse, assessment(e, c))
			require.NoError(t, err)
		}
		// The first read fills the queue cache: the outcome changes below
		// must reach it through the change feed, not a full reload.
		require.Equal(t, []ids.Encounter{akutt.ID, haster.ID, vanlig.ID}, queueIDs(t, s, clock.now()))

		e, err := s.SetOutcome(ctx, nurse, akutt.ID, OutcomeHandedOver, "AMK 113 overtok 08:02")
		require.NoError(t, err)
		assert.Equal(t, OutcomeHandedOver, e.Outcome)
		assert.Equal(t, "AMK 113 overtok 08:02", e.OutcomeNote)
		_, err = s.SetOutcome(ctx, nurse, vanlig.ID, OutcomeClosed, "Råd: paracetamol, ring igjen ved forverring")
		require.NoError(t, err)
		_, err = s.SetOutcome(ctx, nurse, haster.ID, OutcomeExpected, "")
		require.NoError(t, err)
		assert.Equal(t, []ids.Encounter{haster.ID}, queueIDs(t, s, clock.now()), "handed over and closed calls leave the queue; expected stays")
		q, err := s.Queue(ctx, nurse, clock.now())
		require.NoError(t, err)
		assert.Equal(t, string(OutcomeExpected), q[0].Outcome)

		hist, err := s.EncountersForPatient(ctx, nurse, p.ID)
		require.NoError(t, err)
		require.Len(t, hist, 1, "a handed-over call stays in the history")
		assert.Equal(t, OutcomeHandedOver, hist[0].Outcome)

		_, err = s.SetOutcome(ctx, nurse, akutt.ID, OutcomeHandedOver, "")
		assert.ErrorIs(t, err, ErrInvalid, "the same outcome twice is not a second handover")
		_, err = s.SetOutcome(ctx, nurse, akutt.ID, Outcome("gone"), "")
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = s.SetOutcome(ctx, nurse, 999, OutcomeClosed, "")
		assert.ErrorIs(t, err, ErrNotFound)

		ended, err := s.EndedCalls(ctx, nurse, clock.now().Add(-time.Hour), 10)
		require.NoError(t, err)
		var endedIDs []ids.Encounter
		for _, it := range ended {
			endedIDs = append(endedIDs, it.EncounterID)
		}
		assert.ElementsMatch(t, []ids.Encounter{akutt.ID, vanlig.ID}, endedIDs, "the calls a nurse may reopen")
		_, err = s.EndedCalls(ctx, nurse, clock.now(), 0)
		assert.ErrorIs(t, err, ErrInvalid)

		_, err = s.SetOutcome(ctx, Actor{User: "lise"}, akutt.ID, OutcomeWaiting, "AMK sendte pasienten hit")
		require.NoError(t, err)
		assert.Equal(t, []ids.Encounter{akutt.ID, haster.ID}, queueIDs(t, s, clock.now()), "a reopened call waits again")

		evs, err := s.Events(ctx, nurse, akutt.ID)
		require.NoError(t, err)
		require.Len(t, evs, 2, "every outcome change is kept, the close and the reopen")
		assert.Equal(t, []string{"handed_over", "waiting"}, []string{evs[0].Ref, evs[1].Ref})
		assert.Equal(t, "lise", evs[1].Actor.User)

		log, err := s.AuditLog(ctx, nurse, 0, 1000)
		require.NoError(t, err)
		var details []string
		for _, l := range log {
			if l.Action == "encounter.outcome" && l.EntityID == int64(akutt.ID) {
				details = append(details, l.Detail)
			}
		}
		assert.Contains(t, details, "outcome=handed_over from=waiting")
		assert.Contains(t, details, "outcome=waiting from=handed_over")
		for _, l := range log {
			assert.NotContains(t, l.Detail, "AMK", "a note is patient data: not in the audit detail")
		}
	})
}

func validCall(encID ids.Encounter, asID int64) NewCall {
	onset := time.Date(2026, 11, 22, 7, 40, 0, 0, time.UTC)
	return NewCall{
		EncounterID: encID, AssessmentID: asID, Complaint: "brystsmerter",
		Note: "Trykk i brystet i hvile, kvalm", Onset: "for 20 min siden", OnsetAt: &onset,
		Sex: SexMale, SexSource: SexFromNID, CallerRelation: "selv", CallerPhone: "+4791234567",
		Answers:   map[string]string{"A.01.01": AnswerYes, "H.01.01": AnswerNotAsked, "V.01.01": AnswerNo},
		LevelTold: "akutt", LevelComputed: "akutt",
	}
}

func TestCallRecord(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		p, e := admit(t, s, "Ola", Phone, time.Time{})
		as, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Red))
		require.NoError(t, err)
		nc := validCall(e.ID, as.ID)
		got, err := s.AddCall(ctx, nurse, nc)
		require.NoError(t, err)
		read, err := s.CallOf(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Equal(t, got, read)
		assert.Equal(t, nc.Answers, read.Answers)
		assert.Equal(t, nc.OnsetAt.UTC(), read.OnsetAt.UTC())
		assert.Equal(t, clock.now(), read.At)
		assert.Equal(t, nurse, read.Actor)

		_, err = s.AddCall(ctx, nurse, nc)
		assert.ErrorIs(t, err, ErrInvalid, "one call record per encounter")
		_, err = s.db.ExecContext(ctx, "UPDATE calls SET note = 'x'")
		assert.Error(t, err, "a call record is immutable")
		_, err = s.db.ExecContext(ctx, "DELETE FROM calls")
		assert.Error(t, err, "a call record is never deleted")

		_, other := admit(t, s, "Kari", Phone, time.Time{})
		_, err = s.AddCall(ctx, nurse, validCall(other.ID, as.ID))
		assert.ErrorIs(t, err, ErrInvalid, "the assessment must be the encounter's own")
		_, err = s.CallOf(ctx, nurse, other.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.AddCall(ctx, nurse, validCall(999, as.ID))
		assert.ErrorIs(t, err, ErrNotFound)

		cc, err := s.LastCallFrom(ctx, nurse, "+4791234567")
		require.NoError(t, err)
		assert.Equal(t, p.ID, cc.Patient.ID)
		assert.Equal(t, "Ola", cc.Patient.Name)
		assert.Equal(t, "selv", cc.Relation)
		_, err = s.LastCallFrom(ctx, nurse, "40000000")
		assert.ErrorIs(t, err, ErrNotFound)

		// A later call from the same number about another patient wins.
		clock.add(time.Hour)
		p2, e2 := admit(t, s, "Lille Ola", Phone, time.Time{})
		as2, err := s.AddAssessment(ctx, nurse, assessment(e2.ID, triage.Green))
		require.NoError(t, err)
		nc2 := validCall(e2.ID, as2.ID)
		nc2.CallerRelation, nc2.LevelTold, nc2.LevelComputed = "far", "vanlig", "haster"
		nc2.Sex, nc2.SexSource, nc2.OnsetAt, nc2.Onset = "", "", nil, ""
		_, err = s.AddCall(ctx, nurse, nc2)
		require.NoError(t, err)
		cc, err = s.LastCallFrom(ctx, nurse, "+4791234567")
		require.NoError(t, err)
		assert.Equal(t, p2.ID, cc.Patient.ID)
		assert.Equal(t, "far", cc.Relation)
		read, err = s.CallOf(ctx, nurse, e2.ID)
		require.NoError(t, err)
		assert.Equal(t, SexUnknown, read.Sex, "no sex given is stored as unknown")
		assert.Nil(t, read.OnsetAt)
	})
}

func TestCallRecordRefusesBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", Phone, time.Time{})
		as, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Red))
		require.NoError(t, err)
		cases := map[string]func(*NewCall){
			"sex":             func(c *NewCall) { c.Sex = "x" },
			"sex source":      func(c *NewCall) { c.SexSource = "guess" },
			"sex unknown nid": func(c *NewCall) { c.Sex = SexUnknown },
			"complaint":       func(c *NewCall) { c.Complaint = " " },
			"level told":      func(c *NewCall) { c.LevelTold = "red" },
			"computed level":  func(c *NewCall) { c.LevelComputed = "" },
			"answer code":     func(c *NewCall) { c.Answers = map[string]string{"01.01": AnswerYes} },
			"answer value":    func(c *NewCall) { c.Answers = map[string]string{"A.01.01": "maybe"} },
			"note":            func(c *NewCall) { c.Note = strings.Repeat("x", maxText+1) },
			"caller phone":    func(c *NewCall) { c.CallerPhone = strings.Repeat("9", 201) },
		}
		for name, mutate := range cases {
			nc := validCall(e.ID, as.ID)
			mutate(&nc)
			_, err := s.AddCall(ctx, nurse, nc)
			assert.ErrorIs(t, err, ErrInvalid, name)
		}
		_, err = s.CallOf(ctx, nurse, e.ID)
		assert.ErrorIs(t, err, ErrNotFound, "nothing was written")
	})
}

// A phone call registers with its call record and outcome in the one
// transaction of Register: an akutt call handed to AMK never shows in the
// waiting queue, not even for a moment.
func TestRegisterWithCallAndOutcome(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		require.Empty(t, queueIDs(t, s, clock.now())) // the queue cache is live from here
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		reg, err := s.Register(ctx, nurse, Registration{
			Patient:    NewPatient{Name: "Ola"},
			Encounter:  NewEncounter{Channel: Phone, Complaint: "Brystsmerter"},
			Assessment: &na, Call: &nc, Outcome: OutcomeHandedOver, OutcomeNote: "AMK 113",
		})
		require.NoError(t, err)
		assert.Equal(t, OutcomeHandedOver, reg.Encounter.Outcome)
		assert.Empty(t, queueIDs(t, s, clock.now()))
		c, err := s.CallOf(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.Equal(t, reg.Assessment.ID, c.AssessmentID)
		assert.Equal(t, nc.Answers, c.Answers)

		_, err = s.Register(ctx, nurse, Registration{
			Patient: NewPatient{Name: "Kari"}, Encounter: NewEncounter{Channel: Phone}, Call: &nc,
		})
		assert.ErrorIs(t, err, ErrInvalid, "a call record needs its assessment")
		bad := validCall(0, 0)
		bad.LevelTold = "grønn"
		_, err = s.Register(ctx, nurse, Registration{
			Patient: NewPatient{Name: "Kari"}, Encounter: NewEncounter{Channel: Phone}, Assessment: &na, Call: &bad,
		})
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = s.Register(ctx, nurse, Registration{
			Patient: NewPatient{Name: "Kari"}, Encounter: NewEncounter{Channel: Phone}, Outcome: "gone",
		})
		assert.ErrorIs(t, err, ErrInvalid)
		var n int
		require.NoError(t, s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM patients").Scan(&n))
		assert.Equal(t, 1, n, "a refused registration writes nothing")
	})
}

// F13: the sex the caller said is kept on an unknown patient with no sex
// recorded, in the call's transaction (audited with its source); a sex
// from the identity number or chosen at the reception is never
// overwritten, and a sex not said leaves the patient without one.
func TestCallKeepsTheAskedSexOnAnUnknownPatient(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		na := assessment(0, triage.Red)
		call := func(np NewPatient, sex Sex, source string) Registered {
			t.Helper()
			nc := validCall(0, 0)
			nc.Sex, nc.SexSource = sex, source
			reg, err := s.Register(ctx, nurse, Registration{
				Patient: np, Encounter: NewEncounter{Channel: Phone, Complaint: "Brystsmerter"}, Assessment: &na, Call: &nc,
			})
			require.NoError(t, err)
			return reg
		}
		stored := func(id ids.Patient) Sex {
			t.Helper()
			p, err := s.GetPatient(ctx, nurse, id)
			require.NoError(t, err)
			return p.Sex
		}

		asked := call(NewPatient{Name: "Ukjent"}, SexFemale, SexAsked)
		assert.Equal(t, SexFemale, asked.Patient.Sex, "Register returns the patient as stored")
		assert.Equal(t, SexFemale, stored(asked.Patient.ID))
		log, err := s.AuditLog(ctx, nurse, 0, 500)
		require.NoError(t, err)
		var found bool
		for _, e := range log {
			if e.Action == "patient.update" && e.PatientID == asked.Patient.ID {
				found = true
				assert.Equal(t, "sex=female source=asked", e.Detail)
			}
		}
		assert.True(t, found, "the sex kept on the patient is audited with its source")

		chosen := call(NewPatient{Sex: SexMale}, SexFemale, SexAsked)
		assert.Equal(t, SexMale, stored(chosen.Patient.ID), "the sex chosen at the reception is kept")

		notSaid := call(NewPatient{}, SexUnknown, SexNotRecorded)
		assert.Equal(t, Sex(""), stored(notSaid.Patient.ID))

		nid := validNID(t, "010190", 100)
		n, err := patient.Parse(nid)
		require.NoError(t, err)
		other := SexMale
		if n.Sex == patient.Male {
			other = SexFemale
		}
		known := call(NewPatient{NID: nid, Name: "Kari"}, other, SexAsked)
		assert.Equal(t, Sex(""), stored(known.Patient.ID), "an identified patient's sex comes from the number, never from the call")

		again := validCall(0, 0)
		again.Sex, again.SexSource = SexMale, SexAsked
		_, err = s.Register(ctx, nurse, Registration{PatientID: asked.Patient.ID, Encounter: NewEncounter{Channel: Phone}, Assessment: &na, Call: &again})
		require.NoError(t, err)
		assert.Equal(t, SexFemale, stored(asked.Patient.ID), "a second call does not overwrite the sex on record")

		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "the sex kept from the call is bound into the audit chain")
	})
}
