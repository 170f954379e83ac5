package i18n

import "github.com/legevakt/workstation/triage/wording"

// The two wrong dates of birth a nurse can fix by looking again at the
// year (QA G9): said as what they are, not as "no date of birth".
var nbNID = map[string]string{
	"reg.err.id.future": "Fødselsnummer: fødselsdatoen i nummeret ligger fram i tid – sjekk året (siffer 5–6)",
	"reg.err.id.old":    "Fødselsnummer: fødselsdatoen i nummeret gir over 125 år – sjekk året (siffer 5–6) og individnummeret",
}

var enNID = map[string]string{
	"reg.err.id.future": "Identity number: the date of birth in the number is in the future – check the year (digits 5–6)",
	"reg.err.id.old":    "Identity number: the date of birth in the number makes the patient older than 125 – check the year (digits 5–6) and the individual number",
}

func init() { wording.Register(nbNID, enNID) }
