package monitorboard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// monitorWithTwoBeds has a deteriorating patient with a trend and a bed
// whose oximeter stopped two minutes ago.
func monitorWithTwoBeds(lang wording.Lang, noColor bool) *Model {
	m := New(newTestContext(lang, noColor), nil, News2Chart{})
	feed(m, screentest.TwoBeds())
	return m
}

func TestMonitorBoardScreens(t *testing.T) {
	for _, c := range []struct {
		name    string
		lang    wording.Lang
		noColor bool
	}{{"bokmål", "nb", false}, {"English", "en", false}, {"NO_COLOR", "nb", true}} {
		t.Run(c.name, func(t *testing.T) { requireGolden(t, monitorWithTwoBeds(c.lang, c.noColor).Render()) })
	}
}

func TestMonitorBoardMarksAgeStalenessAndTrend(t *testing.T) {
	s := plain(monitorWithTwoBeds("nb", true))
	lines := strings.Split(s, "\n")
	require.GreaterOrEqual(t, len(lines), 8, s)
	assert.Contains(t, s, "Puls 124 0s", "the latest value with its age")
	assert.Contains(t, s, "trend 8 min Puls")
	assert.Contains(t, s, "BT 98/61 3m", "blood pressure with its age")
	assert.Contains(t, s, "T 38,9° 4m")
	assert.Contains(t, s, "Puls 72 2m GAMMEL", "a pulse two minutes old from a monitor is stale (60 s)")
	assert.Contains(t, s, "SpO2 98% 2m GAMMEL")
	assert.Contains(t, s, "RF 14 10s [TVILSOM]", "questionable quality is said in words")
	assert.Contains(t, s, "Puls ▁▂▃▄▅▇█", "the rising pulse draws a rising sparkline")
	assert.Contains(t, s, "SpO2 █▇▆▅▃▂▁")
	assert.Contains(t, s, "NEWS2 10+ (ufullst.: O2,ACVPU)", "RR 24 2, SpO2 91 3, SBP 98 2, HR 124 2, T 38.9 1; a monitor cannot see air/O2 or ACVPU, so the total is a lower bound")
	assert.Contains(t, s, "NEWS2 - (ingen ferske verdier)", "stale values are not scored")
	assert.Contains(t, s, "[tilkoblet]")
	assert.Contains(t, s, "[INGEN DATA]", "a silent monitor says so in words")
	assert.Contains(t, s, "Per Olsen")
	assert.Less(t, strings.Index(s, "Obs 1"), strings.Index(s, "Obs 2"), "beds in location order")
	assert.Equal(t, "▅▅▅", sparkline([]float64{72, 72, 72}, 0), "a flat trend is drawn mid-height, not as a floor")
	assert.Equal(t, "▅▅▅", sparkline([]float64{72, 72, 72}, minSpan[vitals.HR]))
	assert.Equal(t, "▁█", sparkline([]float64{96, 97}, 0), "over its own range, noise of one beat fills the height")
	assert.Equal(t, "▄▅", sparkline([]float64{96, 97}, minSpan[vitals.HR]), "over at least 10 /min, it stays near flat")
	assert.Equal(t, "▁▅█", sparkline([]float64{90, 100, 110}, minSpan[vitals.HR]), "a real rise uses the full height")
	assert.Contains(t, plain(monitorWithOneValue()), "trend 8 min (samler, ett punkt per 30 s)", "no trend yet says why")

	// Readings within one 30 s step make one point, the latest value.
	m := New(newTestContext("nb", true), nil, nil)
	for i, v := range []float64{80, 81, 82, 90} {
		m.Add(MonitorReading{Device: "d", Obs: obs(vitals.HR, v, vitals.PerMin, time.Duration(60-i*10)*time.Second)})
	}
	assert.Equal(t, []float64{82, 90}, m.beds["d"].trend[vitals.HR], "60, 50, 40 s ago share a step; 30 s ago starts the next")
}

// A faulty reading outside what the engine accepts (SpO2 120 %) is shown
// with "UTENFOR GRENSE", not as a plain value, since it is never scored.
func TestMonitorBoardMarksAnOutOfRangeValue(t *testing.T) {
	m := New(newTestContext("nb", true), nil, nil)
	m.Add(MonitorReading{Device: "d", Obs: obs(vitals.SpO2, 120, vitals.Percent, 0)})
	assert.Contains(t, plain(m), "SpO2 120% 0s UTENFOR GRENSE")
	m.Add(MonitorReading{Device: "d", Obs: obs(vitals.SpO2, 97, vitals.Percent, 0)})
	assert.NotContains(t, plain(m), "UTENFOR GRENSE")
}

