package store

import (
	"context"
	"errors"
	"fmt"
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

// How an id-taking store method applies need-to-know (docs/security.md).
type needKind int

const (
	// needOne reads or records one patient's data: outside the actor's
	// service queue without a basis it is refused (*BasisRequiredError)
	// and the refusal audited.
	needOne needKind = iota
	// needList reads many contacts at once (the boards): a contact
	// outside the actor's service queue without a basis is left out of
	// the answer and its refusal audited.
	needList
	// needOwnWork is the service's own work that needs no basis
	// (registering the patient who stands at the desk, opening their
	// encounter, merging a duplicate record): only the role decides.
	needOwnWork
	// needSender is the record sender's (the integration role: no
	// service, its need is the lease on the message); every other role
	// is refused by role.
	needSender
)

// needTarget is one contact of the fixture: a patient with an open
// encounter in one service's queue, its unconfirmed ECG and outbox
// messages.
type needTarget struct {
	service Service
	channel Channel
	patient Patient
	enc     Encounter
	ecg     ECG
}

// needFixture is a database with access control, one account per role,
// the sender's route, a walk-in (reception's) and a call (the phone
// centre's).
type needFixture struct {
	t          *testing.T
	ctx        context.Context
	s          *Store
	clock      *fakeClock
	staff      map[string]Actor
	doc        Actor
	sender     Actor
	walk, call needTarget
	n          int
}

func newNeedFixture(t *testing.T, dsn string) *needFixture {
	t.Helper()
	ctx := context.Background()
	clock := newClock()
	s := open(t, dsn, WithClock(clock.now))
	st := staff(t, s)
	f := &needFixture{t: t, ctx: ctx, s: s, clock: clock, staff: st, doc: st[string(RolePhysician)], sender: st[string(RoleIntegration)]}
	require.NoError(t, s.SetOutboxRoutes(ctx, f.sender, "rec.fhir", OutboxKinds))
	f.walk = f.admit(st[string(RoleReception)], ServiceReception, WalkIn)
	f.call = f.admit(st[string(RolePhone)], ServicePhone, Phone)
	return f
}

// admit registers a contact in a's service, triaged, with vitals and an
// ECG waiting for a physician.
func (f *needFixture) admit(a Actor, svc Service, ch Channel) needTarget {
	f.t.Helper()
	f.n++
	na := assessment(0, triage.Yellow)
	r := Registration{Patient: NewPatient{Name: fmt.Sprintf("Pasient %d", f.n)}, Encounter: NewEncounter{Channel: ch},
		Observations: vitalsAt(f.clock.now(), vitals.HR), Assessment: &na}
	if ch == Phone {
		nc := validCall(0, 0)
		r.Call = &nc
	}
	reg, err := f.s.Register(f.ctx, a, r)
	require.NoError(f.t, err)
	e, err := f.s.AttachECG(f.ctx, f.doc, newECG(reg.Encounter.ID, fmt.Sprintf("ecg %d", f.n)))
	require.NoError(f.t, err)
	return needTarget{service: svc, channel: ch, patient: reg.Patient, enc: reg.Encounter, ecg: e}
}

// freshEncounter opens another contact of x's patient in x's channel (as
// the physician), so a call that ends or completes a contact leaves x's
// patient in its queue.
func (f *needFixture) freshEncounter(x needTarget) Encounter {
	f.t.Helper()
	e, err := f.s.CreateEncounter(f.ctx, f.doc, NewEncounter{PatientID: x.patient.ID, Channel: x.channel})
	require.NoError(f.t, err)
	return e
}

// message is the newest outbox message of x's contact.
func (f *needFixture) message(x needTarget) OutboxMessage {
	f.t.Helper()
	msgs, err := f.s.OutboxList(f.ctx, f.doc, OutboxFilter{EncounterID: x.enc.ID, Limit: 1000})
	require.NoError(f.t, err)
	require.NotEmpty(f.t, msgs)
	return msgs[len(msgs)-1]
}

// leased is an observations message leased to owner "nk", of a new
// contact in x's channel (the sender holds its lease; an earlier message
// of the same patient that was refused would hold later ones back).
func (f *needFixture) leased(x needTarget) OutboxMessage {
	f.t.Helper()
	y := f.admit(f.staff[string(map[Service]Role{ServiceReception: RoleReception, ServicePhone: RolePhone}[x.service])], x.service, x.channel)
	// A patient's messages go in order: deliver those before it.
	for range 10 {
		msgs, err := f.s.ClaimOutbox(f.ctx, f.sender, "rec.fhir", "nk", time.Hour, 1000)
		require.NoError(f.t, err)
		for _, m := range msgs {
			if m.EncounterID == y.enc.ID && m.Kind == OutboxObservations {
				return m
			}
			require.NoError(f.t, f.s.OutboxSent(f.ctx, f.sender, m.ID, "nk"))
		}
	}
	f.t.Fatalf("no observations message of the new contact claimed")
	return OutboxMessage{}
}

// ownChannel is the channel of the encounters a opens at its own desk.
func ownChannel(a Actor, x needTarget) Channel {
	switch a.Service {
	case ServiceReception:
		return WalkIn
	case ServicePhone:
		return Phone
	}
	return x.channel
}

// needCase is how one id-taking method is called on target x as a.
// shown is what a needList call answered about x.
type needCase struct {
	kind needKind
	// may says which roles the method allows at all.
	may  func(a Actor, x needTarget) bool
	call func(f *needFixture, a Actor, x needTarget) (shown bool, err error)
}

func canDo(p Perm) func(Actor, needTarget) bool {
	return func(a Actor, _ needTarget) bool { return a.Role.Can(p) }
}

// needCases lists every exported store method that takes an encounter or
// patient id (or an ECG, call or outbox message of one), keyed by name.
// TestEveryStoreMethodIsClassifiedForNeedToKnow keeps it complete.
var needCases = map[string]needCase{
	"GetPatient": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.GetPatient(f.ctx, a, x.patient.ID)
		return false, err
	}},
	"UpdatePatient": {needOne, canDo(PermRegister), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		p, err := f.s.GetPatient(f.ctx, f.doc, x.patient.ID)
		require.NoError(f.t, err)
		f.n++
		p.Name = fmt.Sprintf("Endret %d", f.n)
		_, err = f.s.UpdatePatient(f.ctx, a, p)
		return false, err
	}},
	"MergePatients": {needOwnWork, canDo(PermMerge), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		dup, err := f.s.CreatePatient(f.ctx, f.doc, NewPatient{Name: "Duplikat"})
		require.NoError(f.t, err)
		_, err = f.s.MergePatients(f.ctx, a, dup.ID, x.patient.ID)
		return false, err
	}},
	"GetEncounter": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.GetEncounter(f.ctx, a, x.enc.ID)
		return false, err
	}},
	"UpdateEncounter": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		e, err := f.s.GetEncounter(f.ctx, f.doc, x.enc.ID)
		require.NoError(f.t, err)
		e.Status = map[Status]Status{Waiting: InTriage, InTriage: Waiting}[e.Status] // stays in the queue
		_, err = f.s.UpdateEncounter(f.ctx, a, e)
		return false, err
	}},
	"EncountersForPatient": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.EncountersForPatient(f.ctx, a, x.patient.ID)
		return false, err
	}},
	"CreateEncounter": {needOwnWork, func(a Actor, x needTarget) bool { return a.Role.Can(channelPerm(ownChannel(a, x))) },
		func(f *needFixture, a Actor, x needTarget) (bool, error) {
			e, err := f.s.CreateEncounter(f.ctx, a, NewEncounter{PatientID: x.patient.ID, Channel: ownChannel(a, x)})
			f.close(e, err)
			return false, err
		}},
	"Register": {needOwnWork, func(a Actor, x needTarget) bool { return a.Role.Can(channelPerm(ownChannel(a, x))) },
		func(f *needFixture, a Actor, x needTarget) (bool, error) {
			r, err := f.s.Register(f.ctx, a, Registration{PatientID: x.patient.ID, Encounter: NewEncounter{Channel: ownChannel(a, x)}})
			f.close(r.Encounter, err)
			return false, err
		}},
	"SetOutcome": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		// A walk-in may only wait: the refusal of the outcome shows the
		// call reached the contact (need-to-know is asked first).
		e := f.freshEncounter(x)
		_, err := f.s.AddAssessment(f.ctx, f.doc, assessment(e.ID, triage.Green)) // a call told vanlig may be closed
		require.NoError(f.t, err)
		_, err = f.s.SetOutcome(f.ctx, a, e.ID, OutcomeClosed, "")
		if x.channel == WalkIn && errors.As(err, new(*OutcomeError)) {
			return false, nil
		}
		return false, err
	}},
	"AddAssessment": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.AddAssessment(f.ctx, a, assessment(x.enc.ID, triage.Yellow))
		return false, err
	}},
	"Assessments": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.Assessments(f.ctx, a, x.enc.ID)
		return false, err
	}},
	"SaveTriage": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.SaveTriage(f.ctx, a, Triage{EncounterID: x.enc.ID, Assessment: assessment(x.enc.ID, triage.Yellow)})
		return false, err
	}},
	"AddCall": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		e := f.freshEncounter(x)
		as, err := f.s.AddAssessment(f.ctx, f.doc, assessment(e.ID, triage.Yellow))
		require.NoError(f.t, err)
		_, err = f.s.AddCall(f.ctx, a, validCall(e.ID, as.ID))
		return false, err
	}},
	"CallOf": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.CallOf(f.ctx, a, x.enc.ID)
		if errors.Is(err, ErrNotFound) && x.channel == WalkIn {
			return false, nil // read and audited: a walk-in has no call record
		}
		return false, err
	}},
	"AddEvent": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.AddEvent(f.ctx, a, NewEvent{EncounterID: x.enc.ID, Kind: "test.event"})
		return false, err
	}},
	"Events": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.Events(f.ctx, a, x.enc.ID)
		return false, err
	}},
	"AddObservations": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		f.clock.add(time.Second)
		return false, f.s.AddObservations(f.ctx, a, x.enc.ID, vitalsAt(f.clock.now(), vitals.HR))
	}},
	"AddObservationBatch": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		f.clock.add(time.Second)
		f.n++
		return false, f.s.AddObservationBatch(f.ctx, a, x.enc.ID, fmt.Sprintf("needtoknow-batch-%04d", f.n), vitalsAt(f.clock.now(), vitals.HR))
	}},
	"Observations": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.Observations(f.ctx, a, x.enc.ID, time.Time{})
		return false, err
	}},
	"FindObservations": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.FindObservations(f.ctx, a, x.enc.ID, []ObservationKey{{Kind: vitals.HR, Source: "mon-1", HostTime: f.clock.now()}})
		return false, err
	}},
	"AttachECG": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		f.n++
		_, err := f.s.AttachECG(f.ctx, a, newECG(x.enc.ID, fmt.Sprintf("vedlagt %d", f.n)))
		return false, err
	}},
	"ECGsOfEncounter": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.ECGsOfEncounter(f.ctx, a, x.enc.ID)
		return false, err
	}},
	"ViewECG": {needOne, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, _, err := f.s.ViewECG(f.ctx, a, x.ecg.ID)
		return false, err
	}},
	"SignECG": {needOne, func(a Actor, _ needTarget) bool { return a.Role == RolePhysician }, func(f *needFixture, a Actor, x needTarget) (bool, error) {
		f.n++
		e, err := f.s.AttachECG(f.ctx, f.doc, newECG(x.enc.ID, fmt.Sprintf("til signering %d", f.n)))
		require.NoError(f.t, err)
		_, err = f.s.SignECG(f.ctx, a, e.ID, Interpretation{Text: "Sinusrytme"})
		return false, err
	}},
	"ECGBoard": {needList, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		b, err := f.s.ECGBoard(f.ctx, a, []ids.Encounter{x.enc.ID})
		_, shown := b[x.enc.ID]
		return shown, err
	}},
	"RecordStatuses": {needList, canDo(PermReadClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		r, err := f.s.RecordStatuses(f.ctx, a, []ids.Encounter{x.enc.ID})
		_, shown := r[x.enc.ID]
		return shown, err
	}},
	// One contact's messages: a clinician's under need-to-know, the
	// integration role's (no service) by duty.
	"OutboxList": {needOne, func(a Actor, _ needTarget) bool { return a.Role.Can(PermReadClinical) || a.Role.Can(PermOutboxSend) }, func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.OutboxList(f.ctx, a, OutboxFilter{EncounterID: x.enc.ID})
		return false, err
	}},
	"OutboxRetry": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.OutboxRetry(f.ctx, a, f.message(x).ID)
		return false, err
	}},
	"OutboxPark": {needOne, canDo(PermWriteClinical), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		m, err := f.s.OutboxRetry(f.ctx, f.doc, f.message(x).ID) // waiting again
		require.NoError(f.t, err)
		_, err = f.s.OutboxPark(f.ctx, a, m.ID, "holdt tilbake")
		return false, err
	}},
	// A clinician reads what a message sends under need-to-know; the
	// sender reads a message it holds the lease of.
	"OutboxPayload": {needOne, func(a Actor, _ needTarget) bool { return a.Role.Can(PermReadClinical) || a.Role.Can(PermOutboxSend) },
		func(f *needFixture, a Actor, x needTarget) (bool, error) {
			m := f.message(x)
			if a.Role == RoleIntegration {
				m = f.leased(x)
			}
			_, err := f.s.OutboxPayload(f.ctx, a, m)
			return false, err
		}},
	"OutboxFindObservations": {needSender, canDo(PermOutboxSend), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.OutboxFindObservations(f.ctx, a, f.senderMessage(a, x), []ObservationKey{{Kind: vitals.HR, Source: "mon-1", HostTime: f.clock.now()}})
		return false, err
	}},
	"OutboxSent": {needSender, canDo(PermOutboxSend), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		return false, f.s.OutboxSent(f.ctx, a, f.senderMessage(a, x).ID, "nk")
	}},
	"OutboxRetryAt": {needSender, canDo(PermOutboxSend), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		return false, f.s.OutboxRetryAt(f.ctx, a, f.senderMessage(a, x).ID, "nk", f.clock.now().Add(time.Minute), "opptatt")
	}},
	"OutboxRefused": {needSender, canDo(PermOutboxSend), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		return false, f.s.OutboxRefused(f.ctx, a, f.senderMessage(a, x).ID, "nk", "avvist")
	}},
	"ClaimOutboxRun": {needSender, canDo(PermOutboxSend), func(f *needFixture, a Actor, x needTarget) (bool, error) {
		_, err := f.s.ClaimOutboxRun(f.ctx, a, f.senderMessage(a, x), "nk", time.Hour, 10)
		return false, err
	}},
}

