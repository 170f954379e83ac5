package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
)

func TestPatients(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		nid := validNID(t, "150590", 100)

		p, err := s.CreatePatient(ctx, nurse, NewPatient{NID: nid[:6] + " " + nid[6:], Name: "Ola Nordmann"})
		require.NoError(t, err)
		assert.Equal(t, nid, p.NID, "the number is stored without spaces")
		assert.True(t, p.Identified())
		assert.Equal(t, int64(1), p.Version)

		found, err := s.FindPatientByNID(ctx, nurse, nid)
		require.NoError(t, err)
		assert.Equal(t, p, found)

		_, err = s.CreatePatient(ctx, nurse, NewPatient{NID: nid})
		assert.ErrorIs(t, err, ErrExists, "a second patient with the same number")

		anon, err := s.CreatePatient(ctx, nurse, NewPatient{})
		require.NoError(t, err)
		assert.False(t, anon.Identified())
		_, err = patient.ParseTempID(anon.TempID)
		assert.NoError(t, err, "temporary id %q", anon.TempID)
		assert.Equal(t, anon.TempID, anon.Label())

		got, err := s.GetPatient(ctx, nurse, anon.ID)
		require.NoError(t, err)
		assert.Equal(t, anon, got)
	})
}

func TestPatientsRejectBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		good := validNID(t, "010190", 100)
		bad := []byte(good)
		bad[10] = '0' + (bad[10]-'0'+1)%10
		cases := []struct {
			name string
			nid  string
			want error
		}{
			{"a wrong control digit is refused", string(bad), patient.ErrControlDigit},
			{"30 February is refused", validNID(t, "300290", 100), patient.ErrDate},
			{"ten digits are refused", good[:10], patient.ErrLength},
			{"letters are refused", "0101901234X", patient.ErrNotDigit},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.CreatePatient(ctx, nurse, NewPatient{NID: c.nid})
				assert.ErrorIs(t, err, c.want)
				assert.ErrorIs(t, err, ErrInvalid)
				_, err = s.FindPatientByNID(ctx, nurse, c.nid)
				assert.ErrorIs(t, err, c.want)
			})
		}
		_, err := s.GetPatient(ctx, nurse, 4242)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.FindPatientByNID(ctx, nurse, good)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.CreatePatient(ctx, Actor{}, NewPatient{Name: "x"})
		assert.ErrorContains(t, err, "actor")
		_, err = s.CreatePatient(ctx, nurse, NewPatient{Name: "bad\x00name"})
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

func TestMergeUnidentifiedIntoIdentified(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		anon, enc := admit(t, s, "", WalkIn, time.Time{})
		known, err := s.CreatePatient(ctx, nurse, NewPatient{NID: validNID(t, "311270", 0), Name: "Kari Nordmann"})
		require.NoError(t, err)

		merged, err := s.MergePatients(ctx, nurse, anon.ID, known.ID)
		require.NoError(t, err)
		assert.Equal(t, "Kari Nordmann", merged.Name)

		encs, err := s.EncountersForPatient(ctx, nurse, known.ID)
		require.NoError(t, err)
		require.Len(t, encs, 1)
		assert.Equal(t, enc.ID, encs[0].ID)

		old, err := s.GetPatient(ctx, nurse, anon.ID)
		require.NoError(t, err)
		assert.Equal(t, known.ID, old.MergedInto)
		assert.Equal(t, anon.TempID, old.TempID, "the temporary id stays for tracing")

		_, err = s.MergePatients(ctx, nurse, known.ID, anon.ID)
		assert.ErrorIs(t, err, ErrInvalid, "an identified patient cannot be merged away")
		_, err = s.MergePatients(ctx, nurse, anon.ID, known.ID)
		assert.ErrorIs(t, err, ErrInvalid, "a merged patient cannot be merged again")
		_, err = s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: anon.ID, Channel: Phone})
		assert.ErrorIs(t, err, ErrInvalid, "no new encounters on a merged record")
	})
}

