// Package status words the record state for the screens, once, in bokmål
// ("nb") and English ("en"): whether the patient record has the latest
// vitals and triage (store.RecordStatuses) and the health line of the
// outbox (store.OutboxHealth). No internal codes reach a bokmål screen:
// a receiver's refusal text (often English) is shown only in English and
// to integrators (triagectl outbox list); bokmål says who can fix it.
package status

import (
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// What names the data an item is about.
type What int

// What the record may lack.
const (
	Vitals What = iota
	Triage
)

var whatText = map[string][2]string{
	"nb": {"vitale verdier", "hastegrad"},
	"en": {"vital signs", "triage"},
}

func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") }

// Item words one RecordItem, e.g. nb "Journal: vitale verdier sendt 12:03",
// en "Record: vital signs sent 12:03". loc is the clinic's time zone.
func Item(it store.RecordItem, w What, lang wording.Lang, loc *time.Location) string {
	nb := lang == "nb"
	ws := whatText["en"]
	if nb {
		ws = whatText["nb"]
	}
	what := ws[0]
	if w == Triage {
		what = ws[1]
	}
	switch it.State {
	case store.OutboxSent:
		if nb {
			return fmt.Sprintf("Journal: %s sendt %s", what, clock(it.SentAt, loc))
		}
		return fmt.Sprintf("Record: %s sent %s", what, clock(it.SentAt, loc))
	case store.OutboxWaiting:
		if it.Attempts > 0 {
			if nb {
				return fmt.Sprintf("Journal: %s venter, journalsystemet svarer ikke (%d forsøk)", what, it.Attempts)
			}
			return fmt.Sprintf("Record: %s waiting, the record system does not answer (%d tries)", what, it.Attempts)
		}
		if nb {
			return fmt.Sprintf("Journal: %s venter på sending (fra %s)", what, clock(it.Since, loc))
		}
		return fmt.Sprintf("Record: %s waiting to be sent (since %s)", what, clock(it.Since, loc))
	case store.OutboxParked:
		if nb {
			return fmt.Sprintf("Journal: %s avvist av journalsystemet; kontakt systemansvarlig", what)
		}
		return fmt.Sprintf("Record: %s refused by the record system: %s", what, it.Reason)
	}
	if nb {
		return fmt.Sprintf("Journal: ingen %s å sende", what)
	}
	return fmt.Sprintf("Record: no %s to send", what)
}

// Health is the outbox's part of the status line, e.g. nb
// "Journal dips.fhir: 3 venter, 1 avvist, sist sendt 12:03".
func Health(t store.OutboxTotals, lang wording.Lang, loc *time.Location) string {
	last := "-"
	if !t.LastSent.IsZero() {
		last = clock(t.LastSent, loc)
	}
	if lang == "nb" {
		s := fmt.Sprintf("Journal %s: %d venter, %d avvist, sist sendt %s", t.Destination, t.Waiting, t.Parked, last)
		if t.Retrying > 0 {
			s += fmt.Sprintf(" (%d får ikke svar)", t.Retrying)
		}
		return s
	}
	s := fmt.Sprintf("Record %s: %d waiting, %d refused, last sent %s", t.Destination, t.Waiting, t.Parked, last)
	if t.Retrying > 0 {
		s += fmt.Sprintf(" (%d without an answer)", t.Retrying)
	}
	return s
}

// Short words a state for one narrow column (a board's "Journal" cell):
// nb "sendt", "venter", "avvist", "–" for nothing to send; en "sent",
// "waiting", "refused", "–". Text, so the state never rests on colour.
func Short(s store.OutboxState, lang wording.Lang) string {
	i := 1
	if lang == "nb" {
		i = 0
	}
	switch s {
	case store.OutboxSent:
		return [2]string{"sendt", "sent"}[i]
	case store.OutboxWaiting:
		return [2]string{"venter", "waiting"}[i]
	case store.OutboxParked:
		return [2]string{"avvist", "refused"}[i]
	}
	return "–"
}

// Unknown says the record state could not be read (the store refused or
// failed): shown instead of a state, never as "nothing to send".
func Unknown(lang wording.Lang) string {
	if lang == "nb" {
		return "Journal: status ukjent (kunne ikke leses)"
	}
	return "Record: state unknown (could not be read)"
}

// Heading is the name of a board's record column: nb "Journal", en "Record".
func Heading(lang wording.Lang) string {
	if lang == "nb" {
		return "Journal"
	}
	return "Record"
}
