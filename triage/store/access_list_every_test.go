package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// A list method is an exported store method that returns many patients'
// data and takes no encounter or patient id: the store decides whom it
// lists. Each is a listCase: which roles may call it at all, and, of the
// fixture's contacts, which it shows to an actor (want). The property
// test checks, for every role, the own and the other service's contacts,
// with and without a basis, that a list shows exactly want, that want
// never holds a patient outside the actor's need-to-know (needToKnow),
// and that every patient shown is named in an audit entry of the actor
// written before the call returned.

// listContact is one contact of a fixture patient and where it stands.
type listContact struct {
	channel Channel
	status  Status
	outcome Outcome // waiting, expected, handed_over, dropped
	// calledBack: a dropped call whose call-back was made (it leaves the
	// ended calls).
	calledBack bool
}

// open reports whether c is in a waiting queue.
func (c listContact) open() bool {
	return slices.Contains([]Status{Waiting, InTriage, WaitingForDoctor}, c.status) && (c.outcome == OutcomeWaiting || c.outcome == OutcomeExpected)
}

// listPatient is a fixture patient: its contacts, whether it has an ECG
// waiting for review, and a label for messages.
type listPatient struct {
	id       ids.Patient
	contacts []listContact
	ecg      bool
	label    string
}

// listFixture is the need-to-know fixture (accounts, routes) with the
// patients of a list test.
type listFixture struct {
	*needFixture
	patients []listPatient
	from     time.Time
}

// newListFixture has five patients of one contact each: a walk-in
// (reception's queue), a call (the phone centre's), a call told to come
// in (expected: in both queues), a call handed to AMK and a dropped call
// (in no queue; the phone centre's ended calls); each has an ECG waiting.
func newListFixture(t *testing.T, dsn string) *listFixture {
	t.Helper()
	f := &listFixture{needFixture: newNeedFixture(t, dsn)}
	f.from = f.clock.now().Add(-time.Hour)
	f.patients = []listPatient{
		{id: f.walk.patient.ID, contacts: []listContact{{channel: WalkIn, status: f.walk.enc.Status, outcome: OutcomeWaiting}}, ecg: true, label: "walk-in"},
		{id: f.call.patient.ID, contacts: []listContact{{channel: Phone, status: f.call.enc.Status, outcome: OutcomeWaiting}}, ecg: true, label: "call"},
	}
	for _, o := range []Outcome{OutcomeExpected, OutcomeHandedOver, OutcomeDropped} {
		p := listPatient{id: f.newPatient(), ecg: true, label: "call " + string(o)}
		enc := f.callWithOutcome(p.id, o)
		p.contacts = append(p.contacts, listContact{channel: Phone, status: enc.Status, outcome: o})
		f.attachECG(enc.ID)
		f.patients = append(f.patients, p)
	}
	return f
}

// newRandomListFixture has n patients of one or two contacts each, each
// contact of a random channel and standing (waiting, with the doctor,
// done or gone for a walk-in; waiting, expected, handed over or done for
// a call), about half of them with an ECG waiting.
func newRandomListFixture(t *testing.T, dsn string, rng *rand.Rand, n int) *listFixture {
	t.Helper()
	f := &listFixture{needFixture: newNeedFixture(t, dsn)}
	f.from = f.clock.now().Add(-time.Hour)
	// The need fixture's two contacts are patients of this model too.
	f.patients = []listPatient{
		{id: f.walk.patient.ID, contacts: []listContact{{channel: WalkIn, status: f.walk.enc.Status, outcome: OutcomeWaiting}}, ecg: true, label: "walk-in 0"},
		{id: f.call.patient.ID, contacts: []listContact{{channel: Phone, status: f.call.enc.Status, outcome: OutcomeWaiting}}, ecg: true, label: "call 0"},
	}
	for i := range n {
		p := listPatient{id: f.newPatient(), label: fmt.Sprintf("patient %d", i+1)}
		for range 1 + rng.IntN(2) {
			f.clock.add(time.Minute)
			var c listContact
			var enc Encounter
			switch rng.IntN(8) {
			case 0, 1, 2, 3: // a walk-in: waiting, with the doctor, done, gone
				c = listContact{channel: WalkIn, status: []Status{Waiting, WithDoctor, Done, LeftWithoutBeingSeen}[rng.IntN(4)], outcome: OutcomeWaiting}
				enc = f.contact(p.id, WalkIn, c.status)
			case 4, 5: // a call waiting, or done
				c = listContact{channel: Phone, status: []Status{Waiting, Done}[rng.IntN(2)], outcome: OutcomeWaiting}
				enc = f.contact(p.id, Phone, c.status)
			default: // a call told to come in, handed to AMK, or dropped
				o := []Outcome{OutcomeExpected, OutcomeHandedOver, OutcomeDropped}[rng.IntN(3)]
				enc = f.callWithOutcome(p.id, o)
				c = listContact{channel: Phone, status: enc.Status, outcome: o}
				if o == OutcomeDropped && rng.IntN(2) == 0 {
					_, err := f.s.CallBackDone(f.ctx, f.doc, enc.ID, "Nådd, kommer inn")
					require.NoError(t, err)
					c.calledBack = true
				}
			}
			p.contacts = append(p.contacts, c)
			if !p.ecg && rng.IntN(2) == 0 {
				f.attachECG(enc.ID)
				p.ecg = true
			}
		}
		f.patients = append(f.patients, p)
	}
	return f
}

