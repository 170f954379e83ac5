package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
)

// needToKnowEncounters applies need-to-know to a read of many contacts
// at once (the ECG board, the record state): the same rule as
// checkNeedToKnow applies to a read of one patient, so a contact whose
// patient has no open encounter in the actor's service queue is read only
// on a stated basis (or emergency access). Such contacts are left out of
// what it returns, in the order given, and each is audited as a refused
// access ("access.denied", "basis required action=..."), in the read's
// own transaction, so that log review lists it as it lists every refused
// read. Why leave out instead of refusing the whole read: the boards ask
// with the contacts of the queue they just read, and a patient who left
// that queue a moment before (sent home at another desk) must not blank
// the state of everyone else on the board or ask the nurse for a basis;
// the next queue read no longer lists them. Contacts that do not exist
// are kept (they show nothing). Without a service (physicians), with a
// basis, for the store itself, or without access control, every contact
// is kept.
func (t *txn) needToKnowEncounters(ctx context.Context, action string, encounterIDs []ids.Encounter) ([]ids.Encounter, error) {
	a := t.actor
	if !t.s.bound || a.system || a.Service == "" || a.Basis.Reason != "" || !t.enforcing() {
		return encounterIDs, nil
	}
	refused := map[ids.Encounter]bool{}
	for start := 0; start < len(encounterIDs); start += 500 {
		chunk := encounterIDs[start:min(start+500, len(encounterIDs))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := t.query(ctx, "SELECT x.id, x.patient_id FROM encounters x WHERE x.id IN ("+marks+
			") AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = x.patient_id AND "+queueOpen+" AND "+serviceChannelSQL(a.Service)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("need-to-know: %w", err)
		}
		type refusal struct {
			enc     ids.Encounter
			patient ids.Patient
		}
		var out []refusal
		for rows.Next() {
			var r refusal
			if err := rows.Scan(&r.enc, &r.patient); err != nil {
				rows.Close()
				return nil, fmt.Errorf("need-to-know: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("need-to-know: %w", err)
		}
		for _, r := range out {
			if refused[r.enc] {
				continue
			}
			refused[r.enc] = true
			if err := t.auditEncounter(ctx, "access.denied", r.enc, r.patient, "basis required action="+action); err != nil {
				return nil, err
			}
		}
	}
	if len(refused) == 0 {
		return encounterIDs, nil
	}
	kept := make([]ids.Encounter, 0, len(encounterIDs)-len(refused))
	for _, id := range encounterIDs {
		if !refused[id] {
			kept = append(kept, id)
		}
	}
	return kept, nil
}

// needToKnowFirst applies need-to-know to a call about patient before the
// call checks anything else: the rule of checkNeedToKnow for a contact
// as it is now, so that the error of a refused call (an outcome not
// allowed for the contact's channel or level told, a call record it has
// already) tells nothing of another service's contact. The refusal is
// recorded as checkNeedToKnow records it. A contact of the actor's own
// channel is left to checkNeedToKnow at the end, which knows the own work
// that takes a contact out of the queue or brings it back (a call handed
// to AMK, a call reopened).
func (t *txn) needToKnowFirst(ctx context.Context, action string, enc Encounter) error {
	a := t.actor
	if !t.s.bound || a.system || a.Service == "" || a.Basis.Reason != "" || !t.enforcing() {
		return nil
	}
	if (a.Service == ServicePhone) == (enc.Channel == Phone) || (a.Service == ServiceReception && enc.Outcome == OutcomeExpected) {
		return nil
	}
	entity, entityID, patient := "encounter", int64(enc.ID), enc.PatientID
	var n int
	err := t.queryRow(ctx, "SELECT count(*) FROM encounters e WHERE e.patient_id = ? AND "+queueOpen+" AND "+serviceChannelSQL(a.Service), patient).Scan(&n)
	if err != nil {
		return fmt.Errorf("need-to-know: %w", err)
	}
	if n > 0 {
		return nil
	}
	t.denied = append(t.denied, AuditEntry{Action: "access.denied", Entity: entity, EntityID: entityID, PatientID: patient,
		Detail: "basis required action=" + action})
	return &BasisRequiredError{PatientID: patient}
}

// endedCallsView is the view of an EndedCalls read: the listed calls, in
// the order shown, and what the history shows of them.
func endedCallsView(items []queue.Item) listView {
	return itemsView("ended-calls", "call.ended.read", items, func() string {
		return patientsDetail(fmt.Sprintf("count=%d", len(items)), len(items), func(i int) ids.Patient { return items[i].PatientID })
	})
}

// needToKnowReviewSQL is the condition that keeps, of the ECG review
// list (ecgs e of encounters c), the ECGs of patients in the actor's
// service queue: the rule of checkNeedToKnow for a list the actor passes
// no ids to, as visibleQueue is for the queue. Empty without a service,
// with a basis, for the store itself or without access control.
func (t *txn) needToKnowReviewSQL() string {
	a := t.actor
	if !t.s.bound || a.system || a.Service == "" || a.Basis.Reason != "" || !t.enforcing() {
		return ""
	}
	// The inner alias e (an encounter) hides the outer e (the ECG):
	// queueOpen and serviceChannelSQL name their encounter e.
	return " AND EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = c.patient_id AND " + queueOpen + " AND " + serviceChannelSQL(a.Service) + ")"
}
