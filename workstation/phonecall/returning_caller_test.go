package phonecall_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient/patienttest"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
)

// confirmations lists the store's audited confirmations that a call was
// about an earlier caller's patient.
func confirmations(t *testing.T, st *store.Store) []store.AuditEntry {
	t.Helper()
	log, err := st.AuditLog(context.Background(), store.Actor{User: "revisor", Workstation: "test"}, 0, 10000)
	require.NoError(t, err)
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == "patient.confirm" {
			out = append(out, e)
		}
	}
	return out
}

// G3 (QA session 6): a caller about an UNKNOWN patient rings again. The
// number finds the earlier call's patient with what that call knew (the
// age and sex said, every earlier contact with the time it shows for
// it), and the new call lands on the same temporary patient only with
// the nurse's confirmation, which the store audits; without it, the call
// gets a patient of its own.
func TestAReturningCallerAboutAnUnknownPatientIsFoundAndConfirmed(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		heart, _ := phone.ParseCode("A.02.01")
		first := record(t, "chest-pain", phone.Call{AgeYears: 65, Yes: []phone.Code{heart}})
		first.Name, first.CallerPhone = "Jon Øye", "96789012"
		first.Age, _ = phrase.ParseAge("65")
		first.Sex, first.SexSource = store.SexMale, store.SexAsked
		sv1, err := svc.Save(ctx, first)
		require.NoError(t, err)
		require.Equal(t, store.OutcomeHandedOver, sv1.Outcome, "akutt, handed to AMK: out of the queue")

		c, ok, err := svc.RepeatCaller(ctx, "967 89 012")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, sv1.PatientID, c.PatientID)
		assert.Equal(t, sv1.EncounterID, c.Encounter)
		assert.True(t, strings.HasPrefix(c.TempID, "UKJENT-"), c.TempID)
		assert.Equal(t, "", c.NID)
		assert.Equal(t, "Jon Øye", c.Name)
		assert.Equal(t, store.SexMale, c.Sex, "the sex the caller said")
		assert.Equal(t, 65, c.Age.Years(), "the age the caller said")
		require.Len(t, c.Contacts, 1, "the earlier AKUTT call is listed")
		h := c.Contacts[0]
		assert.True(t, h.IsCall)
		assert.Equal(t, phone.Akutt, h.Level)
		assert.Equal(t, store.OutcomeHandedOver, h.Outcome)
		assert.Equal(t, h.At, c.At, "one call, one time: the call's start, as its contact shows it")
		assert.WithinDuration(t, first.StartedAt, c.At, time.Millisecond, "the call began then")

		// Not confirmed: a patient of its own, and nothing audited as confirmed.
		second := record(t, "chest-pain", phone.Call{AgeYears: 65, Yes: []phone.Code{heart}})
		second.Name, second.CallerPhone = "Jon Øye", "96789012"
		sv2, err := svc.Save(ctx, second)
		require.NoError(t, err)
		assert.NotEqual(t, sv1.PatientID, sv2.PatientID, "never merged by the number alone")
		assert.Empty(t, confirmations(t, st))

		// Confirmed: the same temporary patient, audited on that patient.
		c, ok, err = svc.RepeatCaller(ctx, "96789012")
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, sv2.PatientID, c.PatientID, "the last call from the number")
		third := record(t, "chest-pain", phone.Call{AgeYears: 65, Yes: []phone.Code{heart}})
		third.Name, third.CallerPhone = "Jon Øye", "96789012"
		third.SameAs = &c
		sv3, err := svc.Save(ctx, third)
		require.NoError(t, err)
		assert.Equal(t, sv2.PatientID, sv3.PatientID, "saved on the confirmed patient")
		conf := confirmations(t, st)
		require.Len(t, conf, 1)
		assert.Equal(t, sv2.PatientID, conf[0].PatientID)
		assert.Equal(t, nurse.User, conf[0].Actor)
		assert.Contains(t, conf[0].Detail, fmt.Sprintf("encounter=%d", c.Encounter))

		// A confirmation that does not fit the call is refused whole:
		// another number, or an identity number other than the patient's.
		bad := third
		bad.CallerPhone = "45678901"
		_, err = svc.Save(ctx, bad)
		assert.Error(t, err, "confirmed for another number")
		bad = third
		bad.NID = patienttest.NID(t, "010190", 100)
		_, err = svc.Save(ctx, bad)
		assert.ErrorIs(t, err, phonecall.ErrSameCaller)
		forged := c
		forged.PatientID = sv1.PatientID // the patient of another call
		bad = third
		bad.SameAs = &forged
		_, err = svc.Save(ctx, bad)
		assert.ErrorIs(t, err, store.ErrInvalid, "the store checks the earlier call's patient")
		assert.Len(t, confirmations(t, st), 1, "nothing of a refused save is kept")
	})
}

