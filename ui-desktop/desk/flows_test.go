package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/patient/patienttest"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// validNIDAny is a synthetic fødselsnummer born 15.03.1980, so no real
// person's number appears in the tests.
func validNIDAny(t *testing.T) string { return patienttest.NID(t, "150380", 100) }

func (r *rig) register(id, name string) {
	r.t.Helper()
	r.app.ShowRegistration()
	test.Type(r.app.reg.id, id)
	test.Type(r.app.reg.name, name)
	test.Tap(r.app.reg.submit)
}

func TestRegisterAValidIdentityNumberOpensTheTriageForm(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Kari Nordmann")

	require.NotNil(t, r.app.form.enc, "the new encounter is the form's patient")
	assert.Equal(t, "Kari Nordmann", r.app.form.enc.Patient)
	assert.Equal(t, 46, r.app.form.enc.AgeYears, "age from the identity number at 2026-11-22")
	assert.Equal(t, 1, r.app.tabs.SelectedIndex(), "the triage tab is shown")
	assert.Equal(t, "Pasient: Kari Nordmann (kvinne, 46 år)", r.app.form.patient.Text)
	assert.Empty(t, r.app.reg.id.Text, "the registration form is cleared for the next patient")
	require.Len(t, r.store.encs, 1)
	assert.Equal(t, t0, r.store.encs[0].Arrived, "arrival defaults to now")
}

func TestRegistrationRejects(t *testing.T) {
	tests := []struct {
		name, id, arrival, want string
	}{
		{"an identity number with a wrong control digit", "15038012345", "", "Fødselsnummer: "},
		{"an identity number that is too short", "1503801", "", "Fødselsnummer: "},
		{"an arrival time that is not a clock time", "", "25:99", "Ankomst \"25:99\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, i18n.NB, nil)
			id := tt.id
			if id == "" {
				id = validNIDAny(t)
			}
			if tt.arrival != "" {
				r.app.reg.arrival.SetText(tt.arrival)
			}
			r.register(id, "Ola")
			assert.Contains(t, r.app.reg.msg.Text, tt.want)
			assert.Empty(t, r.store.encs, "nothing is registered")
			assert.Nil(t, r.app.form.enc)
		})
	}
}

func TestAnUnknownPatientGetsATemporaryID(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.app.ShowRegistration()
	test.Tap(r.app.reg.unknown)
	assert.True(t, r.app.reg.id.Disabled(), "no identity number can be typed for an unknown patient")
	test.Tap(r.app.reg.submit)
	require.NotNil(t, r.app.form.enc)
	assert.True(t, strings.HasPrefix(r.app.form.enc.Patient, patient.TempPrefix), "temporary id %q", r.app.form.enc.Patient)
	assert.False(t, r.app.form.enc.AgeKnown)
}

