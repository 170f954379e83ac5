package desk

// What the triage form holds, read from its widgets: the nurse's findings,
// the hand-measured values and the patient context.

import (
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
)

// acvpuLevels are the ACVPU levels in the order the picker lists them.
var acvpuLevels = []string{"A", "C", "V", "P", "U"}

// consciousness is the picked ACVPU level ("A" ... "U", "" for none).
func (f *formScreen) consciousness() string {
	for _, c := range acvpuLevels {
		if f.acvpu.Selected == f.lang.T("acvpu."+c) {
			return c
		}
	}
	return ""
}

// setConsciousness picks ACVPU level c ("" clears it).
func (f *formScreen) setConsciousness(c string) {
	if c == "" {
		f.acvpu.ClearSelected()
		return
	}
	f.acvpu.SetSelected(f.lang.T("acvpu." + c))
}

// deviceObservation is the monitor's latest value of kind k (HR falls back
// to the oximeter's pulse), nil when the monitor gives none.
func (f *formScreen) deviceObservation(k vitals.Kind) *vitals.Observation {
	lf := f.feed
	if lf == nil {
		return nil
	}
	if o, ok := lf.latest[k]; ok {
		return &o
	}
	if k == vitals.HR {
		if o, ok := lf.latest[vitals.PR]; ok {
			return &o
		}
	}
	return nil
}

// readManual reads every hand-measured field at now and paints its note.
func (f *formScreen) readManual(now time.Time) {
	for _, k := range f.kinds {
		r := f.manual[k].read(f.lang, now, f.d.plausible)
		f.readings[k] = r
		f.manual[k].show(f.lang, r, f.deviceObservation(k))
	}
}

// typed returns the hand-measured observations that are scored: those that
// read, unless the nurse chose the monitor's value of the same vital.
func (f *formScreen) typed() []vitals.Observation {
	var out []vitals.Observation
	for _, k := range f.kinds {
		r := f.readings[k]
		if len(r.obs) == 0 || f.manual[k].useDevice.Checked && f.deviceObservation(k) != nil {
			continue
		}
		out = append(out, r.obs...)
	}
	return out
}

// manualProblem returns the first hand-measured field with a problem.
func (f *formScreen) manualProblem() (*manualVital, string) {
	for _, k := range f.kinds {
		if p := f.readings[k].problem; p != "" {
			return f.manual[k], p
		}
	}
	return nil, ""
}

func (f *formScreen) manualInput() FormInput {
	in := FormInput{
		Pregnant:      f.pregnant.Checked,
		Consciousness: f.consciousness(),
		Oxygen:        f.oxygen.Checked,
		OxygenKnown:   true,
		NurseConcern:  f.concern.Checked,
		Complaint:     strings.TrimSpace(f.complaint.Text),
	}
	if days, ok, err := f.ageDays(); ok && err == nil {
		in.AgeDays, in.AgeDaysKnown = days, true
		in.AgeYears, in.AgeKnown = int(float64(days)/daysPerYear), true
	}
	if f.scale2.Visible() && f.scale2.Checked {
		in.Scale2 = f.scale2Decision
	}
	return in
}

// ageDays reads the age field. An age that reads the same as the prefilled
// one is the prefilled exact age in days (the text rounds it to whole
// months or years).
func (f *formScreen) ageDays() (int, bool, error) {
	days, ok, err := parseAge(f.age.Text)
	if !ok || err != nil || f.agePrefill == "" {
		return days, ok, err
	}
	if pd, pok, _ := parseAge(f.agePrefill); pok && pd == days {
		return f.agePrefillDays, true, nil
	}
	return days, true, nil
}

// ageIsPrefilled reports whether the age field still reads as the
// prefilled age (in either language's wording).
func (f *formScreen) ageIsPrefilled() bool {
	if f.agePrefill == "" {
		return false
	}
	days, ok, err := f.ageDays()
	return ok && err == nil && days == f.agePrefillDays
}

// fillContext takes the encounter's patient context into the form: its
// age (from the identity number, the registration or the latest triage),
// pregnancy and a recorded SpO2 scale 2 decision. keepTyped keeps what a
// restored draft already holds (a language switch, a restart).
func (f *formScreen) fillContext(e *Encounter, keepTyped bool) {
	l := f.lang
	f.agePrefill, f.agePrefillDays = "", 0
	if days, ok := e.ageDays(); ok {
		f.agePrefill, f.agePrefillDays = formatAgeDays(l, days), days
	}
	f.prefilledFrom = e.PrefilledFrom
	f.scale2Decision = e.Scale2
	f.d.mute.run(func() {
		if !keepTyped || strings.TrimSpace(f.age.Text) == "" {
			f.age.SetText(f.agePrefill)
		}
		if !keepTyped {
			f.pregnant.SetChecked(e.Pregnant)
			f.scale2.SetChecked(e.Scale2.Recorded())
		}
		if e.Scale2.Recorded() {
			f.scale2.Text = l.T("triage.scale2", e.Scale2.By, e.Scale2.At.Local().Format("02.01 15:04"))
			f.scale2.Show()
			f.scale2.Refresh()
		} else {
			f.scale2.SetChecked(false)
			f.scale2.Hide()
		}
	})
}

// ageDays is the encounter's age in days, false when nobody recorded one.
func (e *Encounter) ageDays() (int, bool) {
	if e.AgeDaysKnown {
		return e.AgeDays, true
	}
	if e.AgeKnown {
		d, err := triage.AgeDaysFromYears(float64(e.AgeYears))
		return d, err == nil
	}
	return 0, false
}
