package desk

// Saving a triage, re-triage of a waiting patient, and the reads from the
// store they need (history, acknowledgements).

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// loadAcks reads the encounter's acknowledgements from the store, off the
// UI goroutine, and shows them if the form still has that encounter.
func (a *App) loadAcks(id ids.Encounter) {
	go func() {
		acks, err := a.d.Store.Acks(a.ctx, id)
		a.d.Do(func() {
			if err != nil {
				a.d.Logf("acknowledgements: %v", err)
				return
			}
			if a.enc != nil && a.enc.ID == id {
				a.form.showAcks(acks)
			}
		})
	}()
}

func (f *formScreen) fail(msg string) {
	f.msg.Importance = widget.DangerImportance
	f.msg.SetText(msg)
}

// SaveTriage stores the form's assessment for its patient. A waiting
// patient still on the monitor is then watched for deterioration against
// this result.
func (a *App) SaveTriage() {
	f, l := a.form, a.lang
	if a.enc == nil {
		f.fail(l.T("triage.err.nopatient"))
		return
	}
	a.rescore()
	if _, ok, err := f.ageDays(); err != nil || !ok {
		// Never save a triage on adult rules by default: a child's age
		// changes the colour. The nurse types it, estimated if need be.
		if err != nil {
			f.fail(l.T("triage.age.err", strings.TrimSpace(f.age.Text)))
		} else {
			f.fail(l.T("triage.err.age"))
		}
		a.focus(f.age)
		return
	}
	if a.scoreErr != nil || !a.resultOK {
		f.fail(l.T("triage.err.score", fmt.Sprint(a.scoreErr)))
		return
	}
	if m, problem := f.manualProblem(); m != nil {
		// Nothing typed is ever dropped: the field says what is wrong, and
		// the save waits until it is fixed (or confirmed).
		f.fail(problem)
		if m.confirm.Visible() {
			a.focus(m.confirm)
		} else {
			a.focus(m.entry)
		}
		return
	}
	if f.overrideErr != nil {
		f.fail(f.overrideErr.Error())
		a.focus(f.why)
		return
	}
	incomplete := a.result.NEWS2Applicable && !a.result.NEWS2Complete
	if incomplete && !f.incompleteAsked {
		// Asked once: the next Save stores it, recorded as the nurse's choice.
		f.incompleteAsked = true
		f.fail(l.T("triage.save.incomplete", paramList(l, a.result.Missing)))
		return
	}
	now := a.d.Now()
	in := a.formInput()
	stored := in.Observations
	if lf := a.formFeed; lf != nil && lf.encounter == a.enc.ID {
		// Re-triage on the monitor the patient is already on: its values
		// were stored as they arrived (or by the last save); store only
		// what is new here, what the nurse typed.
		stored = nil
		for _, o := range in.Observations {
			if o.Source == vitals.SourceManual {
				stored = append(stored, o)
			}
		}
	}
	s := Saved{Encounter: *a.enc, Input: in, Result: a.result, Observations: stored, By: a.d.User, At: now,
		IncompleteChosen: incomplete}
	if err := a.d.Store.SaveTriage(a.ctx, s); err != nil {
		f.fail(l.T("triage.err.store", err.Error()))
		return
	}
	a.savedCount++
	enc := *a.enc
	a.lastMissing[enc.ID], a.lastResult[enc.ID] = a.result.Missing, a.result
	key := enc.ID
	// This triage answers the patient's open alerts, however it was opened.
	for _, al := range a.watch.Open() {
		if al.EncounterID == key {
			a.acknowledge(al, true, "")
		}
	}
	if lf := a.formFeed; lf != nil {
		lf.encounter, lf.input = enc.ID, in
		// On re-triage the monitor's values are already in the history:
		// merge (time order, no duplicates), never append again.
		a.history[enc.ID] = mergeObservations(a.history[enc.ID], lf.recentFor())
		if a.result.NEWS2Applicable {
			if err := a.watch.Track(key, reading(a.result, now)); err != nil {
				a.d.Logf("deterioration watch: %v", err)
			}
		}
	} else {
		a.watch.Untrack(key)
	}
	colour := a.result.Colour.Label(string(l))
	savedColour := a.result.Colour
	a.muted(func() {
		f.clear()
	})
	f.savedColour.SetColour(savedColour, colour)
	f.savedColour.Show()
	a.formFeed = nil // an attached monitor stays open for the watch
	a.enc = nil
	a.resultOK = false
	a.form.monitor.ClearSelected()
	f.msg.Importance = widget.SuccessImportance
	f.msg.SetText(l.T("triage.saved", enc.Patient, colour))
	if incomplete {
		f.msg.Importance = widget.WarningImportance
		f.msg.SetText(l.T("triage.saved.incomplete", enc.Patient, colour))
	}
	a.formBase = a.formSnapshot()
	a.saveDraft()
	a.afterFeedChange()
	a.form.showPatient()
	a.RefreshQueue()
}