func TestIdentifyByUpdatingPatient(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		anon, err := s.CreatePatient(ctx, nurse, NewPatient{})
		require.NoError(t, err)
		anon.NID = validNID(t, "020304", 500)
		anon.Name = "Per Hansen"
		p, err := s.UpdatePatient(ctx, nurse, anon)
		require.NoError(t, err)
		assert.True(t, p.Identified())
		assert.Equal(t, int64(2), p.Version)

		_, err = s.UpdatePatient(ctx, nurse, anon) // still version 1
		var ce *ConflictError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, p, ce.Current)
	})
}

func TestEncounters(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		p, e := admit(t, s, "Ola", Phone, time.Time{})
		assert.Equal(t, Waiting, e.Status)
		assert.Equal(t, clock.now(), e.ArrivedAt, "arrival defaults to now")
		assert.False(t, e.Triaged)

		e.Status = WithDoctor
		e.Complaint = "brystsmerter"
		clock.add(time.Minute)
		e2, err := s.UpdateEncounter(ctx, nurse, e)
		require.NoError(t, err)
		assert.Equal(t, WithDoctor, e2.Status)
		assert.Equal(t, e.Version+1, e2.Version)
		assert.Equal(t, clock.now(), e2.UpdatedAt)

		got, err := s.GetEncounter(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e2, got)

		list, err := s.EncountersForPatient(ctx, nurse, p.ID)
		require.NoError(t, err)
		assert.Equal(t, []Encounter{e2}, list)

		_, err = s.GetEncounter(ctx, nurse, 999)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.UpdateEncounter(ctx, nurse, Encounter{ID: 999, Status: Done, Version: 1})
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.EncountersForPatient(ctx, nurse, 999)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: 999, Channel: WalkIn})
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.CreateEncounter(ctx, nurse, NewEncounter{PatientID: p.ID, Channel: "fax"})
		assert.ErrorIs(t, err, ErrInvalid)
		e2.Status = "gone"
		_, err = s.UpdateEncounter(ctx, nurse, e2)
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

// Two workstations open the same encounter and save at the same moment:
// exactly one wins, the other is told and shown the winner's state, and its
// retry on top of that state keeps both edits.
func TestConcurrentEditsOneWinsOtherGetsConflict(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		desk1, desk2 := open(t, path), open(t, path)
		_, e := admit(t, desk1, "Ola", WalkIn, time.Time{})
		a1 := Actor{User: "anne", Workstation: "desk-1"}
		a2 := Actor{User: "bjorn", Workstation: "desk-2"}
		seen1, err := desk1.GetEncounter(ctx, a1, e.ID)
		require.NoError(t, err)
		seen2, err := desk2.GetEncounter(ctx, a2, e.ID)
		require.NoError(t, err)
		seen1.Status = WithDoctor
		seen2.Complaint = "hodepine"

		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() { defer wg.Done(); _, errs[0] = desk1.UpdateEncounter(ctx, a1, seen1) }()
		go func() { defer wg.Done(); _, errs[1] = desk2.UpdateEncounter(ctx, a2, seen2) }()
		wg.Wait()

		var conflicts []*ConflictError
		wins := 0
		for _, err := range errs {
			var ce *ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ce):
				conflicts = append(conflicts, ce)
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		require.Equal(t, 1, wins, "exactly one workstation wins")
		require.Len(t, conflicts, 1, "the other gets a conflict")
		cur := conflicts[0].Current.(Encounter)
		assert.Equal(t, e.Version+1, cur.Version)

		// The loser re-applies its edit on the current state.
		if errs[0] != nil {
			cur.Status = WithDoctor
		} else {
			cur.Complaint = "hodepine"
		}
		final, err := desk1.UpdateEncounter(ctx, a1, cur)
		require.NoError(t, err)
		assert.Equal(t, WithDoctor, final.Status)
		assert.Equal(t, "hodepine", final.Complaint)
	})
}

