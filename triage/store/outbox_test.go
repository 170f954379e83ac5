package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

var sender = Actor{User: "records-sender", Workstation: "resepsjon-1"}

func vitalsAt(at time.Time, kinds ...vitals.Kind) []vitals.Observation {
	var out []vitals.Observation
	for i, k := range kinds {
		out = append(out, vitals.Observation{Kind: k, Value: float64(60 + i), Unit: vitals.CanonicalUnit(k), Source: "mon-1",
			HostTime: at.Add(time.Duration(i) * time.Millisecond), Quality: vitals.Valid})
	}
	return out
}

func kindsOf(ms []OutboxMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Destination+":"+string(m.Kind))
	}
	return out
}

func TestOutboxQueuesEveryClinicalWriteForItsRoutes(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		// Before any route, writes queue nothing.
		p0, e0 := admit(t, s, "Før Ruting", WalkIn, clock.now())
		require.NoError(t, s.AddObservations(ctx, nurse, e0.ID, vitalsAt(clock.now(), vitals.HR)))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.v2", []OutboxKind{OutboxObservations, OutboxAssessment}))
		all, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		require.Empty(t, all, "writes before the routes existed queue nothing")

		p, e := admit(t, s, "Ola", WalkIn, clock.now())
		require.NoError(t, s.AddObservations(ctx, nurse, e.ID, vitalsAt(clock.now(), vitals.HR, vitals.RR, vitals.SpO2)))
		_, err = s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Yellow))
		require.NoError(t, err)
		e, err = s.GetEncounter(ctx, nurse, e.ID)
		require.NoError(t, err)
		e.Status = WaitingForDoctor
		_, err = s.UpdateEncounter(ctx, nurse, e)
		require.NoError(t, err)
		p.Name = "Ola Nordmann"
		_, err = s.UpdatePatient(ctx, nurse, p)
		require.NoError(t, err)
		// A write that fails queues nothing.
		_, err = s.AddAssessment(ctx, nurse, assessment(99999, triage.Red))
		require.ErrorIs(t, err, ErrNotFound)
		require.ErrorIs(t, s.AddObservations(ctx, nurse, 99999, vitalsAt(clock.now(), vitals.HR)), ErrNotFound)

		all, err = s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		require.Equal(t, []string{
			"rec.fhir:patient", "rec.fhir:encounter",
			"rec.fhir:observations", "rec.v2:observations",
			"rec.fhir:assessment", "rec.v2:assessment",
			"rec.fhir:encounter", "rec.fhir:patient",
		}, kindsOf(all))
		for _, m := range all {
			require.Equal(t, p.ID, m.PatientID, "message %d", m.ID)
			require.Equal(t, OutboxWaiting, m.State)
			require.Equal(t, nurse.User, m.Actor)
		}
		obs := all[2]
		pl, err := s.OutboxPayload(ctx, sender, obs)
		require.NoError(t, err)
		require.Len(t, pl.Observations, 3, "the batch, and only the batch (not the earlier patient's)")
		require.Equal(t, e.ID, pl.Encounter.ID)
		require.Equal(t, "Ola Nordmann", pl.Patient.Name, "the patient as it is now")
		pl, err = s.OutboxPayload(ctx, sender, all[4])
		require.NoError(t, err)
		require.NotNil(t, pl.Assessment)
		require.Equal(t, triage.Yellow, pl.Assessment.Colour)
		_ = p0
	})
}