func TestTriageWithLiveValuesFromAMonitor(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.register(validNIDAny(t), "Ola Nordmann")

	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	require.NotNil(t, r.app.form.feed, "the simulator is connected")
	assert.Contains(t, r.app.DeviceLine(), "CONNECTING")

	r.feed.status <- DeviceStatus{State: StateLive, At: r.now}
	r.drainUntil(func() bool { return r.app.form.feed.status.State == StateLive })
	assert.Contains(t, r.app.DeviceLine(), "LIVE")

	r.send(vitals.SpO2, 97, vitals.Percent)
	spo2 := r.app.form.tiles[vitals.SpO2].View()
	assert.Equal(t, "97", spo2.Value)
	assert.Equal(t, "%", spo2.Unit)
	assert.Equal(t, "source sim-1", spo2.Source)
	assert.Equal(t, "0 s ago", spo2.Age)
	assert.Empty(t, spo2.Marker)
	assert.Equal(t, "NEWS2 at least 0 (missing RR)", r.app.form.news2.Text, "RR is still missing, named")

	r.send(vitals.RR, 22, vitals.PerMin)
	assert.Equal(t, "NEWS2 2 (low)", r.app.form.news2.Text)
	assert.Equal(t, "GREEN", r.app.form.colour.Text())

	r.send(vitals.SpO2, 91, vitals.Percent)
	assert.Equal(t, "NEWS2 5 (medium)", r.app.form.news2.Text, "the score follows the new SpO2 at once")
	assert.Equal(t, "ORANGE", r.app.form.colour.Text())

	// Values age on the tick and are marked stale past the policy (60 s).
	r.now = r.now.Add(61 * time.Second)
	r.app.Tick()
	spo2 = r.app.form.tiles[vitals.SpO2].View()
	assert.Equal(t, "STALE", spo2.Marker)
	assert.Equal(t, "1 min ago", spo2.Age)
	assert.Contains(t, r.app.form.reasons.Text, "Stale, left out of NEWS2: SpO2")

	// Fresh values, then save.
	r.send(vitals.SpO2, 91, vitals.Percent)
	r.send(vitals.RR, 22, vitals.PerMin)
	r.save()
	require.Len(t, r.store.saved, 1)
	s := r.store.saved[0]
	assert.Equal(t, triage.Orange, s.Result.Colour)
	assert.Equal(t, "sykepleier.kari", s.By)
	assert.Len(t, s.Observations, 2)
	assert.Nil(t, r.app.form.enc, "the form is free for the next patient")
	assert.Contains(t, r.app.form.msg.Text, "Saved: Ola Nordmann ORANGE")
	assert.True(t, r.app.form.savedColour.Visible(), "the saved colour as its badge")
	assert.Equal(t, "ORANGE", r.app.form.savedColour.Text())
	assert.Equal(t, []string{"ORANGE | Ola Nordmann (female, 46 y) | 1 min of 10 min | NEWS2 5"}, r.app.BoardText())
	assert.Equal(t, "No monitor", r.app.dev.badge.Text())
	assert.False(t, r.feed.closed, "the monitor stays on the waiting patient for the deterioration watch")
}

func TestManualEntriesScoreAndAreCheckedForRange(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.register(validNIDAny(t), "Per")
	test.Type(r.app.form.temp, "38,2")
	temp := r.app.form.tiles[vitals.Temp].View()
	assert.Equal(t, "38.2", temp.Value, "a decimal comma is read")
	assert.Equal(t, "source measured by hand", temp.Source)

	r.app.form.temp.SetText("52")
	note := r.app.form.manual[vitals.Temp].note
	assert.True(t, note.Visible(), "the error is next to its field at once")
	assert.Equal(t, `Temp "52": type a number 25.0–45.0 °C`, note.Text)
	r.save()
	assert.Empty(t, r.store.saved, "an impossible value is never saved")
	assert.Equal(t, `Temp "52": type a number 25.0–45.0 °C`, r.app.form.msg.Text)
	assert.Equal(t, r.app.form.temp, r.win.Canvas().Focused(), "the save puts the focus on the field")

	r.app.form.temp.SetText("38,5")
	assert.False(t, note.Visible(), "the error clears when fixed")
}

func TestOverride(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.register(validNIDAny(t), "Liv")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 98, vitals.Percent)
	r.send(vitals.RR, 16, vitals.PerMin)
	require.Equal(t, "GREEN", r.app.form.colour.Text())

	t.Run("up is free", func(t *testing.T) {
		r.app.form.override.SetSelected("ORANGE")
		assert.Equal(t, "ORANGE", r.app.form.colour.Text())
	})
	t.Run("down without a reason is refused and not saved", func(t *testing.T) {
		r.app.form.override.SetSelected("BLUE")
		assert.Equal(t, "GREEN", r.app.form.colour.Text(), "the engine's colour stands")
		assert.Contains(t, r.app.form.reasons.Text, "needs a written reason")
		r.save()
		assert.Empty(t, r.store.saved)
		assert.Contains(t, r.app.form.msg.Text, "needs a written reason")
		// QA G15: the refusal goes with the override it was about: a
		// raise instead, or no override, takes it off.
		r.app.form.override.SetSelected("YELLOW")
		assert.Empty(t, r.app.form.msg.Text)
		r.app.form.override.SetSelected("BLUE")
		r.save()
		assert.Contains(t, r.app.form.msg.Text, "needs a written reason")
		r.app.form.override.SetSelected(i18n.EN.T("triage.override.none"))
		assert.Empty(t, r.app.form.msg.Text)
		r.app.form.override.SetSelected("BLUE")
	})
	t.Run("down with a written reason is saved with the reason", func(t *testing.T) {
		test.Type(r.app.form.why, "known chronic low saturation, seen by GP today")
		assert.Equal(t, "BLUE", r.app.form.colour.Text())
		r.save()
		require.Len(t, r.store.saved, 1)
		res := r.store.saved[0].Result
		assert.Equal(t, triage.Blue, res.Colour)
		assert.Equal(t, triage.Green, res.From)
		assert.Equal(t, "known chronic low saturation, seen by GP today", res.OverrideReason)
	})
}

