package desk

// The triage form's part of the draft, and whether it holds unsaved input.

import (
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

func (f *formScreen) toDraft(d *Draft) {
	d.Age, d.Pregnant, d.Scale2Dropped = f.age.Text, f.pregnant.Checked, f.scale2.Visible() && !f.scale2.Checked
	d.Consciousness, d.Oxygen, d.OxygenKnown = f.consciousness(), f.oxygen.Checked, true
	d.TempByHand, d.NurseConcern, d.Complaint = "", f.concern.Checked, f.complaint.Text
	d.Manual = nil
	for _, k := range f.kinds {
		m := f.manual[k]
		v := DraftVital{Text: m.entry.Text, At: m.at.Text, Confirmed: m.confirm.Checked, UseDevice: m.useDevice.Checked}
		if !m.typedAt.IsZero() {
			v.TypedAt = m.typedAt.UTC().Format(time.RFC3339Nano)
		}
		if v != (DraftVital{}) {
			v.Kind = k
			d.Manual = append(d.Manual, v)
		}
	}
	d.Override, d.OverrideReason = "", f.why.Text
	for _, c := range triage.Colours {
		if c.Label(f.lang) == f.override.Selected {
			d.Override = c.String()
		}
	}
	d.Monitor = ""
	if f.feed != nil {
		d.Monitor = f.feed.choice.ID
	}
}

func (f *formScreen) fromDraft(d Draft) {
	f.age.SetText(d.Age)
	f.pregnant.SetChecked(d.Pregnant)
	f.scale2.SetChecked(!d.Scale2Dropped)
	if d.Consciousness != "" {
		f.setConsciousness(d.Consciousness)
	}
	f.oxygen.SetChecked(d.Oxygen)
	for _, k := range f.kinds {
		m, v := f.manual[k], d.vital(k)
		if k == vitals.Temp && v.Text == "" && d.TempByHand != "" {
			v.Text = d.TempByHand // a draft written before every vital could be typed
		}
		m.entry.SetText(v.Text)
		m.at.SetText(v.At)
		m.confirm.SetChecked(v.Confirmed)
		m.useDevice.SetChecked(v.UseDevice)
		// The value keeps the time it was measured, not the time it was restored.
		m.typedAt = time.Time{}
		if t, err := time.Parse(time.RFC3339Nano, v.TypedAt); err == nil && v.Text != "" {
			m.typedAt = t
		} else if v.Text != "" {
			m.typedAt = f.d.now()
		}
	}
	f.concern.SetChecked(d.NurseConcern)
	f.complaint.SetText(d.Complaint)
	if c, err := triage.ParseColour(d.Override); err == nil && d.Override != "" {
		f.override.SetSelected(c.Label(f.lang))
	}
	f.why.SetText(d.OverrideReason)
}

// clear empties the form for the next patient, the monitor picker too:
// a picker still naming the last patient's monitor on a form that has
// none reads as the wrong patient's device (QA G11).
func (f *formScreen) clear() {
	f.monitor.ClearSelected()
	f.age.SetText("")
	f.pregnant.SetChecked(false)
	f.scale2.SetChecked(false)
	f.scale2.Hide()
	f.agePrefill, f.agePrefillDays, f.prefilledFrom = "", 0, time.Time{}
	f.scale2Decision = news2.Scale2Decision{}
	f.ctxNote.SetText("")
	f.acvpu.ClearSelected()
	f.oxygen.SetChecked(false)
	for _, k := range f.kinds {
		f.manual[k].clear()
	}
	f.incompleteAsked = false
	f.concern.SetChecked(false)
	f.complaint.SetText("")
	f.override.ClearSelected()
	f.why.SetText("")
	f.msg.SetText("")
	f.savedColour.Hide()
	f.ecg.Clear()
	f.showAcks(nil)
}

// snapshot is the triage form's input as the draft keeps it, without the
// monitor (re-picking it brings its values back).
func (f *formScreen) snapshot() Draft {
	var d Draft
	f.toDraft(&d)
	d.Monitor = ""
	return d
}

// markOpened takes the form as it is now as opened: input typed after
// this is unsaved.
func (f *formScreen) markOpened() { f.base = f.snapshot() }

// unsaved reports whether the form holds input the nurse typed and has
// not saved.
func (f *formScreen) unsaved() bool { return !f.snapshot().same(f.base) }