// Over random households sharing phones, with and without identity
// numbers: a returning number always shows the patient of its last call
// with every contact of that patient; a call lands on an earlier
// patient only when the nurse confirms (she confirms exactly when the
// caller says it is the same person), so two people sharing a number are
// never one record; and a confirmed unknown patient keeps one record.
func TestReturningCallersOverRandomHouseholds(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service(st)
		rng := rand.New(rand.NewPCG(6, 2026))
		type person struct {
			nid   string
			phone string // the household's phone
		}
		phones := []string{"91000001", "91000002", "91000003"}
		var people []person
		for i := range 7 {
			p := person{phone: phones[rng.IntN(len(phones))]}
			if rng.IntN(2) == 0 {
				p.nid = patienttest.NID(t, fmt.Sprintf("0%d0%d8%d", 1+i%9, 1+i%9, i), 100+10*i)
			}
			people = append(people, p)
		}
		lastAbout := map[string]int{}            // phone -> person of its last call
		calls := map[int]int{}                   // person -> calls stored
		stored := map[ids.Patient]map[int]bool{} // store patient -> people stored on it
		record1 := map[int]ids.Patient{}         // unknown person -> the record a confirmation keeps
		for n := range 40 {
			who := rng.IntN(len(people))
			p := people[who]
			r := record(t, "chest-pain", phone.Call{AgeYears: 40, No: nil})
			r.Name, r.CallerPhone, r.NID = fmt.Sprintf("Person %d", who), p.phone, p.nid
			c, found, err := svc.RepeatCaller(ctx, p.phone)
			require.NoError(t, err)
			last, called := lastAbout[p.phone]
			require.Equal(t, called, found, "call %d: a returning number is always recognised", n)
			if found {
				require.Equal(t, calls[last], len(c.Contacts), "call %d: every earlier contact of the patient last called about", n)
				if last == who { // the caller says: the same person
					r.SameAs = &c
				}
			}
			sv, err := svc.Save(ctx, r)
			require.NoError(t, err, "call %d", n)
			if stored[sv.PatientID] == nil {
				stored[sv.PatientID] = map[int]bool{}
			}
			stored[sv.PatientID][who] = true
			require.Len(t, stored[sv.PatientID], 1, "call %d: two people on one record", n)
			if p.nid == "" && r.SameAs != nil {
				require.Equal(t, record1[who], sv.PatientID, "call %d: a confirmed unknown patient keeps one record", n)
			}
			if p.nid == "" && (r.SameAs == nil || record1[who] == 0) {
				record1[who] = sv.PatientID
			}
			if p.nid == "" && r.SameAs == nil && found && last != who {
				assert.NotEqual(t, c.PatientID, sv.PatientID, "call %d: not confirmed, not merged", n)
			}
			// The contacts of a person are those stored on their record.
			calls[who]++
			if p.nid == "" && r.SameAs == nil {
				calls[who] = 1 // a new temporary record: its own contacts
			}
			lastAbout[p.phone] = who
		}
		assert.NotEmpty(t, confirmations(t, st))
	})
}
