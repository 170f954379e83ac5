package phonecall_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
)

var nurse = store.Actor{User: "sykepleier.test", Workstation: "telefon-1"}

// eachStore runs f on a fresh SQLite store and, with DATABASE_URL set, on
// a fresh PostgreSQL schema.
func eachStore(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Log("DATABASE_URL not set: PostgreSQL skipped")
		return
	}
	t.Run("postgres", func(t *testing.T) {
		ctx := context.Background()
		st, err := store.Open(ctx, storetest.Schema(t, url))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		f(t, st)
	})
}

var engine = triage.NewEngine(nil)

func service(st *store.Store) *phonecall.Service {
	return &phonecall.Service{Store: st, Actor: nurse, Targets: triage.DefaultTargets(), Index: phone.DemoIndex(), Vitals: phonecall.EngineVitals(engine)}
}

func f64(v float64) *float64 { return &v }

// record is a call about complaint id with the given call decided.
func record(t *testing.T, id string, c phone.Call) phonecall.Record {
	t.Helper()
	ix := phone.DemoIndex()
	cp, ok := ix.Complaint(id)
	require.True(t, ok, id)
	d, err := phone.Decide(ix, cp, c)
	require.NoError(t, err)
	now := time.Now()
	return phonecall.Record{Name: "Test Testesen", AgeYears: c.AgeYears, Sex: store.SexUnknown, SexSource: store.SexNotRecorded,
		CallerPhone: "+47 912 34 567", CallerRelation: "selv", StartedAt: now.Add(-5 * time.Minute), DecidedAt: now,
		Complaint: cp, Decision: d}
}

// allNo answers no to every akutt and haster question of complaint id
// that c leaves open at its age, as a nurse who asked them all would (an
// affirmed vanlig criterion and a lowering need that).
func allNo(id string, c phone.Call) phone.Call {
	cp, _ := phone.DemoIndex().Complaint(id)
	c.No = append(c.No, phone.Unanswered(cp, c.AgeYears, c)...)
	return c
}

func TestColourIsTheLevelToldBothWays(t *testing.T) {
	for _, l := range []phone.Level{phone.Akutt, phone.Haster, phone.Vanlig} {
		back, ok := phonecall.LevelOf(phonecall.Colour(l))
		assert.True(t, ok)
		assert.Equal(t, l, back)
		assert.Equal(t, phonecall.DefaultOutcome(l), phonecall.Outcomes(l)[0], "the default outcome is offered first")
		assert.Contains(t, phonecall.Outcomes(l), store.OutcomeWaiting, "a call may always be left waiting")
		assert.ElementsMatch(t, store.AllowedOutcomes(store.Phone, l.String()), phonecall.Outcomes(l),
			"the result screen offers exactly what the store accepts for %s", l)
	}
	assert.NotContains(t, phonecall.Outcomes(phone.Akutt), store.OutcomeClosed, "an akutt call is never closed with advice only")
	assert.NotContains(t, phonecall.Outcomes(phone.Haster), store.OutcomeClosed)
	assert.Equal(t, triage.Red, phonecall.Colour(phone.Level(9)), "an unknown level is never shown less urgent")
	_, ok := phonecall.LevelOf(triage.Orange)
	assert.False(t, ok)
}

