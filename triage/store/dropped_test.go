package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// droppedAt is a dropped call's record: akutt proposed after an akutt
// criterion answered yes, at the result step.
func droppedAt(started time.Time) NewDroppedCall {
	return NewDroppedCall{
		StartedAt: started, EndedAt: started.Add(4 * time.Minute), Step: "result", Complaint: "brystsmerter",
		Note: "Trykk i brystet, la på", Onset: "for 20 min siden", Sex: SexMale, SexSource: SexAsked,
		CallerRelation: "selv", CallerPhone: "+4791234567",
		Answers:       map[string]string{"A.01.01": AnswerYes, "A.01.02": AnswerNotAsked, "H.01.01": AnswerNo},
		LevelProposed: "akutt", Partial: json.RawMessage(`{"age":{"n":72,"unit":"years"}}`),
	}
}

// dropCall registers a dropped call of an unknown patient with one
// reported pulse.
func dropCall(t *testing.T, s *Store, a Actor, nd NewDroppedCall) Registered {
	t.Helper()
	reg, err := s.Register(context.Background(), a, Registration{
		Patient: NewPatient{Name: "Innringer"}, Encounter: NewEncounter{Channel: Phone, ArrivedAt: nd.StartedAt, Complaint: "Brystsmerter"},
		Observations: []vitals.Observation{{Kind: vitals.PR, Value: 118, Unit: vitals.PerMin, Source: vitals.SourcePhone, HostTime: nd.EndedAt, Quality: vitals.Valid}},
		Dropped:      &nd, Outcome: OutcomeDropped,
	})
	require.NoError(t, err)
	return reg
}

// A dropped call stores what was known and no decision: the encounter is
// never triaged, has no assessment, leaves the waiting queue, and waits
// for its call-back, immediate when akutt was proposed.
func TestADroppedCallStoresWhatWasKnownAndNoDecision(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		nd := droppedAt(clock.now().Add(-5 * time.Minute))
		reg := dropCall(t, s, nurse, nd)
		assert.Equal(t, OutcomeDropped, reg.Encounter.Outcome)
		assert.False(t, reg.Encounter.Triaged, "no level of a dropped call is a decision")
		assert.Nil(t, reg.Assessment)
		as, err := s.Assessments(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.Empty(t, as)
		_, err = s.CallOf(ctx, nurse, reg.Encounter.ID)
		assert.ErrorIs(t, err, ErrNotFound, "no call record: nothing was told")

		d, err := s.DroppedCallOf(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.Equal(t, nurse.User, d.Actor.User)
		assert.Equal(t, CallBackImmediate, d.CallBackPriority)
		assert.Equal(t, "akutt", d.LevelProposed)
		assert.Equal(t, "result", d.Step)
		assert.Equal(t, nd.Answers, d.Answers)
		assert.Equal(t, "+4791234567", d.CallerPhone)
		assert.True(t, nd.StartedAt.Equal(d.StartedAt) && nd.EndedAt.Equal(d.EndedAt))
		assert.JSONEq(t, string(nd.Partial), string(d.Partial))
		assert.Nil(t, d.CallBack)
		obs, err := s.Observations(ctx, nurse, reg.Encounter.ID, time.Time{})
		require.NoError(t, err)
		assert.Len(t, obs, 1, "the vitals reported are kept")
		p, err := s.GetPatient(ctx, nurse, reg.Patient.ID)
		require.NoError(t, err)
		assert.Equal(t, SexMale, p.Sex, "the sex the caller said is kept on the unknown patient")

		q, err := s.Queue(ctx, nurse, clock.now())
		require.NoError(t, err)
		for _, it := range q {
			assert.NotEqual(t, reg.Encounter.ID, it.EncounterID, "a dropped call is not in the waiting queue")
		}
		ended, err := s.EndedCalls(ctx, nurse, clock.now().Add(-time.Hour), 50)
		require.NoError(t, err)
		require.Len(t, ended, 1)
		assert.Equal(t, reg.Encounter.ID, ended[0].EncounterID)
		assert.Equal(t, CallBackImmediate, ended[0].CallBack)
		assert.Equal(t, string(OutcomeDropped), ended[0].Outcome)
		assert.False(t, ended[0].Triaged)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "the dropped call's rows are bound into the audit chain")
	})
}

