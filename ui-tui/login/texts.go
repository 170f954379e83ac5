package login

import "github.com/legevakt/workstation/triage/wording"

// The words of the login, lock and switch-user screens, the basis dialog
// (package basis) and the keys the app shell adds for them. Login errors are worded by
// workstation/session.Message.
var (
	nbTexts = map[string]string{
		"tui.login.title":     "Logg inn – telefontriage",
		"tui.login.switch":    "Bytt bruker – logg inn",
		"tui.login.why":       "Logg inn med din egen bruker. Pasientopplysninger vises først etter innlogging.",
		"tui.login.user":      "Brukernavn",
		"tui.login.password":  "Passord",
		"tui.login.code":      "Kode (6 siffer)",
		"tui.login.busy":      "Logger inn …",
		"tui.login.preparing": "Demodatabasen fylles med en dag med pasienter (ca. 20 sekunder); innloggingen fortsetter når den er klar …",
		"tui.login.oidc_wait": "Fullfør innloggingen i nettleseren som ble åpnet (Esc avbryter).",
		"tui.login.k.field":   "felt",
		"tui.login.k.login":   "logg inn",
		"tui.login.k.unlock":  "lås opp",
		"tui.login.k.oidc":    "logg inn via identitetsleverandør",
		"tui.login.k.back":    "tilbake",
		"tui.login.demo":      "Demo: logg inn som «telefon» (telefonsykepleier) eller «lege» (lege).\nPassord for begge: %s",

		"tui.basis.k.choose": "velg grunnlag",
		"tui.basis.k.open":   "åpne med grunnlaget",
		"tui.basis.k.cancel": "avbryt",
		"tui.basis.note":     "Merknad:",
		"tui.basis.note_req": "(skriv merknad)",

		"tui.lock.title":    "Skjermen er låst",
		"tui.lock.who":      "Innlogget:",
		"tui.lock.why":      "Skriv passordet ditt for å låse opp. Samtalen du holdt på med, er tatt vare på.",
		"tui.lock.k.lock":   "lås",
		"tui.lock.k.switch": "bytt bruker",
		"tui.lock.kept":     "Samtalen til %[1]s er ikke lagret; den venter til %[1]s logger inn igjen.",
		"tui.lock.disabled": "Økten til %s er avsluttet: kontoen er deaktivert.",
		"tui.lock.unsaved":  "Ulagrede samtaler venter på sine brukere. Trykk ctrl+c igjen for å avslutte likevel.",
	}
	enTexts = map[string]string{
		"tui.login.title":     "Log in – phone triage",
		"tui.login.switch":    "Switch user – log in",
		"tui.login.why":       "Log in with your own user. Patient data shows only after login.",
		"tui.login.user":      "User name",
		"tui.login.password":  "Password",
		"tui.login.code":      "Code (6 digits)",
		"tui.login.busy":      "Logging in …",
		"tui.login.preparing": "The demo database is being filled with a day of patients (about 20 seconds); the login goes on when it is ready …",
		"tui.login.oidc_wait": "Finish the login in the browser that opened (Esc cancels).",
		"tui.login.k.field":   "field",
		"tui.login.k.login":   "log in",
		"tui.login.k.unlock":  "unlock",
		"tui.login.k.oidc":    "log in through the identity provider",
		"tui.login.k.back":    "back",
		"tui.login.demo":      "Demo: log in as 'telefon' (phone nurse) or 'lege' (physician).\nPassword for both: %s",

		"tui.basis.k.choose": "choose basis",
		"tui.basis.k.open":   "open with this basis",
		"tui.basis.k.cancel": "cancel",
		"tui.basis.note":     "Note:",
		"tui.basis.note_req": "(write a note)",

		"tui.lock.title":    "The screen is locked",
		"tui.lock.who":      "Logged in:",
		"tui.lock.why":      "Type your password to unlock. The call you were on is kept.",
		"tui.lock.k.lock":   "lock",
		"tui.lock.k.switch": "switch user",
		"tui.lock.kept":     "The call of %[1]s is not saved; it waits for %[1]s to log in again.",
		"tui.lock.disabled": "The session of %s has ended: the account is disabled.",
		"tui.lock.unsaved":  "Unsaved calls wait for their users. Press ctrl+c again to quit anyway.",
	}
)

func init() { wording.Register(nbTexts, enTexts) }

// T is the text of id in lang ("nb" or "en"), formatted with args.
func T(lang wording.Lang, id string, args ...any) string { return lang.T(id, args...) }

// Word is the catalogue text of id in l (the login, lock and basis
// screens' words live in the wording catalogue, not in package screen's
// table).
func Word(l wording.Lang, id string) string { return l.T(id) }

func word(l wording.Lang, id string) string { return Word(l, id) }
