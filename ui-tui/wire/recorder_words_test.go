package wire

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/workstation/session"
)

// refusingAdder refuses every write with err.
type refusingAdder struct{ err error }

func (r refusingAdder) AddObservations(context.Context, store.Actor, ids.Encounter, []vitals.Observation) error {
	return r.err
}

// The "not stored" notice words why in the screen's language: a session
// error as the login screens word it, a refusal and a database fault in
// the wording layer's words; never the error's own English text.
func TestNotStoredNoticeIsWordedInTheUsersLanguage(t *testing.T) {
	cases := []struct {
		err    error
		nb, en string
	}{
		{fmt.Errorf("monitor values: %w", session.ErrDisabled), "Kontoen din er deaktivert. Spør en administrator.", "Your account is disabled. Ask an administrator."},
		{session.ErrNoSession, "Ingen er logget inn. Logg inn først.", "Nobody is logged in. Log in first."},
		{fmt.Errorf("actor: %w", identity.ErrNoRole), "Kontoen din har ingen rolle for denne arbeidsstasjonen. Spør en administrator.", "Your account has no role for this workstation. Ask an administrator."},
		{fmt.Errorf("observations of encounter 42: %w", store.ErrForbidden), "ikke tillatt for brukeren som er logget inn.", "not allowed for the user logged in."},
		{fmt.Errorf("store: encounter 42: database is locked"), "databasen tok ikke imot verdiene.", "the database did not take them."},
	}
	for _, c := range cases {
		for lang, want := range map[wording.Lang]string{"nb": "Monitorverdier ikke lagret ennå (1 venter, prøver igjen): " + c.nb,
			"en": "Monitor values not stored yet (1 waiting, retrying): " + c.en} {
			ctx, cancel := context.WithCancel(context.Background())
			src := newChanFeed()
			mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 42, Label: "Kari Nordmann"}
			rec := NewMonitorRecorder(ctx, src, refusingAdder{c.err}, store.Actor{User: "t"}, []monitorboard.MonitoredPatient{mp}, time.Hour)
			notices := make(chan tea.Msg, 4)
			go rec.Report(ctx, lang, func(m tea.Msg) { notices <- m })
			src.r <- monitorboard.MonitorReading{Device: "demo-sepsis", Obs: vitals.Observation{Kind: vitals.HR, Value: 96, Unit: vitals.PerMin, Source: "demo-sepsis", HostTime: testNow, Quality: vitals.Valid}}
			<-rec.Readings()
			require.Error(t, rec.Flush(ctx))
			n, ok := (<-notices).(tui.Notice)
			require.True(t, ok)
			assert.Equal(t, want, n.Text, "%v %s", c.err, lang)
			cancel()
		}
	}
}
