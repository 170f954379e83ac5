package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func intp(v int) *int { return &v }

// attachedBoard is an 80x24 monitor board with the septic demo patient on
// demo-sepsis, assessed assessedAgo before testNow with NEWS2 base.
func attachedBoard(lang wording.Lang, assessedAgo time.Duration, base int, band string) (*monitorboard.Model, monitorboard.MonitoredPatient) {
	m := monitorboard.New(newTestContext(lang, true), nil, monitorboard.News2Chart{})
	mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 42, Label: "Demo Sepsis",
		Assessed: monitorboard.AssessedContext{At: testNow.Add(-assessedAgo), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(base), Band: band}}
	m.Attach(mp)
	return m, mp
}

// septicNow scores 5 (medium): HR 96 1, RR 21 2, SpO2 96 0, SBP 108 1, T 38.3 1.
var septicNow = map[vitals.Kind]float64{vitals.HR: 96, vitals.RR: 21, vitals.SpO2: 96, vitals.SBP: 108, vitals.Temp: 38.3}

func TestMonitorBoardNamesThePatientAndCompletesNEWS2FromARecentAssessment(t *testing.T) {
	m, _ := attachedBoard("nb", 25*time.Minute, 5, "medium")
	screentest.FeedValues(m, septicNow)
	s := plain(m)
	assert.Contains(t, s, "Obs 1  Demo Sepsis\n", "the patient's name beside the monitor")
	assert.NotContains(t, s, "demo-sepsis", "a device id is not a word for the nurse (QA F8)")
	assert.Contains(t, s, "NEWS2 5 MIDDELS (ACVPU/O2 fra vurdering 14:05)", "air and alert from the assessment 25 min ago complete the set, and the board says so")
	assert.NotContains(t, s, "FORVERRET", "no rise over the assessment's 5")

	old, _ := attachedBoard("en", 90*time.Minute, 5, "medium")
	screentest.FeedValues(old, septicNow)
	assert.Contains(t, plain(old), "NEWS2 5+ (incompl.: O2,ACVPU; assessment older than 60 min)", "an old assessment is not assumed to hold: the honest lower bound, with why")

	bare := monitorboard.New(newTestContext("nb", true), nil, monitorboard.News2Chart{})
	bare.Add(monitorboard.MonitorReading{Device: "loose", Location: "Obs 9", Obs: obs(vitals.HR, 80, vitals.PerMin, time.Second)})
	assert.Contains(t, plain(bare), "Obs 9  ingen pasient knyttet\n", "a monitor nobody is attached to says so")
	assert.NotContains(t, plain(bare), "loose", "a device id is not a word for the nurse (QA F8)")
	assert.Contains(t, plain(bare), "NEWS2 0+ (ufullst.:")
}

func TestAReassessedMonitoredPatientIsReadAgain(t *testing.T) {
	c := newTestContext("nb", true)
	mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 1, Label: "Kari Nordmann",
		Assessed: monitorboard.AssessedContext{At: testNow.Add(-20 * time.Minute), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(1), Band: "low"}}
	var reloaded []monitorboard.MonitoredPatient
	app := NewApp(c, Deps{NEWS2: monitorboard.News2Chart{}, Monitored: []monitorboard.MonitoredPatient{mp},
		Reload: func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error) {
			reloaded = append(reloaded, p)
			p.Assessed.Oxygen, p.Assessed.Consciousness = news2.Supplemental, news2.Alert
			return p, nil
		}})
	entries := sampleQueue() // Kari Nordmann is encounter 1, assessed 20 min ago
	_, cmd := app.Update(queueboard.Loaded{Entries: entries, At: testNow})
	runCmd(app, cmd, 0)
	assert.Empty(t, reloaded, "the assessment the board knows is not read again")
	screentest.FeedValues(app.Monitor(), septicNow)
	assert.Contains(t, plain(app.Monitor()), "NEWS2 5 MIDDELS (ACVPU/O2 fra vurdering 14:10)")

	for i := range entries {
		if entries[i].EncounterID == 1 {
			entries[i].LastAssessedAt, entries[i].NEWS2, entries[i].NEWS2Band = testNow.Add(-time.Minute), intp(7), "high"
		}
	}
	_, cmd = app.Update(queueboard.Loaded{Entries: entries, At: testNow})
	require.NotNil(t, cmd, "a new assessment is read from the store")
	assert.Contains(t, plain(app.Monitor()), "NEWS2 5+ (ufullst.: O2,ACVPU)", "until it is read, the old assessment's context is not used")
	runCmd(app, cmd, 0)
	require.Len(t, reloaded, 1)
	assert.Equal(t, testNow.Add(-time.Minute), reloaded[0].Assessed.At)
	assert.Contains(t, plain(app.Monitor()), "NEWS2 7 HØY (ACVPU/O2 fra vurdering 14:29)", "the new assessment's oxygen (2 points) completes the set")
}