func TestAssessments(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})

		first, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
		require.NoError(t, err)
		clock.add(20 * time.Minute)
		re := assessment(e.ID, triage.Green)
		re.Override = &Override{Colour: triage.Orange, Reason: "klinisk blikk: blek og klam"}
		re.Target = triage.DefaultTargets().For(triage.Orange)
		second, err := s.AddAssessment(ctx, Actor{User: "lise"}, re)
		require.NoError(t, err)
		assert.Equal(t, triage.Orange, second.Effective())

		list, err := s.Assessments(ctx, nurse, e.ID)
		require.NoError(t, err)
		require.Len(t, list, 2, "a re-triage is a new row")
		assert.Equal(t, first, list[0])
		assert.Equal(t, second, list[1])
		assert.JSONEq(t, `{"hr":88,"rr":18}`, string(list[0].Input))
		assert.Equal(t, "lise", list[1].Actor.User)

		enc, err := s.GetEncounter(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.True(t, enc.Triaged)
		assert.Equal(t, triage.Orange, enc.Colour, "the override's colour is current")
		assert.Equal(t, 10*time.Minute, enc.Target)
		assert.Equal(t, clock.now(), enc.LastAssessedAt)
		assert.Equal(t, e.Version+2, enc.Version)

		_, err = s.db.ExecContext(ctx, s.q("UPDATE assessments SET colour = 4 WHERE id = ?"), first.ID)
		assert.Error(t, err, "assessments are immutable in the database itself")
		_, err = s.db.ExecContext(ctx, s.q("DELETE FROM assessments WHERE id = ?"), first.ID)
		assert.Error(t, err)
		// Emptying an append-only table is refused as well: a whole-table
		// DELETE on both backends, TRUNCATE on PostgreSQL.
		_, err = s.AddEvent(ctx, nurse, NewEvent{EncounterID: e.ID, Kind: "test.event"})
		require.NoError(t, err)
		require.NoError(t, s.chainAll(ctx)) // audit_log holds the entries
		for _, table := range []string{"assessments", "encounter_events", "audit_log"} {
			_, err = s.db.ExecContext(ctx, "DELETE FROM "+table)
			assert.Error(t, err, "DELETE FROM %s", table)
			if s.backend == Postgres {
				_, err = s.db.ExecContext(ctx, "TRUNCATE "+table+" CASCADE")
				assert.Error(t, err, "TRUNCATE %s", table)
			}
		}
		list2, err := s.Assessments(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Len(t, list2, 2, "nothing was emptied")

		_, err = s.AddAssessment(ctx, nurse, assessment(999, triage.Red))
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.Assessments(ctx, nurse, 999)
		assert.ErrorIs(t, err, ErrNotFound)

		bad := []struct {
			name string
			edit func(*NewAssessment)
		}{
			{"lowering the colour without a reason is refused", func(a *NewAssessment) { a.Override = &Override{Colour: triage.Blue} }},
			{"lowering the colour with a blank reason is refused", func(a *NewAssessment) { a.Override = &Override{Colour: triage.Green, Reason: "  "} }},
			{"a colour beyond blue is refused", func(a *NewAssessment) { a.Colour = 7 }},
			{"a NEWS2 of 21 is refused", func(a *NewAssessment) { n := 21; a.NEWS2 = &n }},
			{"a missing rule-set version is refused", func(a *NewAssessment) { a.RuleSetVersion = "" }},
			{"input that is not JSON is refused", func(a *NewAssessment) { a.Input = json.RawMessage("{") }},
			{"a negative target is refused", func(a *NewAssessment) { a.Target = -time.Minute }},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				na := assessment(e.ID, triage.Yellow)
				c.edit(&na)
				_, err := s.AddAssessment(ctx, nurse, na)
				assert.ErrorIs(t, err, ErrInvalid)
			})
		}

		// Raising is free (triage.Override): a raise without a reason is
		// stored, as the engine allowed it.
		up := assessment(e.ID, triage.Yellow)
		up.Override = &Override{Colour: triage.Red}
		saved, err := s.AddAssessment(ctx, nurse, up)
		require.NoError(t, err, "raising the colour needs no reason")
		assert.Equal(t, triage.Red, saved.Effective())
	})
}