// triageOnMonitor registers a patient, connects the simulator, sends a
// normal set and saves: the patient then waits on the monitor.
func (r *rig) triageOnMonitor(name string) ids.Encounter {
	r.t.Helper()
	r.register(validNIDAny(r.t), name)
	id := r.app.form.enc.ID
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 97, vitals.Percent)
	r.send(vitals.RR, 16, vitals.PerMin)
	r.save()
	require.Len(r.t, r.store.saved, 1)
	return id
}

func TestDeteriorationAlertAcknowledgementAndRetriage(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	id := r.triageOnMonitor("Nils")
	require.True(t, r.app.watch.Tracking(id))
	assert.False(t, r.app.al.content.Visible(), "no alert yet")

	// In the waiting room SpO2 falls: 97 -> 93 is 0 -> 2 points.
	r.now = r.now.Add(5 * time.Minute)
	r.send(vitals.RR, 16, vitals.PerMin)
	require.Empty(t, r.app.OpenAlerts(), "the same score again is no alert")
	r.send(vitals.SpO2, 93, vitals.Percent)
	require.Len(t, r.app.OpenAlerts(), 1, "a rise of 2 raises an alert")
	assert.True(t, r.app.al.content.Visible(), "the banner is shown on every tab")
	assert.Equal(t, "DETERIORATION – Nils (female, 46 y)", r.app.al.badge.Text())
	assert.Contains(t, r.app.al.body.Text, "NEWS2 from 0 to 2 (low to low). Re-triage now. NEWS2 rose by 2")
	assert.Zero(t, r.app.win.Canvas().Overlays().List(), "no pop-up over the form")
	assert.Contains(t, r.app.BoardText()[0], "DETERIORATING")
	assert.Contains(t, r.app.BoardText()[0], "NEWS2 0 (now 2)", "the live score is beside the triage score")

	// The observations reach the store on the tick.
	r.app.Tick()
	r.drainUntil(func() bool {
		r.store.mu.Lock()
		defer r.store.mu.Unlock()
		return len(r.store.obs[id]) > 0
	})

	// Re-triage from the alert opens the form with the patient, the
	// monitor and the live values; the alert stays open until it is saved.
	r.app.RetriageTop()
	require.NotNil(t, r.app.form.enc)
	assert.Equal(t, id, r.app.form.enc.ID)
	assert.Len(t, r.app.OpenAlerts(), 1, "opening the form answers nothing yet")
	assert.Empty(t, r.store.acks)
	assert.Contains(t, r.app.BoardText()[0], "DETERIORATING", "the board flag stays until the alert is answered")
	assert.Equal(t, "93", r.app.form.tiles[vitals.SpO2].View().Value, "the monitor's values are on the form")
	assert.Equal(t, "NEWS2 2 (low)", r.app.form.news2.Text)

	r.save()
	require.Len(t, r.store.saved, 2, "re-triage is a new assessment")
	assert.Empty(t, r.app.OpenAlerts(), "the saved re-triage answers the alert")
	require.Len(t, r.store.acks, 1)
	assert.Equal(t, Acknowledgement{EncounterID: id, AlertID: fmt.Sprintf("%d#1", id), By: "sykepleier.kari", At: r.now,
		NEWS2Before: 0, NEWS2After: 2, BandBefore: "low", BandAfter: "low", Retriage: true}, r.store.acks[0],
		"who, when, the alert's NEWS2 before and after with the bands, and that a re-triage was saved")
	assert.False(t, r.app.al.content.Visible())
	b, ok := r.app.watch.Baseline(id)
	require.True(t, ok)
	assert.Equal(t, 2, b.Total, "the re-triage is the new baseline")

	r.app.Retriage(id)
	r.drainUntil(func() bool { return r.app.form.acks.Visible() })
	assert.Equal(t, fmt.Sprintf("Deterioration acknowledged by sykepleier.kari at %s: NEWS2 from 0 to 2 (low to low), followed by re-triage",
		r.now.Local().Format("15:04")), r.app.form.acks.Text, "the re-triage form shows the recorded acknowledgement")
}