// One level everywhere: for every level, computed or overridden, the level
// told is the stored colour, the queue colour and target, and the call
// record's level; the override sits in the structured columns.
func TestTheLevelToldIsStoredAndQueued(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		hd := func(s string) phone.Code { c, err := phone.ParseCode(s); require.NoError(t, err); return c }
		cases := []struct {
			name     string
			call     phone.Call
			complain string
			told     phone.Level
			outcome  store.Outcome
			override bool
		}{
			{"akutt criterion", phone.Call{AgeYears: 72, Yes: []phone.Code{hd("A.02.01")}}, "chest-pain", phone.Akutt, store.OutcomeHandedOver, false},
			{"haster criterion", phone.Call{AgeYears: 40, Yes: []phone.Code{hd("H.06.01")}}, "headache", phone.Haster, store.OutcomeExpected, false},
			{"vanlig affirmed", allNo("headache", phone.Call{AgeYears: 40, Vanlig: hd("V.06.01")}), "headache", phone.Vanlig, store.OutcomeClosed, false},
			{"default lowered with a reason", allNo("headache", phone.Call{AgeYears: 40, Override: &phone.Override{Level: phone.Vanlig, Reason: "kjent migrene"}}), "headache", phone.Vanlig, store.OutcomeClosed, true},
			{"raised", allNo("headache", phone.Call{AgeYears: 40, Vanlig: hd("V.06.01"), Override: &phone.Override{Level: phone.Akutt, Reason: "forvirret"}}), "headache", phone.Akutt, store.OutcomeHandedOver, true},
			{"default kept", phone.Call{AgeYears: 40}, "headache", phone.Haster, store.OutcomeExpected, false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := record(t, c.complain, c.call)
				r.Note = "notat " + c.name
				if r.Decision.Level == phone.Vanlig {
					r.OutcomeNote = "råd gitt"
				}
				sv, err := svc.Save(ctx, r)
				require.NoError(t, err)
				assert.Equal(t, c.outcome, sv.Outcome)
				enc, err := st.GetEncounter(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				assert.Equal(t, phonecall.Colour(c.told), enc.Colour, "the queue colour is the level told")
				assert.Equal(t, triage.DefaultTargets().For(phonecall.Colour(c.told)), enc.Target)
				as, err := st.Assessments(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				require.Len(t, as, 1)
				assert.Equal(t, phonecall.Colour(c.told), as[0].Effective())
				if c.override {
					require.NotNil(t, as[0].Override, "the override is in the structured columns")
					assert.Equal(t, c.call.Override.Reason, as[0].Override.Reason)
					assert.Equal(t, phonecall.Colour(r.Decision.Computed), as[0].Colour, "the computed level stays as the assessment's own")
				} else {
					assert.Nil(t, as[0].Override)
				}
				call, err := st.CallOf(ctx, nurse, sv.EncounterID)
				require.NoError(t, err)
				assert.Equal(t, c.told.String(), call.LevelTold)
				assert.Equal(t, r.Decision.Computed.String(), call.LevelComputed)
				assert.Equal(t, "+4791234567", call.CallerPhone, "the number is stored as digits")
				assert.Equal(t, "notat "+c.name, call.Note)
				cp, _ := phone.DemoIndex().Complaint(c.complain)
				assert.Len(t, call.Answers, len(cp.Criteria), "every criterion of the complaint has its answer")
				q, err := st.Queue(ctx, nurse, time.Now())
				require.NoError(t, err)
				inQueue := false
				for _, e := range q {
					inQueue = inQueue || e.EncounterID == sv.EncounterID
				}
				assert.Equal(t, c.outcome.InQueue(), inQueue, "handed over and closed calls leave the waiting queue")
			})
		}
	})
}