func (f *listFixture) newPatient() ids.Patient {
	f.t.Helper()
	f.n++
	p, err := f.s.CreatePatient(f.ctx, f.doc, NewPatient{Name: fmt.Sprintf("Pasient L%d", f.n)})
	require.NoError(f.t, err)
	return p.ID
}

// contact opens a contact of patient in channel ch (as the physician)
// and moves it to status st.
func (f *listFixture) contact(patient ids.Patient, ch Channel, st Status) Encounter {
	f.t.Helper()
	e, err := f.s.CreateEncounter(f.ctx, f.doc, NewEncounter{PatientID: patient, Channel: ch})
	require.NoError(f.t, err)
	if st != e.Status {
		e.Status = st
		e, err = f.s.UpdateEncounter(f.ctx, f.doc, e)
		require.NoError(f.t, err)
	}
	return e
}

// callWithOutcome registers a call of patient with outcome o (told haster
// to come in, told akutt to be handed to AMK, or dropped before the
// triage was done).
func (f *listFixture) callWithOutcome(patient ids.Patient, o Outcome) Encounter {
	f.t.Helper()
	if o == OutcomeDropped {
		nd := droppedAt(f.clock.now().Add(-5 * time.Minute))
		reg, err := f.s.Register(f.ctx, f.doc, Registration{PatientID: patient, Encounter: NewEncounter{Channel: Phone, ArrivedAt: nd.StartedAt},
			Dropped: &nd, Outcome: OutcomeDropped})
		require.NoError(f.t, err)
		return reg.Encounter
	}
	na := assessment(0, triage.Red)
	nc := validCall(0, 0)
	if o == OutcomeExpected {
		na = assessment(0, triage.Orange)
		nc.LevelTold, nc.LevelComputed = "haster", "haster"
		nc.Answers = map[string]string{"A.01.01": AnswerNo, "H.01.01": AnswerYes}
	}
	reg, err := f.s.Register(f.ctx, f.doc, Registration{PatientID: patient, Encounter: NewEncounter{Channel: Phone},
		Observations: vitalsAt(f.clock.now(), vitals.HR), Assessment: &na, Call: &nc, Outcome: o})
	require.NoError(f.t, err)
	return reg.Encounter
}

func (f *listFixture) attachECG(enc ids.Encounter) {
	f.t.Helper()
	f.n++
	_, err := f.s.AttachECG(f.ctx, f.doc, newECG(enc, fmt.Sprintf("ecg L%d", f.n)))
	require.NoError(f.t, err)
}

// own reports whether contact c is svc's (the store's rule: the phone
// centre's are calls; reception's are walk-ins and calls told to come
// in), open or ended.
func own(svc Service, c listContact) bool {
	if svc == ServicePhone {
		return c.channel == Phone
	}
	return c.channel == WalkIn || c.outcome == OutcomeExpected
}

// inQueueOf reports whether p has a contact in svc's waiting queue.
func inQueueOf(svc Service, p listPatient) bool {
	return slices.ContainsFunc(p.contacts, func(c listContact) bool { return c.open() && own(svc, c) })
}

// anyContact reports whether one of p's contacts satisfies f.
func anyContact(p listPatient, f func(listContact) bool) bool {
	return slices.ContainsFunc(p.contacts, f)
}