func TestAnOpenAlertSurvivesALanguageSwitch(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.triageOnMonitor("Siri")
	r.send(vitals.RR, 26, vitals.PerMin)
	r.app.AcknowledgeTop()
	require.NotNil(t, r.app.al.dialog)
	old := r.app.al.dialog
	r.app.ToggleLanguage()
	assert.False(t, old.Visible(), "the old dialog is closed, nothing acknowledged")
	require.Len(t, r.app.OpenAlerts(), 1)
	assert.True(t, r.app.al.content.Visible())
	assert.Contains(t, r.app.al.badge.Text(), "DETERIORATION – Siri")
	r.app.AcknowledgeTop()
	require.NotNil(t, r.app.al.dialog)
	assert.Contains(t, r.app.al.dlgTitle.Text(), "Acknowledge deterioration – Siri")
	r.app.ConfirmAck("doctor informed")
	assert.Nil(t, r.app.al.dialog, "acknowledging closes the dialog")
	assert.Empty(t, r.app.OpenAlerts())
}

func TestAcknowledgeWithoutRetriageNeedsAReasonAndIsRecorded(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	id := r.triageOnMonitor("Siri")
	r.send(vitals.RR, 26, vitals.PerMin) // 0 -> 3 points
	require.Len(t, r.app.OpenAlerts(), 1)
	test.Tap(r.app.al.ack)
	require.NotNil(t, r.app.al.dialog, "a click on the banner's action asks what was done")
	assert.Equal(t, r.app.al.reason, r.app.win.Canvas().Focused(), "the reason field has the focus")
	assert.True(t, r.app.al.confirm.Disabled(), "no acknowledgement without a reason")
	r.app.ConfirmAck("  ")
	assert.Len(t, r.app.OpenAlerts(), 1, "an empty reason acknowledges nothing")
	assert.True(t, r.app.al.dlgWarn.Visible())
	test.Type(r.app.al.reason, "lege tilkalt")
	assert.False(t, r.app.al.confirm.Disabled())
	test.Tap(r.app.al.confirm)
	assert.Empty(t, r.app.OpenAlerts())
	require.Len(t, r.app.Acks(), 1)
	assert.Equal(t, "sykepleier.kari", r.app.Acks()[0].By)
	require.Len(t, r.store.acks, 1)
	assert.Equal(t, fmt.Sprintf("%d#1", id), r.store.acks[0].AlertID)
	assert.False(t, r.store.acks[0].Retriage, "acknowledged only")
	assert.Equal(t, "lege tilkalt", r.store.acks[0].Note, "the record says what was done")
	assert.Equal(t, 3, r.store.acks[0].NEWS2After)
	assert.Equal(t, "low", r.store.acks[0].BandAfter, "the fake bands 0-4 as low")
}

func TestAnAcknowledgementTheStoreRefusesIsShownNotOnlyLogged(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.triageOnMonitor("Siri")
	r.store.ackErr = errors.New("database is locked")
	r.send(vitals.RR, 26, vitals.PerMin)
	require.Len(t, r.app.OpenAlerts(), 1)
	r.app.AcknowledgeTop()
	r.app.ConfirmAck("doctor informed")
	assert.Equal(t, "The acknowledgement was not recorded: database is locked", r.app.form.msg.Text)
}

