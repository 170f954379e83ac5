package i18n

import "github.com/legevakt/workstation/triage/wording"

// The question a save asks when the new colour is less urgent than the
// patient's current one (whatever lowered it), and, when NEWS2 is
// incomplete, that the new colour is only a lower bound and what is
// missing; the colour compared with is the one saved when the nurse
// saves, which another workstation may have changed since the form was
// opened.
var nbLowering = map[string]string{
	"triage.lower.need":               "Hastegraden senkes fra %s til %s. Skriv en begrunnelse i «Begrunnelse for å senke» før du lagrer.",
	"triage.lower.incomplete":         "NEWS2 er ufullstendig (mangler %s): den nye hastegraden er bare et minimum.",
	"triage.lower.incomplete.unknown": "NEWS2 er ufullstendig: den nye hastegraden er bare et minimum.",
	"triage.lower.changed":            "Pasienten har fått hastegrad %s siden skjemaet ble åpnet, på denne eller en annen arbeidsstasjon.",
	"triage.err.current":              "Triagen ble ikke lagret: pasientens nåværende hastegrad kunne ikke leses fra pasientlisten. Skjemaet er beholdt; prøv igjen (Ctrl+S), og meld fra til IT om det gjentar seg. (Detalj: %s)",
}

var enLowering = map[string]string{
	"triage.lower.need":               "The colour falls from %s to %s. Write a reason in 'Reason for lowering' before saving.",
	"triage.lower.incomplete":         "NEWS2 is incomplete (missing %s): the new colour is only a minimum.",
	"triage.lower.incomplete.unknown": "NEWS2 is incomplete: the new colour is only a minimum.",
	"triage.lower.changed":            "The patient's colour has become %s since this form was opened, on this or another workstation.",
	"triage.err.current":              "The triage was not saved: the patient's current colour could not be read from the patient list. The form is kept; try again (Ctrl+S), and tell IT if it happens again. (Detail: %s)",
}

func init() { wording.Register(nbLowering, enLowering) }
