package desk

// Saving a triage, re-triage of a waiting patient, and the reads from the
// store they need (history, acknowledgements).

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// loadAcks reads the encounter's acknowledgements from the store, off the
// UI goroutine, and shows them if the form still has that encounter.
func (f *formScreen) loadAcks(id ids.Encounter) {
	d := f.d
	go func() {
		acks, err := d.store.Acks(d.ctx, id)
		d.do(func() {
			if err != nil {
				d.logf("acknowledgements: %v", err)
				return
			}
			if f.enc != nil && f.enc.ID == id {
				f.showAcks(acks)
			}
		})
	}()
}

func (f *formScreen) fail(msg string) {
	f.msg.Importance = widget.DangerImportance
	f.msg.SetText(msg)
}

// saveTriage stores the form's assessment for its patient. A waiting
// patient still on the monitor is then watched for deterioration against
// this result (formDeps.saved).
func (f *formScreen) saveTriage() {
	l := f.lang
	if f.enc == nil {
		f.fail(l.T("triage.err.nopatient"))
		return
	}
	f.rescore()
	if _, ok, err := f.ageDays(); err != nil || !ok {
		// Never save a triage on adult rules by default: a child's age
		// changes the colour. The nurse types it, estimated if need be.
		if err != nil {
			f.fail(l.T("triage.age.err", strings.TrimSpace(f.age.Text)))
		} else {
			f.fail(l.T("triage.err.age"))
		}
		f.focus(f.age)
		return
	}
	if f.scoreErr != nil || !f.resultOK {
		f.fail(l.T("triage.err.score", fmt.Sprint(f.scoreErr)))
		return
	}
	if m, problem := f.manualProblem(); m != nil {
		// Nothing typed is ever dropped: the field says what is wrong, and
		// the save waits until it is fixed (or confirmed).
		f.fail(problem)
		if m.confirm.Visible() {
			f.focus(m.confirm)
		} else {
			f.focus(m.entry)
		}
		return
	}
	if f.overrideErr != nil {
		f.fail(f.overrideErr.Error())
		f.focus(f.why)
		return
	}
	// The colour a save may lower is the patient's colour now, read from
	// the store at this save: another desk may have re-triaged her (to a
	// more urgent colour) since this form was opened.
	changed, err := f.currentColour()
	if err != nil {
		f.fail(l.T("triage.err.current", err.Error()))
		return
	}
	lowered, problem := f.lowering()
	if problem != "" && changed != nil {
		problem += " " + l.T("triage.lower.changed", changed.Label(l))
	}
	if problem != "" {
		f.fail(problem)
		f.focus(f.why)
		return
	}
	if in := f.input(); len(in.Observations) == 0 && in.Consciousness == "" && !f.result.Overridden {
		// Nothing measured: the engine's colour is no triage. The nurse
		// measures something, or sets the colour herself (an override,
		// recorded as hers).
		f.fail(l.T("triage.err.nothing"))
		f.focus(f.monitor)
		return
	}
	incomplete := f.result.NEWS2Applicable && !f.result.NEWS2Complete
	if incomplete && !f.incompleteAsked {
		// Asked once: the next Save stores it, recorded as the nurse's choice.
		f.incompleteAsked = true
		f.fail(l.T("triage.save.incomplete", paramList(l, f.result.Missing)))
		return
	}
	now := f.d.now()
	in := f.input()
	stored := in.Observations
	if lf := f.feed; lf != nil && lf.encounter == f.enc.ID {
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
	s := Saved{Encounter: *f.enc, Input: in, Result: f.result, Observations: stored, By: f.d.user, At: now,
		IncompleteChosen: incomplete, Lowered: lowered}
	if err := f.d.store.SaveTriage(f.d.ctx, s); err != nil {
		f.fail(l.T("triage.err.store", err.Error()))
		return
	}
	enc := *f.enc
	f.d.saved(savedTriage{enc: enc, input: in, result: f.result, at: now, feed: f.feed})
	colour := f.result.Colour.Label(l)
	savedColour := f.result.Colour
	f.d.mute.run(func() {
		f.clear()
	})
	f.savedColour.SetColour(savedColour, colour)
	f.savedColour.Show()
	f.feed = nil // an attached monitor stays open for the watch
	f.enc = nil
	f.resultOK = false
	f.monitor.ClearSelected()
	f.msg.Importance = widget.SuccessImportance
	f.msg.SetText(l.T("triage.saved", enc.Patient, colour))
	if incomplete {
		f.msg.Importance = widget.WarningImportance
		f.msg.SetText(l.T("triage.saved.incomplete", enc.Patient, colour))
	}
	f.markOpened()
	f.d.changed()
	f.afterFeedChange()
	f.showPatient()
	f.d.queueChanged()
}

// currentColour reads the patient's current colour from the store into
// the form's encounter, so the lowering rule compares with what is saved
// now and not with what was saved when the form was opened. changed is
// the current colour when it is not the one the form had (another
// workstation's triage since), nil when it is the same.
func (f *formScreen) currentColour() (changed *triage.Colour, err error) {
	cur, err := f.d.store.Encounter(f.d.ctx, f.enc.ID)
	if err != nil {
		return nil, err
	}
	if cur.Triaged && (!f.enc.Triaged || cur.Colour != f.enc.Colour) {
		c := cur.Colour
		changed = &c
	}
	f.enc.Colour, f.enc.Triaged = cur.Colour, cur.Triaged
	return changed, nil
}

// lowering holds one rule for every save: a colour less urgent than the
// patient's current one is stored only with a written reason (the form's
// reason field, the override's too), whatever lowered it: new or changed
// values, values missing, a monitor instead of hands, or the nurse's
// override. An incomplete NEWS2 makes the colour only a lower bound, so
// the question then says so and names what is missing. It returns the
// lowering to record (nil when the colour does not fall) or, when the
// reason is missing, the question to show.
func (f *formScreen) lowering() (*Lowering, string) {
	if f.enc == nil || !f.enc.Triaged || !f.enc.Colour.MoreUrgent(f.result.Colour) {
		return nil, ""
	}
	l := f.lang
	r := f.result
	incomplete := r.NEWS2Applicable && !r.NEWS2Complete
	why := strings.TrimSpace(f.why.Text)
	if why == "" {
		msg := l.T("triage.lower.need", f.enc.Colour.Label(l), r.Colour.Label(l))
		switch {
		case incomplete && len(r.Missing) > 0:
			msg += " " + l.T("triage.lower.incomplete", paramList(l, r.Missing))
		case incomplete:
			msg += " " + l.T("triage.lower.incomplete.unknown")
		}
		return nil, msg
	}
	return &Lowering{From: f.enc.Colour, To: r.Colour, Reason: why, Incomplete: incomplete,
		Missing: append([]string(nil), r.Missing...)}, ""
}

// loadHistory reads the encounter's observations of the trend window from
// the store (other workstations' and earlier sessions' too) and merges
// them with what this session holds, then redraws the trend.
func (f *formScreen) loadHistory(id ids.Encounter) {
	d := f.d
	now := d.now()
	go func() {
		obs, err := d.store.Observations(d.ctx, id, now.Add(-TrendWindow))
		d.do(func() {
			if err != nil {
				d.logf("trend: %v", err)
				return
			}
			d.history[id] = mergeObservations(obs, d.history[id])
			if f.enc != nil && f.enc.ID == id {
				f.showTrend(d.now())
			}
		})
	}()
}

// mayReplace reports whether the form may be cleared for encounter id.
// While it holds another patient's unsaved input, the first request only
// says so (text key ask, shown on the form and, through formDeps.warn,
// where the nurse pressed) and the same request again goes ahead: one more
// key, never a silent loss.
func (f *formScreen) mayReplace(id ids.Encounter, ask string) bool {
	if f.enc == nil || f.enc.ID == id || f.confirmFor == id || !f.unsaved() {
		f.clearConfirm()
		return true
	}
	f.confirmFor = id
	text := f.lang.T(ask, f.enc.Patient)
	f.confirmText = text
	f.fail(text)
	f.d.warn(text)
	return false
}

// clearConfirm withdraws a pending question about discarding the form.
func (f *formScreen) clearConfirm() {
	if f.confirmFor == 0 {
		return
	}
	f.confirmFor = 0
	if f.msg.Text == f.confirmText {
		f.msg.SetText("")
	}
	f.d.warn("")
}

// retriage opens the form for a waiting encounter, with its monitor (if it
// is still on one) and its last manual findings.
func (f *formScreen) retriage(encounterID ids.Encounter) {
	if f.enc != nil && f.enc.ID == encounterID && f.unsaved() {
		// Already on the form with what the nurse typed: keep it.
		f.loadAcks(encounterID)
		f.d.show()
		return
	}
	e, err := f.d.store.Encounter(f.d.ctx, encounterID)
	if err != nil {
		f.fail(f.lang.T("triage.err.open", err.Error()))
		return
	}
	f.releaseFeed()
	f.d.mute.run(func() {
		f.clear()
		if lf := f.d.attachedFeed(encounterID); lf != nil {
			f.feed = lf
			f.monitor.SetSelected(f.choiceLabel(lf.choice))
			in := lf.input
			if in.Consciousness != "" {
				f.setConsciousness(in.Consciousness)
			}
			f.oxygen.SetChecked(in.Oxygen)
			f.concern.SetChecked(in.NurseConcern)
			f.complaint.SetText(in.Complaint)
		}
		f.fillContext(&e, false)
	})
	f.d.remember(&e)
	f.setEncounter(&e)
	f.loadHistory(encounterID)
	f.loadAcks(encounterID)
	f.msg.SetText(f.lang.T("triage.retriage", e.Patient))
	f.afterFeedChange()
	f.showTrend(f.d.now())
	f.markOpened()
	f.d.changed()
	f.d.show()
}