func TestRetriageShowsAnotherWorkstationsAcknowledgement(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Per")
	id := r.app.form.enc.ID
	at := r.now.Add(-3 * time.Minute)
	r.store.acks = append(r.store.acks, Acknowledgement{EncounterID: id, AlertID: "x#1", By: "ola", Workstation: "obs-pc", At: at,
		NEWS2Before: 2, NEWS2After: 7, BandBefore: "low", BandAfter: "high"})
	r.app.Retriage(id)
	r.drainUntil(func() bool { return r.app.form.acks.Visible() })
	assert.Equal(t, fmt.Sprintf("Forverring kvittert av ola kl. %s: NEWS2 fra 2 til 7 (lav til høy), kun kvittert", at.Local().Format("15:04")), r.app.form.acks.Text)
	r.app.ToggleLanguage()
	r.drainUntil(func() bool { return r.app.form.acks.Visible() })
	assert.Equal(t, fmt.Sprintf("Deterioration acknowledged by ola at %s: NEWS2 from 2 to 7 (low to high), acknowledged only", at.Local().Format("15:04")), r.app.form.acks.Text,
		"a language switch lists them again")
	r.save()
	assert.False(t, r.app.form.acks.Visible(), "a saved form no longer shows the last patient's acknowledgements")
}

func TestADroppedMonitorKeepsTheValuesAndSaysWhatToCheck(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Eva")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 95, vitals.Percent)
	test.Type(r.app.form.complaint, "brystsmerter")

	r.feed.status <- DeviceStatus{State: StateDisconnected, Hint: "port closed", At: r.now}
	r.drainUntil(func() bool { return r.app.form.feed.status.State == StateDisconnected })
	assert.Equal(t, "FRAKOBLET Monitor sim-1 · Obs 1 · simulator: FRAKOBLET – Sjekk: port closed; sjekk USB-/seriekabelen; appen kobler til igjen av seg selv", r.app.DeviceLine())
	assert.Equal(t, "95", r.app.form.tiles[vitals.SpO2].View().Value, "the last value stays, with its age")
	assert.Equal(t, "brystsmerter", r.app.form.complaint.Text, "nothing typed is lost")
	assert.Equal(t, "brystsmerter", r.draft.d.Complaint)
}

func TestTheDraftSurvivesAClosedApp(t *testing.T) {
	drafts := &MemoryDrafts{}
	r := newRig(t, i18n.NB, drafts)
	nid := validNIDAny(t)
	test.Type(r.app.reg.id, nid)
	test.Type(r.app.reg.name, "Halvor")
	r.app.reg.arrival.SetText("13:40")
	r.app.Stop() // the app goes away without a save: every change was already kept
	assert.Equal(t, nid, drafts.d.RegID)

	// A new app on the same drafts shows what was typed.
	r2 := newRig(t, i18n.NB, drafts)
	assert.Equal(t, nid, r2.app.reg.id.Text)
	assert.Equal(t, "Halvor", r2.app.reg.name.Text)
	assert.Equal(t, "13:40", r2.app.reg.arrival.Text)
	assert.Equal(t, "Utkast gjenopprettet", r2.app.reg.msg.Text)
}

func TestSwitchingLanguageKeepsTheForm(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Knut")
	test.Type(r.app.form.complaint, "feber")
	r.app.form.override.SetSelected("RØD")
	r.app.ToggleLanguage()
	assert.Equal(t, i18n.EN, r.app.Lang())
	assert.Equal(t, "feber", r.app.form.complaint.Text)
	assert.Equal(t, "RED", r.app.form.override.Selected)
	assert.Equal(t, "Patient: Knut (female, 46 y)", r.app.form.patient.Text)
	assert.Equal(t, 1, r.app.tabs.SelectedIndex())
}

func TestShortcutsReachTheCommonActions(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	sc := menuShortcuts{t: t, w: r.win}
	sc.TypedShortcut(ctrl(fyne.KeyB))
	assert.Equal(t, 2, r.app.tabs.SelectedIndex(), "Ctrl+B shows the board")
	sc.TypedShortcut(ctrl(fyne.KeyN))
	assert.Equal(t, 0, r.app.tabs.SelectedIndex(), "Ctrl+N shows registration")
	assert.Equal(t, r.app.reg.id, r.win.Canvas().Focused(), "with the identity field focused")
	sc.TypedShortcut(ctrl(fyne.KeyH))
	assert.True(t, r.app.Theme().HighContrast, "Ctrl+H switches to high contrast")
	sc.TypedShortcut(ctrl(fyne.KeyPlus))
	assert.InDelta(t, 1.1, r.app.Theme().Scale, 0.001, "Ctrl++ makes text larger")
	sc.TypedShortcut(ctrl(fyne.KeyL))
	assert.Equal(t, i18n.NB, r.app.Lang(), "Ctrl+L switches language")
	require.NotNil(t, r.win.MainMenu(), "the shortcuts are also a menu, so they work from inside a text field")
	shown := 0
	for _, s := range r.app.shortcuts() {
		if !s.hidden {
			shown++
		}
	}
	assert.Len(t, r.win.MainMenu().Items[0].Items, shown+2, "each shown once, then a separator and Quit")
}

