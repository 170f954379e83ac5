package desk

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/workstation/recordstate"
)

// RecordState is the transfer to the patient record (issue 14 item 4):
// per patient whether the record has the latest vitals and triage, and
// the outbox's health line; *recordstate.Reader implements it.
type RecordState interface {
	Patients(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]recordstate.Patient, error)
	HealthLine(ctx context.Context) (string, error)
	Unknown() recordstate.Patient
}

// recordView is the latest record state read with the queue.
type recordView struct {
	patients map[ids.Encounter]recordstate.Patient
	failed   bool   // the per-patient read failed: rows say "unknown"
	health   string // "" when no record system is routed
}

// refreshRecords reads the record state of the patients in q (with the
// queue, on the UI goroutine) and puts the health line on the device bar.
func (a *App) refreshRecords(q []queue.Entry) {
	if a.d.Records == nil {
		return
	}
	encs := make([]ids.Encounter, len(q))
	for i, e := range q {
		encs[i] = e.EncounterID
	}
	p, err := a.d.Records.Patients(a.ctx, encs)
	if err != nil {
		a.d.Logf("record state: %v", err) // ids only, never patient data
	}
	a.rec.patients, a.rec.failed = p, err != nil
	h, err := a.d.Records.HealthLine(a.ctx)
	if err != nil {
		a.d.Logf("record health: %v", err)
		h = a.d.Records.Unknown().Lines[0]
	}
	a.rec.health = h
	a.dev.showRecords(h)
}

// recordLine is a board row's record state in words ("" when no record
// system is routed, or nothing of the patient's is to be sent).
func (a *App) recordLine(enc ids.Encounter) string {
	if a.d.Records == nil || a.rec.health == "" {
		return ""
	}
	if a.rec.failed {
		return strings.Join(a.d.Records.Unknown().Lines, " · ")
	}
	return strings.Join(a.rec.patients[enc].Lines, " · ")
}

// showRecords puts the outbox's health line on the device bar (hidden
// when no record system is routed).
func (d *deviceBar) showRecords(line string) {
	setText(d.records, line)
	if line == "" {
		d.records.Hide()
	} else {
		d.records.Show()
	}
}

// newRecordsLabel is the device bar's record line: it wraps, so it is
// whole at every text size.
func newRecordsLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}
