package i18n

import "github.com/legevakt/workstation/triage/wording"

// The question a save asks when the new colour is less urgent than the
// patient's current one (whatever lowered it), and, when NEWS2 is
// incomplete, that the new colour is only a lower bound and what is
// missing.
var nbLowering = map[string]string{
	"triage.lower.need":               "Hastegraden senkes fra %s til %s. Skriv en begrunnelse i «Begrunnelse for å senke» før du lagrer.",
	"triage.lower.incomplete":         "NEWS2 er ufullstendig (mangler %s): den nye hastegraden er bare et minimum.",
	"triage.lower.incomplete.unknown": "NEWS2 er ufullstendig: den nye hastegraden er bare et minimum.",
}

var enLowering = map[string]string{
	"triage.lower.need":               "The colour falls from %s to %s. Write a reason in 'Reason for lowering' before saving.",
	"triage.lower.incomplete":         "NEWS2 is incomplete (missing %s): the new colour is only a minimum.",
	"triage.lower.incomplete.unknown": "NEWS2 is incomplete: the new colour is only a minimum.",
}

func init() { wording.Register(nbLowering, enLowering) }