func TestVitalsAreStoredFromThePhone(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		v := phone.Vitals{RR: f64(24), SpO2: f64(93), Oxygen: new(bool), SBP: f64(105), DBP: f64(70), HR: f64(118), Consciousness: "A", TempC: f64(38.9)}
		age, _ := phrase.ParseAge("45")
		f, a, err := svc.Assess(v, age, nil, time.Now())
		require.NoError(t, err)
		assert.True(t, f.Complete)
		// RR 24 (2), SpO2 93 on air (2), systolic 105 (1), pulse 118 (2),
		// alert (0), 38.9 °C (1), air (0): NEWS2 8 on the RCP chart.
		assert.Equal(t, 8, f.NEWS2)
		r := record(t, "fever-adult", phone.Call{AgeYears: 45, Vitals: f})
		r.Vitals, r.Assessment = v, a
		assert.Equal(t, phone.Akutt, r.Decision.Level, "NEWS2 7 or more at home is akutt")
		sv, err := svc.Save(ctx, r)
		require.NoError(t, err)
		obs, err := st.Observations(ctx, nurse, sv.EncounterID, time.Time{})
		require.NoError(t, err)
		require.Len(t, obs, 6, "air/oxygen and consciousness are not observations")
		for _, o := range obs {
			assert.Equal(t, "phone", o.Source)
		}
		as, err := st.Assessments(ctx, nurse, sv.EncounterID)
		require.NoError(t, err)
		require.NotNil(t, as[0].NEWS2)
		assert.Equal(t, 8, *as[0].NEWS2)
		var in phonecall.Input
		require.NoError(t, json.Unmarshal(as[0].Input, &in))
		assert.Equal(t, "A", in.Vitals.Consciousness)
		require.NotNil(t, in.Vitals.Oxygen)
		assert.False(t, *in.Vitals.Oxygen)

		_, _, err = svc.Assess(phone.Vitals{SpO2: f64(9)}, age, nil, time.Now())
		var ie *phone.ImplausibleError
		require.ErrorAs(t, err, &ie, "SpO2 9 is asked about, not scored")
		assert.Equal(t, "spo2", ie.Field)
		_, _, err = svc.Assess(phone.Vitals{SpO2: f64(9)}, age, []string{"spo2"}, time.Now())
		assert.NoError(t, err, "scored once confirmed")
	})
}

func TestRepeatCallerHistoryAndOutcomes(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		_, ok, err := svc.RepeatCaller(ctx, "91234567")
		require.NoError(t, err)
		assert.False(t, ok, "a number never heard from")

		hd, _ := phone.ParseCode("A.02.01")
		r := record(t, "chest-pain", phone.Call{AgeYears: 72, Yes: []phone.Code{hd}})
		r.NID = "" // unknown patient: temporary id
		sv, err := svc.Save(ctx, r)
		require.NoError(t, err)
		assert.Contains(t, sv.Patient, "(UKJENT-", "the name with the temporary id")

		c, ok, err := svc.RepeatCaller(ctx, "+47 91 23 45 67")
		require.NoError(t, err)
		require.True(t, ok, "the same number however spaced")
		assert.Equal(t, "Test Testesen", c.Name)
		assert.Equal(t, "selv", c.Relation)

		// An earlier call names its complaint by id, so a screen can word
		// it in its own language.
		known := record(t, "chest-pain", phone.Call{AgeYears: 46, Yes: []phone.Code{hd}})
		known.NID = "15858012233" // synthetic
		_, err = svc.Save(ctx, known)
		require.NoError(t, err)
		_, contacts, err := svc.History(ctx, known.NID)
		require.NoError(t, err)
		require.Len(t, contacts, 1)
		assert.True(t, contacts[0].IsCall)
		assert.Equal(t, "chest-pain", contacts[0].Complaint)

		ended, err := svc.Ended(ctx, time.Now())
		require.NoError(t, err)
		require.Len(t, ended, 2)
		assert.Contains(t, []ids.Encounter{ended[0].EncounterID, ended[1].EncounterID}, sv.EncounterID)
		require.NoError(t, svc.SetOutcome(ctx, sv.EncounterID, store.OutcomeWaiting, ""))
		ended, err = svc.Ended(ctx, time.Now())
		require.NoError(t, err)
		require.Len(t, ended, 1, "reopened")
		assert.NotEqual(t, sv.EncounterID, ended[0].EncounterID)
		assert.Error(t, svc.SetOutcome(ctx, sv.EncounterID, store.OutcomeWaiting, ""), "already waiting")
	})
}

func TestARecordWithoutADecisionIsRefused(t *testing.T) {
	_, err := (&phonecall.Service{}).Registration(phonecall.Record{})
	assert.ErrorIs(t, err, phonecall.ErrNoDecision)
}