// needToKnow is the oracle: whom a may see in any list at all. The
// integration role by its duty (the outbox, bulk export); a clinician
// without a service (a physician) every patient; one with a service the
// patients in its queue and those of its own contacts; anyone on a
// stated basis (recorded and reviewed). Roles without a clinical read
// see nobody.
func needToKnow(a Actor, p listPatient) bool {
	switch {
	case a.Role == RoleIntegration:
		return true
	case !a.Role.Can(PermReadClinical):
		return false
	case a.Service == "" || a.Basis.Reason != "":
		return true
	}
	return inQueueOf(a.Service, p) || anyContact(p, func(c listContact) bool { return own(a.Service, c) })
}

// listCase is how one list method is called and what it must show.
type listCase struct {
	may func(a Actor) bool
	// want: whether patient p is shown to a (a allowed).
	want func(a Actor, p listPatient) bool
	// actions are the audit actions its entries use.
	actions []string
	// call returns the patients shown, in any order, with repeats.
	call func(f *listFixture, a Actor) ([]ids.Patient, error)
}

// patientKnown is the patient-level rule of the boards and lists of
// contacts the actor passes no ids to (needToKnowEncounters,
// needToKnowReviewSQL, needToKnowOutboxSQL).
func patientKnown(a Actor, p listPatient) bool {
	return a.Service == "" || a.Basis.Reason != "" || inQueueOf(a.Service, p)
}

// queued is the queue's rule: a contact in the queue, the actor's own
// service's (a basis opens a patient, not another queue).
func queued(a Actor, p listPatient) bool {
	return anyContact(p, func(c listContact) bool { return c.open() && (a.Service == "" || own(a.Service, c)) })
}

// listCases lists every exported store method that returns many
// patients' data without taking an id. TestEveryListMethodIsCovered keeps
// it complete.
var listCases = map[string]listCase{
	"Queue": {canReadClinical, queued, []string{"queue.read"}, func(f *listFixture, a Actor) ([]ids.Patient, error) {
		q, err := f.s.Queue(f.ctx, a, f.clock.now())
		var out []ids.Patient
		for _, e := range q {
			out = append(out, e.PatientID)
		}
		return out, err
	}},
	"AppendQueue": {canReadClinical, queued, []string{"queue.read"}, func(f *listFixture, a Actor) ([]ids.Patient, error) {
		q, err := f.s.AppendQueue(f.ctx, a, f.clock.now(), nil)
		var out []ids.Patient
		for _, e := range q {
			out = append(out, e.PatientID)
		}
		return out, err
	}},
	"EndedCalls": {canReadClinical, func(a Actor, p listPatient) bool {
		return anyContact(p, func(c listContact) bool {
			// A dropped call is listed while its call-back is owed.
			ended := c.outcome == OutcomeHandedOver || (c.outcome == OutcomeDropped && !c.calledBack)
			return ended && (a.Service == "" || a.Basis.Reason != "" || own(a.Service, c))
		})
	}, []string{"call.ended.read"}, func(f *listFixture, a Actor) ([]ids.Patient, error) {
		items, err := f.s.EndedCalls(f.ctx, a, f.from, 500)
		var out []ids.Patient
		for _, it := range items {
			out = append(out, it.PatientID)
		}
		return out, err
	}},
	"ECGsForReview": {canReadClinical, func(a Actor, p listPatient) bool { return p.ecg && patientKnown(a, p) }, []string{"ecg.list"},
		func(f *listFixture, a Actor) ([]ids.Patient, error) {
			list, err := f.s.ECGsForReview(f.ctx, a, f.clock.now())
			var out []ids.Patient
			for _, r := range list {
				out = append(out, r.PatientID)
			}
			return out, err
		}},
	"OutboxList": {func(a Actor) bool { return a.Role.Can(PermReadClinical) || a.Role.Can(PermOutboxSend) },
		func(a Actor, p listPatient) bool { return a.Role == RoleIntegration || patientKnown(a, p) },
		[]string{"outbox.list"}, func(f *listFixture, a Actor) ([]ids.Patient, error) {
			msgs, err := f.s.OutboxList(f.ctx, a, OutboxFilter{Limit: 10000})
			var out []ids.Patient
			for _, m := range msgs {
				out = append(out, m.PatientID)
			}
			return out, err
		}},
	"Export": {func(a Actor) bool { return a.Role.Can(PermExport) },
		func(a Actor, p listPatient) bool { return len(p.contacts) > 0 }, // every contact arrived in the range
		[]string{"records.export"}, func(f *listFixture, a Actor) ([]ids.Patient, error) {
			var out []ids.Patient
			encPat := map[ids.Encounter]ids.Patient{}
			_, err := f.s.Export(f.ctx, a, f.from, f.clock.now().Add(time.Hour), ExportVisitor{
				Patient: func(p Patient) error { out = append(out, p.ID); return nil },
				Encounter: func(e Encounter) error {
					encPat[e.ID] = e.PatientID
					out = append(out, e.PatientID)
					return nil
				},
				Assessment:  func(as Assessment) error { out = append(out, encPat[as.EncounterID]); return nil },
				Observation: func(o StoredObservation) error { out = append(out, encPat[o.EncounterID]); return nil },
			})
			return out, err
		}},
}

