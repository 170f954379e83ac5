package phonecall_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
)

// partialCall is a random call about complaint cp as far as it went: a
// random part of its questions answered (yes or no), perhaps a vanlig
// criterion, perhaps reported values, perhaps the level proposed so far
// (phone.Decide on what was answered: what the result screen showed).
func partialCall(rng *rand.Rand, ix *phone.Index, cp *phone.Complaint, started time.Time) phonecall.DroppedRecord {
	age := 1 + rng.IntN(90)
	r := phonecall.DroppedRecord{
		Name: "Innringer", AgeYears: age, Age: phrase.Age{N: age, Unit: phrase.Years, Days: age * 365},
		Sex: store.SexUnknown, SexSource: store.SexNotRecorded, CallerPhone: "+47 912 34 567",
		StartedAt: started, EndedAt: started.Add(time.Duration(1+rng.IntN(600)) * time.Second),
		Step: store.DroppedSteps[rng.IntN(len(store.DroppedSteps))], Complaint: cp,
		Answers: map[phone.Code]phone.Answer{},
	}
	var call phone.Call
	call.AgeYears = age
	for _, q := range cp.QuestionsAt(age, -1) {
		switch rng.IntN(4) {
		case 0:
			r.Answers[q.Code] = phone.Yes
			call.Yes = append(call.Yes, q.Code)
		case 1, 2:
			r.Answers[q.Code] = phone.No
			call.No = append(call.No, q.Code)
		default:
			r.Answers[q.Code] = phone.NotAsked
		}
	}
	if v := cp.VanligAt(age, -1); len(v) > 0 && rng.IntN(2) == 0 {
		c := v[rng.IntN(len(v))].Code
		r.Answers[c] = phone.Yes
		call.Vanlig = c
	}
	if rng.IntN(2) == 0 {
		hr := float64(40 + rng.IntN(120))
		r.Vitals.HR = &hr
	}
	if rng.IntN(3) > 0 {
		if d, err := phone.Decide(ix, cp, call); err == nil {
			r.Proposed = &d
		}
	}
	return r
}

// Safety of a dropped call, over every complaint of the index and random
// partial calls: it never stores a level as a decision (no assessment, no
// call record, the encounter untriaged with no colour), it is never in
// the waiting queue, a proposed akutt (or an akutt criterion answered
// yes) is flagged for an immediate call-back, nothing dropped is worded
// vanlig where the ended calls show it, and records out get no triage of
// it (no assessment message in the outbox).
func TestADroppedCallIsNeverADecision(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		require.NoError(t, st.SetOutboxRoutes(ctx, nurse, "rec.fhir", store.OutboxKinds))
		rng := rand.New(rand.NewPCG(13, 2026))
		started := time.Now().Add(-time.Hour)
		perComplaint := 3
		if testing.Short() {
			perComplaint = 1
		}
		ix := phone.DemoIndex()
		for i := range ix.Complaints {
			cp := &ix.Complaints[i]
			for range perComplaint {
				r := partialCall(rng, ix, cp, started)
				sv, err := svc.Drop(ctx, r)
				require.NoError(t, err, cp.ID)
				what := cp.ID + " dropped at " + r.Step
				enc, err := st.GetEncounter(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				assert.False(t, enc.Triaged, "%s: untriaged", what)
				assert.Equal(t, store.OutcomeDropped, enc.Outcome, what)
				as, err := st.Assessments(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				assert.Empty(t, as, "%s: no assessment", what)
				_, err = st.CallOf(ctx, nurse, sv.EncounterID)
				assert.ErrorIs(t, err, store.ErrNotFound, "%s: no call record", what)
				d, err := st.DroppedCallOf(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				akuttYes := false
				for c, a := range r.Answers {
					akuttYes = akuttYes || a == phone.Yes && c.Level == phone.Akutt
				}
				if r.Proposed != nil {
					assert.Equal(t, r.Proposed.Level.String(), d.LevelProposed, what)
				} else {
					assert.Empty(t, d.LevelProposed, what)
				}
				if akuttYes || r.Proposed != nil && r.Proposed.Level == phone.Akutt {
					assert.Equal(t, store.CallBackImmediate, d.CallBackPriority, "%s: akutt proposed is an immediate call-back", what)
				}
				msgs, err := st.OutboxList(ctx, nurse, store.OutboxFilter{EncounterID: sv.EncounterID, Limit: 100})
				require.NoError(t, err)
				for _, m := range msgs {
					assert.NotEqual(t, store.OutboxAssessment, m.Kind, "%s: no triage goes to the record", what)
				}
			}
		}
		q, err := st.Queue(ctx, nurse, time.Now())
		require.NoError(t, err)
		assert.Empty(t, q, "no dropped call waits in the queue")
		ended, err := st.EndedCalls(ctx, nurse, started, 500)
		require.NoError(t, err)
		require.Len(t, ended, len(ix.Complaints)*perComplaint)
		seenSoon := false
		for _, it := range ended {
			assert.False(t, it.Triaged)
			if it.CallBack == store.CallBackSoon {
				seenSoon = true
			} else {
				assert.False(t, seenSoon, "every immediate call-back is listed before the others")
			}
			for _, l := range wording.Langs {
				shown := wording.Outcome(it.Outcome, l) + " " + wording.CallBack(it.CallBack, l)
				assert.NotContains(t, shown, wording.Level("vanlig", l))
				assert.NotContains(t, shown, wording.Outcome("closed", l))
			}
		}
	})
}