// A dropped call's registration is refused whole when it would store a
// decision or does not fit, and the outcome dropped is never set by hand
// nor changed to another.
func TestDroppedCallRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		base := func() Registration {
			nd := droppedAt(clock.now())
			return Registration{Patient: NewPatient{Name: "X"}, Encounter: NewEncounter{Channel: Phone}, Dropped: &nd, Outcome: OutcomeDropped}
		}
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		for name, mod := range map[string]func(r *Registration){
			"with an assessment":  func(r *Registration) { r.Assessment = &na },
			"with a call record":  func(r *Registration) { r.Call = &nc },
			"a walk-in":           func(r *Registration) { r.Encounter.Channel = WalkIn },
			"outcome handed over": func(r *Registration) { r.Outcome = OutcomeHandedOver },
			"outcome without it":  func(r *Registration) { r.Dropped = nil },
			"a step unknown":      func(r *Registration) { r.Dropped.Step = "done" },
			"a level unknown":     func(r *Registration) { r.Dropped.LevelProposed = "orange" },
			"ended before start":  func(r *Registration) { r.Dropped.EndedAt = r.Dropped.StartedAt.Add(-time.Second) },
			"an answer unknown":   func(r *Registration) { r.Dropped.Answers = map[string]string{"A.01.01": "maybe"} },
			"a call-back of a walk-in": func(r *Registration) {
				r.Encounter.Channel, r.Dropped, r.Outcome, r.CallBackOf = WalkIn, nil, "", 1
			},
		} {
			r := base()
			mod(&r)
			_, err := s.Register(ctx, nurse, r)
			assert.ErrorIs(t, err, ErrInvalid, name)
		}
		_, e := admit(t, s, "Y", Phone, clock.now())
		_, err := s.SetOutcome(ctx, nurse, e.ID, OutcomeDropped, "")
		assert.ErrorIs(t, err, ErrInvalid, "dropped is never set by hand")
		reg := dropCall(t, s, nurse, droppedAt(clock.now()))
		for _, o := range []Outcome{OutcomeWaiting, OutcomeExpected, OutcomeHandedOver, OutcomeClosed} {
			_, err := s.SetOutcome(ctx, nurse, reg.Encounter.ID, o, "")
			var oe *OutcomeError
			require.ErrorAs(t, err, &oe, "%s", o)
			assert.True(t, oe.Dropped)
			assert.Contains(t, err.Error(), "call-back")
		}
		// Any writer of an outcome meets the rule (t.setOutcome, which
		// every outcome change goes through), not only SetOutcome.
		err = s.do(ctx, nurse, func(tx *txn) error {
			enc, err := tx.encounter(ctx, reg.Encounter.ID)
			if err != nil {
				return err
			}
			return tx.setOutcome(ctx, enc, OutcomeWaiting, "")
		})
		var oe *OutcomeError
		require.ErrorAs(t, err, &oe, "the inner writer")
		assert.True(t, oe.Dropped)
		// Nothing is decided on it afterwards either, by any path: no
		// assessment, no triage, no call record (found by access).
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		_, err = s.AddAssessment(ctx, nurse, assessment(reg.Encounter.ID, triage.Red))
		assert.ErrorIs(t, err, ErrInvalid, "AddAssessment")
		assert.Contains(t, err.Error(), "dropped call")
		_, err = s.SaveTriage(ctx, nurse, Triage{EncounterID: reg.Encounter.ID, Assessment: assessment(reg.Encounter.ID, triage.Red)})
		assert.ErrorIs(t, err, ErrInvalid, "SaveTriage")
		_, e2 := admit(t, s, "Z", Phone, clock.now())
		as, err := s.AddAssessment(ctx, nurse, assessment(e2.ID, triage.Red))
		require.NoError(t, err)
		nc2 := validCall(reg.Encounter.ID, as.ID)
		_, err = s.AddCall(ctx, nurse, nc2)
		assert.ErrorIs(t, err, ErrInvalid, "AddCall")
		assert.Contains(t, err.Error(), "dropped call")
		got, err := s.GetEncounter(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.False(t, got.Triaged, "still untriaged")
		msgs, err := s.OutboxList(ctx, nurse, OutboxFilter{EncounterID: reg.Encounter.ID, Limit: 100})
		require.NoError(t, err)
		for _, m := range msgs {
			assert.NotEqual(t, OutboxAssessment, m.Kind)
		}
		// A level never reaches the encounter, also through the table.
		_, err = s.db.ExecContext(ctx, s.q("INSERT INTO dropped_calls (encounter_id, started_at, ended_at, actor, workstation, step, sex, sex_source, answers, level_proposed, call_back, partial) VALUES (?, 1, 2, 'a', 'b', 'result', 'unknown', 'unknown', '{}', 'akutt', 'soon', '{}')"), e.ID)
		assert.Error(t, err, "akutt proposed is always an immediate call-back")
	})
}