func TestMonitorBoardWithoutMonitors(t *testing.T) {
	m := New(newTestContext("en", true), nil, nil)
	assert.Contains(t, plain(m), "No monitors connected.")
}

// fakeFeed is a MonitorFeed the test fills.
type fakeFeed struct {
	readings chan MonitorReading
	statuses chan MonitorStatus
}

func (f *fakeFeed) Readings() <-chan MonitorReading { return f.readings }
func (f *fakeFeed) Statuses() <-chan MonitorStatus  { return f.statuses }

func TestMonitorBoardResubscribesAfterEachReading(t *testing.T) {
	f := &fakeFeed{readings: make(chan MonitorReading, 2), statuses: make(chan MonitorStatus)}
	m := New(newTestContext("nb", true), f, News2Chart{})
	f.readings <- MonitorReading{Device: "d1", Location: "Obs 3", Obs: obs(vitals.HR, 80, vitals.PerMin, 0)}
	f.readings <- MonitorReading{Device: "d1", Location: "Obs 3", Obs: obs(vitals.HR, 81, vitals.PerMin, 0)}
	_, cmd := m.Update(m.nextReading()())
	require.NotNil(t, cmd, "the model asks for the next reading")
	m.Update(cmd())
	assert.Contains(t, plain(m), "Puls 81")
	close(f.readings)
	m.Update(m.nextReading()())
	assert.Contains(t, plain(m), "Monitorstrømmen er avsluttet.")
}

func monitorWithOneValue() *Model {
	m := New(newTestContext("nb", true), nil, News2Chart{})
	m.Add(MonitorReading{Device: "d", Location: "Obs 1", Obs: obs(vitals.HR, 80, vitals.PerMin, time.Second)})
	return m
}

// TestASmallWindowSaysMoreMonitorsAreBelow: at 60x16 two of three beds
// fit; the third is announced, and scrolling shows it.
func TestASmallWindowSaysMoreMonitorsAreBelow(t *testing.T) {
	m := New(newTestContext("nb", true), nil, News2Chart{})
	m.ctx.Width, m.ctx.Height = 60, 16
	for i := 1; i <= 3; i++ {
		m.Add(MonitorReading{Device: ids.Device(fmt.Sprintf("mon-%d", i)), Location: fmt.Sprintf("Obs %d", i), Obs: obs(vitals.HR, 80, vitals.PerMin, time.Second)})
	}
	s := plain(m)
	assert.Contains(t, s, "Obs 2")
	assert.NotContains(t, s, "Obs 3")
	assert.Contains(t, s, "↓ 1 monitor(er) til nedenfor (j)", "the hidden bed is announced")
	press(m, "j")
	s = plain(m)
	assert.Contains(t, s, "Obs 3")
	assert.Contains(t, s, "↑ 1 over (k)")
	assert.NotContains(t, s, "nedenfor")
	assert.LessOrEqual(t, len(strings.Split(s, "\n")), 16-screen.BodyChrome, "the body fits the window")
}

// A monitor that is not live shows the device layer's hint under its
// block, so whoever stands at the workstation knows what to check; a live
// one shows none.
func TestMonitorBoardShowsWhyAMonitorIsNotLive(t *testing.T) {
	m := New(newTestContext("en", true), nil, nil)
	hint := "port not found: check that the USB adapter is plugged in"
	m.Update(StatusChanged{Device: "mon-1", Location: "Obs 1", State: "disconnected", Hint: hint})
	assert.Contains(t, plain(m), hint)
	m.Update(StatusChanged{Device: "mon-1", Location: "Obs 1", State: "live"})
	assert.NotContains(t, plain(m), hint)
}

// A monitor is named only in the screen's own language: one with a
// bokmål name only shows nothing on an English screen and the reverse,
// and one with no name shows its location, never its id.
func TestMonitorBoardShowsADeviceNameOnlyInItsLanguage(t *testing.T) {
	names := DeviceNames{"sim-sepsis": {NB: "Overvåker seng 1"}, "sim-stable": {EN: "Bedside monitor 2"}}
	for _, c := range []struct {
		lang     wording.Lang
		shown    string
		notShown []string
	}{
		{wording.NB, "Overvåker seng 1", []string{"Bedside monitor 2", "sim-sepsis", "sim-stable"}},
		{wording.EN, "Bedside monitor 2", []string{"Overvåker seng 1", "sim-sepsis", "sim-stable"}},
	} {
		m := monitorWithTwoBeds(c.lang, true)
		m.SetDeviceNames(names)
		out := plain(m)
		assert.Contains(t, out, c.shown, c.lang)
		for _, s := range c.notShown {
			assert.NotContains(t, out, s, c.lang)
		}
		assert.Contains(t, out, "Obs 2", "an unnamed monitor is known by its location")
	}
}