func TestObservations(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", WalkIn, time.Time{})
		t0 := time.Date(2026, 11, 22, 9, 0, 0, 123456000, time.UTC)
		obs := []vitals.Observation{
			{Kind: vitals.HR, Value: 88, Unit: vitals.PerMin, Source: "monitor-1", DeviceTime: t0.Add(-2 * time.Second), HostTime: t0, Quality: vitals.Valid},
			{Kind: vitals.SpO2, Value: 94.5, Unit: vitals.Percent, Source: "monitor-1", HostTime: t0.Add(time.Second), Quality: vitals.Questionable},
			{Kind: vitals.Temp, Value: 38.2, Unit: vitals.Cel, Source: vitals.SourceManual, HostTime: t0.Add(time.Minute), Quality: vitals.Valid},
		}
		require.NoError(t, s.AddObservations(ctx, nurse, e.ID, obs))
		all, err := s.Observations(ctx, nurse, e.ID, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, obs, all)
		later, err := s.Observations(ctx, nurse, e.ID, t0.Add(time.Second))
		require.NoError(t, err)
		assert.Equal(t, obs[1:], later)

		assert.ErrorIs(t, s.AddObservations(ctx, nurse, 999, obs), ErrNotFound)
		_, err = s.Observations(ctx, nurse, 999, time.Time{})
		assert.ErrorIs(t, err, ErrNotFound)
		badKind := []vitals.Observation{{Kind: "glucose", Value: 5, Unit: "mmol/L", Source: "manual", HostTime: t0}}
		assert.ErrorIs(t, s.AddObservations(ctx, nurse, e.ID, badKind), ErrInvalid)
	})
}

func TestQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		now := clock.now()
		_, green := admit(t, s, "Grønn Pasient", WalkIn, now.Add(-3*time.Hour))
		_, orange := admit(t, s, "Oransje Pasient", Phone, now.Add(-15*time.Minute))
		anon, untriaged := admit(t, s, "", WalkIn, now.Add(-2*time.Minute))
		_, done := admit(t, s, "Ferdig", WalkIn, now.Add(-time.Hour))

		ga := assessment(green.ID, triage.Green)
		ga.At = now.Add(-3 * time.Hour)
		ga.MonitorEvery = time.Hour
		_, err := s.AddAssessment(ctx, nurse, ga)
		require.NoError(t, err)
		oa := assessment(orange.ID, triage.Orange)
		oa.At = now.Add(-14 * time.Minute)
		_, err = s.AddAssessment(ctx, nurse, oa)
		require.NoError(t, err)
		done.Status = Done
		_, err = s.UpdateEncounter(ctx, nurse, done)
		require.NoError(t, err)

		q, err := s.Queue(ctx, nurse, now)
		require.NoError(t, err)
		require.Len(t, q, 3, "the finished encounter is not in the queue")
		assert.Equal(t, []ids.Encounter{untriaged.ID, orange.ID, green.ID}, []ids.Encounter{q[0].EncounterID, q[1].EncounterID, q[2].EncounterID})
		assert.Equal(t, anon.TempID, q[0].Patient)
		assert.False(t, q[0].Breach)
		assert.True(t, q[1].Breach, "orange waited 15 min, target 10")
		assert.Equal(t, "phone", q[1].Channel)
		assert.True(t, q[2].Breach, "green waited 3 h, target 2 h")
		assert.True(t, q[2].ReassessmentDue, "hourly monitoring, assessed 3 h ago")
		assert.False(t, q[1].ReassessmentDue)
		require.NotNil(t, q[2].NEWS2)
		assert.Equal(t, 3, *q[2].NEWS2)
	})
}

