package i18n

import "github.com/legevakt/workstation/triage/wording"

// The board's send-on action (ui-desktop/desk/sendon.go): the choice of
// where a waiting patient goes, the question before recording that she
// left without being seen, and what came of it. The destinations are worded
// as a nurse says them, never as the store's status codes.
var nbSendOn = map[string]string{
	"sendon.menu":                       "Send videre (Ctrl+Shift+D)",
	"sendon.board.hint":                 "Send videre (Ctrl+Shift+D; Home: første rad)",
	"sendon.title":                      "Send videre: %s",
	"sendon.now":                        "Står nå som: %s",
	"sendon.hint":                       "Velg med tallet (1–4), eller med pil opp/ned og Mellomrom. Gå så med Tab til «Send videre» og trykk Mellomrom. Esc avbryter.",
	"sendon.list":                       "Hvor skal pasienten?",
	"sendon.to.waiting_for_doctor":      "Til lege – venter på lege",
	"sendon.to.with_doctor":             "Hos lege nå",
	"sendon.to.done":                    "Ferdig – reist hjem",
	"sendon.to.left_without_being_seen": "Gikk før undersøkelse",
	"sendon.row":                        "%d  %s",
	"sendon.row.chosen":                 "%d  %s – VALGT",
	"sendon.chosen":                     "Valgt: %s. Tab til «Send videre», så Mellomrom.",
	"sendon.chosen.short":               "Valgt: %s.",
	"sendon.none":                       "Ingenting valgt ennå.",
	"sendon.send":                       "Send videre",
	"sendon.cancel":                     "Avbryt (Esc)",
	"sendon.need":                       "Velg først hvor pasienten skal (1–4).",
	"sendon.lwbs.ask":                   "Gikk pasienten før undersøkelse? Pasienten tas av ventelisten, og det lagres at pasienten gikk uten å bli sett av lege.",
	"sendon.lwbs.yes":                   "Ja, gikk før undersøkelse",
	"sendon.lwbs.no":                    "Nei, tilbake",
	"sendon.done":                       "Sendt videre: %s – %s.",
	"sendon.empty":                      "Ingen pasient på ventelisten å sende videre.",
	"sendon.err.gone":                   "Ikke endret: %s er ikke lenger på ventelisten din – en annen arbeidsstasjon har alt sendt pasienten videre. Ventelisten er lest på nytt.",
	"sendon.err.moved":                  "Ikke endret: %s er alt flyttet av en annen arbeidsstasjon (står nå som: %s). Ventelisten er lest på nytt; velg igjen om det trengs.",
	"sendon.err.refused":                "Ikke endret: du har ikke tilgang til å sende %s videre herfra (pasienten hører ikke til mottakets venteliste, eller rollen din gir ikke lov). Meld fra til IT om det er feil.",
	"sendon.err.store":                  "Ikke endret: pasientlisten kunne ikke lagre at %s sendes videre. Prøv igjen (Ctrl+Shift+D); meld fra til IT om det gjentar seg.",
	"board.status.waiting_for_doctor":   "VENTER PÅ LEGE",
}

var enSendOn = map[string]string{
	"sendon.menu":                       "Send on (Ctrl+Shift+D)",
	"sendon.board.hint":                 "Send on (Ctrl+Shift+D; Home: first row)",
	"sendon.title":                      "Send on: %s",
	"sendon.now":                        "Now: %s",
	"sendon.hint":                       "Choose with the number (1–4), or with arrow up/down and Space. Then Tab to “Send on” and press Space. Esc cancels.",
	"sendon.list":                       "Where does the patient go?",
	"sendon.to.waiting_for_doctor":      "To the doctor – waiting for the doctor",
	"sendon.to.with_doctor":             "With the doctor now",
	"sendon.to.done":                    "Done – gone home",
	"sendon.to.left_without_being_seen": "Left without being seen",
	"sendon.row":                        "%d  %s",
	"sendon.row.chosen":                 "%d  %s – CHOSEN",
	"sendon.chosen":                     "Chosen: %s. Tab to “Send on”, then Space.",
	"sendon.chosen.short":               "Chosen: %s.",
	"sendon.none":                       "Nothing chosen yet.",
	"sendon.send":                       "Send on",
	"sendon.cancel":                     "Cancel (Esc)",
	"sendon.need":                       "First choose where the patient goes (1–4).",
	"sendon.lwbs.ask":                   "Did the patient leave without being seen? The patient leaves the waiting board, and the record says they left before a doctor saw them.",
	"sendon.lwbs.yes":                   "Yes, left without being seen",
	"sendon.lwbs.no":                    "No, go back",
	"sendon.done":                       "Sent on: %s – %s.",
	"sendon.empty":                      "Nobody on the waiting board to send on.",
	"sendon.err.gone":                   "Not changed: %s is no longer on your waiting board – another workstation has already sent the patient on. The board was read again.",
	"sendon.err.moved":                  "Not changed: %s was already moved by another workstation (now: %s). The board was read again; choose again if needed.",
	"sendon.err.refused":                "Not changed: you may not send %s on from here (the patient is not on reception's waiting list, or your role does not allow it). Tell IT if this is wrong.",
	"sendon.err.store":                  "Not changed: the patient list could not store that %s is sent on. Try again (Ctrl+Shift+D); tell IT if it happens again.",
	"board.status.waiting_for_doctor":   "WAITING FOR DOCTOR",
}

func init() { wording.Register(nbSendOn, enSendOn) }
