package disposition

import (
	"fmt"

	"github.com/legevakt/workstation/triage/wording"
)

// staleWords are the StaleError's sentences; %s is the patient as the
// board names her, then where she stands now.
var staleWords = map[string]wording.Text{
	"gone": {NB: "Ikke endret: %s er ikke lenger på ventelisten din – en annen arbeidsstasjon har alt sendt pasienten videre eller avsluttet samtalen. Ventelisten er lest på nytt.",
		EN: "Not changed: %s is no longer on your waiting list – another workstation has already sent the patient on or ended the call. The waiting list has been read again."},
	"moved": {NB: "Ikke endret: %s er alt flyttet av en annen arbeidsstasjon (står nå som: %s). Ventelisten er lest på nytt; velg igjen om det trengs.",
		EN: "Not changed: %s was already moved by another workstation (now: %s). The waiting list has been read again; choose again if needed."},
	"ended": {NB: "Ikke endret: samtalen med %s er alt endret av en annen arbeidsstasjon (nå: %s). Ventelisten er lest på nytt; velg igjen om det trengs.",
		EN: "Not changed: the call with %s was already changed by another workstation (now: %s). The waiting list has been read again; choose again if needed."},
}

// Text says e to the nurse in lang, naming the patient as her board does
// (who): that nothing was changed, how the patient stands now (only that
// she left the nurse's list when that is all the nurse may know), and
// that the list was read again, which the front end does on receiving e.
// No code and no English word on a bokmål screen: the status and the
// outcome are worded by triage/wording.
func (e *StaleError) Text(lang wording.Lang, who string) string {
	switch {
	case e.Now == "":
		return fmt.Sprintf(staleWords["gone"].In(lang), who)
	case e.Now == e.Seen && e.NowOutcome != e.SeenOutcome:
		return fmt.Sprintf(staleWords["ended"].In(lang), who, wording.Outcome(string(e.NowOutcome), lang))
	}
	return fmt.Sprintf(staleWords["moved"].In(lang), who, wording.Status(string(e.Now), lang))
}