// Dropped calls wait at the top of the ended calls, immediate first and
// each priority the longest waiting first, until the call-back is marked
// done or a new call started from them is saved.
func TestDroppedCallsWaitForTheirCallBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		soonOld := droppedAt(clock.now().Add(-3 * time.Hour))
		soonOld.LevelProposed, soonOld.Answers = "", map[string]string{"H.01.01": AnswerYes}
		old := dropCall(t, s, nurse, soonOld)
		// A call closed with advice since.
		na := assessment(0, triage.Green)
		nc := validCall(0, 0)
		nc.LevelTold, nc.LevelComputed, nc.Answers = "vanlig", "vanlig", map[string]string{"V.01.01": AnswerYes}
		closed, err := s.Register(ctx, nurse, Registration{Patient: NewPatient{Name: "Råd"}, Encounter: NewEncounter{Channel: Phone},
			Assessment: &na, Call: &nc, Outcome: OutcomeClosed, OutcomeNote: "Paracet"})
		require.NoError(t, err)
		vanlig := droppedAt(clock.now().Add(-2 * time.Hour))
		vanlig.LevelProposed, vanlig.Answers = "vanlig", map[string]string{"V.01.01": AnswerYes}
		vl := dropCall(t, s, nurse, vanlig)
		clock.add(time.Minute)
		acute := dropCall(t, s, nurse, droppedAt(clock.now()))

		order := func() []string {
			ended, err := s.EndedCalls(ctx, nurse, clock.now().Add(-24*time.Hour), 50)
			require.NoError(t, err)
			var out []string
			for _, it := range ended {
				out = append(out, fmt.Sprintf("%d:%s:%s", it.EncounterID, it.Outcome, it.CallBack))
			}
			return out
		}
		id := func(r Registered) ids.Encounter { return r.Encounter.ID }
		assert.Equal(t, []string{
			fmt.Sprintf("%d:dropped:immediate", id(acute)),
			fmt.Sprintf("%d:dropped:soon", id(old)),
			fmt.Sprintf("%d:dropped:soon", id(vl)),
			fmt.Sprintf("%d:closed:", id(closed)),
		}, order())
		// The 24-hour window does not hide a call-back still owed.
		clock.add(48 * time.Hour)
		assert.Len(t, order(), 3)

		d, err := s.CallBackDone(ctx, nurse, id(old), "Nådd, har det bedre")
		require.NoError(t, err)
		require.NotNil(t, d.CallBack)
		assert.Equal(t, "Nådd, har det bedre", d.CallBack.Note)
		assert.Zero(t, d.CallBack.NewEncounter)
		_, err = s.CallBackDone(ctx, nurse, id(old), "")
		assert.ErrorIs(t, err, ErrInvalid, "once only")
		_, err = s.CallBackDone(ctx, nurse, id(closed), "")
		assert.ErrorIs(t, err, ErrInvalid, "not a dropped call")

		// The call-back as a new call of the same patient: saved with it,
		// in one transaction.
		na2 := assessment(0, triage.Red)
		nc2 := validCall(0, 0)
		back, err := s.Register(ctx, nurse, Registration{PatientID: acute.Patient.ID, Encounter: NewEncounter{Channel: Phone},
			Assessment: &na2, Call: &nc2, Outcome: OutcomeHandedOver, CallBackOf: id(acute)})
		require.NoError(t, err)
		d, err = s.DroppedCallOf(ctx, nurse, id(acute))
		require.NoError(t, err)
		require.NotNil(t, d.CallBack)
		assert.Equal(t, back.Encounter.ID, d.CallBack.NewEncounter)
		assert.Equal(t, []string{fmt.Sprintf("%d:dropped:soon", id(vl)), fmt.Sprintf("%d:handed_over:", back.Encounter.ID)}, order())
		// A second call-back of the same call is refused whole.
		_, err = s.Register(ctx, nurse, Registration{PatientID: acute.Patient.ID, Encounter: NewEncounter{Channel: Phone},
			Assessment: &na2, Call: &nc2, Outcome: OutcomeHandedOver, CallBackOf: id(acute)})
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}

