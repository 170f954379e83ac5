package session

import (
	"context"
	"errors"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// The texts of login, lock and the basis dialog, for both front ends.
var (
	nbTexts = map[string]string{
		"session.failed":       "Feil brukernavn eller passord.",
		"session.locked_until": "For mange mislykkede forsøk. Prøv igjen etter kl. %s.",
		"session.totp":         "Skriv inn den sekssifrede koden fra autentiseringsappen.",
		"session.no_role":      "Kontoen din har ingen rolle for denne arbeidsstasjonen. Spør en administrator.",
		"session.disabled":     "Kontoen din er deaktivert. Spør en administrator.",
		"session.locked":       "Økten er låst. Lås opp med passordet ditt.",
		"session.oidc":         "Innloggingen hos identitetsleverandøren ble ikke godtatt. Prøv igjen.",
		"session.oidc_off":     "Innlogging via identitetsleverandør er ikke satt opp på denne arbeidsstasjonen.",
		"session.no_accounts":  "Databasen har ingen brukerkontoer. En administrator må først opprette en med «triagectl users add».",
		"session.empty":        "Skriv brukernavn og passord.",
		"session.cancelled":    "Innloggingen ble avbrutt.",
		"session.timeout":      "Innloggingen tok for lang tid. Prøv igjen.",
		"session.technical":    "Innloggingen mislyktes på grunn av en teknisk feil (databasen). Prøv igjen, eller kontakt IT.",
		"session.none":         "Ingen er logget inn. Logg inn først.",

		"session.basis.title":     "Grunnlag for å åpne journalen",
		"session.basis.why":       "Pasienten står ikke i køen til tjenesten din. Oppgi hvorfor du trenger opplysningene.",
		"session.basis.note_need": "Skriv en merknad: hvorfor trenger du opplysningene?",
		"session.basis.emergency": "Nødtilgang (bryt glasset) – logges og følges opp",
		"session.basis.emergency_help": "Bruk bare når pasienten trenger hjelp nå og andre grunnlag ikke passer. " +
			"Tilgangen logges som nødtilgang og gjennomgås av den dataansvarlige.",
	}
	enTexts = map[string]string{
		"session.failed":       "Wrong user name or password.",
		"session.locked_until": "Too many failed attempts. Try again after %s.",
		"session.totp":         "Enter the 6-digit code from your authenticator app.",
		"session.no_role":      "Your account has no role for this workstation. Ask an administrator.",
		"session.disabled":     "Your account is disabled. Ask an administrator.",
		"session.locked":       "The session is locked. Unlock it with your password.",
		"session.oidc":         "The identity provider's login was not accepted. Try again.",
		"session.oidc_off":     "Login through an identity provider is not set up on this workstation.",
		"session.no_accounts":  "This database has no user accounts. An administrator must first create one with 'triagectl users add'.",
		"session.empty":        "Enter your user name and password.",
		"session.cancelled":    "The login was cancelled.",
		"session.timeout":      "The login took too long. Try again.",
		"session.technical":    "The login failed because of a technical fault (the database). Try again, or call IT.",
		"session.none":         "Nobody is logged in. Log in first.",

		"session.basis.title":     "Basis for opening the record",
		"session.basis.why":       "The patient is not in your service's queue. Say why you need the record.",
		"session.basis.note_need": "Write a note: why do you need the record?",
		"session.basis.emergency": "Emergency access (break the glass) – logged and followed up",
		"session.basis.emergency_help": "Use only when the patient needs help now and no other basis fits. " +
			"The access is logged as emergency access and reviewed by the data controller.",
	}
)

func init() { wording.Register(nbTexts, enTexts) }

// Message words a login, unlock or OIDC error for the screen in lang:
// a wrong name and a wrong password read the same; a temporary lock says
// until when (local time, HH:MM); a second factor, a missing role, a
// disabled account and a locked session each say what to do. An error it
// does not know reads as a technical fault, never as its own text, so no
// password, code, token or internal word reaches a screen. nil is "".
func Message(err error, lang wording.Lang) string {
	var locked *identity.LockedError
	key := ""
	switch {
	case err == nil:
		return ""
	case errors.As(err, &locked):
		return lang.T("session.locked_until", locked.Until.Local().Format("15:04"))
	case errors.Is(err, identity.ErrTOTPRequired):
		key = "session.totp"
	case errors.Is(err, identity.ErrNoRole):
		key = "session.no_role"
	case errors.Is(err, ErrDisabled):
		key = "session.disabled"
	case errors.Is(err, identity.ErrSessionLocked):
		key = "session.locked"
	case errors.Is(err, identity.ErrOIDC):
		key = "session.oidc"
	case errors.Is(err, identity.ErrLoginFailed):
		key = "session.failed"
	case errors.Is(err, ErrOIDCNotConfigured):
		key = "session.oidc_off"
	case errors.Is(err, ErrNoAccounts):
		key = "session.no_accounts"
	case errors.Is(err, ErrNoSession):
		key = "session.none"
	case errors.Is(err, ErrEmpty):
		key = "session.empty"
	case errors.Is(err, context.Canceled):
		key = "session.cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		key = "session.timeout"
	default:
		key = "session.technical"
	}
	return lang.T(key)
}

// roleLabels name the roles as the screens show them.
var roleLabels = map[store.Role][2]string{
	store.RoleReception:   {"resepsjonssykepleier", "reception nurse"},
	store.RolePhone:       {"telefonsykepleier", "phone nurse"},
	store.RolePhysician:   {"lege", "physician"},
	store.RoleBiomed:      {"medisinsk-teknisk ingeniør", "biomedical engineer"},
	store.RoleAdmin:       {"administrator", "administrator"},
	store.RoleIntegration: {"integrasjon", "integration"},
}

// RoleLabel names a role in lang, for the header and the lock screen.
func RoleLabel(r store.Role, lang wording.Lang) string {
	l, ok := roleLabels[r]
	if !ok {
		return string(r)
	}
	return lang.Pick(l[0], l[1])
}