// senderMessage is a message leased to "nk" for the sender, and x's
// newest message for anyone else (refused by role before it is read).
func (f *needFixture) senderMessage(a Actor, x needTarget) OutboxMessage {
	if a.Role == RoleIntegration {
		return f.leased(x)
	}
	m := f.message(x)
	if m.Kind != OutboxObservations {
		m.Kind = OutboxObservations // ClaimOutboxRun asks the store only for a run of observations
	}
	return m
}

// close ends a contact a case opened (as the physician), so x's
// patient is in the same queues as before.
func (f *needFixture) close(e Encounter, err error) {
	f.t.Helper()
	if err != nil {
		return
	}
	e.Status = Done
	_, uerr := f.s.UpdateEncounter(f.ctx, f.doc, e)
	require.NoError(f.t, uerr)
}

// needExempt lists the exported store methods that take no encounter or
// patient id, each with why need-to-know is not theirs to apply per id.
var needExempt = map[string]string{
	"AccessControl":    "no patient data",
	"Backend":          "no patient data",
	"StoreID":          "no patient data",
	"Close":            "no patient data",
	"HasAccounts":      "accounts, no patient data",
	"CreateUser":       "accounts, no patient data",
	"Users":            "accounts, no patient data",
	"ChangeUser":       "accounts, no patient data",
	"Credentials":      "accounts, no patient data",
	"UserByOIDC":       "accounts, no patient data",
	"RecordLogin":      "accounts, no patient data",
	"AccessLog":        "the patient's access log by identity number: administrators only (audit.review), no clinical role",
	"Review":           "log review: administrators only",
	"MarkReviewed":     "log review (an entry's sequence number): administrators only",
	"AuditHead":        "the chain head: no patient data",
	"AuditLog":         "the audit log (a sequence number): administrators only",
	"VerifyAudit":      "chain verification: no patient data returned",
	"VerifyAuditWith":  "chain verification: no patient data returned",
	"Queue":            "no ids: the service's own queue (visibleQueue)",
	"AppendQueue":      "no ids: the service's own queue (visibleQueue)",
	"CreatePatient":    "no id: a new patient",
	"FindPatientByNID": "an identity number: the patient found is named in its entry, so checkNeedToKnow refuses it (TestFindingByIdentityNumberNeedsABasisUnlessRegistering)",
	"LastCallFrom":     "a phone number: the patient found is named in its entry, so checkNeedToKnow refuses it",
	"EndedCalls":       "no ids: a time range of ended calls, the service's own (TestEndedCallsAreThePhoneCentresAndCountAsAccess)",
	"ECGsForReview":    "no ids: the review list, the service's own patients' (TestTheECGReviewListIsTheServicesOwn)",
	"Export":           "no ids: a range of arrival times, the integration role's duty (PermExport); a list case (TestEveryListShowsOnlyNeedToKnowAndNamesEveryPatient)",
	"SetOutboxRoutes":  "routes: no patient data",
	"OutboxRoutes":     "routes: no patient data",
	"RecordsInstance":  "no patient data",
	"OutboxHealth":     "totals per destination: no patient data",
	"ClaimOutbox":      "no ids: the sender claims due messages (integration only)",
	"Watch":            "the change feed: kinds and encounter ids, no patient data, no actor (in-process)",
}