func TestTabOrderFollowsTheRegistrationForm(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.app.ShowRegistration()
	c := r.win.Canvas()
	var order []fyne.Focusable
	for range 5 {
		order = append(order, c.Focused())
		test.FocusNext(c)
	}
	want := []fyne.Focusable{r.app.reg.id, r.app.reg.unknown, r.app.reg.name, r.app.reg.age, r.app.reg.arrival}
	assert.Equal(t, want, order)
}

// menuShortcuts dispatches a shortcut as the desktop driver does first:
// to the main-menu item that carries it (fyne's test canvas has no
// shortcut dispatch of its own).
type menuShortcuts struct {
	t *testing.T
	w fyne.Window
}

func (m menuShortcuts) TypedShortcut(s fyne.Shortcut) {
	m.t.Helper()
	menu := m.w.MainMenu()
	require.NotNil(m.t, menu)
	for _, mm := range menu.Items {
		for _, it := range mm.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == s.ShortcutName() {
				it.Action()
				return
			}
		}
	}
	m.t.Fatalf("no menu item for shortcut %s", s.ShortcutName())
}

func TestTabOrderFollowsTheTriageForm(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.register(validNIDAny(t), "Tor")
	c := r.win.Canvas()
	c.Focus(r.app.form.monitor)
	var order []fyne.Focusable
	for range 10 {
		order = append(order, c.Focused())
		test.FocusNext(c)
	}
	f := r.app.form
	// The vitals in the table's (chart) order: RR, SpO2, air/oxygen, BP,
	// pulse, consciousness, temperature today.
	want := []fyne.Focusable{f.monitor}
	for _, v := range f.rows {
		switch {
		case v.Kind != "":
			want = append(want, f.manual[v.Kind].entry, f.manual[v.Kind].at)
		case v.ID == "oxygen":
			want = append(want, f.oxygen)
		case v.ID == "consciousness":
			want = append(want, f.acvpu)
		}
	}
	want = append(want, f.concern, f.complaint, f.override, f.why, f.save)
	for len(order) < len(want) {
		order = append(order, c.Focused())
		test.FocusNext(c)
	}
	assert.Equal(t, want, order[:len(want)], "monitor, every vital in chart order with its time, the nurse's findings, then override and save")
}

func TestThePatientContextComesBeforeTheMonitorInTabOrder(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.register(validNIDAny(t), "Tor")
	c := r.win.Canvas()
	c.Focus(r.app.form.age)
	f := r.app.form
	var order []fyne.Focusable
	for range 3 {
		order = append(order, c.Focused())
		test.FocusNext(c)
	}
	assert.Equal(t, []fyne.Focusable{f.age, f.pregnant, f.monitor}, order, "the hidden scale 2 check is skipped")
}

func TestAMonitorThatCannotBeOpenedIsNotShownAsPicked(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.register(validNIDAny(t), "Ida")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[1])) // mon-2 has no feed
	assert.Contains(t, r.app.form.msg.Text, "open monitor mon-2: monitor mon-2: not found")
	assert.Empty(t, r.app.form.monitor.Selected)
	assert.Nil(t, r.app.form.feed)
	assert.Equal(t, "No monitor", r.app.dev.badge.Text())
}

func TestAWaitingPatientsMonitorThatDropsIsFlaggedOnTheBoard(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.triageOnMonitor("Arne")
	assert.Contains(t, r.app.BoardText()[0], "MONITOR CONNECTING", "not live yet")
	r.feed.status <- DeviceStatus{State: StateLive, At: r.now}
	r.drainUntil(func() bool { return r.app.feeds["sim-1"].status.State == StateLive })
	require.NotContains(t, r.app.BoardText()[0], "MONITOR")
	r.feed.status <- DeviceStatus{State: StateNoData, At: r.now}
	r.drainUntil(func() bool { return r.app.feeds["sim-1"].status.State == StateNoData })
	assert.Contains(t, r.app.BoardText()[0], "MONITOR NO DATA", "the deterioration watch is blind: the board says so")
	r.feed.status <- DeviceStatus{State: StateLive, At: r.now}
	r.drainUntil(func() bool { return r.app.feeds["sim-1"].status.State == StateLive })
	assert.NotContains(t, r.app.BoardText()[0], "MONITOR")
}

