package screen

import "github.com/legevakt/workstation/triage/wording"

// texts holds every string on screen in bokmål and English, by id. An id
// missing here shows as itself, which TestEveryTextIDHasBothLanguages
// catches.
var texts = map[string][2]string{
	// screens and chrome
	"app.title":   {"Telefontriage", "Phone triage"},
	"demo.short":  {"DEMO-INDEKS: ikke nasjonal indeks", "DEMO INDEX: not the national index"},
	"tab.call":    {"Samtale", "Call"},
	"tab.queue":   {"Kø", "Queue"},
	"tab.monitor": {"Monitor", "Monitor"},
	"small":       {"Vinduet er for lite: minst 60x16 tegn.", "The window is too small: at least 60x16 cells."},
	"k.screens":   {"skjerm", "screen"},
	"k.quit":      {"slutt", "quit"},
	"w.quit":      {"Samtalen er ikke lagret. Trykk ctrl+c igjen for å avslutte.", "The call is not saved. Press ctrl+c again to quit."},
	// call steps
	"s.caller":    {"Innringer", "Caller"},
	"s.complaint": {"Problem", "Complaint"},
	"s.criteria":  {"Kriterier", "Criteria"},
	"s.vitals":    {"Målinger", "Vitals"},
	"s.result":    {"Resultat", "Result"},
	"k.next":      {"neste", "next"},
	"k.field":     {"felt", "field"},
	"k.prev":      {"forrige", "previous"},
	"k.submit":    {"videre", "continue"},
	"k.back":      {"tilbake", "back"},
	"k.choose":    {"velg", "choose"},
	"k.select":    {"bruk", "use"},
	"k.yes":       {"ja", "yes"},
	"k.no":        {"nei", "no"},
	"k.save":      {"lagre", "save"},
	"k.score":     {"vurder", "assess"},
	"k.newcall":   {"ny", "new"},
	"k.step":      {"steg", "step"},
	"k.unask":     {"nullstill", "clear"},
	"k.yes.key":   {"j", "y"},
	"k.outnote":   {"merknad", "note"},
	"k.confirm":   {"bekreft verdi", "confirm value"},
	"k.outcome":   {"utfall", "outcome"},
	"k.question":  {"flytt", "move"},
	"k.apply":     {"bruk", "apply"},
	"w.discard":   {"Samtalen er ikke lagret. Trykk ctrl+n igjen for å forkaste den.", "The call is not saved. Press ctrl+n again to discard it."},
	// caller fields
	"f.nid":            {"Fødselsnummer", "Identity number"},
	"f.name":           {"Pasientens navn", "Patient's name"},
	"f.age":            {"Alder", "Age"},
	"f.caller":         {"Innringer", "Caller"},
	"f.phone":          {"Telefon", "Phone"},
	"h.nid":            {"11 siffer, tomt = ukjent", "11 digits, empty = unknown"},
	"h.name":           {"", ""},
	"h.age":            {"2 år, 3 mnd, 10 uker, 5 dager", "2 years, 3 months, 10 weeks, 5 days"},
	"h.caller":         {"selv, mor, nabo …", "self, mother, neighbour …"},
	"h.phone":          {"", ""},
	"f.sex":            {"Kjønn", "Sex"},
	"c.sex.":           {"ikke oppgitt", "not given"},
	"c.sex.female":     {"kvinne", "female"},
	"c.sex.male":       {"mann", "male"},
	"n.sex.ask":        {"Spør om kjønn (←/→) når fødselsnummeret er ukjent", "Ask for the sex (←/→) when the identity number is unknown"},
	"n.sex.nid":        {"Fra fødselsnummeret", "From the identity number"},
	"f.onset":          {"Symptomdebut", "Symptom onset"},
	"h.onset":          {"14:20, for 20 min siden, i går, i morges", "14:20, 20 min ago, yesterday, this morning"},
	"n.onset":          {"Debut %s (for %s siden)", "Onset %s (%s ago)"},
	"n.onset.window":   {"Debut mellom %s og %s (klokkeslett ikke sagt)", "Onset between %s and %s (time of day not said)"},
	"n.onset.now":      {"nå", "now"},
	"n.onset.none":     {"Ingen tid utledet: lagres som sagt. Forstår f.eks. %s", "No time derived: kept as said. Understands e.g. %s"},
	"f.note":           {"Notat", "Note"},
	"h.note":           {"fritekst: hva innringer forteller", "free text: what the caller tells"},
	"n.name.stored":    {"Navn fra tidligere kontakt: sjekk med innringer", "Name from an earlier contact: check with the caller"},
	"n.repeat.caller":  {"Har ringt før (%s) om %s: sjekk med innringer", "Called before (%s) about %s: check with the caller"},
	"n.unknown":        {"Ukjent pasient: får midlertidig id ved lagring", "Unknown patient: gets a temporary id when saved"},
	"n.nid":            {"Født %s, %s", "Born %s, %s"},
	"e.nid.digits":     {"Fødselsnummer har bare siffer (mellomrom er lov)", "An identity number has digits only (spaces allowed)"},
	"e.nid.length":     {"Fødselsnummer har 11 siffer; du har skrevet %d", "An identity number has 11 digits; you typed %d"},
	"e.nid.control":    {"Kontrollsifrene stemmer ikke: sjekk hvert siffer", "The control digits do not match: check each digit"},
	"e.nid.date":       {"Fødselsdatoen i nummeret finnes ikke", "The date of birth in the number does not exist"},
	"e.nid.individual": {"Individnummeret passer ikke med fødselsåret", "The individual number does not fit the year of birth"},
	"e.age.needed":     {"Alder trengs når fødselsnummeret er ukjent (2 år, 3 mnd, 10 uker)", "Age needed: the identity number is unknown (2 years, 3 months, 10 weeks)"},
	"e.age.whole":      {"Alder: %q er ikke et helt tall; skriv %s", "Age: %q is not a whole number; type %s"},
	"e.age.form":       {"Alder: %q forstås ikke; skriv %s", "Age: %q is not understood; type %s"},
	"e.age.range":      {"Alder: %q er utenfor området; skriv %s", "Age: %q is out of range; type %s"},
	"e.age.nid":        {"Alderen stemmer ikke med fødselsnummeret (%s)", "The age does not match the identity number (%s)"},
	"e.phone":          {"Telefon: 8 siffer, eller + og landskode (f.eks. +4791234567)", "Phone: 8 digits, or + and country code (e.g. +4791234567)"},
	"e.history":        {"Kunne ikke hente tidligere henvendelser", "Could not fetch earlier contacts"},
	"t.history":        {"Tidligere henvendelser (%d):", "Earlier contacts (%d):"},
	"t.repeat":         {"GJENTATT HENVENDELSE: forrige for %s siden", "REPEAT CONTACT: the last one %s ago"},
	"u.hour":           {"t", "h"},
	"t.history.none":   {"Ingen tidligere henvendelser", "No earlier contacts"},
	"t.history.busy":   {"Henter tidligere henvendelser …", "Fetching earlier contacts …"},
	"t.more":           {"flere", "more"},
	// complaint
	"t.search":  {"Problem:", "Complaint:"},
	"t.matches": {"%d av %d problemer", "%d of %d complaints"},
	"e.nomatch": {"Ingen treff: skriv færre bokstaver eller et annet ord", "No match: type fewer letters or another word"},
	// criteria
	"a.yes":           {"JA ", "YES"},
	"a.no":            {"nei", "no "},
	"t.question":      {"Spørsmål %d av %d: er kriteriet oppfylt?", "Question %d of %d: is the criterion met?"},
	"t.vanlig":        {"Ingen akutt- eller hastekriterier er oppfylt. Passer et av disse?", "No acute or urgent criterion is met. Does one of these fit?"},
	"t.vanlig.why":    {"Uten et bekreftet kriterium foreslås HASTER (trygg standard).", "Without an affirmed criterion URGENT is proposed (the safe default)."},
	"t.vanlig.none":   {"Ingen av disse passer", "None of these fits"},
	"t.vanlig.na":     {"Vanlig-valget gjelder ikke: %s er besvart ja (%s). Fjern ja-svaret for å velge her; enter går videre.", "The non-urgent choice does not apply: %s is answered yes (%s). Take the yes back to choose here; enter goes on."},
	"t.vanlig.na.row": {"[gjelder ikke]", "[not applicable]"},
	"t.vanlig.open":   {"Still alle spørsmålene først. Ikke besvart: %s (enter går til det første, ↑ tilbake)", "Ask every question first. Not answered: %s (enter goes to the first, ↑ back)"},
	// vitals
	"t.vitals":         {"Innringers egne målinger (tomt = ikke målt):", "The caller's own measurements (empty = not measured):"},
	"n.confirmed":      {"Bekreftet av sykepleier", "Confirmed by the nurse"},
	"h.confirm":        {"(ctrl+y bekrefter)", "(ctrl+y confirms)"},
	"e.number":         {"%s: skriv et tall, %s", "%s: type a number, %s"},
	"e.range":          {"%s: utenfor mulig område %s", "%s: outside the possible range %s"},
	"e.save.forbidden": {"din rolle har ikke lov til dette (ingenting er lagret)", "your role may not do this (nothing was saved)"},
	"e.save.invalid":   {"databasen avviste endringen (ingenting er lagret); sjekk feltene og prøv igjen", "the database refused the change (nothing was saved); check the fields and try again"},
	"e.save.down":      {"databasen svarte ikke (ingenting er lagret); prøv igjen", "the database did not answer (nothing was saved); try again"},
	"e.refused":        {"%s: verdien kan ikke vurderes; velg eller skriv den på nytt", "%s: the value cannot be assessed; choose or type it again"},
	"e.sbp.dbp":        {"%s: må være høyere enn diastolisk", "%s: must be above diastolic"},
	"e.engine":         {"Triagemotoren", "The triage engine"},
	// result
	"t.reasons":          {"Grunner:", "Reasons:"},
	"t.vitalsreason":     {"Måling", "Vitals"},
	"t.vitalscolour":     {"Motoren vurderte målingene som %s", "The engine scored the vitals %s"},
	"t.reported":         {"Rapportert per telefon", "Reported by phone"},
	"t.pervalue":         {"Hver måling:", "Each value:"},
	"t.override.why":     {"Hvorfor %s? (påkrevd når nivået senkes; enter)", "Why %s? (required when lowering; enter)"},
	"t.override.raise":   {"Hvorfor %s? (valgfritt; enter hever, esc avbryter)", "Why %s? (optional; enter raises, esc cancels)"},
	"t.override":         {"Endret av sykepleier fra %s til %s (+/- endrer tilbake)", "Changed by the nurse from %s to %s (+/- changes back)"},
	"t.default":          {"Ingen kriterier bekreftet: HASTER er foreslått som trygg standard. Lagre beholder haster; - senker med skriftlig begrunnelse.", "No criterion affirmed: URGENT is proposed as the safe default. Saving keeps urgent; - lowers with a written reason."},
	"t.default.notheld":  {"Det bekreftede vanlig-kriteriet gjelder ikke etter målingene: HASTER er foreslått som trygg standard. Lagre beholder haster; - senker med skriftlig begrunnelse.", "The affirmed routine criterion does not hold against the measurements: URGENT is proposed as the safe default. Saving keeps urgent; - lowers with a written reason."},
	"e.lower.floor":      {"Kan ikke senke: nivået bygger på et bekreftet kriterium eller på målingene", "Cannot lower: the level rests on an affirmed criterion or on the vitals"},
	"e.lower.open":       {"Kan ikke senke før alle spørsmålene er besvart nei. Ikke besvart: %s", "Cannot lower before every question is answered no. Not answered: %s"},
	"e.raise.top":        {"AKUTT er høyeste nivå", "ACUTE is the highest level"},
	"e.lower.reason":     {"Skriv hvorfor nivået senkes (1–200 tegn)", "Write why the level is lowered (1–200 characters)"},
	"e.override.dropped": {"Sykepleiers endring passet ikke lenger og er fjernet: vurder på nytt", "The nurse's change no longer fitted and was removed: assess again"},
	"t.news2":            {"NEWS2 %d (%s)", "NEWS2 %d (%s)"},
	"t.news2.min":        {"NEWS2 minst %d (%s)", "NEWS2 at least %d (%s)"},
	"t.news2.na":         {"NEWS2 brukes ikke (under 16 år eller gravid)", "NEWS2 not used (under 16 or pregnant)"},
	"w.vitals.left":      {"Noen målinger er ikke med: rett dem under Målinger", "Some vitals are left out: correct them under Vitals"},
	"f.outcome":          {"Utfall:", "Outcome:"},
	"f.outnote":          {"Merknad:", "Note:"},
	"f.advice":           {"Råd gitt:", "Advice given:"},
	"e.advice":           {"Råd gitt: skriv rådet før samtalen avsluttes (1–300 tegn)", "Advice given: write the advice before closing the call (1–300 characters)"},
	"t.nursereason":      {"Sykepl.", "Nurse"},
	"k.raise":            {"nivå", "level"},
	"k.cancel":           {"avbryt", "cancel"},
	"t.actions":          {"Gjør nå:", "Do now:"},
	"t.saving":           {"Lagrer …", "Saving …"},
	"e.save":             {"Ikke lagret", "Not saved"},
	"e.nostore":          {"Ingen database: samtalen kan ikke lagres", "No database: the call cannot be saved"},
	"t.saved":            {"Lagret: henvendelse %d, %s", "Saved: encounter %d, %s"},
	"r.encounter":        {"henvendelse", "encounter"},
	"r.assessment":       {"vurdering", "assessment"},
	"t.next":             {"Trykk enter for ny samtale.", "Press enter for a new call."},
	// queue
	"q.title":             {"Venteliste, begge kanaler (%d)", "Waiting list, both channels (%d)"},
	"q.title.phone":       {"Venteliste, telefonsamtaler (%d)", "Waiting list, phone calls (%d)"},
	"q.title.reception":   {"Venteliste, resepsjonen (%d)", "Waiting list, reception (%d)"},
	"q.pos":               {"Nr", "No"},
	"q.colour":            {"Hastegrad", "Urgency"},
	"q.patient":           {"Pasient", "Patient"},
	"q.channel":           {"Kanal", "Channel"},
	"q.waited":            {"Ventet", "Wait"},
	"q.target":            {"Mål", "Target"},
	"q.flags":             {"Merknad", "Flags"},
	"q.breach":            {"BRUDD", "BREACH"},
	"q.deteriorated":      {"FORVERRET", "WORSENED"},
	"q.worsened":          {"%s (nr %d) NEWS2 %d→%d", "%s (no %d) NEWS2 %d→%d"},
	"q.reassessnow":       {"– vurder på nytt", "– reassess"},
	"q.reassess":          {"REVURDER", "REASSESS"},
	"q.untriaged":         {"[UTRIERT]", "[UNTRIAGED]"},
	"q.empty":             {"Ingen venter.", "Nobody is waiting."},
	"q.updated":           {"Oppdatert %s", "Updated %s"},
	"q.error":             {"Køen kunne ikke leses", "The queue could not be read"},
	"q.live":              {"direkte", "live"},
	"q.nolive":            {"ikke direkte, hvert %d. s", "not live, every %d s"},
	"k.scroll":            {"bla", "scroll"},
	"k.page":              {"side", "page"},
	"k.top":               {"topp/bunn", "top/bottom"},
	"k.handover":          {"AMK", "EMCC"},
	"k.close":             {"avslutt med råd", "close with advice"},
	"k.expect":            {"forventet", "expected"},
	"k.ended":             {"avsluttede", "ended"},
	"k.reopen":            {"gjenåpne", "reopen"},
	"k.sendon":            {"send videre", "send on"},
	"k.send":              {"send", "send"},
	"q.sendon":            {"Send %s videre:", "Send %s on:"},
	"q.sendon.confirm":    {"Registrere at %s gikk før undersøkelse? j = ja, n = nei", "Record that %s left without being seen? y = yes, n = no"},
	"k.queue":             {"venteliste", "waiting list"},
	"q.expected":          {"FORVENTET", "EXPECTED"},
	"q.ending":            {"%s: %s.", "%s: %s."},
	"q.outcome.done":      {"%s: %s (logget)", "%s: %s (logged)"},
	"q.outcome.failed":    {"Ikke endret", "Not changed"},
	"q.outcome.walkin":    {"Ikke endret: «%s» gjelder bare telefonsamtaler, ikke pasienter som har møtt opp", "Not changed: “%s” is for phone calls only, not for patients who came in"},
	"q.outcome.untriaged": {"Ikke endret: «%s» krever at samtalen er vurdert (hastegrad gitt)", "Not changed: “%s” needs the call to be assessed (a level told)"},
	"q.outcome.level":     {"Ikke endret: «%s» passer ikke for en samtale gitt %s; mulig: %s", "Not changed: “%s” does not fit a call told %s; possible: %s"},
	"q.outcome.or":        {" eller ", " or "},
	"e.save.outcome":      {"utfallet passer ikke for kanalen eller hastegraden", "the outcome does not fit the channel or the level"},
	"q.ended":             {"Avsluttede samtaler siste døgn (%d) – o gjenåpner", "Calls ended in the last day (%d) – o reopens"},
	"q.ended.none":        {"Ingen avsluttede samtaler siste døgn.", "No calls ended in the last day."},
	// monitor
	"m.title":              {"Monitorer (%d)", "Monitors (%d)"},
	"m.none":               {"Ingen monitorer tilkoblet.", "No monitors connected."},
	"m.stale":              {"GAMMEL", "STALE"},
	"m.range":              {"UTENFOR GRENSE", "OUT OF RANGE"},
	"m.news":               {"NEWS2", "NEWS2"},
	"m.incomplete":         {"ufullst.", "incompl."},
	"m.age":                {"alder", "age"},
	"m.trend":              {"trend 8 min", "trend 8 min"},
	"m.collecting":         {"samler, ett punkt per 30 s", "collecting, one point per 30 s"},
	"m.below":              {"↓ %d monitor(er) til nedenfor (j)", "↓ %d more monitor(s) below (j)"},
	"m.above":              {"↑ %d over (k)", "↑ %d above (k)"},
	"m.notstored":          {"Monitorverdier ikke lagret ennå (%d venter, prøver igjen): %s", "Monitor values not stored yet (%d waiting, retrying): %s"},
	"m.notstored.db":       {"databasen tok ikke imot verdiene.", "the database did not take them."},
	"m.notstored.denied":   {"ikke tillatt for brukeren som er logget inn.", "not allowed for the user logged in."},
	"m.nofresh":            {"ingen ferske verdier", "no fresh values"},
	"m.notapplicable":      {"gjelder ikke: under 16 år eller gravid", "not applicable: under 16 or pregnant"},
	"quality.valid":        {"GYLDIG", "VALID"},
	"quality.questionable": {"TVILSOM", "QUESTIONABLE"},
	"quality.invalid":      {"UGYLDIG", "INVALID"},
	"quality.demo":         {"DEMO", "DEMO"},
	"dev.live":             {"tilkoblet", "live"},
	"dev.connecting":       {"kobler til", "connecting"},
	"dev.no_data":          {"INGEN DATA", "NO DATA"},
	"dev.disconnected":     {"FRAKOBLET", "DISCONNECTED"},
	"m.ended":              {"Monitorstrømmen er avsluttet.", "The monitor feed has ended."},
	"m.nopatient":          {"ingen pasient knyttet", "no patient attached"},
	"m.deteriorated":       {"FORVERRET", "WORSENED"},
	"m.fromassess":         {"ACVPU/O2 fra vurdering %s", "ACVPU/O2 from assessment %s"},
	"m.assessold":          {"vurdering eldre enn %d min", "assessment older than %d min"},
}