func TestOutboxClaimsOnePatientInOrderAndParkedHoldsBackOnlyItsPatient(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		_, ea := admit(t, s, "A", WalkIn, clock.now())
		_, eb := admit(t, s, "B", Phone, clock.now())
		for i := 0; i < 3; i++ {
			require.NoError(t, s.AddObservations(ctx, nurse, ea.ID, vitalsAt(clock.now().Add(time.Duration(i)*time.Second), vitals.HR)))
			require.NoError(t, s.AddObservations(ctx, nurse, eb.ID, vitalsAt(clock.now().Add(time.Duration(i)*time.Second), vitals.HR)))
		}
		all, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		perPatient := map[ids.Patient][]int64{}
		for _, m := range all {
			perPatient[m.PatientID] = append(perPatient[m.PatientID], m.ID)
		}
		var sent []int64
		parkedOnce := false
		for round := 0; round < 20; round++ {
			got, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", time.Minute, 10)
			require.NoError(t, err)
			seen := map[ids.Patient]bool{}
			for _, m := range got {
				require.False(t, seen[m.PatientID], "two messages of patient %d in one claim", m.PatientID)
				seen[m.PatientID] = true
				if m.PatientID == ea.PatientID && m.Kind == OutboxObservations && !parkedOnce {
					parkedOnce = true
					require.NoError(t, s.OutboxRefused(ctx, sender, m.ID, "w1", "Observation.code: unknown"))
					continue
				}
				require.NoError(t, s.OutboxSent(ctx, sender, m.ID, "w1"))
				sent = append(sent, m.ID)
			}
			if len(got) == 0 {
				break
			}
		}
		// B went through in order; A stopped at its refused message.
		var sentB, sentA []int64
		for _, id := range sent {
			for _, m := range all {
				if m.ID == id && m.PatientID == eb.PatientID {
					sentB = append(sentB, id)
				} else if m.ID == id {
					sentA = append(sentA, id)
				}
			}
		}
		require.Equal(t, perPatient[eb.PatientID], sentB, "patient B in order, all of it")
		require.Equal(t, perPatient[ea.PatientID][:2], sentA, "patient A up to the refused message")

		st, err := s.RecordStatuses(ctx, nurse, []ids.Encounter{ea.ID, eb.ID})
		require.NoError(t, err)
		require.Equal(t, OutboxParked, st[ea.ID][0].Vitals.State, "A's latest vitals wait behind the refusal")
		require.Equal(t, "Observation.code: unknown", st[ea.ID][0].Vitals.Reason)
		require.Equal(t, OutboxSent, st[eb.ID][0].Vitals.State)
		h, err := s.OutboxHealth(ctx)
		require.NoError(t, err)
		require.Len(t, h, 1)
		require.Equal(t, 1, h[0].Parked)
		require.Equal(t, 2, h[0].Waiting, "A's two later observation batches")
		require.Equal(t, "Observation.code: unknown", h[0].LastReason)

		parked, err := s.OutboxList(ctx, nurse, OutboxFilter{State: OutboxParked})
		require.NoError(t, err)
		require.Len(t, parked, 1)
		_, err = s.OutboxRetry(ctx, nurse, parked[0].ID)
		require.NoError(t, err)
		for round := 0; round < 5; round++ {
			got, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", time.Minute, 10)
			require.NoError(t, err)
			for _, m := range got {
				require.NoError(t, s.OutboxSent(ctx, sender, m.ID, "w1"))
			}
		}
		left, err := s.OutboxList(ctx, nurse, OutboxFilter{State: OutboxWaiting})
		require.NoError(t, err)
		require.Empty(t, left, "everything delivered after the retry")
		st, err = s.RecordStatuses(ctx, nurse, []ids.Encounter{ea.ID})
		require.NoError(t, err)
		require.Equal(t, OutboxSent, st[ea.ID][0].Vitals.State)
	})
}