// loadHistory reads the encounter's observations of the trend window from
// the store (other workstations' and earlier sessions' too) and merges
// them with what this session holds, then redraws the trend.
func (a *App) loadHistory(id ids.Encounter) {
	now := a.d.Now()
	go func() {
		obs, err := a.d.Store.Observations(a.ctx, id, now.Add(-TrendWindow))
		a.d.Do(func() {
			if err != nil {
				a.d.Logf("trend: %v", err)
				return
			}
			a.history[id] = mergeObservations(obs, a.history[id])
			if a.enc != nil && a.enc.ID == id {
				a.form.showTrend(a.d.Now())
			}
		})
	}()
}

// mergeObservations joins two lists of observations into one in host-time
// order, dropping exact duplicates (the same value from the same source at
// the same time, stored and also held in memory).
func mergeObservations(a, b []vitals.Observation) []vitals.Observation {
	type key struct {
		k vitals.Kind
		s string
		t int64
	}
	seen := make(map[key]bool, len(a)+len(b))
	out := make([]vitals.Observation, 0, len(a)+len(b))
	for _, list := range [][]vitals.Observation{a, b} {
		for _, o := range list {
			k := key{o.Kind, o.Source, o.HostTime.UnixNano()}
			if !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].HostTime.Before(out[j].HostTime) })
	return out
}

// mayReplaceForm reports whether the form may be cleared for encounter id.
// While it holds another patient's unsaved input, the first request only
// says so (text key ask, shown where the nurse pressed) and the same
// request again goes ahead: one more key, never a silent loss.
func (a *App) mayReplaceForm(id ids.Encounter, ask string) bool {
	if a.enc == nil || a.enc.ID == id || a.confirmFor == id || !a.formUnsaved() {
		a.clearConfirm()
		return true
	}
	a.confirmFor = id
	text := a.lang.T(ask, a.enc.Patient)
	a.confirmText = text
	a.form.fail(text)
	a.brd.warn.SetText(text)
	a.brd.warn.Show()
	a.al.warn(text)
	return false
}

// clearConfirm withdraws a pending question about discarding the form.
func (a *App) clearConfirm() {
	if a.confirmFor == 0 {
		return
	}
	a.confirmFor = 0
	if a.form.msg.Text == a.confirmText {
		a.form.msg.SetText("")
	}
	a.brd.warn.Hide()
	a.al.warn("")
}

// Retriage opens the triage form for a waiting encounter, with its monitor
// (if it is still on one) and its last manual findings. If the form holds
// another patient's unsaved input, it asks first (see mayReplaceForm).
func (a *App) Retriage(encounterID ids.Encounter) {
	if !a.mayReplaceForm(encounterID, "retriage.confirm.board") {
		return
	}
	a.retriage(encounterID)
}

func (a *App) retriage(encounterID ids.Encounter) {
	if a.enc != nil && a.enc.ID == encounterID && a.formUnsaved() {
		// Already on the form with what the nurse typed: keep it.
		a.loadAcks(encounterID)
		a.ShowTriage()
		return
	}
	e, err := a.d.Store.Encounter(a.ctx, encounterID)
	if err != nil {
		a.form.fail(a.lang.T("triage.err.open", err.Error()))
		return
	}
	a.releaseFormFeed()
	a.muted(func() {
		a.form.clear()
		for _, lf := range a.feeds {
			if lf.encounter == encounterID {
				a.formFeed = lf
				a.form.monitor.SetSelected(a.choiceLabel(lf.choice))
				in := lf.input
				if in.Consciousness != "" {
					a.form.setConsciousness(in.Consciousness)
				}
				a.form.oxygen.SetChecked(in.Oxygen)
				a.form.concern.SetChecked(in.NurseConcern)
				a.form.complaint.SetText(in.Complaint)
			}
		}
		a.form.fillContext(&e, false)
	})
	a.rememberIdent(&e)
	a.setEncounter(&e)
	a.loadHistory(encounterID)
	a.loadAcks(encounterID)
	a.form.msg.SetText(a.lang.T("triage.retriage", e.Patient))
	a.afterFeedChange()
	a.form.showTrend(a.d.Now())
	a.formBase = a.formSnapshot()
	a.saveDraft()
	a.ShowTriage()
}