func TestADeterioratingMonitoredPatientIsFlaggedOnBothBoards(t *testing.T) {
	for _, c := range []struct {
		name        string
		assessedAgo time.Duration
		base        int
		band        string
		values      map[vitals.Kind]float64
		flag        bool
	}{
		{"a rise from 0 to 5 since the assessment is flagged", 25 * time.Minute, 0, "low", septicNow, true},
		{"a rise of 1 into a higher band (low 4 to medium 5) is flagged", 25 * time.Minute, 4, "low", septicNow, true},
		{"a rise of 1 within the band (low 3 to low 4) is not flagged", 25 * time.Minute, 3, "low", map[vitals.Kind]float64{vitals.HR: 96, vitals.RR: 21, vitals.SpO2: 96, vitals.SBP: 108, vitals.Temp: 37}, false},
		{"the same score as the assessment is not flagged", 25 * time.Minute, 5, "medium", septicNow, false},
		{"after an old assessment the band of the incomplete set is not compared", 90 * time.Minute, 4, "low", septicNow, false},
		{"after an old assessment a rise of 2 in the lower bound is still flagged", 90 * time.Minute, 3, "low", septicNow, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, mp := attachedBoard("nb", c.assessedAgo, c.base, c.band)
			screentest.FeedValues(m, c.values)
			_, _, ok := m.Deteriorated(mp.EncounterID)
			assert.Equal(t, c.flag, ok)
			if c.flag {
				assert.Contains(t, plain(m), fmt.Sprintf("FORVERRET %d→5", c.base))
			} else {
				assert.NotContains(t, plain(m), "FORVERRET")
			}
		})
	}
}