func canReadClinical(a Actor) bool { return a.Role.Can(PermReadClinical) }

// listNotAList lists the needExempt methods whose results name patients
// or contacts but are not lists the store fills by itself, with why.
var listNotAList = map[string]string{
	"CreatePatient":    "the patient just registered (its own work)",
	"FindPatientByNID": "one patient, named in its entry (checkNeedToKnow)",
	"LastCallFrom":     "one caller's patient, named in its entry (checkNeedToKnow)",
	"AuditLog":         "log review: administrators only, entries name patients by id",
	"Review":           "log review: administrators only",
	"ClaimOutbox":      "the sender's claim: integration only, each message read by lease (record.read names its patient)",
	"Watch":            "the change feed: kinds and encounter ids only, no actor; readers re-read through audited calls",
}

// carriesPatientData reports whether values of typ hold a patient or
// contact id (ids.Patient, ids.Encounter), looking through structs,
// pointers, slices, arrays, maps and channels, and whether a function
// of that type is handed one (a visitor's callback).
func carriesPatientData(typ reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[typ] {
		return false
	}
	seen[typ] = true
	if typ == reflect.TypeOf(ids.Patient(0)) || typ == reflect.TypeOf(ids.Encounter(0)) {
		return true
	}
	switch typ.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		return carriesPatientData(typ.Elem(), seen)
	case reflect.Map:
		return carriesPatientData(typ.Key(), seen) || carriesPatientData(typ.Elem(), seen)
	case reflect.Func:
		for i := 0; i < typ.NumIn(); i++ {
			if carriesPatientData(typ.In(i), seen) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < typ.NumField(); i++ {
			if carriesPatientData(typ.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// handsPatientData reports whether typ is a callback, or a struct of
// callbacks, that is handed patient or contact ids.
func handsPatientData(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Func:
		return carriesPatientData(typ, map[reflect.Type]bool{})
	case reflect.Struct:
		for i := 0; i < typ.NumField(); i++ {
			if typ.Field(i).Type.Kind() == reflect.Func && carriesPatientData(typ.Field(i).Type, map[reflect.Type]bool{}) {
				return true
			}
		}
	}
	return false
}

// Every exported store method that takes no encounter or patient id
// (needExempt) but returns patient or contact ids is either a list case
// of the property test below or says why it is not a list; a new one
// cannot be forgotten.
func TestEveryListMethodIsCovered(t *testing.T) {
	typ := reflect.TypeOf(&Store{})
	var missing []string
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i)
		if _, idTaking := needCases[m.Name]; idTaking && m.Name != "OutboxList" {
			continue // need-to-know per id: TestEveryIDTakingMethodAppliesNeedToKnow
		}
		// What it returns, and what it hands to callbacks it is given
		// (an export's visitor); not the ids and filters it is given.
		carries := false
		for j := 0; j < m.Type.NumOut(); j++ {
			carries = carries || carriesPatientData(m.Type.Out(j), map[reflect.Type]bool{})
		}
		for j := 1; j < m.Type.NumIn(); j++ {
			carries = carries || handsPatientData(m.Type.In(j))
		}
		_, isList := listCases[m.Name]
		_, why := listNotAList[m.Name]
		switch {
		case isList && why:
			t.Errorf("%s is both a list case and not a list", m.Name)
		case carries && !isList && !why:
			missing = append(missing, m.Name)
		case !carries && (isList || why):
			t.Errorf("%s returns no patient or contact id: remove it from the list tables", m.Name)
		}
	}
	assert.Empty(t, missing, "store methods that return patient data without an id: add them to listCases (with their need-to-know) or listNotAList (with why)")
	assert.False(t, carriesPatientData(reflect.TypeOf(ExportCounts{}), map[reflect.Type]bool{}), "counts name nobody")
	assert.True(t, handsPatientData(reflect.TypeOf(ExportVisitor{})), "the export's visitor is handed patients")
}

// Every list method x every role x the own and the other service's
// contacts x with and without a basis: the list shows exactly the
// patients the store's rule gives (want), none of them outside the
// actor's need-to-know, and every patient shown is named (the entry's
// patient, or its "patients=" list) in an audit entry of the actor, in
// its role and on its basis, written before the call returned. A role
// the method does not allow is refused and shown nobody. Over the fixed
// fixture of five contacts and four random ones (contacts of both
// channels in every standing, patients with two contacts). SQLite and
// PostgreSQL.
func TestEveryListShowsOnlyNeedToKnowAndNamesEveryPatient(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		t.Run("fixed", func(t *testing.T) { checkLists(t, newListFixture(t, dsn(t)), true) })
		for _, seed := range []uint64{1, 2, 3, 4} {
			t.Run(fmt.Sprintf("random seed %d", seed), func(t *testing.T) {
				checkLists(t, newRandomListFixture(t, dsn(t), rand.New(rand.NewPCG(seed, 14)), 8), false)
			})
		}
	})
}

