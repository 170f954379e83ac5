package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
)

func TestResizeWithMonitorsNeverPanics(t *testing.T) {
	c := newTestContext("nb", true)
	app := NewApp(c, Deps{NEWS2: monitorboard.News2Chart{}})
	m := app.Monitor()
	for i := 0; i < 7; i++ {
		for k, hr := range []float64{80, 90, 100} {
			m.Add(monitorboard.MonitorReading{Device: ids.Device(string(rune('a' + i))), Location: "Obs", Obs: obs(vitals.HR, hr, vitals.PerMin, time.Duration(3-k)*time.Minute)})
		}
	}
	app.Update(keyMsg("f3"))
	for i := 0; i < 10; i++ {
		app.Update(keyMsg("down"))
	}
	for w := 0; w < 130; w += 3 {
		for h := 0; h < 50; h++ {
			app.Update(tea.WindowSizeMsg{Width: w, Height: h})
			_ = app.Render()
		}
	}
}