// init takes the words both front ends share from the wording layer:
// NEWS2 bands and channels, defined once, and each vital's label
// ("f."+id), hint ("h."+id) and answers ("c."+id+"."+value) from the
// vitals table (wording.Vitals), under the row's id and its phone field.
func init() {
	// Row ids first, then the phone fields, so that a phone field named
	// like another row's id ("hr": the caller's pulse, the pulse rate's
	// row) is labelled as the phone form asks it.
	put := func(id string, v wording.Vital) {
		texts["f."+id] = [2]string{v.Label(wording.NB), v.Label(wording.EN)}
		texts["h."+id] = [2]string{v.Hint(wording.NB), v.Hint(wording.EN)}
		for _, c := range v.Choices {
			texts["c."+id+"."+c.Value] = [2]string{c.Text.NB, c.Text.EN}
		}
	}
	for _, v := range wording.Vitals {
		put(v.ID, v)
	}
	for _, v := range wording.PhoneVitals() {
		put(v.PhoneField, v)
	}
	for _, b := range []string{"low", "low-medium", "medium", "high"} {
		texts["band."+b] = [2]string{wording.Band(b, "nb"), wording.Band(b, "en")}
	}
	for _, c := range []string{"walk_in", "phone"} {
		texts["ch."+c] = [2]string{wording.Channel(c, "nb"), wording.Channel(c, "en")}
	}
}

// Text returns the string for id in lang (English or bokmål).
func Text(lang wording.Lang, id string) string {
	t, ok := texts[id]
	if !ok {
		return id
	}
	return lang.Pick(t[0], t[1])
}