func TestOutboxLeaseRunsOutAndAnotherSenderTakesOver(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", []OutboxKind{OutboxPatient}))
		admit(t, s, "A", WalkIn, clock.now())
		got, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", 30*time.Second, 10)
		require.NoError(t, err)
		require.Len(t, got, 1)
		other, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w2", 30*time.Second, 10)
		require.NoError(t, err)
		require.Empty(t, other, "leased to w1")
		again, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", 30*time.Second, 10)
		require.NoError(t, err)
		require.Len(t, again, 1, "a restarted w1 takes its own lease back at once")
		require.Equal(t, 2, again[0].Attempts)
		clock.add(31 * time.Second)
		other, err = s.ClaimOutbox(ctx, sender, "rec.fhir", "w2", 30*time.Second, 10)
		require.NoError(t, err)
		require.Len(t, other, 1, "w1's lease ran out")
		require.ErrorIs(t, s.OutboxSent(ctx, sender, got[0].ID, "w1"), ErrLeaseLost)
		require.NoError(t, s.OutboxRetryAt(ctx, sender, got[0].ID, "w2", clock.now().Add(time.Minute), "HTTP 503"))
		none, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w2", 30*time.Second, 10)
		require.NoError(t, err)
		require.Empty(t, none, "not due before its retry time")
		clock.add(time.Minute)
		due, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", 30*time.Second, 10)
		require.NoError(t, err)
		require.Len(t, due, 1)
		require.Equal(t, "HTTP 503", due[0].Reason)
		_, err = s.OutboxPark(ctx, nurse, due[0].ID, "")
		require.ErrorIs(t, err, ErrInvalid, "parking by hand needs a reason")
		m, err := s.OutboxPark(ctx, nurse, due[0].ID, "held for the integrator")
		require.NoError(t, err)
		require.Equal(t, OutboxParked, m.State)
		require.ErrorIs(t, s.OutboxSent(ctx, sender, due[0].ID, "w1"), ErrLeaseLost)
	})
}

// Two workstations (two stores on one database) claim and deliver at the
// same time: every message is delivered once, in order per patient.
func TestOutboxTwoWorkstationsNeverTakeTheSameMessage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		d := dsn(t)
		s1 := open(t, d)
		s2 := open(t, d)
		require.NoError(t, s1.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		const patients, batches = 6, 5
		for i := 0; i < patients; i++ {
			_, e := admit(t, s1, fmt.Sprintf("P%d", i), WalkIn, time.Now())
			for j := 0; j < batches; j++ {
				require.NoError(t, s1.AddObservations(ctx, nurse, e.ID, vitalsAt(time.Now(), vitals.HR)))
			}
		}
		var mu sync.Mutex
		delivered := map[int64]int{}
		var order []OutboxMessage
		var wg sync.WaitGroup
		for w, s := range []*Store{s1, s2, s1, s2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				owner := fmt.Sprintf("w%d", w)
				for idle := 0; idle < 3; {
					got, err := s.ClaimOutbox(ctx, sender, "rec.fhir", owner, time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						idle++
						time.Sleep(5 * time.Millisecond)
						continue
					}
					idle = 0
					for _, m := range got {
						mu.Lock()
						delivered[m.ID]++
						order = append(order, m)
						mu.Unlock()
						if err := s.OutboxSent(ctx, sender, m.ID, owner); err != nil {
							t.Error(err)
						}
					}
				}
			}()
		}
		wg.Wait()
		all, err := s1.OutboxList(ctx, nurse, OutboxFilter{Limit: 1000})
		require.NoError(t, err)
		require.Len(t, all, patients*(2+batches))
		for _, m := range all {
			require.Equal(t, OutboxSent, m.State, "message %d", m.ID)
			require.Equal(t, 1, delivered[m.ID], "message %d delivered %d times, want once", m.ID, delivered[m.ID])
		}
		last := map[ids.Patient]int64{}
		for _, m := range order {
			require.Greater(t, m.ID, last[m.PatientID], "patient %d: message %d after %d", m.PatientID, m.ID, last[m.PatientID])
			last[m.PatientID] = m.ID
		}
	})
}

func TestOutboxMergeQueuesBothPatientsAndTheMovedEncounters(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		tmp, e := admit(t, s, "", WalkIn, time.Now())
		known, err := s.CreatePatient(ctx, nurse, NewPatient{NID: validNID(t, "010190", 100), Name: "Kari"})
		require.NoError(t, err)
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		_, err = s.MergePatients(ctx, nurse, tmp.ID, known.ID)
		require.NoError(t, err)
		all, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		require.Equal(t, []string{"rec.fhir:patient", "rec.fhir:patient", "rec.fhir:encounter"}, kindsOf(all))
		pl, err := s.OutboxPayload(ctx, sender, all[0])
		require.NoError(t, err)
		require.Equal(t, tmp.ID, pl.Patient.ID)
		require.NotNil(t, pl.MergedInto)
		require.Equal(t, known.ID, pl.MergedInto.ID)
		pl, err = s.OutboxPayload(ctx, sender, all[2])
		require.NoError(t, err)
		require.Equal(t, e.ID, pl.Encounter.ID)
		require.Equal(t, known.ID, pl.Patient.ID, "the moved encounter is sent with its new patient")
	})
}