// A change on one workstation reaches another's Watch.
func TestWatchSeesOtherWorkstations(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		path := dsn(t)
		viewer := open(t, path, WithPollInterval(20*time.Millisecond))
		writer := open(t, path)
		ch, err := viewer.Watch(ctx)
		require.NoError(t, err)
		_, e := admit(t, writer, "Ola", WalkIn, time.Time{})

		// The deadline only keeps a broken feed from hanging the test.
		deadline := time.After(10 * time.Second)
		for {
			select {
			case c := <-ch:
				if c.Kind == "encounter" && c.EncounterID == e.ID {
					cancel()
					for range ch {
					}
					return
				}
			case <-deadline:
				t.Fatal("the other workstation's new encounter never arrived on Watch")
			}
		}
	})
}

// The queue is kept up to date from the change table: edits made through
// another workstation's store show up in the next Queue call.
func TestQueueFollowsOtherWorkstations(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		viewer, writer := open(t, path), open(t, path)
		now := writer.now()
		show := func() []string {
			q, err := viewer.Queue(ctx, nurse, now)
			require.NoError(t, err)
			var out []string
			for _, e := range q {
				label := "untriaged"
				if e.Triaged {
					label = e.Colour.String()
				}
				out = append(out, e.Patient+":"+label)
			}
			return out
		}
		assert.Empty(t, show())
		p1, e1 := admit(t, writer, "Anne", WalkIn, now.Add(-5*time.Minute))
		_, e2 := admit(t, writer, "Bjørn", Phone, now.Add(-time.Minute))
		assert.Equal(t, []string{"Anne:untriaged", "Bjørn:untriaged"}, show())

		_, err := writer.AddAssessment(ctx, nurse, assessment(e2.ID, triage.Red))
		require.NoError(t, err)
		assert.Equal(t, []string{"Bjørn:red", "Anne:untriaged"}, show())

		e2, err = writer.GetEncounter(ctx, nurse, e2.ID)
		require.NoError(t, err)
		e2.Status = WithDoctor
		_, err = writer.UpdateEncounter(ctx, nurse, e2)
		require.NoError(t, err)
		assert.Equal(t, []string{"Anne:untriaged"}, show())

		p1.Name = "Anne Berg"
		_, err = writer.UpdatePatient(ctx, nurse, p1)
		require.NoError(t, err)
		assert.Equal(t, []string{"Anne Berg:untriaged"}, show())

		require.NoError(t, writer.AddObservations(ctx, nurse, e1.ID, []vitals.Observation{
			{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "m1", HostTime: now, Quality: vitals.Valid}}))
		assert.Equal(t, []string{"Anne Berg:untriaged"}, show())
	})
}

// The cached, incrementally merged queue always equals a queue read fresh
// from the database, through a random sequence of admissions, re-triages
// and status changes; read into a reused slice (AppendQueue) or a new one
// alike. A result handed out earlier never changes afterwards: the cache's
// arrays are not shared with callers.
func TestCachedQueueEqualsAFreshRead(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		viewer, writer, reader := open(t, path), open(t, path), open(t, path)
		now := writer.now()
		r := rand.New(rand.NewPCG(4, 5))
		var encs []ids.Encounter
		var reused, kept, keptCopy []queue.Entry
		for step := 0; step < 60; step++ {
			switch op := r.IntN(3); {
			case op == 0 || len(encs) == 0:
				_, e := admit(t, writer, "", Channel([]string{"walk_in", "phone"}[r.IntN(2)]), now.Add(-time.Duration(r.IntN(300))*time.Minute))
				encs = append(encs, e.ID)
			case op == 1:
				na := assessment(encs[r.IntN(len(encs))], triage.Colour(r.IntN(5)))
				_, err := writer.AddAssessment(ctx, nurse, na)
				require.NoError(t, err)
			default:
				e, err := writer.GetEncounter(ctx, nurse, encs[r.IntN(len(encs))])
				require.NoError(t, err)
				e.Status = Statuses[r.IntN(len(Statuses))]
				_, err = writer.UpdateEncounter(ctx, nurse, e)
				require.NoError(t, err)
			}
			cached, err := viewer.Queue(ctx, nurse, now)
			require.NoError(t, err)
			reused, err = viewer.AppendQueue(ctx, nurse, now, reused[:0])
			require.NoError(t, err)
			reader.qc.valid = false // force a full read from the database
			fresh, err := reader.Queue(ctx, nurse, now)
			require.NoError(t, err)
			require.Equal(t, fresh, cached, "after step %d", step)
			require.Equal(t, fresh, reused, "after step %d, into a reused slice", step)
			if step == 20 {
				kept, keptCopy = cached, slices.Clone(cached)
			}
		}
		assert.Equal(t, keptCopy, kept, "a result handed out at step 20 is unchanged by the 40 steps after it")
	})
}

