package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// phoneRegistration is a phone call as the TUI stores it: reported vitals
// with source phone, the answers in the input, a nurse's raise as override.
func phoneRegistration(nid, name string, at time.Time) Registration {
	na := assessment(0, triage.Yellow)
	na.Input = json.RawMessage(`{"complaint":"feber","answers":{"A.1":"no","A.2":"yes"}}`)
	na.Override = &Override{Colour: triage.Orange, Reason: "bekymret mor"}
	return Registration{
		Patient:   NewPatient{NID: nid, Name: name},
		Encounter: NewEncounter{Channel: Phone, ArrivedAt: at, Complaint: "Feber hos barn"},
		Observations: []vitals.Observation{
			{Kind: vitals.Temp, Value: 39.1, Unit: vitals.Cel, Source: vitals.SourcePhone, HostTime: at, Quality: vitals.Valid},
			{Kind: vitals.HR, Value: 140, Unit: vitals.PerMin, Source: vitals.SourcePhone, HostTime: at, Quality: vitals.Valid},
		},
		Assessment: &na,
	}
}

func TestRegisterStoresEverythingAndFindsKnownPatients(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		ctx := context.Background()
		nid := validNID(t, "010190", 100)
		at := clk.now().Add(-3 * time.Minute)

		r1, err := s.Register(ctx, nurse, phoneRegistration(nid, "Kari", at))
		require.NoError(t, err)
		assert.True(t, r1.PatientCreated)
		assert.Equal(t, nid, r1.Patient.NID)
		assert.Equal(t, Phone, r1.Encounter.Channel)
		assert.Equal(t, at.UTC(), r1.Encounter.ArrivedAt)
		require.NotNil(t, r1.Assessment)
		assert.Equal(t, r1.Encounter.ID, r1.Assessment.EncounterID)
		// The queue colour is the effective (overridden) one.
		assert.True(t, r1.Encounter.Triaged)
		assert.Equal(t, triage.Orange, r1.Encounter.Colour)

		as, err := s.Assessments(ctx, nurse, r1.Encounter.ID)
		require.NoError(t, err)
		require.Len(t, as, 1)
		require.NotNil(t, as[0].Override)
		assert.Equal(t, triage.Orange, as[0].Override.Colour)
		assert.Equal(t, "bekymret mor", as[0].Override.Reason)
		assert.JSONEq(t, `{"complaint":"feber","answers":{"A.1":"no","A.2":"yes"}}`, string(as[0].Input))
		obs, err := s.Observations(ctx, nurse, r1.Encounter.ID, time.Time{})
		require.NoError(t, err)
		assert.Len(t, obs, 2)

		// A second call from the same identity number finds the patient.
		r2, err := s.Register(ctx, nurse, phoneRegistration(nid, "ignored", at))
		require.NoError(t, err)
		assert.False(t, r2.PatientCreated)
		assert.Equal(t, r1.Patient.ID, r2.Patient.ID)
		assert.Equal(t, "Kari", r2.Patient.Name, "a found patient keeps the stored name")
		assert.NotEqual(t, r1.Encounter.ID, r2.Encounter.ID)

		// An unidentified walk-in, registered now and triaged later.
		r3, err := s.Register(ctx, nurse, Registration{Encounter: NewEncounter{Channel: WalkIn}})
		require.NoError(t, err)
		assert.True(t, r3.PatientCreated)
		assert.NotEmpty(t, r3.Patient.TempID)
		assert.False(t, r3.Patient.Identified())
		assert.Nil(t, r3.Assessment)
		assert.False(t, r3.Encounter.Triaged)
		assert.Equal(t, clk.now(), r3.Encounter.ArrivedAt, "zero arrival means now")

		// A registration for a patient chosen by id.
		r4, err := s.Register(ctx, nurse, Registration{PatientID: r3.Patient.ID, Encounter: NewEncounter{Channel: WalkIn}})
		require.NoError(t, err)
		assert.False(t, r4.PatientCreated)
		assert.Equal(t, r3.Patient.ID, r4.Patient.ID)

		// Audited as the single steps are, in order.
		log, err := s.AuditLog(ctx, nurse, 0, 100)
		require.NoError(t, err)
		var got []string
		for _, e := range log {
			got = append(got, e.Action+" "+e.Detail)
		}
		assert.Equal(t, []string{
			"patient.find by=nid not found", "patient.create identified", "encounter.create channel=phone",
			"observations.add count=2", "assessment.create colour=orange override",
			"assessment.list count=1", "observations.read count=2",
			"patient.find by=nid found", "encounter.create channel=phone",
			"observations.add count=2", "assessment.create colour=orange override",
			"patient.create unidentified", "encounter.create channel=walk_in",
			"patient.read found", "encounter.create channel=walk_in",
		}, got[:min(15, len(got))])
		n, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
	})
}