// Schema 13 rebuilds SQLite's encounters (to widen its outcome CHECK)
// inside the migration: a database at schema 12 with rows in every
// table that references encounters comes out with the same rows, the
// same ids, its foreign keys whole, its triggers and indexes, and its
// audit chain intact; the widened check still refuses an unknown outcome.
func TestUpgradeFromSchema12KeepsEveryEncounter(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		held, err := Open(ctx, path, withSchemaLimit(droppedSchema))
		require.NoError(t, err)
		p, e, _ := clinicalDay(t, held)
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		call, err := held.Register(ctx, nurse, Registration{Patient: NewPatient{Name: "Ringer"}, Encounter: NewEncounter{Channel: Phone},
			Observations: vitalsAt(held.now(), vitals.HR, vitals.SpO2), Assessment: &na, Call: &nc, Outcome: OutcomeHandedOver, OutcomeNote: "AMK"})
		require.NoError(t, err)
		require.NoError(t, held.AddObservationBatch(ctx, nurse, e.ID, "batch-written-before-schema-13", vitalsAt(held.now().Add(time.Second), vitals.RR)))
		_, err = held.AttachECG(ctx, physician, newECG(e.ID, "SCPECG before 13"))
		require.NoError(t, err)
		_, err = held.AddEvent(ctx, nurse, NewEvent{EncounterID: e.ID, Kind: "test.event"})
		require.NoError(t, err)
		before := dumpEncounters(t, held)
		require.NoError(t, held.Close())

		s := open(t, path)
		assert.Equal(t, before, dumpEncounters(t, s), "every encounter as it was, ids and values")
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err, "the audit chain verifies after the rebuild")
		if s.Backend() == SQLite {
			rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
			require.NoError(t, err)
			assert.False(t, rows.Next(), "no dangling reference after the rebuild")
			require.NoError(t, rows.Close())
			var n int
			require.NoError(t, s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'encounters' AND type IN ('index', 'trigger')").Scan(&n))
			assert.Equal(t, 4, n, "both indexes and both binding triggers are back")
		}
		// The rows are still bound: an edit outside the store is found.
		got, err := s.GetEncounter(ctx, nurse, call.Encounter.ID)
		require.NoError(t, err)
		assert.Equal(t, OutcomeHandedOver, got.Outcome)
		_, err = s.SetOutcome(ctx, nurse, call.Encounter.ID, OutcomeWaiting, "gjenåpnet")
		require.NoError(t, err, "the update trigger binds the changed row")
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
		_, err = s.db.ExecContext(ctx, s.q("UPDATE encounters SET outcome = 'gone' WHERE id = ?"), e.ID)
		assert.Error(t, err, "the widened check still refuses an unknown outcome")
		reg := dropCall(t, s, nurse, droppedAt(s.now()))
		assert.Equal(t, OutcomeDropped, reg.Encounter.Outcome)
		_, err = s.GetPatient(ctx, nurse, p.ID)
		require.NoError(t, err)
	})
}

