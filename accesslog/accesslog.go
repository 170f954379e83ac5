// Package accesslog writes a patient's access log (who read or changed
// their data, when, where, in which role and on which basis) in words a
// patient can read, in bokmål ("nb") or English ("en"), as text, JSON or
// PDF. It holds the wording once; the store gives the entries.
package accesslog

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// actions says what each audited action means for the patient.
var actions = map[string][2]string{ // nb, en
	"patient.create":      {"registrerte deg som pasient", "registered you as a patient"},
	"patient.read":        {"leste personopplysningene dine", "read your personal details"},
	"patient.find":        {"slo deg opp med fødselsnummer", "looked you up by identity number"},
	"patient.update":      {"endret personopplysningene dine", "changed your personal details"},
	"patient.merge":       {"slo sammen to journaler om deg", "merged two records about you"},
	"encounter.create":    {"registrerte en ny kontakt", "registered a new visit or call"},
	"encounter.read":      {"leste kontakten", "read the visit or call"},
	"encounter.update":    {"endret kontakten", "changed the visit or call"},
	"encounter.list":      {"leste kontaktene dine", "read your visits and calls"},
	"encounter.outcome":   {"registrerte utfallet av samtalen", "recorded how the call ended"},
	"assessment.create":   {"registrerte hastegrad (triage)", "recorded an urgency assessment (triage)"},
	"assessment.list":     {"leste hastegradsvurderingene", "read the urgency assessments"},
	"observations.add":    {"registrerte målinger (puls, blodtrykk o.l.)", "recorded measurements (pulse, blood pressure etc.)"},
	"observations.read":   {"leste målingene", "read the measurements"},
	"event.create":        {"registrerte en hendelse", "recorded an event"},
	"event.list":          {"leste hendelsene", "read the events"},
	"call.create":         {"registrerte telefonsamtalen", "recorded the phone call"},
	"call.read":           {"leste telefonsamtalen", "read the phone call"},
	"call.find":           {"fant en tidligere samtale", "found an earlier call"},
	"patient.confirm":     {"bekreftet at en ny samtale fra samme telefonnummer gjaldt deg", "confirmed that a new call from the same phone number was about you"},
	"queue.read":          {"så deg på ventelisten", "saw you on the waiting list"},
	"call.ended.read":     {"så deg i listen over avsluttede samtaler", "saw you in the list of ended calls"},
	"registration.create": {"registrerte deg", "registered you"},
	"record.read":         {"leste det som skal sendes til journalen din", "read what is to be sent to your patient record"},
	"record.find":         {"leste målingene som sendes til journalen din", "read the measurements sent to your patient record"},
	"record.sent":         {"sendte opplysninger til journalsystemet", "sent data to the patient record system"},
	"record.deferred":     {"utsatte en sending til journalsystemet", "put off a sending to the patient record system"},
	"record.refused":      {"journalsystemet avviste en sending", "the patient record system refused a sending"},
	"records.export":      {"hentet ut opplysningene dine i en samlet eksport", "exported your data in a bulk export"},
	"outbox.list":         {"så oversikten over sendinger til journalsystemet", "saw the list of sendings to the patient record system"},
}

var roles = map[store.Role][2]string{
	store.RoleReception:   {"sykepleier i resepsjonen", "reception nurse"},
	store.RolePhone:       {"sykepleier på legevakttelefonen", "phone triage nurse"},
	store.RolePhysician:   {"lege", "physician"},
	store.RoleBiomed:      {"medisinsk-teknisk ingeniør", "biomedical engineer"},
	store.RoleAdmin:       {"administrator", "administrator"},
	store.RoleIntegration: {"journaloverføringen (tjenestekonto)", "record transfer (service account)"},
}

