package desk

import (
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// ident is what tells two patients apart at a glance beside the name: sex,
// age and, for an unknown patient, the temporary id.
type ident struct {
	sex      patient.Sex // 0 when not known
	age      int
	ageKnown bool
	tempID   string
}

// identOf is e's identity as the screens show it.
func identOf(e *Encounter) ident {
	id := ident{sex: e.Sex, age: e.AgeYears, ageKnown: e.AgeKnown, tempID: e.TempID}
	if id.tempID == "" && strings.HasPrefix(e.Patient, patient.TempPrefix) {
		id.tempID = e.Patient
	}
	return id
}

// words is the identity in l: "kvinne, 34 år, midlertidig ID UKJENT-…",
// leaving out what is not known.
func (id ident) words(l i18n.Lang, name string) string {
	var parts []string
	switch id.sex {
	case patient.Female:
		parts = append(parts, l.T("id.sex.f"))
	case patient.Male:
		parts = append(parts, l.T("id.sex.m"))
	}
	if id.ageKnown {
		parts = append(parts, l.T("id.age", id.age))
	}
	if id.tempID != "" && id.tempID != name {
		parts = append(parts, l.T("id.temp", id.tempID))
	}
	return strings.Join(parts, ", ")
}

// entryIdent is the identity the queue carries for e at now (sex, age from
// the birth date, temporary id), as every workstation's board has it.
func entryIdent(e queue.Item, now time.Time) ident {
	id := ident{sex: e.Sex, tempID: e.TempID}
	if !e.BirthDate.IsZero() {
		id.age, id.ageKnown = patient.NID{BirthDate: e.BirthDate}.AgeAt(now), true
	}
	return id
}

// or fills what id does not know from other (known at registration on
// this workstation: a typed age).
func (id ident) or(other ident) ident {
	if id.sex == 0 {
		id.sex = other.sex
	}
	if !id.ageKnown {
		id.age, id.ageKnown = other.age, other.ageKnown
	}
	if id.tempID == "" {
		id.tempID = other.tempID
	}
	return id
}

// identFor is encounter id's identity: what the queue holds, completed by
// what this workstation learnt at registration.
func (a *App) identFor(id ids.Encounter) ident {
	for _, e := range a.queue {
		if e.EncounterID == id {
			return entryIdent(e.Item, a.d.Now()).or(a.idents[id])
		}
	}
	return a.idents[id]
}

// rememberIdent keeps e's identity for the board and the alerts.
func (a *App) rememberIdent(e *Encounter) {
	// A later read may know less (no sex from the store): keep what was
	// known (a zero ident adds nothing).
	a.idents[e.ID] = identOf(e).or(a.idents[e.ID])
}

// patientName is the encounter's name (or temporary id) as the queue has it.
func (a *App) patientName(id ids.Encounter) string {
	if e := a.form.enc; e != nil && e.ID == id {
		return e.Patient
	}
	for _, e := range a.queue {
		if e.EncounterID == id {
			return e.Patient
		}
	}
	return "#" + id.String()
}

// patientLabel is the name with the identity in brackets: "Kari (kvinne,
// 34 år)".
func (a *App) patientLabel(id ids.Encounter) string {
	name := a.patientName(id)
	if w := a.identFor(id).words(a.lang, name); w != "" {
		return name + " (" + w + ")"
	}
	return name
}

// paramList names NEWS2 parameters or vital kinds in l ("RF, SpO2").
func paramList(l i18n.Lang, names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = paramName(l, n)
	}
	return strings.Join(out, ", ")
}

// paramName names one NEWS2 parameter or vital kind in l by the table of
// vitals, the same words the phone flow and the engine's reasons use.
func paramName(l i18n.Lang, n string) string {
	switch n {
	case "pr":
		n = "hr"
	case "map":
		n = "sbp"
	}
	return wording.Field(n, l)
}

// news2Partial is "NEWS2 minst N (mangler RF, SpO2)" in l; without the
// missing list, "NEWS2 minst N (ufullstendig)".
func news2Partial(l i18n.Lang, total int, missing []string) string {
	if len(missing) == 0 {
		return l.T("news2.partial.unknown", total)
	}
	return l.T("news2.partial", total, paramList(l, missing))
}

// ruleNames words the rules that gave red for encounter id by the field
// each looked at ("puls", "SpO2"), from the engine's latest assessment.
func (a *App) ruleNames(id ids.Encounter, rules []string) string {
	as := a.lastResult[id].Record
	var out []string
	for _, r := range rules {
		name := ""
		if as != nil {
			if x, ok := as.ReasonFor(r); ok {
				name = paramName(a.lang, x.Field)
			}
		}
		if name == "" || strings.Contains(name, ".") {
			name = paramName(a.lang, ruleField(r))
		}
		if !containsString(out, name) {
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}

// ruleField is the field segment of a rule id ("adult.hr.red.high" ->
// "hr"), for a result that carries no assessment.
func ruleField(rule string) string {
	parts := strings.Split(rule, ".")
	if len(parts) > 1 {
		return parts[1]
	}
	return rule
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