// Several boards of one workstation read the queue at once, each into its
// own reused slice, while another workstation re-triages: every read is a
// whole, ordered queue of everyone open (run with -race, this also checks
// that the cache is never read while it is being rebuilt).
func TestConcurrentQueueReadersWhileChanging(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		viewer, writer := open(t, path), open(t, path)
		now := writer.now()
		var encs []ids.Encounter
		for i := range 12 {
			_, e := admit(t, writer, "", WalkIn, now.Add(-time.Duration(i)*time.Minute))
			encs = append(encs, e.ID)
		}
		done := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var q []queue.Entry
				for {
					select {
					case <-done:
						return
					default:
					}
					var err error
					q, err = viewer.AppendQueue(ctx, nurse, now, q[:0])
					if err == nil && len(q) != len(encs) {
						err = fmt.Errorf("read %d entries, want %d", len(q), len(encs))
					}
					for i := 1; err == nil && i < len(q); i++ {
						if queue.Compare(q[i-1].Item, q[i].Item, queue.DefaultPolicy()) >= 0 {
							err = fmt.Errorf("entries %d and %d out of order", i-1, i)
						}
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for i := range 30 {
			_, err := writer.AddAssessment(ctx, nurse, assessment(encs[i%len(encs)], triage.Colour(i%5)))
			require.NoError(t, err)
		}
		close(done)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// Two workstations registering the same identity number at once: one
// patient, and the other is told it exists (never a raw driver error).
func TestConcurrentRegistrationOfOneNumber(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		path := dsn(t)
		stores := []*Store{open(t, path), open(t, path), open(t, path)}
		nid := validNID(t, "240488", 100)
		errs := make([]error, len(stores))
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.CreatePatient(ctx, nurse, NewPatient{NID: nid})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				assert.ErrorIs(t, err, ErrExists)
			}
		}
		assert.Equal(t, 1, ok, "exactly one registration succeeds")
	})
}

// Text that one backend would store and the other refuse (a NUL byte,
// invalid UTF-8) is refused by the store itself, naming the field, on
// both backends: who did it, an observation's source and unit, and the
// assessment's versions.
func TestTextBothBackendsCannotStoreIsRefusedAlike(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Ola", WalkIn, s.now())

		_, err := s.GetEncounter(ctx, Actor{User: "kari\x00"}, e.ID)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "actor user")
		_, err = s.GetEncounter(ctx, Actor{User: "kari", Workstation: "desk\xff"}, e.ID)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "actor workstation")

		o := vitals.Observation{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "mon\x00", HostTime: s.now(), Quality: vitals.Valid}
		err = s.AddObservations(ctx, nurse, e.ID, []vitals.Observation{o})
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "observation 0 source")

		na := assessment(e.ID, triage.Green)
		na.EngineVersion = "1.0\xfe"
		_, err = s.AddAssessment(ctx, nurse, na)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.ErrorContains(t, err, "engine version")

		list, err := s.Assessments(ctx, nurse, e.ID)
		require.NoError(t, err)
		assert.Empty(t, list, "nothing was stored")
	})
}