func TestTheQueueBoardFlagsTheDeterioratedPatientUntilReassessed(t *testing.T) {
	for _, lang := range []wording.Lang{"nb", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			c := newTestContext(lang, true)
			mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 1, Label: "Kari Nordmann",
				Assessed: monitorboard.AssessedContext{At: testNow.Add(-20 * time.Minute), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(0), Band: "low"}}
			reloaded, left := 0, false
			app := NewApp(c, Deps{NEWS2: monitorboard.News2Chart{}, Monitored: []monitorboard.MonitoredPatient{mp},
				Reload: func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error) {
					reloaded++
					p.Assessed.Oxygen, p.Assessed.Consciousness = news2.Air, news2.Alert
					p.Left = left
					return p, nil
				}})
			entries := sampleQueue() // Kari Nordmann is encounter 1, assessed 20 min ago
			app.Update(queueboard.Loaded{Entries: entries, At: testNow})
			screentest.FeedValues(app.Monitor(), septicNow)
			row := func() string {
				for _, l := range strings.Split(plain(app.Queue()), "\n") {
					if strings.Contains(l, "Kari Nordmann") {
						return l
					}
				}
				t.Fatalf("no row for Kari Nordmann:\n%s", plain(app.Queue()))
				return ""
			}
			word := map[wording.Lang]string{"nb": "FORVERRET", "en": "WORSENED"}[lang]
			assert.Contains(t, row(), "0→5", "the NEWS column shows the assessment's score and the monitor's")
			assert.Contains(t, row(), word, "the flag is a word, not a colour")
			assert.Contains(t, plain(app.Monitor()), word+" 0→5")
			banner := map[wording.Lang]string{"nb": "! FORVERRET: Kari Nordmann (nr 3) NEWS2 0→5 – vurder på nytt", "en": "! WORSENED: Kari Nordmann (no 3) NEWS2 0→5 – reassess"}[lang]
			assert.Contains(t, plain(app.Queue()), banner, "named above the rows, so a patient far down the list is not missed")

			// Re-triaged 1 minute ago: the new assessment is the baseline.
			for i := range entries {
				if entries[i].EncounterID == 1 {
					entries[i].LastAssessedAt, entries[i].NEWS2, entries[i].NEWS2Band = testNow.Add(-time.Minute), intp(5), "medium"
				}
			}
			_, cmd := app.Update(queueboard.Loaded{Entries: entries, At: testNow})
			runCmd(app, cmd, 0)
			assert.Equal(t, 1, reloaded, "the new assessment's air/oxygen and consciousness are read")
			assert.NotContains(t, row(), word, "reassessed: the flag clears")
			assert.NotContains(t, plain(app.Queue()), banner)
			assert.Contains(t, plain(app.Monitor()), "NEWS2 5 ", "and the monitor's NEWS2 is complete again")
			screentest.FeedValues(app.Monitor(), septicNow)
			assert.NotContains(t, row(), word, "no rise over the new assessment")

			// Missing from the queue this user sees (another service's
			// patient, need-to-know) but still waiting: still watched, and a
			// worsening is flagged.
			_, cmd = app.Update(queueboard.Loaded{Entries: nil, At: testNow})
			runCmd(app, cmd, 0)
			assert.Equal(t, 2, reloaded, "a patient the queue does not list is read again, not dropped")
			screentest.FeedValues(app.Monitor(), map[vitals.Kind]float64{vitals.HR: 135, vitals.RR: 30, vitals.SpO2: 88, vitals.SBP: 85, vitals.Temp: 39.6})
			_, _, ok := app.Monitor().Deteriorated(1)
			assert.True(t, ok, "a waiting patient outside the user's queue is still watched")
			_, cmd = app.Update(queueboard.Loaded{Entries: nil, At: testNow})
			runCmd(app, cmd, 0)
			_, _, ok = app.Monitor().Deteriorated(1)
			assert.True(t, ok, "reading her again never clears an unanswered worsening")

			// Called in: the store says she left the queue; no longer watched.
			left = true
			_, cmd = app.Update(queueboard.Loaded{Entries: nil, At: testNow})
			runCmd(app, cmd, 0)
			screentest.FeedValues(app.Monitor(), map[vitals.Kind]float64{vitals.HR: 135, vitals.RR: 30, vitals.SpO2: 88, vitals.SBP: 85, vitals.Temp: 39.6})
			_, _, ok = app.Monitor().Deteriorated(1)
			assert.False(t, ok)
		})
	}
}

// TestDeterioratedPatientScreens are the queue and monitor boards at 80x24
// with a monitored patient whose NEWS2 rose from 1 to 5 since triage.
func TestDeterioratedPatientScreens(t *testing.T) {
	for _, c := range []struct {
		name    string
		lang    wording.Lang
		noColor bool
	}{{"bokmål", "nb", false}, {"English", "en", false}, {"NO_COLOR", "nb", true}} {
		t.Run(c.name, func(t *testing.T) {
			mp := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 1, Label: "Kari Nordmann",
				Assessed: monitorboard.AssessedContext{At: testNow.Add(-20 * time.Minute), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(1), Band: "low"}}
			app := NewApp(newTestContext(c.lang, c.noColor), Deps{NEWS2: monitorboard.News2Chart{}, Monitored: []monitorboard.MonitoredPatient{mp}})
			app.Update(queueboard.Loaded{Entries: sampleQueue(), At: testNow})
			app.Update(monitorboard.StatusChanged{Device: "demo-sepsis", Location: "Obs 1", State: "live"})
			screentest.FeedValues(app.Monitor(), septicNow)
			t.Run("queue", func(t *testing.T) {
				app.Update(keyMsg("f2"))
				requireGolden(t, app.Render())
			})
			t.Run("monitor", func(t *testing.T) {
				app.Update(keyMsg("f3"))
				requireGolden(t, app.Render())
			})
		})
	}
}
