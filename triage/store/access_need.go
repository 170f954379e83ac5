package store

import (
	"context"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"strings"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
)

// BasisReason is the listed reason for opening a patient outside the
// user's own service queue (need-to-know, docs/security.md).
type BasisReason string

// The listed reasons. BasisEmergency is break-the-glass: always allowed,
// recorded as such and flagged for follow-up in log review.
const (
	BasisAcute     BasisReason = "akutt_behov"         // acute need
	BasisConsent   BasisReason = "samtykke"            // the patient consents
	BasisOngoing   BasisReason = "pagaende_behandling" // ongoing treatment of this patient
	BasisOther     BasisReason = "annet"               // other: the note says what
	BasisEmergency BasisReason = "nodtilgang"          // emergency access (break the glass)
)

// BasisReasons lists the reasons a screen offers, in order.
var BasisReasons = []BasisReason{BasisAcute, BasisConsent, BasisOngoing, BasisOther, BasisEmergency}

// BasisLabel is a reason as the user and the patient read it, in bokmål
// ("nb") or English ("en"): the words are the wording layer's
// (wording.Basis); the store keeps the code.
func BasisLabel(r BasisReason, lang wording.Lang) string { return wording.Basis(string(r), lang) }

// Basis is why a user opens a patient outside their service's queue: a
// listed reason and, for "annet" (and whenever the user wishes), a note.
type Basis struct {
	Reason BasisReason
	Note   string
}

func (b Basis) validate() error {
	if b.Reason == "" && b.Note == "" {
		return nil
	}
	ok := false
	for _, r := range BasisReasons {
		ok = ok || r == b.Reason
	}
	if !ok {
		return invalid("basis reason", "%q, want one of akutt_behov, samtykke, pagaende_behandling, annet, nodtilgang", b.Reason)
	}
	if b.Reason == BasisOther && strings.TrimSpace(b.Note) == "" {
		return invalid("basis note", "required with reason annet: say why")
	}
	return checkText("basis note", b.Note, 200)
}

// String is the stored form: "reason" or "reason: note".
func (b Basis) String() string {
	if b.Note == "" {
		return string(b.Reason)
	}
	return string(b.Reason) + ": " + b.Note
}

// ParseBasis reads the stored form back.
func ParseBasis(s string) Basis {
	r, note, _ := strings.Cut(s, ": ")
	return Basis{Reason: BasisReason(r), Note: note}
}

// BasisRequiredError: the patient is not in the user's service queue;
// call again with Actor.Basis set (a listed reason), or with emergency
// access. It wraps ErrForbidden.
type BasisRequiredError struct {
	PatientID ids.Patient
}

// Error says what to do.
func (e *BasisRequiredError) Error() string {
	return fmt.Sprintf("patient %d is not in your service's queue: give the basis for opening the record (akutt_behov, samtykke, pagaende_behandling, annet with a note) or use emergency access (nodtilgang)", e.PatientID)
}

// Unwrap makes it an ErrForbidden.
func (e *BasisRequiredError) Unwrap() error { return ErrForbidden }

// actionsWithoutBasis are the patient entries that never need a basis:
// registering a patient, opening an encounter and merging a duplicate
// record (allowed to registering roles only) are the service's own work,
// and refusals and bindings are the store's.
var actionsWithoutBasis = map[string]bool{
	"patient.create": true, "encounter.create": true, "patient.merge": true, "access.denied": true, "audit.bind": true, "rows.write": true,
	// A dropped call's call-back is the phone centre's own work though the call left the queue; another service is refused first (needToKnowFirst).
	"call.dropped.read": true, "call.callback": true,
}

// serviceChannel says which encounters are a service's own: reception's
// are walk-ins and callers told to come in; the phone centre's are calls.
func serviceChannelSQL(svc Service) string {
	if svc == ServicePhone {
		return "e.channel = 'phone'"
	}
	return "(e.channel = 'walk_in' OR e.outcome = 'expected')"
}