func TestOutboxRefusesBadArguments(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir()+"/t.db")
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"destination with capitals", s.SetOutboxRoutes(ctx, nurse, "DIPS", OutboxKinds)},
		{"unknown kind", s.SetOutboxRoutes(ctx, nurse, "dips", []OutboxKind{"labs"})},
		{"lease too short", func() error { _, err := s.ClaimOutbox(ctx, sender, "dips", "w", time.Millisecond, 1); return err }()},
		{"no owner", func() error { _, err := s.ClaimOutbox(ctx, sender, "dips", " ", time.Minute, 1); return err }()},
		{"limit 0", func() error { _, err := s.ClaimOutbox(ctx, sender, "dips", "w", time.Minute, 0); return err }()},
		{"unknown state", func() error { _, err := s.OutboxList(ctx, nurse, OutboxFilter{State: "gone"}); return err }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, errors.Is(tc.err, ErrInvalid), "got %v, want ErrInvalid", tc.err)
		})
	}
}

func TestExportStreamsTheDaysRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		_, e1 := admit(t, s, "I dag", WalkIn, day.Add(10*time.Hour))
		_, e2 := admit(t, s, "I går", WalkIn, day.Add(-2*time.Hour))
		require.NoError(t, s.AddObservations(ctx, nurse, e1.ID, vitalsAt(day.Add(10*time.Hour), vitals.HR, vitals.RR)))
		require.NoError(t, s.AddObservations(ctx, nurse, e2.ID, vitalsAt(day.Add(-time.Hour), vitals.HR)))
		_, err := s.AddAssessment(ctx, nurse, assessment(e1.ID, triage.Green))
		require.NoError(t, err)
		var obs []StoredObservation
		n, err := s.Export(ctx, nurse, day, day.Add(24*time.Hour), ExportVisitor{
			Patient:     func(Patient) error { return nil },
			Encounter:   func(Encounter) error { return nil },
			Assessment:  func(Assessment) error { return nil },
			Observation: func(o StoredObservation) error { obs = append(obs, o); return nil },
		})
		require.NoError(t, err)
		require.Equal(t, ExportCounts{Patients: 1, Encounters: 1, Assessments: 1, Observations: 2}, n)
		for _, o := range obs {
			require.Equal(t, e1.ID, o.EncounterID)
		}
		_, err = s.Export(ctx, nurse, day, day, ExportVisitor{})
		require.ErrorIs(t, err, ErrInvalid)
	})
}

// Register (patient, encounter, observations, assessment in one
// transaction) queues all four in that same transaction.
func TestOutboxRegisterQueuesEverythingItWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		na := assessment(0, triage.Orange)
		r, err := s.Register(ctx, nurse, Registration{Patient: NewPatient{Name: "Ny"}, Encounter: NewEncounter{Channel: Phone},
			Observations: vitalsAt(time.Now(), vitals.HR, vitals.RR), Assessment: &na})
		require.NoError(t, err)
		all, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		require.Equal(t, []string{"rec.fhir:patient", "rec.fhir:encounter", "rec.fhir:observations", "rec.fhir:assessment"}, kindsOf(all))
		for _, m := range all {
			require.Equal(t, r.Patient.ID, m.PatientID)
		}
	})
}

// A call's outcome (handed to AMK, closed with advice, expected) changes
// the encounter in the record: it is queued in the same transaction.
func TestOutboxOutcomeQueuesTheEncounter(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "Innringer", Phone, time.Now())
		_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Red)) // akutt: handed over to AMK
		require.NoError(t, err)
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", OutboxKinds))
		_, err = s.SetOutcome(ctx, nurse, e.ID, OutcomeHandedOver, "AMK 113")
		require.NoError(t, err)
		all, err := s.OutboxList(ctx, nurse, OutboxFilter{})
		require.NoError(t, err)
		require.Equal(t, []string{"rec.fhir:encounter"}, kindsOf(all))
		require.Equal(t, e.ID, all[0].EncounterID)
	})
}