// Every exported method of *Store is either in the need-to-know table or
// exempt with a reason, never both: a new method cannot be forgotten.
func TestEveryStoreMethodIsClassifiedForNeedToKnow(t *testing.T) {
	typ := reflect.TypeOf(&Store{})
	var missing []string
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		_, inTable := needCases[name]
		_, exempt := needExempt[name]
		switch {
		case inTable && exempt:
			t.Errorf("%s is both in needCases and in needExempt", name)
		case !inTable && !exempt:
			missing = append(missing, name)
		}
	}
	assert.Empty(t, missing, "exported store methods missing from needCases (they take an encounter or patient id) or needExempt (with why not)")
	for name := range needCases {
		_, ok := typ.MethodByName(name)
		assert.True(t, ok, "needCases names %s, which the store does not have", name)
	}
	for name := range needExempt {
		_, ok := typ.MethodByName(name)
		assert.True(t, ok, "needExempt names %s, which the store does not have", name)
	}
}

// Every id-taking store method x every role x (the own service's contact,
// the other service's) x (with a basis, without): a role without the
// permission is refused by role; a clinician with a service reads or
// records the other service's patient only on a basis (refused, or for
// the boards left out, and the refusal audited); a physician (no
// service) and the sender (no service) are not asked for one; and every
// access that goes through is in the log naming the patient, in the
// actor's name, role and basis (assertNamed).
func TestEveryIDTakingMethodAppliesNeedToKnow(t *testing.T) {
	names := make([]string, 0, len(needCases))
	for name := range needCases {
		names = append(names, name)
	}
	slices.Sort(names)
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		for _, name := range names {
			c := needCases[name]
			t.Run(name, func(t *testing.T) {
				f := newNeedFixture(t, dsn(t))
				admin := f.staff[string(RoleAdmin)]
				for _, role := range Roles {
					for _, x := range []needTarget{f.walk, f.call} {
						for _, basis := range []bool{false, true} {
							a := f.staff[string(role)]
							if basis {
								a = a.withBasis(BasisAcute, "")
							}
							what := fmt.Sprintf("%s as %s on a %s contact, basis %t", name, role, x.channel, basis)
							f.t = t
							head, _, err := f.s.AuditHead(f.ctx)
							require.NoError(t, err)
							shown, err := c.call(f, a, x)
							own := a.Service == "" || a.Service == x.service
							switch {
							case !c.may(a, x):
								require.ErrorIs(t, err, ErrForbidden, what)
								assert.False(t, errors.As(err, new(*BasisRequiredError)), "%s: refused by role, not for a basis", what)
							case c.kind == needOne && !own && !basis:
								var be *BasisRequiredError
								require.ErrorAs(t, err, &be, what)
								assert.Equal(t, x.patient.ID, be.PatientID, what)
								assertDenied(t, f, admin, head, a, x.patient.ID, what)
							case c.kind == needList:
								require.NoError(t, err, what)
								assert.Equal(t, own || basis, shown, "%s: shown", what)
								if !own && !basis {
									assertDenied(t, f, admin, head, a, x.patient.ID, what)
								} else {
									assertNamed(t, f, admin, head, a, x.patient.ID, what)
								}
							default:
								require.NoError(t, err, what)
								if !(x.channel == WalkIn && invalidOnAWalkIn[name]) && name != "ClaimOutboxRun" {
									assertNamed(t, f, admin, head, a, x.patient.ID, what)
								}
							}
						}
					}
				}
			})
		}
	})
}

