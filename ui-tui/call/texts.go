package call

import "github.com/legevakt/workstation/triage/wording"

// The call screen's texts for a dropped call and its call-back, by key,
// in bokmål and English (wording.Register: every word from the wording
// layer; the outcome's own words are wording.Outcome("dropped")).
var (
	nbTexts = map[string]string{
		"call.k.dropped":       "brutt",
		"call.discard":         "Samtalen er ikke lagret. Trykk ctrl+n igjen for å forkaste den uten spor, eller ctrl+r for å lagre den som brutt – ring tilbake.",
		"call.drop.confirm":    "Innringer la på? Trykk ctrl+r igjen for å lagre samtalen som brutt – ring tilbake (alt som er kjent lagres, ingen hastegrad avgjøres). Annen tast avbryter.",
		"call.drop.empty":      "Ingenting er registrert i samtalen ennå: ingen brutt samtale å lagre.",
		"call.drop.saving":     "Lagrer den brutte samtalen …",
		"call.drop.failed":     "Den brutte samtalen er ikke lagret",
		"call.drop.saved":      "Lagret som brutt – ring tilbake: henvendelse %d, %s",
		"call.drop.now":        "RING TILBAKE NÅ: akutt var foreslått da samtalen ble brutt.",
		"call.drop.list":       "Står øverst i avsluttede samtaler (F2, h) til tilbakeringingen er gjort.",
		"call.drop.proposed":   "Foreslått så langt (ufullstendig, ikke avgjort): %s",
		"call.drop.undecided":  "Ingen hastegrad avgjort: samtalen ble brutt før triagen var ferdig.",
		"call.drop.none":       "Ingen hastegrad foreslått før samtalen ble brutt.",
		"call.drop.complaint":  "Problem: %s",
		"call.drop.step":       "Brutt under: %s",
		"call.callback.from":   "Tilbakeringing av brutt samtale om %s – henvendelse %d, brutt %s: det som var kjent er fylt inn, og samtalen lagres på samme pasient. Sjekk det med innringer.",
		"call.callback.failed": "Kunne ikke hente den brutte samtalen",
		"call.callback.same":   "Samme ukjente pasient som den brutte samtalen: %s",
		"call.callback.busy":   "Samtalen på skjermen er ikke lagret: lagre den, lagre den som brutt (ctrl+r) eller forkast den (ctrl+n) før du ringer tilbake.",
	}
	enTexts = map[string]string{
		"call.k.dropped":       "dropped",
		"call.discard":         "The call is not saved. Press ctrl+n again to discard it without a trace, or ctrl+r to save it as dropped – call back.",
		"call.drop.confirm":    "Caller hung up? Press ctrl+r again to save the call as dropped – call back (everything known is kept, no urgency is decided). Any other key cancels.",
		"call.drop.empty":      "Nothing is entered in the call yet: no dropped call to save.",
		"call.drop.saving":     "Saving the dropped call …",
		"call.drop.failed":     "The dropped call is not saved",
		"call.drop.saved":      "Saved as dropped – call back: encounter %d, %s",
		"call.drop.now":        "CALL BACK NOW: acute was proposed when the call was dropped.",
		"call.drop.list":       "Listed first in the ended calls (F2, h) until the call-back is done.",
		"call.drop.proposed":   "Proposed so far (incomplete, not decided): %s",
		"call.drop.undecided":  "No urgency decided: the call was dropped before the triage was done.",
		"call.drop.none":       "No urgency proposed before the call was dropped.",
		"call.drop.complaint":  "Complaint: %s",
		"call.drop.step":       "Dropped at: %s",
		"call.callback.from":   "Call-back of a dropped call about %s – encounter %d, dropped %s: what was known is filled in, and the call is saved on the same patient. Check it with the caller.",
		"call.callback.failed": "Could not read the dropped call",
		"call.callback.same":   "The same unknown patient as the dropped call: %s",
		"call.callback.busy":   "The call on the screen is not saved: save it, save it as dropped (ctrl+r) or discard it (ctrl+n) before calling back.",
	}
)

func init() { wording.Register(nbTexts, enTexts) }

// say is the call screen's text key in l (wording.Lang.T; these keys are
// the wording catalogue's, not the screen package's table).
func say(l wording.Lang, key string) string { return l.T(key) }