// Under access control the outbox is clinical data: an administrator (no
// clinical role) is refused every outbox read and change; a reception
// nurse may.
func TestOutboxNeedsAClinicalRole(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t)) // the first account turns access control on
		who := staff(t, s)
		rec, admin := who[string(RoleReception)], who[string(RoleAdmin)]
		require.NoError(t, s.SetOutboxRoutes(ctx, rec, "rec.fhir", OutboxKinds))
		require.ErrorIs(t, s.SetOutboxRoutes(ctx, admin, "rec.fhir", OutboxKinds), ErrForbidden)
		p, err := s.CreatePatient(ctx, rec, NewPatient{Name: "A"})
		require.NoError(t, err)
		_, err = s.CreateEncounter(ctx, rec, NewEncounter{PatientID: p.ID, Channel: WalkIn}) // in reception's queue
		require.NoError(t, err)
		msgs, err := s.OutboxList(ctx, rec, OutboxFilter{})
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		_, err = s.OutboxPayload(ctx, rec, msgs[0])
		require.NoError(t, err)
		for name, call := range map[string]func() error{
			"list":    func() error { _, err := s.OutboxList(ctx, admin, OutboxFilter{}); return err },
			"payload": func() error { _, err := s.OutboxPayload(ctx, admin, msgs[0]); return err },
			"claim":   func() error { _, err := s.ClaimOutbox(ctx, admin, "rec.fhir", "w", time.Minute, 1); return err },
			"status":  func() error { _, err := s.RecordStatuses(ctx, admin, []ids.Encounter{1}); return err },
			"park":    func() error { _, err := s.OutboxPark(ctx, admin, msgs[0].ID, "x"); return err },
			"retry":   func() error { _, err := s.OutboxRetry(ctx, admin, msgs[0].ID); return err },
			"export": func() error {
				_, err := s.Export(ctx, admin, time.Unix(0, 0), time.Now().Add(time.Hour), ExportVisitor{})
				return err
			},
		} {
			require.ErrorIs(t, call(), ErrForbidden, name)
		}
		_ = p
	})
}

// A run follows the claimed batch with the same encounter's next batches
// only, stopping at the first message of another kind; it needs the lease.
func TestOutboxRunStopsAtAnotherKindAndNeedsTheLease(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		s := open(t, dsn(t))
		_, e := admit(t, s, "A", WalkIn, time.Now())
		require.NoError(t, s.SetOutboxRoutes(ctx, nurse, "rec.fhir", []OutboxKind{OutboxObservations, OutboxAssessment}))
		for i := 0; i < 3; i++ {
			require.NoError(t, s.AddObservations(ctx, nurse, e.ID, vitalsAt(time.Now(), vitals.HR)))
		}
		_, err := s.AddAssessment(ctx, nurse, assessment(e.ID, triage.Green))
		require.NoError(t, err)
		require.NoError(t, s.AddObservations(ctx, nurse, e.ID, vitalsAt(time.Now(), vitals.HR)))
		got, err := s.ClaimOutbox(ctx, sender, "rec.fhir", "w1", time.Minute, 10)
		require.NoError(t, err)
		require.Len(t, got, 1)
		_, err = s.ClaimOutboxRun(ctx, sender, got[0], "w2", time.Minute, 10)
		require.ErrorIs(t, err, ErrLeaseLost)
		run, err := s.ClaimOutboxRun(ctx, sender, got[0], "w1", time.Minute, 10)
		require.NoError(t, err)
		require.Len(t, run, 2, "the next two batches, not the assessment nor the batch after it")
		for _, m := range run {
			require.Equal(t, OutboxObservations, m.Kind)
			require.Equal(t, "w1", m.LeaseOwner)
		}
	})
}
