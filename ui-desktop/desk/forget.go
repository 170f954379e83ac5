package desk

import (
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// forgetLeft drops what the desk learnt about patients who are no longer
// in the queue: their last missing values and result (for the worded
// NEWS2 and the red rules' names) and their identity at a glance. They
// were kept for the whole session, one entry per patient registered,
// re-triaged or monitored on this workstation, so the desk grew with
// every patient of the shift (docs/PERFORMANCE.md, "Memory"); the store
// keeps everything. The form's own patient is kept even when out of the
// queue (the nurse may still be saving her), and so is a patient a
// monitor is attached to.
func (a *App) forgetLeft(inQueue map[ids.Encounter]bool) {
	keep := func(id ids.Encounter) bool {
		if inQueue[id] {
			return true
		}
		if a.form != nil && a.form.enc != nil && a.form.enc.ID == id {
			return true
		}
		return a.attachedFeed(id) != nil
	}
	for id := range a.lastResult {
		if !keep(id) {
			delete(a.lastResult, id)
		}
	}
	for id := range a.lastMissing {
		if !keep(id) {
			delete(a.lastMissing, id)
		}
	}
	for id := range a.idents {
		if !keep(id) {
			delete(a.idents, id)
		}
	}
}

// forgetPatient starts a monitor that moves to another patient afresh:
// what it sent so far was the previous patient's, and stays in her
// history and in the store. Kept, it was shown in the new patient's trend
// and live values, scored for him until each vital came again (a blood
// pressure only every few minutes), and copied into his history when his
// triage was saved: a monitor moved from patient to patient carried up to
// TrendWindow of other patients' values into each one's history, the
// largest part of the desk's growth in its first half hour
// (docs/PERFORMANCE.md, "Memory").
func (lf *liveFeed) forgetPatient() {
	lf.recent = nil
	lf.latest = map[vitals.Kind]vitals.Observation{}
	lf.ecg, lf.lastECG, lf.ecgSeen = nil, ECGReading{}, false
}
