// Package recordstate is what both front ends show about the transfer to
// the patient record (issue 14 item 4): per patient, whether the record has
// the latest vitals and triage (sent, waiting, refused with reason), and
// the outbox's totals for the status line. Screens call this package, never
// the store; the words are records/status's, in bokmål and English.
package recordstate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/records/status"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// Store is the part of the store the record state reads.
type Store interface {
	RecordStatuses(ctx context.Context, a store.Actor, encounterIDs []ids.Encounter) (map[ids.Encounter][]store.RecordStatus, error)
	OutboxHealth(ctx context.Context) ([]store.OutboxTotals, error)
}

// Patient is one encounter's record state, worded.
type Patient struct {
	// Cell is the state for a narrow column: the worst of the latest
	// vitals and triage over every destination (refused before waiting
	// before sent), e.g. nb "avvist", en "refused"; "–" when nothing is
	// routed to a record for this encounter.
	Cell string
	// Lines are the full words, one per destination and what, e.g. nb
	// "Journal: hastegrad avvist av journalsystemet; kontakt
	// systemansvarlig" (English also gives the receiver's reason).
	Lines []string
	// Refused: something of this patient's is refused and waits for a fix.
	Refused bool
	// Waiting: something is not yet in the record.
	Waiting bool
}

// Reader reads the record state as one workstation user (the reads of
// per-patient state are audited as Actor, like the queue).
type Reader struct {
	Store Store
	Actor store.Actor
	Lang  wording.Lang   // bokmål or English
	Loc   *time.Location // the clinic's time zone; nil means time.Local
}

func (r Reader) loc() *time.Location {
	if r.Loc == nil {
		return time.Local
	}
	return r.Loc
}

// rank orders states from best to worst for the Cell.
func rank(s store.OutboxState) int {
	switch s {
	case store.OutboxSent:
		return 1
	case store.OutboxWaiting:
		return 2
	case store.OutboxParked:
		return 3
	}
	return 0
}

// Patients words the record state of each encounter in encounterIDs; an
// encounter with nothing routed gets Cell "–" and no lines. On error the
// screen shows Unknown for every patient, never "nothing to send".
func (r Reader) Patients(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]Patient, error) {
	got, err := r.Store.RecordStatuses(ctx, r.Actor, encounterIDs)
	if err != nil {
		return nil, fmt.Errorf("record state: %w", err)
	}
	out := make(map[ids.Encounter]Patient, len(encounterIDs))
	for _, id := range encounterIDs {
		var p Patient
		worst := store.OutboxState("")
		for _, rs := range got[id] {
			for _, it := range []struct {
				item store.RecordItem
				what status.What
			}{{rs.Vitals, status.Vitals}, {rs.Triage, status.Triage}} {
				if it.item.State == "" {
					continue
				}
				line := status.Item(it.item, it.what, r.Lang, r.loc())
				if len(got[id]) > 1 {
					line += " (" + rs.Destination + ")"
				}
				p.Lines = append(p.Lines, line)
				if rank(it.item.State) > rank(worst) {
					worst = it.item.State
				}
			}
		}
		p.Cell = status.Short(worst, r.Lang)
		p.Refused, p.Waiting = worst == store.OutboxParked, worst == store.OutboxParked || worst == store.OutboxWaiting
		out[id] = p
	}
	return out, nil
}

// Unknown is what a screen shows for a patient when Patients failed.
func (r Reader) Unknown() Patient {
	return Patient{Cell: "?", Lines: []string{status.Unknown(r.Lang)}}
}

// Heading is the record column's name.
func (r Reader) Heading() string { return status.Heading(r.Lang) }

// HealthLine is the outbox's part of a status line: each routed
// destination's totals (status.Health) joined by " · "; "" when nothing
// is routed (no record integration configured). Not audited: totals only.
func (r Reader) HealthLine(ctx context.Context) (string, error) {
	ts, err := r.Store.OutboxHealth(ctx)
	if err != nil {
		return "", fmt.Errorf("record health: %w", err)
	}
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		parts = append(parts, status.Health(t, r.Lang, r.loc()))
	}
	return strings.Join(parts, " · "), nil
}