// dumpEncounters is every encounter row, as text, in id order.
func dumpEncounters(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "SELECT "+encounterCols+" FROM encounters ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for i, v := range vals {
			if by, ok := v.([]byte); ok {
				v = string(by)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		b.WriteByte('\n')
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, b.String())
	return b.String()
}

// A dropped call is the phone centre's own work until its call-back,
// though it left the queue: a phone nurse reads it and marks its
// call-back without a basis; the reception is asked for one.
func TestADroppedCallIsThePhoneCentresOwnWork(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		st := staff(t, s)
		phone, desk := st[string(RolePhone)], st[string(RoleReception)]
		reg := dropCall(t, s, phone, droppedAt(clock.now()))
		_, err := s.DroppedCallOf(ctx, desk, reg.Encounter.ID)
		var be *BasisRequiredError
		require.ErrorAs(t, err, &be)
		_, err = s.CallBackDone(ctx, desk, reg.Encounter.ID, "")
		require.ErrorAs(t, err, &be)
		ended, err := s.EndedCalls(ctx, phone, clock.now().Add(-time.Hour), 10)
		require.NoError(t, err)
		require.Len(t, ended, 1, "listed for the phone centre")
		_, err = s.DroppedCallOf(ctx, phone, reg.Encounter.ID)
		require.NoError(t, err)
		d, err := s.CallBackDone(ctx, phone, reg.Encounter.ID, "Ingen svar, lagt igjen beskjed")
		require.NoError(t, err)
		assert.Equal(t, phone.User, d.CallBack.Actor.User)
	})
}

// A new phone call about the same patient makes the call-back of every
// dropped call of that patient still owed, in its own transaction; a call
// about another patient from the same number does not.
func TestANewCallAboutThePatientIsTheCallBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		nid := validNID(t, "010170", 100)
		nd := droppedAt(clock.now())
		dropped, err := s.Register(ctx, nurse, Registration{Patient: NewPatient{NID: nid}, Encounter: NewEncounter{Channel: Phone},
			Dropped: &nd, Outcome: OutcomeDropped})
		require.NoError(t, err)
		other := dropCall(t, s, nurse, droppedAt(clock.now())) // an unknown patient, same number
		clock.add(10 * time.Minute)
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		back, err := s.Register(ctx, nurse, Registration{Patient: NewPatient{NID: nid}, Encounter: NewEncounter{Channel: Phone},
			Assessment: &na, Call: &nc, Outcome: OutcomeHandedOver})
		require.NoError(t, err)
		require.Equal(t, dropped.Patient.ID, back.Patient.ID)
		d, err := s.DroppedCallOf(ctx, nurse, dropped.Encounter.ID)
		require.NoError(t, err)
		require.NotNil(t, d.CallBack, "the new call about the patient is the call-back")
		assert.Equal(t, back.Encounter.ID, d.CallBack.NewEncounter)
		o, err := s.DroppedCallOf(ctx, nurse, other.Encounter.ID)
		require.NoError(t, err)
		assert.Nil(t, o.CallBack, "another patient from the same number is still owed")
		ended, err := s.EndedCalls(ctx, nurse, clock.now().Add(-time.Hour), 10)
		require.NoError(t, err)
		require.NotEmpty(t, ended)
		assert.Equal(t, other.Encounter.ID, ended[0].EncounterID)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}