// invalidOnAWalkIn are the cases whose call on a walk-in is refused as
// invalid input (a walk-in has no outcome to set, no call-back owed):
// rolled back, nothing of the patient returned but the refusal, so no
// access entry is owed.
// ClaimOutboxRun owes none either: it extends the sender's lease to the
// following messages of a patient whose first it holds, reading no data
// (OutboxPayload reads them, and names the patient).
var invalidOnAWalkIn = map[string]bool{"SetOutcome": true, "CallBackDone": true}

// assertNamed checks that an access that went through is in the log
// after head: an entry of a, in its role and on its basis, naming the
// patient (as its patient, or in a list read's "patients="), so it is in
// the patient's access log. The record sender's cases work on a message
// of a new contact made for the lease (needFixture.leased): for it, an
// entry naming a patient is asked for.
func assertNamed(t *testing.T, f *needFixture, admin Actor, head int64, a Actor, patient ids.Patient, what string) {
	t.Helper()
	log, err := f.s.AuditLog(f.ctx, admin, head, 10000)
	require.NoError(t, err)
	for _, e := range log {
		if e.Actor != a.User || e.Role != string(a.Role) || e.Basis != basisText(a.Basis) || e.Action == "access.denied" {
			continue
		}
		if e.PatientID == patient || listsAny(e.Detail, map[ids.Patient]bool{patient: true}) || (a.Role == RoleIntegration && e.PatientID != 0) {
			return
		}
	}
	t.Errorf("%s: no audit entry of %s names patient %d", what, a.User, patient)
}

