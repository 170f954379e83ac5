package desk

import (
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
	a.saving = true
	a.form.clear()
	a.saving = false
	a.releaseFormFeed()
	a.setEncounter(&e)
	a.saveDraft()
	a.RefreshQueue()
	a.ShowTriage()
	return e, nil
}

// MonitorChoices returns the monitors the form offers (empty until the
// list has arrived after Start).
func (a *App) MonitorChoices() []MonitorChoice { return append([]MonitorChoice(nil), a.choices...) }

// SetConsciousness sets the ACVPU field ("A", "C", "V", "P", "U").
func (a *App) SetConsciousness(level string) { a.form.acvpu.SetSelected(level) }

// VitalShown returns the value the form's tile of kind k shows ("–" when none).
func (a *App) VitalShown(k vitals.Kind) string {
	if t, ok := a.form.tiles[k]; ok {
		return t.View().Value
	}
	return ""
}

// Result returns the form's current result, false when none (no patient
// and no monitor, or the scorer refused the input).
func (a *App) Result() (Result, bool) { return a.result, a.resultOK }