// checkLists runs every list case as every role, with and without a
// basis, on f's patients. complete: f has a patient for every list (the
// fixed fixture), so a list that shows nobody to anyone is a defect.
func checkLists(t *testing.T, f *listFixture, complete bool) {
	names := make([]string, 0, len(listCases))
	for name := range listCases {
		names = append(names, name)
	}
	slices.Sort(names)
	admin := f.staff[string(RoleAdmin)]
	byPatient := map[ids.Patient]listPatient{}
	for _, p := range f.patients {
		byPatient[p.id] = p
		t.Logf("%s: contacts %+v, ECG waiting %t", p.label, p.contacts, p.ecg)
	}
	for _, name := range names {
		c := listCases[name]
		shownToSomeone := false
		for _, role := range Roles {
			for _, basis := range []bool{false, true} {
				a := f.staff[string(role)]
				if basis {
					a = a.withBasis(BasisAcute, "")
				}
				what := fmt.Sprintf("%s as %s, basis %t", name, role, basis)
				// Past the list-read window, so this call writes its own
				// entry (the window's repeats are tested in
				// audit_listread_test.go).
				f.clock.add(ListReadWindow)
				head, _, err := f.s.AuditHead(f.ctx)
				require.NoError(t, err)
				shown, err := c.call(f, a)
				if !c.may(a) {
					require.ErrorIs(t, err, ErrForbidden, what)
					assert.Empty(t, shown, "%s: a refused list shows nobody", what)
					continue
				}
				require.NoError(t, err, what)
				got := map[ids.Patient]bool{}
				for _, id := range shown {
					p, ok := byPatient[id]
					require.True(t, ok, "%s: showed patient %d, not one of the fixture's", what, id)
					got[id] = true
					assert.True(t, needToKnow(a, p), "%s: showed %s (%+v), outside the user's need-to-know", what, p.label, p.contacts)
				}
				for _, p := range f.patients {
					assert.Equal(t, c.want(a, p), got[p.id], "%s: %s (%+v) shown", what, p.label, p.contacts)
				}
				shownToSomeone = shownToSomeone || len(got) > 0
				// Named before the return: the entries up to the head
				// read now, after the call returned.
				log, err := f.s.AuditLog(f.ctx, admin, head, 10000)
				require.NoError(t, err)
				named := map[ids.Patient]bool{}
				for _, e := range log {
					if e.Actor != a.User || e.Role != string(a.Role) || e.Basis != basisText(a.Basis) || !slices.Contains(c.actions, e.Action) {
						continue
					}
					named[e.PatientID] = true
					for id := range got {
						if listsAny(e.Detail, map[ids.Patient]bool{id: true}) {
							named[id] = true
						}
					}
				}
				for id := range got {
					assert.True(t, named[id], "%s: %s is named in an audit entry of the read", what, byPatient[id].label)
				}
			}
		}
		if complete {
			assert.True(t, shownToSomeone, "%s showed nobody to anyone: the fixture tests nothing", name)
		}
	}
}

