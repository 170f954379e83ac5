package status

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Oslo also where the system has no zone files

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

var oslo, _ = time.LoadLocation("Europe/Oslo")

func TestItemsAndHealthInBothLanguages(t *testing.T) {
	at := time.Date(2026, 11, 22, 11, 3, 0, 0, time.UTC) // 12:03 in Oslo
	for _, tc := range []struct {
		it     store.RecordItem
		w      What
		nb, en string
	}{
		{store.RecordItem{State: store.OutboxSent, SentAt: at}, Vitals, "Journal: vitale verdier sendt 12:03", "Record: vital signs sent 12:03"},
		{store.RecordItem{State: store.OutboxWaiting, Since: at}, Triage, "Journal: hastegrad venter på sending (fra 12:03)", "Record: triage waiting to be sent (since 12:03)"},
		{store.RecordItem{State: store.OutboxWaiting, Since: at, Attempts: 3, Reason: "HTTP 503"}, Vitals,
			"Journal: vitale verdier venter, journalsystemet svarer ikke (3 forsøk)", "Record: vital signs waiting, the record system does not answer (3 tries)"},
		{store.RecordItem{State: store.OutboxParked, Reason: "HTTP 422 business-rule: unknown ward"}, Triage,
			"Journal: hastegrad avvist av journalsystemet; kontakt systemansvarlig", "Record: triage refused by the record system: HTTP 422 business-rule: unknown ward"},
		{store.RecordItem{}, Vitals, "Journal: ingen vitale verdier å sende", "Record: no vital signs to send"},
	} {
		require.Equal(t, tc.nb, Item(tc.it, tc.w, "nb", oslo))
		require.Equal(t, tc.en, Item(tc.it, tc.w, "en", oslo))
	}
	h := store.OutboxTotals{Destination: "dips.fhir", Waiting: 3, Retrying: 2, Parked: 1, LastSent: at}
	require.Equal(t, "Journal dips.fhir: 3 venter, 1 avvist, sist sendt 12:03 (2 får ikke svar)", Health(h, "nb", oslo))
	require.Equal(t, "Record dips.fhir: 3 waiting, 1 refused, last sent 12:03 (2 without an answer)", Health(h, "en", oslo))
	require.Equal(t, "Journal dips.fhir: 0 venter, 0 avvist, sist sendt -", Health(store.OutboxTotals{Destination: "dips.fhir"}, "nb", oslo))
}

// No English word, internal code or receiver text on a bokmål screen, for
// every state, whatever the receiver said.
func TestBokmalCarriesNoEnglishOrCodes(t *testing.T) {
	for _, st := range []store.OutboxState{"", store.OutboxSent, store.OutboxWaiting, store.OutboxParked} {
		for _, attempts := range []int{0, 1, 7} {
			for _, w := range []What{Vitals, Triage} {
				s := Item(store.RecordItem{State: st, Attempts: attempts, Reason: "HTTP 500 exception: Internal server error"}, w, "nb", oslo)
				for _, bad := range []string{"HTTP", "exception", "sent", "waiting", "parked", "refused", "record", "outbox", "error"} {
					require.NotContains(t, strings.ToLower(s), strings.ToLower(bad), "%q", s)
				}
			}
		}
	}
}

func TestShortWordsInBothLanguages(t *testing.T) {
	for s, want := range map[store.OutboxState][2]string{
		store.OutboxSent: {"sendt", "sent"}, store.OutboxWaiting: {"venter", "waiting"}, store.OutboxParked: {"avvist", "refused"}, "": {"–", "–"},
	} {
		require.Equal(t, want[0], Short(s, "nb"), s)
		require.Equal(t, want[1], Short(s, "en"), s)
	}
	require.NotEqual(t, Unknown("nb"), Unknown("en"))
	require.Equal(t, "Journal", Heading("nb"))
	require.Equal(t, "Record", Heading("en"))
}