func idx(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// Action is what an entry means, in lang.
func Action(a store.Access, lang string) string {
	if t, ok := actions[a.Action]; ok {
		return t[idx(lang)]
	}
	if strings.HasSuffix(a.Action, ".read") || strings.HasSuffix(a.Action, ".list") || strings.HasSuffix(a.Action, ".find") {
		return [2]string{"leste opplysninger om deg", "read data about you"}[idx(lang)]
	}
	return [2]string{"registrerte opplysninger om deg", "recorded data about you"}[idx(lang)]
}

// RoleText is a role in lang; "" for none.
func RoleText(r store.Role, lang string) string {
	if t, ok := roles[r]; ok {
		return t[idx(lang)]
	}
	return ""
}

// BasisText is the basis in lang: "" for the service's own patients.
func BasisText(b store.Basis, lang string) string {
	if b.Reason == "" {
		return [2]string{"i tjenesten (du sto på deres venteliste)", "in the course of their work (you were on their waiting list)"}[idx(lang)]
	}
	t := store.BasisLabel(b.Reason, wording.Lang(lang))
	if b.Note != "" {
		t += ": " + b.Note
	}
	return t
}

// Who is the person: the account's full name and user name.
func Who(a store.Access) string {
	if a.DisplayName != "" {
		return a.DisplayName + " (" + a.User + ")"
	}
	return a.User
}

// Period says what the log covers.
type Period struct{ From, To time.Time }

func (p Period) text(lang string) string {
	f := func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.Local().Format("02.01.2006")
	}
	return f(p.From) + " – " + f(p.To)
}

func title(lang string) string {
	return [2]string{"Logg over innsyn i opplysningene dine", "Log of access to your data"}[idx(lang)]
}

func intro(lang string, n int, p Period) string {
	if lang == "en" {
		return fmt.Sprintf("Who read or changed your data at the emergency clinic in the period %s: %d entries. \"Saw you on the waiting list\" means your name was on the list on their screen.", p.text(lang), n)
	}
	return fmt.Sprintf("Hvem som har lest eller endret opplysningene dine ved legevakten i perioden %s: %d oppføringer. «Så deg på ventelisten» betyr at navnet ditt sto på listen på skjermen deres.", p.text(lang), n)
}

func header(lang string) []string {
	if lang == "en" {
		return []string{"When", "Who", "Role", "Workstation", "What", "Basis"}
	}
	return []string{"Når", "Hvem", "Rolle", "Arbeidsstasjon", "Hva", "Grunnlag"}
}

// Rows are the table rows of the log in lang.
func Rows(log []store.Access, lang string) [][]string {
	out := make([][]string, 0, len(log))
	for _, a := range log {
		out = append(out, []string{a.At.Local().Format("02.01.2006 15:04"), Who(a), RoleText(a.Role, lang), a.Workstation, Action(a, lang), BasisText(a.Basis, lang)})
	}
	return out
}

// Text writes the log as a readable table.
func Text(w io.Writer, log []store.Access, p Period, lang string) error {
	fmt.Fprintf(w, "%s\n%s\n\n", title(lang), intro(lang, len(log), p))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header(lang), "\t"))
	for _, r := range Rows(log, lang) {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// jsonEntry is one entry of the JSON form (field names are a contract).
type jsonEntry struct {
	At          time.Time `json:"at"`
	User        string    `json:"user"`
	Name        string    `json:"name,omitempty"`
	Workstation string    `json:"workstation"`
	Role        string    `json:"role"`
	RoleText    string    `json:"role_text"`
	Action      string    `json:"action"`
	ActionText  string    `json:"action_text"`
	Basis       string    `json:"basis"`
	BasisText   string    `json:"basis_text"`
	List        bool      `json:"list"`
}

// JSON writes the log as one JSON document.
func JSON(w io.Writer, log []store.Access, p Period, lang string) error {
	doc := struct {
		From    *time.Time  `json:"from,omitempty"`
		To      *time.Time  `json:"to,omitempty"`
		Lang    string      `json:"lang"`
		Entries []jsonEntry `json:"entries"`
	}{Lang: lang, Entries: []jsonEntry{}}
	if !p.From.IsZero() {
		doc.From = &p.From
	}
	if !p.To.IsZero() {
		doc.To = &p.To
	}
	for _, a := range log {
		doc.Entries = append(doc.Entries, jsonEntry{At: a.At, User: a.User, Name: a.DisplayName, Workstation: a.Workstation, Role: string(a.Role),
			RoleText: RoleText(a.Role, lang), Action: a.Action, ActionText: Action(a, lang), Basis: a.Basis.String(), BasisText: BasisText(a.Basis, lang), List: a.List})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