// rowCounts counts the rows of every table a registration writes.
func rowCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tab := range []string{"patients", "encounters", "observations", "assessments", "changes"} {
		var n int
		require.NoError(t, s.db.QueryRow("SELECT count(*) FROM "+tab).Scan(&n), tab)
		out[tab] = n
	}
	// Audit entries chained or still in the unchained tail (the chainer
	// moves them from one to the other meanwhile), in one statement.
	var n int
	require.NoError(t, s.db.QueryRow("SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM audit_unchained)").Scan(&n))
	out["audit entries"] = n
	return out
}

// failInserts makes every insert into table fail inside the database, as a
// disk or connection failure in the middle of the transaction would; the
// returned function removes the fault.
func failInserts(t *testing.T, s *Store, table string) func() {
	t.Helper()
	name := "fail_" + table
	switch s.backend {
	case SQLite:
		_, err := s.db.Exec(fmt.Sprintf("CREATE TRIGGER %s BEFORE INSERT ON %s BEGIN SELECT RAISE(ABORT, 'injected failure'); END", name, table))
		require.NoError(t, err)
	case Postgres:
		_, err := s.db.Exec("CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$")
		require.NoError(t, err)
		_, err = s.db.Exec(fmt.Sprintf("CREATE TRIGGER %s BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION injected_failure()", name, table))
		require.NoError(t, err)
	}
	return func() {
		q := "DROP TRIGGER " + name
		if s.backend == Postgres {
			q += " ON " + table
		}
		_, err := s.db.Exec(q)
		require.NoError(t, err)
	}
}

func TestRegisterLandsWholeOrNotAtAll(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		ctx := context.Background()
		nid := validNID(t, "150385", 200)
		// Something already stored, so that "nothing" is measured against it.
		admit(t, s, "Ola", WalkIn, clk.now())
		before := rowCounts(t, s)
		seq, head, err := s.AuditHead(ctx)
		require.NoError(t, err)

		// A failure after the patient and encounter (and observations)
		// were inserted: at the assessment, and at the observations.
		for _, table := range []string{"assessments", "observations"} {
			heal := failInserts(t, s, table)
			_, err := s.Register(ctx, nurse, phoneRegistration(nid, "Kari", clk.now()))
			require.Error(t, err, table)
			assert.Contains(t, err.Error(), "registration not stored")
			assert.Equal(t, before, rowCounts(t, s), "a failure at %s leaves nothing", table)
			seq2, head2, err := s.AuditHead(ctx)
			require.NoError(t, err)
			assert.Equal(t, seq, seq2)
			assert.Equal(t, head, head2)
			_, err = s.FindPatientByNID(ctx, nurse, nid)
			require.ErrorIs(t, err, ErrNotFound, "the patient of a failed registration is not stored")
			heal()
			before = rowCounts(t, s)
			seq, head, err = s.AuditHead(ctx)
			require.NoError(t, err)
		}

		// Healed, the same registration lands whole.
		r, err := s.Register(ctx, nurse, phoneRegistration(nid, "Kari", clk.now()))
		require.NoError(t, err)
		assert.True(t, r.PatientCreated)
		after := rowCounts(t, s)
		assert.Equal(t, before["patients"]+1, after["patients"])
		assert.Equal(t, before["encounters"]+1, after["encounters"])
		assert.Equal(t, before["observations"]+2, after["observations"])
		assert.Equal(t, before["assessments"]+1, after["assessments"])
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}

