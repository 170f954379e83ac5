// Package i18n holds every text the reception desktop shows, in Norwegian
// bokmål (the default) and English. Screens ask for a text by key; a key
// missing from a language is a test failure, never a blank on screen.
package i18n

import (
	"fmt"
	"sort"
)

// Lang is a language code: "nb" (bokmål, default) or "en".
type Lang string

// The supported languages.
const (
	NB Lang = "nb"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{NB, EN}

// Parse reads a language code; the empty string is bokmål.
func Parse(s string) (Lang, error) {
	switch s {
	case "", "nb", "no", "nb_NO", "nb-NO":
		return NB, nil
	case "en", "en_GB", "en-GB", "en_US", "en-US":
		return EN, nil
	}
	return NB, fmt.Errorf("language %q: want nb or en", s)
}

// T returns the text for key in l, formatted with args as fmt.Sprintf does
// when args are given. An unknown key returns "!key!" so that it is seen in
// tests and screenshots rather than hidden.
func (l Lang) T(key string, args ...any) string {
	tbl := nb
	if l == EN {
		tbl = en
	}
	s, ok := tbl[key]
	if !ok {
		return "!" + key + "!"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns every key of l's table, sorted (for the completeness test).
func (l Lang) Keys() []string {
	tbl := nb
	if l == EN {
		tbl = en
	}
	keys := make([]string, 0, len(tbl))
	for k := range tbl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var nb = map[string]string{
	"app.title":                 "Legevakt – mottak",
	"menu.actions":              "Handlinger",
	"tab.register":              "Registrering",
	"tab.triage":                "Triage",
	"tab.board":                 "Venteliste",
	"tab.monitored":             "Overvåket",
	"reg.heading":               "Registrer pasient",
	"reg.id":                    "Fødselsnummer / D-nummer (11 siffer)",
	"reg.id.placeholder":        "11 siffer",
	"reg.unknown":               "Ukjent pasient (midlertidig ID)",
	"reg.name":                  "Navn",
	"reg.name.placeholder":      "Fornavn Etternavn",
	"reg.age":                   "Alder (år)",
	"reg.arrival":               "Ankomst (TT:MM)",
	"reg.channel":               "Kanal",
	"reg.channel.walkin":        "Oppmøte",
	"reg.channel.phone":         "Telefon",
	"a11y.yes":                  "ja",
	"a11y.no":                   "nei",
	"board.untriaged":           "IKKE TRIAGERT",
	"triage.target":             "Mål: lege innen %s",
	"triage.stale":              "Foreldet, ikke med i NEWS2: %s",
	"triage.err.score":          "Kan ikke beregne: %s",
	"reg.submit":                "Registrer (Ctrl+Enter)",
	"reg.done":                  "Registrert: %s",
	"reg.err.arrival":           "Ankomst %q: skriv TT:MM, 00:00–23:59",
	"reg.err.arrival.future":    "Ankomst %s er fram i tid (klokka er %s): skriv når pasienten kom",
	"reg.err.age":               "Alder %q: skriv et helt tall 0–125",
	"reg.err.id":                "Fødselsnummer: %s",
	"triage.heading":            "Triage",
	"triage.patient":            "Pasient: %s",
	"triage.nopatient":          "Ingen pasient valgt – registrer først (Ctrl+N)",
	"triage.monitor":            "Monitor",
	"triage.monitor.none":       "Ingen monitor",
	"triage.monitor.pick":       "Velg monitor (Ctrl+M)",
	"triage.monitor.conf":       "konfigurert",
	"triage.monitor.port":       "funnet port",
	"triage.monitor.sim":        "simulator",
	"triage.vitals":             "Vitale verdier",
	"triage.consciousness":      "Bevissthet (ACVPU)",
	"triage.oxygen":             "Får oksygen",
	"triage.temp":               "Temperatur for hånd (°C)",
	"triage.concern":            "Sykepleier bekymret",
	"triage.complaint":          "Hovedproblem",
	"triage.news2":              "NEWS2",
	"triage.news2.value":        "NEWS2 %d (%s)",
	"triage.news2.partial":      "NEWS2 minst %d – ufullstendig, mangler: %s",
	"triage.news2.na":           "NEWS2 gjelder ikke: %s",
	"triage.colour":             "Hastegrad",
	"triage.colour.atleast":     "MINST %s",
	"triage.reasons":            "Begrunnelse",
	"triage.override":           "Overstyr hastegrad",
	"triage.override.none":      "Ingen overstyring",
	"triage.override.why":       "Begrunnelse for å senke (påkrevd)",
	"triage.save":               "Lagre triage (Ctrl+S)",
	"triage.saved":              "Lagret: %s %s",
	"triage.err.down":           "Å senke hastegrad fra %s til %s krever skriftlig begrunnelse",
	"triage.err.temp":           "Temperatur %q: skriv et tall 25,0–45,0 °C",
	"triage.err.nopatient":      "Ingen pasient: registrer eller velg fra ventelisten først",
	"triage.retriage":           "Re-triage: %s",
	"triage.age":                "Alder (år)",
	"triage.age.a11y":           "Alder i år, eller 6 mnd eller 20 d for spedbarn",
	"triage.age.missing":        "ALDER UKJENT – skriv alderen (anslå om nødvendig). Uten alder regnes pasienten som voksen, og triagen kan ikke lagres.",
	"triage.age.err":            "Alder %q: skriv år (4 eller 0,5), måneder (6 mnd) eller dager (20 d), 0–125 år",
	"triage.age.from.nid":       "Alder fra fødselsnummeret",
	"triage.prefilled":          "Forhåndsutfylt fra triage kl. %s: %s – kontroller",
	"triage.pregnant":           "Gravid eller nylig født",
	"triage.scale2":             "SpO2 skala 2 (besluttet av %s %s)",
	"triage.scale2.a11y":        "SpO2 skala 2",
	"triage.err.age":            "Alder mangler: skriv alderen før lagring (anslå om ukjent)",
	"ctx.age":                   "alder",
	"ctx.pregnant":              "gravid",
	"ctx.scale2":                "SpO2 skala 2",
	"age.days":                  "%d d",
	"age.months":                "%d mnd",
	"vital.source":              "kilde %s",
	"vital.age":                 "%s siden",
	"vital.stale":               "FORELDET",
	"vital.missing":             "–",
	"vital.questionable":        "USIKKER",
	"vital.invalid":             "UGYLDIG",
	"board.heading":             "Venteliste (%d)",
	"board.col.colour":          "Hastegrad",
	"board.col.patient":         "Pasient",
	"board.col.waited":          "Ventet / mål",
	"board.col.news2":           "NEWS2",
	"board.col.flags":           "Merknader",
	"board.breach":              "OVER MÅLTID",
	"board.reassess":            "REVURDER",
	"board.alert":               "FORVERRING",
	"board.news2.live":          "NEWS2 %d (nå %d)",
	"board.monitor":             "MONITOR %s",
	"board.waited":              "%s av %s",
	"board.now":                 "straks",
	"board.empty":               "Ingen venter",
	"board.open":                "Re-triage valgt (Enter)",
	"alert.title":               "FORVERRING – %s",
	"alert.body":                "NEWS2 fra %d til %d (%s til %s). Re-triager nå.",
	"alert.reason.rise":         "NEWS2 steget med %d",
	"alert.reason.band":         "Høyere risikogruppe",
	"alert.ack":                 "Kvitter (Ctrl+K)",
	"alert.retriage":            "Re-triage (Ctrl+R)",
	"alert.acked":               "Kvittert av %s %s",
	"alert.open":                "%d ukvitterte varsler",
	"alert.ack.err":             "Kvitteringen ble ikke lagret i journalen: %s",
	"ack.line":                  "Forverring kvittert av %s kl. %s: NEWS2 fra %d til %d (%s til %s), %s",
	"ack.retriage":              "fulgt av re-triage",
	"ack.only":                  "kun kvittert",
	"device.status":             "Monitor %s: %s",
	"device.none":               "Ingen monitor tilkoblet",
	"device.connecting":         "KOBLER TIL",
	"device.live":               "TILKOBLET",
	"device.no_data":            "INGEN DATA",
	"device.disconnected":       "FRAKOBLET",
	"device.check":              "Sjekk: %s",
	"device.check.connecting":   "vent noen sekunder; sjekk at monitoren er slått på",
	"device.check.no_data":      "sjekk at kabelen sitter i monitoren og at sensorene er på pasienten",
	"device.check.disconnected": "sjekk USB-/seriekabelen; appen kobler til igjen av seg selv",
	"trend.heading":             "Trend",
	"trend.empty":               "Ingen målinger ennå",
	"ecg.heading":               "EKG",
	"ecg.hr":                    "Puls fra EKG: %.0f /min",
	"ecg.nohr":                  "Puls fra EKG: ingen slag funnet",
	"ecg.af":                    "MULIG ATRIEFLIMMER",
	"ecg.leadsoff":              "ELEKTRODE AV",
	"ecg.noisy":                 "STØY",
	"ecg.none":                  "Ingen EKG",
	"view.contrast":             "Høy kontrast (Ctrl+H)",
	"view.bigger":               "Større tekst (Ctrl++)",
	"view.smaller":              "Mindre tekst (Ctrl+-)",
	"view.language":             "English (Ctrl+L)",
	"draft.restored":            "Utkast gjenopprettet",
	"status.user":               "Bruker: %s",
	"age.s":                     "%d s",
	"age.m":                     "%d min",
	"age.h":                     "%d t %d min",
	"age.hh":                    "%d t",
	"band.none":                 "ufullstendig",
	"band.low":                  "lav",
	"band.low-medium":           "lav–middels",
	"band.medium":               "middels",
	"band.high":                 "høy",
}

var en = map[string]string{
	"app.title":                 "Emergency clinic – reception",
	"menu.actions":              "Actions",
	"tab.register":              "Registration",
	"tab.triage":                "Triage",
	"tab.board":                 "Waiting board",
	"tab.monitored":             "Monitored",
	"reg.heading":               "Register patient",
	"reg.id":                    "National identity / D number (11 digits)",
	"reg.id.placeholder":        "11 digits",
	"reg.unknown":               "Unknown patient (temporary id)",
	"reg.name":                  "Name",
	"reg.name.placeholder":      "First Last",
	"reg.age":                   "Age (years)",
	"reg.arrival":               "Arrival (HH:MM)",
	"reg.channel":               "Channel",
	"reg.channel.walkin":        "Walk-in",
	"reg.channel.phone":         "Phone",
	"a11y.yes":                  "yes",
	"a11y.no":                   "no",
	"board.untriaged":           "NOT TRIAGED",
	"triage.target":             "Target: doctor within %s",
	"triage.stale":              "Stale, left out of NEWS2: %s",
	"triage.err.score":          "Cannot score: %s",
	"reg.submit":                "Register (Ctrl+Enter)",
	"reg.done":                  "Registered: %s",
	"reg.err.arrival":           "Arrival %q: type HH:MM, 00:00–23:59",
	"reg.err.arrival.future":    "Arrival %s is in the future (it is %s now): type when the patient arrived",
	"reg.err.age":               "Age %q: type a whole number 0–125",
	"reg.err.id":                "Identity number: %s",
	"triage.heading":            "Triage",
	"triage.patient":            "Patient: %s",
	"triage.nopatient":          "No patient selected – register first (Ctrl+N)",
	"triage.monitor":            "Monitor",
	"triage.monitor.none":       "No monitor",
	"triage.monitor.pick":       "Pick monitor (Ctrl+M)",
	"triage.monitor.conf":       "configured",
	"triage.monitor.port":       "detected port",
	"triage.monitor.sim":        "simulator",
	"triage.vitals":             "Vital signs",
	"triage.consciousness":      "Consciousness (ACVPU)",
	"triage.oxygen":             "On oxygen",
	"triage.temp":               "Temperature by hand (°C)",
	"triage.concern":            "Nurse concerned",
	"triage.complaint":          "Chief complaint",
	"triage.news2":              "NEWS2",
	"triage.news2.value":        "NEWS2 %d (%s)",
	"triage.news2.partial":      "NEWS2 at least %d – incomplete, missing: %s",
	"triage.news2.na":           "NEWS2 not applicable: %s",
	"triage.colour":             "Triage colour",
	"triage.colour.atleast":     "AT LEAST %s",
	"triage.reasons":            "Reasons",
	"triage.override":           "Override colour",
	"triage.override.none":      "No override",
	"triage.override.why":       "Reason for lowering (required)",
	"triage.save":               "Save triage (Ctrl+S)",
	"triage.saved":              "Saved: %s %s",
	"triage.err.down":           "Lowering the colour from %s to %s needs a written reason",
	"triage.err.temp":           "Temperature %q: type a number 25.0–45.0 °C",
	"triage.err.nopatient":      "No patient: register or pick one from the board first",
	"triage.retriage":           "Re-triage: %s",
	"triage.age":                "Age (years)",
	"triage.age.a11y":           "Age in years, or 6 months or 20 days for infants",
	"triage.age.missing":        "AGE UNKNOWN – type the age (estimate if need be). Without an age the patient is scored as an adult, and the triage cannot be saved.",
	"triage.age.err":            "Age %q: type years (4 or 0.5), months (6 months) or days (20 days), 0–125 years",
	"triage.age.from.nid":       "Age from the identity number",
	"triage.prefilled":          "Prefilled from the triage at %s: %s – check",
	"triage.pregnant":           "Pregnant or recently given birth",
	"triage.scale2":             "SpO2 scale 2 (decided by %s %s)",
	"triage.scale2.a11y":        "SpO2 scale 2",
	"triage.err.age":            "Age missing: type the age before saving (estimate if unknown)",
	"ctx.age":                   "age",
	"ctx.pregnant":              "pregnant",
	"ctx.scale2":                "SpO2 scale 2",
	"age.days":                  "%d days",
	"age.months":                "%d months",
	"vital.source":              "source %s",
	"vital.age":                 "%s ago",
	"vital.stale":               "STALE",
	"vital.missing":             "–",
	"vital.questionable":        "QUESTIONABLE",
	"vital.invalid":             "INVALID",
	"board.heading":             "Waiting board (%d)",
	"board.col.colour":          "Colour",
	"board.col.patient":         "Patient",
	"board.col.waited":          "Waited / target",
	"board.col.news2":           "NEWS2",
	"board.col.flags":           "Flags",
	"board.breach":              "TARGET BREACHED",
	"board.reassess":            "REASSESSMENT DUE",
	"board.alert":               "DETERIORATING",
	"board.news2.live":          "NEWS2 %d (now %d)",
	"board.monitor":             "MONITOR %s",
	"board.waited":              "%s of %s",
	"board.now":                 "immediate",
	"board.empty":               "Nobody waiting",
	"board.open":                "Re-triage selected (Enter)",
	"alert.title":               "DETERIORATION – %s",
	"alert.body":                "NEWS2 from %d to %d (%s to %s). Re-triage now.",
	"alert.reason.rise":         "NEWS2 rose by %d",
	"alert.reason.band":         "Higher risk band",
	"alert.ack":                 "Acknowledge (Ctrl+K)",
	"alert.retriage":            "Re-triage (Ctrl+R)",
	"alert.acked":               "Acknowledged by %s %s",
	"alert.open":                "%d unacknowledged alerts",
	"alert.ack.err":             "The acknowledgement was not recorded: %s",
	"ack.line":                  "Deterioration acknowledged by %s at %s: NEWS2 from %d to %d (%s to %s), %s",
	"ack.retriage":              "followed by re-triage",
	"ack.only":                  "acknowledged only",
	"device.status":             "Monitor %s: %s",
	"device.none":               "No monitor connected",
	"device.connecting":         "CONNECTING",
	"device.live":               "LIVE",
	"device.no_data":            "NO DATA",
	"device.disconnected":       "DISCONNECTED",
	"device.check":              "Check: %s",
	"device.check.connecting":   "wait a few seconds; check that the monitor is switched on",
	"device.check.no_data":      "check the cable at the monitor and that the sensors are on the patient",
	"device.check.disconnected": "check the USB/serial cable; the app reconnects by itself",
	"trend.heading":             "Trend",
	"trend.empty":               "No measurements yet",
	"ecg.heading":               "ECG",
	"ecg.hr":                    "Heart rate from ECG: %.0f /min",
	"ecg.nohr":                  "Heart rate from ECG: no beats found",
	"ecg.af":                    "POSSIBLE ATRIAL FIBRILLATION",
	"ecg.leadsoff":              "LEADS OFF",
	"ecg.noisy":                 "NOISY",
	"ecg.none":                  "No ECG",
	"view.contrast":             "High contrast (Ctrl+H)",
	"view.bigger":               "Larger text (Ctrl++)",
	"view.smaller":              "Smaller text (Ctrl+-)",
	"view.language":             "Norsk (Ctrl+L)",
	"draft.restored":            "Draft restored",
	"status.user":               "User: %s",
	"age.s":                     "%d s",
	"age.m":                     "%d min",
	"age.h":                     "%d h %d min",
	"age.hh":                    "%d h",
	"band.none":                 "incomplete",
	"band.low":                  "low",
	"band.low-medium":           "low-medium",
	"band.medium":               "medium",
	"band.high":                 "high",
}