// The patients an export names are in the patient's access log as a
// bulk export, and a patient whose contact arrives in the range while
// the export streams is named in an entry of its own before its first
// row reaches the visitor.
func TestExportNamesAPatientTheRangeGainsBeforeItsRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		f := newNeedFixture(t, dsn(t))
		admin := f.staff[string(RoleAdmin)]
		nid := validNID(t, "020202", 200)
		late, err := f.s.CreatePatient(f.ctx, f.doc, NewPatient{NID: nid, Name: "Sen Ankomst"})
		require.NoError(t, err)
		head, _, err := f.s.AuditHead(f.ctx)
		require.NoError(t, err)
		from, to := f.clock.now().Add(-time.Hour), f.clock.now().Add(time.Hour)
		var lateSeen, namedFirst bool
		registered := false
		_, err = f.s.Export(f.ctx, f.sender, from, to, ExportVisitor{
			Patient: func(p Patient) error {
				if !registered {
					registered = true
					// A contact of a patient not in the range when the
					// export's entries were written.
					_, err := f.s.CreateEncounter(f.ctx, f.doc, NewEncounter{PatientID: late.ID, Channel: WalkIn})
					return err
				}
				return nil
			},
			Encounter: func(e Encounter) error {
				if e.PatientID != late.ID {
					return nil
				}
				lateSeen = true
				log, err := f.s.AuditLog(f.ctx, admin, head, 10000)
				if err != nil {
					return err
				}
				for _, l := range log {
					if l.Action == "records.export" && l.Actor == f.sender.User && listsAny(l.Detail, map[ids.Patient]bool{late.ID: true}) {
						namedFirst = true
					}
				}
				return nil
			},
		})
		require.NoError(t, err)
		require.True(t, lateSeen, "the contact that arrived during the export is exported")
		assert.True(t, namedFirst, "its patient was named in a records.export entry before its row reached the visitor")
		acc, err := f.s.AccessLog(f.ctx, admin, nid, time.Time{}, time.Time{})
		require.NoError(t, err)
		var exports int
		for _, e := range acc {
			if e.Action == "records.export" {
				exports++
				assert.True(t, e.List, "a bulk export is shown as a read of many")
				assert.Equal(t, f.sender.User, e.User)
			}
		}
		assert.Equal(t, 1, exports, "the export is in the patient's access log once")
		// Every export entry is for the data controller to follow up.
		items, err := f.s.Review(f.ctx, admin, time.Time{}, time.Time{}, false)
		require.NoError(t, err)
		var flagged int
		for _, it := range items {
			if it.Entry.Action == "records.export" {
				assert.Equal(t, []string{FollowExport}, it.Reasons)
				flagged++
			}
		}
		assert.Equal(t, 2, flagged, "the export's entry and the late patient's, each in log review")
	})
}

// A bulk export names its patients in entries of at most
// exportAuditChunk each, every patient once, so a long range's entry
// stays bounded.
func TestExportEntriesNameEveryPatientOnceInBoundedParts(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "triage.db"))
	ctx := context.Background()
	st := staff(t, s)
	const n = exportAuditChunk + 7
	pids := make([]ids.Patient, n)
	for i := range pids {
		pids[i] = ids.Patient(i + 1)
	}
	var entries []AuditEntry
	require.NoError(t, s.doRead(ctx, st[string(RoleIntegration)], func(tx *txn) error {
		if err := tx.auditExport(ctx, 1, 2, pids); err != nil {
			return err
		}
		entries = append(entries, tx.entries...)
		return nil
	}))
	require.Len(t, entries, 2)
	seen := map[ids.Patient]int{}
	for i, e := range entries {
		assert.Equal(t, "records.export", e.Action)
		assert.Contains(t, e.Detail, fmt.Sprintf("part=%d/2", i+1))
		for _, p := range pids {
			if listsAny(e.Detail, map[ids.Patient]bool{p: true}) {
				seen[p]++
			}
		}
	}
	for _, p := range pids {
		assert.Equal(t, 1, seen[p], "patient %d named once", p)
	}
}