func TestRegisterRefusesBadInputBeforeWriting(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		ctx := context.Background()
		before := rowCounts(t, s)
		good := func() Registration { return phoneRegistration("", "Kari", clk.now()) }
		cases := []struct {
			name  string
			edit  func(r *Registration)
			field string
			is    error
		}{
			{"identity number", func(r *Registration) { r.Patient.NID = "01019012345" }, "", ErrInvalid},
			{"channel", func(r *Registration) { r.Encounter.Channel = "fax" }, "channel", ErrInvalid},
			{"complaint", func(r *Registration) { r.Encounter.Complaint = "a\x00b" }, "complaint", ErrInvalid},
			{"observation", func(r *Registration) { r.Observations[1].Unit = "" }, "observation 1", ErrInvalid},
			{"assessment", func(r *Registration) { r.Assessment.Colour = 9 }, "colour", ErrInvalid},
			{"lowering without reason", func(r *Registration) {
				r.Assessment.Override = &Override{Colour: triage.Green}
			}, "override reason", ErrInvalid},
			{"unknown patient id", func(r *Registration) { r.PatientID = 9999 }, "patient 9999", ErrNotFound},
			{"negative patient id", func(r *Registration) { r.PatientID = -1 }, "patient id", ErrInvalid},
		}
		for _, c := range cases {
			r := good()
			c.edit(&r)
			_, err := s.Register(ctx, nurse, r)
			require.Error(t, err, c.name)
			assert.True(t, errors.Is(err, c.is), "%s: %v", c.name, err)
			assert.Contains(t, err.Error(), c.field, c.name)
			assert.Equal(t, before, rowCounts(t, s), "%s writes nothing", c.name)
		}
	})
}

// BenchmarkRegister measures whole registrations per second: a new
// (unidentified) patient with a temporary id, an encounter, two
// phone-reported vitals and the first assessment, in one durable
// transaction.
func BenchmarkRegister(b *testing.B) {
	for _, be := range backends(b) {
		b.Run(be.name, func(b *testing.B) {
			s := open(b, be.dsn(b))
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			n := 0
			for b.Loop() {
				r := phoneRegistration("", "Bench", s.now())
				n++
				if _, err := s.Register(ctx, nurse, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "registrations/s")
		})
	}
}

func TestSaveTriageLandsWholeOrNotAtAll(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		clk := newClock()
		s := open(t, dsn(t), WithClock(clk.now))
		ctx := context.Background()
		reg, err := s.Register(ctx, nurse, Registration{Encounter: NewEncounter{Channel: WalkIn, Complaint: "vondt"}})
		require.NoError(t, err)
		tr := phoneRegistration("", "", clk.now())
		triage := Triage{EncounterID: reg.Encounter.ID, Complaint: "Brystsmerter", Observations: tr.Observations, Assessment: *tr.Assessment,
			Events: []NewEvent{{Kind: "triage.incomplete_saved", Note: "missing: RF"}}}

		before := rowCounts(t, s)
		heal := failInserts(t, s, "observations")
		_, err = s.SaveTriage(ctx, nurse, triage)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "triage not stored")
		assert.Equal(t, before, rowCounts(t, s), "a failure at the observations leaves no assessment, event or audit entry")
		e, err := s.GetEncounter(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.Equal(t, "vondt", e.Complaint, "the complaint is not changed by a triage that did not land")
		assert.False(t, e.Triaged)
		heal()

		as, err := s.SaveTriage(ctx, nurse, triage)
		require.NoError(t, err)
		assert.Equal(t, reg.Encounter.ID, as.EncounterID)
		e2, err := s.GetEncounter(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		assert.Equal(t, "Brystsmerter", e2.Complaint)
		assert.True(t, e2.Triaged)
		assert.Equal(t, triage.Assessment.Override.Colour, e2.Colour)
		assert.Greater(t, e2.Version, e.Version, "an edit based on the old encounter gets a conflict")
		obs, err := s.Observations(ctx, nurse, reg.Encounter.ID, time.Time{})
		require.NoError(t, err)
		assert.Len(t, obs, 2)
		evs, err := s.Events(ctx, nurse, reg.Encounter.ID)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		assert.Equal(t, "triage.incomplete_saved", evs[0].Kind)

		_, err = s.SaveTriage(ctx, nurse, Triage{EncounterID: 9999, Assessment: *tr.Assessment})
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
	})
}