// checkNeedToKnow refuses, at the end of a transaction, entries about a
// patient outside the actor's service queue that have no basis. It runs
// at the end so that a registration that finds a returning patient and
// opens their encounter in one transaction is its service's own work.
func (t *txn) checkNeedToKnow(ctx context.Context) error {
	a := t.actor
	if !t.s.bound || a.system || a.Service == "" || !t.enforcing() {
		return nil
	}
	if a.Basis.Reason != "" {
		return nil // stated: recorded in every entry of the transaction
	}
	ok := map[ids.Patient]bool{}
	// A contact this transaction opens in the actor's own service is its
	// own work even when the same transaction ends it (a call handed to
	// AMK or closed with advice is saved whole, already out of the queue).
	for _, e := range t.entries {
		if e.Action == "encounter.create" && e.PatientID != 0 && (e.Detail == "channel="+string(Phone)) == (a.Service == ServicePhone) {
			ok[e.PatientID] = true
		}
		// Ending a contact that was in the actor's own queue (a phone
		// nurse handing a waiting call to AMK from the queue board) is
		// the service's own work too, though it leaves the queue.
		// So is moving a contact of the own queue on by its status (a
		// reception nurse sending a walk-in home or in to the doctor).
		if (e.Action == "encounter.outcome" || e.Action == "encounter.update") && e.PatientID != 0 && !ok[e.PatientID] {
			mine, err := t.wasInQueueOf(ctx, a.Service, e)
			if err != nil {
				return err
			}
			if mine {
				ok[e.PatientID] = true
			}
		}
	}
	for _, e := range t.entries {
		if e.PatientID == 0 || actionsWithoutBasis[e.Action] {
			continue
		}
		in, seen := ok[e.PatientID]
		if !seen {
			var n int
			err := t.queryRow(ctx, "SELECT count(*) FROM encounters e WHERE e.patient_id = ? AND "+queueOpen+" AND "+serviceChannelSQL(a.Service), e.PatientID).Scan(&n)
			if err != nil {
				return fmt.Errorf("need-to-know: %w", err)
			}
			in = n > 0
			ok[e.PatientID] = in
		}
		if !in {
			t.denied = append(t.denied, AuditEntry{Action: "access.denied", Entity: e.Entity, EntityID: e.EntityID, PatientID: e.PatientID,
				Detail: "basis required action=" + e.Action})
			return &BasisRequiredError{PatientID: e.PatientID}
		}
	}
	return nil
}

// wasInQueueOf reports whether the encounter of an outcome or status
// entry was in svc's waiting queue before the change. For an outcome
// entry: its status (which an outcome leaves as it was) is a queue
// status and the outcome it had ("from=" in the entry) kept it in the
// queue. For a status entry: the status it had ("from=") is a queue
// status and its outcome (which a status change leaves as it was) keeps
// it in the queue. Either way its channel is svc's.
func (t *txn) wasInQueueOf(ctx context.Context, svc Service, e AuditEntry) (bool, error) {
	_, from, found := strings.Cut(e.Detail, " from=")
	if !found {
		return false, nil
	}
	var channel, status, outcome string
	if err := t.queryRow(ctx, "SELECT channel, status, outcome FROM encounters WHERE id = ?", e.EntityID).Scan(&channel, &status, &outcome); err != nil {
		return false, fmt.Errorf("need-to-know: %w", err)
	}
	if e.Action == "encounter.update" {
		status = from
	} else {
		outcome = from
	}
	if !strings.Contains(queueStatuses, "'"+status+"'") || (outcome != string(OutcomeWaiting) && outcome != string(OutcomeExpected)) {
		return false, nil
	}
	if svc == ServicePhone {
		return channel == string(Phone), nil
	}
	return channel == string(WalkIn) || outcome == string(OutcomeExpected), nil
}

// visibleQueue is the part of the queue the actor's service sees: all of
// it without a service (physicians) or without access control.
func (s *Store) visibleQueue(a Actor, items []queue.Item, enforcing bool) []queue.Item {
	if a.Service == "" || !enforcing {
		return items
	}
	out := make([]queue.Item, 0, len(items))
	for _, it := range items {
		mine := it.Channel == string(Phone)
		if a.Service == ServiceReception {
			mine = it.Channel == string(WalkIn) || it.Outcome == string(OutcomeExpected)
		}
		if mine {
			out = append(out, it)
		}
	}
	return out
}

// queueDetail is the audit detail of a queue read: the count and every
// listed patient, so that the read counts as access to each of them in
// the patient's access log.
func queueDetail(items []queue.Item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "count=%d", len(items))
	if len(items) > 0 {
		b.WriteString(" patients=")
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%d", it.PatientID)
		}
	}
	return b.String()
}

// keep returns v only when err is nil: a refused read (need-to-know,
// role) returns nothing of what the rolled-back transaction read.
func keep[T any](v T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}