// assertDenied checks that the refused access left one access.denied
// entry after head, naming a and the patient.
func assertDenied(t *testing.T, f *needFixture, admin Actor, head int64, a Actor, patient ids.Patient, what string) {
	t.Helper()
	log, err := f.s.AuditLog(f.ctx, admin, head, 1000)
	require.NoError(t, err)
	var n int
	for _, e := range log {
		if e.Action == "access.denied" && e.Actor == a.User && e.PatientID == patient {
			n++
			assert.Equal(t, string(a.Role), e.Role, what)
		}
	}
	assert.Equal(t, 1, n, "%s: one access.denied entry naming the user and the patient", what)
}

// A clinician's OutboxPayload reads the message as the outbox has it: a
// message made up from the own patient's message with another service's
// assessment (or contact) reads nothing of those.
func TestOutboxPayloadReadsTheStoredMessageNotTheCallersCopy(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		f := newNeedFixture(t, dsn(t))
		rec := f.staff[string(RoleReception)]
		msgs, err := f.s.OutboxList(f.ctx, f.doc, OutboxFilter{EncounterID: f.walk.enc.ID})
		require.NoError(t, err)
		var forged OutboxMessage
		for _, m := range msgs {
			if m.Kind == OutboxAssessment {
				forged = m
			}
		}
		require.NotZero(t, forged.ID)
		other, err := f.s.Assessments(f.ctx, f.doc, f.call.enc.ID)
		require.NoError(t, err)
		require.NotEmpty(t, other)
		forged.RefFrom, forged.RefTo = other[0].ID, other[0].ID
		pl, err := f.s.OutboxPayload(f.ctx, rec, forged)
		require.NoError(t, err)
		require.NotNil(t, pl.Assessment)
		assert.Equal(t, f.walk.enc.ID, pl.Assessment.EncounterID, "the stored message's assessment")
		forged.EncounterID = f.call.enc.ID
		pl, err = f.s.OutboxPayload(f.ctx, rec, forged)
		require.NoError(t, err)
		assert.Equal(t, f.walk.enc.ID, pl.Encounter.ID, "the stored message's contact")
		assert.Equal(t, f.walk.patient.ID, pl.Patient.ID)
	})
}

