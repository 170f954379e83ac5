package session

import (
	"strings"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// BasisChoice is one line of the need-to-know dialog: a listed reason
// (store.BasisReasons, in their order) or emergency access, worded.
type BasisChoice struct {
	Reason store.BasisReason
	Label  string // what the line says
	// NoteRequired: the reason needs a free-text note ("annet").
	NoteRequired bool
	// Emergency: break the glass, always allowed, logged as such and
	// flagged for the data controller's review. A dialog shows Help
	// next to it and sets it apart from the ordinary reasons.
	Emergency bool
	Help      string
}

// BasisChoices lists the reasons a user can give to open a patient
// outside their service's queue, worded in lang, emergency access last.
func BasisChoices(lang wording.Lang) []BasisChoice {
	out := make([]BasisChoice, 0, len(store.BasisReasons))
	for _, r := range store.BasisReasons {
		c := BasisChoice{Reason: r, Label: capitalise(store.BasisLabel(r, lang)), NoteRequired: r == store.BasisOther}
		if r == store.BasisEmergency {
			c.Emergency, c.Label, c.Help = true, lang.T("session.basis.emergency"), lang.T("session.basis.emergency_help")
		}
		out = append(out, c)
	}
	return out
}

// Basis is the store's basis for this choice with the user's note. A
// choice that needs a note and has none gives ok false; the dialog then
// asks for it (BasisTexts.NoteNeeded).
func (c BasisChoice) Basis(note string) (b store.Basis, ok bool) {
	note = strings.TrimSpace(note)
	if c.NoteRequired && note == "" {
		return store.Basis{}, false
	}
	return store.Basis{Reason: c.Reason, Note: note}, true
}

// BasisTexts are the other words of the dialog.
type BasisTexts struct {
	Title      string // the dialog's heading
	Why        string // the patient is not in your queue: say why
	NoteNeeded string // the chosen reason needs a note
}

// BasisDialog words the dialog's heading and help in lang.
func BasisDialog(lang wording.Lang) BasisTexts {
	return BasisTexts{Title: lang.T("session.basis.title"), Why: lang.T("session.basis.why"), NoteNeeded: lang.T("session.basis.note_need")}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