func TestTheTrendOnRetriageIncludesStoredObservations(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	r.register(validNIDAny(t), "Berit")
	id := r.app.form.enc.ID
	r.save()
	// Another workstation recorded a pulse for her ten minutes later.
	r.now = r.now.Add(10 * time.Minute)
	require.NoError(t, r.store.AddObservations(t.Context(), id, []vitals.Observation{
		{Kind: vitals.HR, Value: 118, Unit: vitals.PerMin, Source: "mon-9", HostTime: r.now.Add(-time.Minute), Quality: vitals.Valid},
	}))
	r.app.Retriage(id)
	r.drainUntil(func() bool { return len(r.app.history[id]) == 1 })
	assert.Equal(t, "HR 118 /min", r.app.form.trendLabel[vitals.HR].Text)
}

func TestTheTrendKeepsOnlyItsWindow(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	id := r.triageOnMonitor("Lise")
	for i := 0; i < 40; i++ {
		r.now = r.now.Add(time.Minute)
		r.send(vitals.SpO2, 97, vitals.Percent)
	}
	for _, o := range r.app.history[id] {
		assert.False(t, o.HostTime.Before(r.now.Add(-TrendWindow)), "an observation older than the trend window is kept")
	}
	assert.LessOrEqual(t, len(r.app.history[id]), 31)
	assert.LessOrEqual(t, len(r.app.feeds["sim-1"].recent), 31)
}

func TestAPatientCalledInIsNoLongerWatchedAndTheMonitorIsFreed(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	r.start()
	id := r.triageOnMonitor("Mona")
	require.True(t, r.app.watch.Tracking(id))
	// Another workstation calls her in to the doctor: she leaves the queue.
	r.store.mu.Lock()
	delete(r.store.items, id)
	r.store.mu.Unlock()
	r.app.RefreshQueue()
	assert.False(t, r.app.watch.Tracking(id), "a patient with the doctor is not watched")
	assert.True(t, r.feed.closed, "her monitor is freed")
	assert.Empty(t, r.app.feeds)
	r.send2(vitals.SpO2, 80)
	assert.Empty(t, r.app.OpenAlerts(), "a late value from her monitor raises nothing")
}

// send2 sends an observation from the fake monitor without waiting for
// the form (the monitor may no longer be open) and runs what arrives.
func (r *rig) send2(kind vitals.Kind, v float64) {
	r.feed.obs <- vitals.Observation{Kind: kind, Value: v, Unit: vitals.Percent, Source: "sim-1", HostTime: r.now, Quality: vitals.Valid}
	for {
		select {
		case f := <-r.queue:
			f()
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

// The board re-reads the queue into the array of its previous read (no
// 10,000-entry allocation per change), and what it shows is the new queue,
// with nobody left over from the longer one before.
func TestRefreshQueueReusesItsArrayAndShowsTheNewQueue(t *testing.T) {
	r := newRig(t, i18n.EN, nil)
	for i, name := range []string{"Anna", "Bjørn", "Cecilie"} {
		_, err := r.store.Register(context.Background(), Registration{Name: name, Channel: "walk_in", Arrived: t0.Add(-time.Duration(i) * time.Minute)})
		require.NoError(t, err)
	}
	r.app.RefreshQueue()
	require.Len(t, r.app.queue, 3)
	first := &r.app.queue[0]

	r.store.mu.Lock()
	delete(r.store.items, 2) // Bjørn is called in to the doctor elsewhere
	r.store.mu.Unlock()
	r.app.RefreshQueue()

	require.Len(t, r.app.queue, 2)
	assert.Same(t, first, &r.app.queue[0], "the second read reuses the first read's array")
	board := strings.Join(r.app.BoardText(), "\n")
	assert.Contains(t, board, "Anna")
	assert.Contains(t, board, "Cecilie")
	assert.NotContains(t, board, "Bjørn")
}
