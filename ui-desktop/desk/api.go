package desk

import (
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/vitals"
)

// This file is the desktop's programmatic surface: what another front end,
// an end-to-end test or a scripted demo uses instead of tapping widgets.

// RegisterPatient registers r (already validated by the caller) and opens
// the triage form for the new encounter, as the registration form does.
func (a *App) RegisterPatient(r Registration) (Encounter, error) {
	e, err := a.d.Store.Register(a.ctx, r)
	if err != nil {
		return Encounter{}, err
	}
	if n, err := patient.Parse(r.NID); err == nil {
		e.Sex = n.Sex
	} else if e.Sex == 0 {
		e.Sex = r.Sex
	}
	a.rememberIdent(&e)
	if e.AgeKnown && e.AgeFrom == AgeUnknown {
		e.AgeFrom = AgeFromRegistered
		if r.NID != "" {
			e.AgeFrom = AgeFromNID
		}
	}
	a.form.openRegistered(&e)
	a.saveDraft()
	a.RefreshQueue()
	a.ShowTriage()
	return e, nil
}

// MonitorChoices returns the monitors the form offers (empty until the
// list has arrived after Start).
func (a *App) MonitorChoices() []MonitorChoice {
	return append([]MonitorChoice(nil), a.form.choices...)
}

// SetConsciousness sets the ACVPU field ("A", "C", "V", "P", "U").
func (a *App) SetConsciousness(level string) { a.form.setConsciousness(level) }

// VitalShown returns the value the form's tile of kind k shows ("–" when none).
func (a *App) VitalShown(k vitals.Kind) string {
	if t, ok := a.form.tiles[k]; ok {
		return t.View().Value
	}
	return ""
}

// Result returns the form's current result, false when none (no patient
// and no monitor, or the scorer refused the input).
func (a *App) Result() (Result, bool) { return a.form.result, a.form.resultOK }

// SetAge types an age into the triage form's age field, as the nurse
// would ("52", "0,5", "6 mnd", "20 d").
func (a *App) SetAge(text string) { a.form.age.SetText(text) }

// AgeShown returns the triage form's age field and the note beside it
// (missing, not understood, or prefilled from the latest triage).
func (a *App) AgeShown() (age, note string) { return a.form.age.Text, a.form.ctxNote.Text }

// FormMessage returns the triage form's message line (saved, refused).
func (a *App) FormMessage() string { return a.form.msg.Text }

// TypeVital types text into the hand-measured field of kind k (RR, SpO2,
// SBP for "sys/dia", HR, Temp), as the nurse would; false for a kind the
// form has no field for.
func (a *App) TypeVital(k vitals.Kind, text string) bool {
	m, ok := a.form.manual[k]
	if ok {
		m.entry.SetText(text)
	}
	return ok
}

// VitalProblem returns what the field of kind k says is wrong with its
// value, "" when nothing is.
func (a *App) VitalProblem(k vitals.Kind) string { return a.form.readings[k].problem }