// The list of ended calls (to reopen one) is the phone centre's: a
// reception nurse sees none without a basis. Its read names the callers,
// so it counts in each caller's access log.
func TestEndedCallsAreThePhoneCentresAndCountAsAccess(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		ctx := context.Background()
		clock := newClock()
		s := open(t, dsn(t), WithClock(clock.now))
		st := staff(t, s)
		phone, rec, doc := st[string(RolePhone)], st[string(RoleReception)], st[string(RolePhysician)]
		nid := validNID(t, "010190", 100)
		na := assessment(0, triage.Red)
		nc := validCall(0, 0)
		reg, err := s.Register(ctx, phone, Registration{Patient: NewPatient{NID: nid, Name: "Ringer"},
			Encounter: NewEncounter{Channel: Phone}, Assessment: &na, Call: &nc, Outcome: OutcomeHandedOver})
		require.NoError(t, err)
		for _, c := range []struct {
			who  string
			a    Actor
			want int
		}{
			{"the phone centre", phone, 1},
			{"reception", rec, 0},
			{"reception on a basis", rec.withBasis(BasisAcute, ""), 1},
			{"a physician", doc, 1},
		} {
			got, err := s.EndedCalls(ctx, c.a, clock.now().Add(-time.Hour), 10)
			require.NoError(t, err, c.who)
			assert.Len(t, got, c.want, c.who)
		}
		log, err := s.AccessLog(ctx, st[string(RoleAdmin)], nid, clock.now().Add(-time.Hour), clock.now().Add(time.Hour))
		require.NoError(t, err)
		var listed []string
		for _, e := range log {
			if e.Action == "call.ended.read" {
				assert.True(t, e.List)
				listed = append(listed, e.User)
			}
		}
		assert.ElementsMatch(t, []string{phone.User, rec.User, doc.User}, listed, "every read that showed the caller, none that did not")
		assert.NotZero(t, reg.Patient.ID)
	})
}

// The ECG review list shows a user with a service the ECGs of patients in
// the service's queue; a basis or no service (a physician) shows all.
func TestTheECGReviewListIsTheServicesOwn(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn func(testing.TB) string) {
		f := newNeedFixture(t, dsn(t))
		rec, phone := f.staff[string(RoleReception)], f.staff[string(RolePhone)]
		for _, c := range []struct {
			who  string
			a    Actor
			want []int64
		}{
			{"reception", rec, []int64{f.walk.ecg.ID}},
			{"the phone centre", phone, []int64{f.call.ecg.ID}},
			{"reception on a basis", rec.withBasis(BasisAcute, ""), []int64{f.walk.ecg.ID, f.call.ecg.ID}},
			{"a physician", f.doc, []int64{f.walk.ecg.ID, f.call.ecg.ID}},
		} {
			list, err := f.s.ECGsForReview(f.ctx, c.a, f.clock.now())
			require.NoError(t, err, c.who)
			var got []int64
			for _, r := range list {
				got = append(got, r.ID)
			}
			assert.ElementsMatch(t, c.want, got, c.who)
		}
	})
}
