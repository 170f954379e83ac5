package wire

import (
	"strings"
	"testing"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// QA F8: the monitor board (F3) names the demo's monitors in the screen's
// language through the device configuration's names, and no monitor
// screen in either language shows a device id ("demo-sepsis"): the id is
// the observations' source, not a word for the nurse.
func TestTheMonitorBoardNamesTheDemoMonitorsInTheScreensLanguage(t *testing.T) {
	devs := make([]devices.DeviceConfig, len(demoMonitors))
	for i, m := range demoMonitors {
		devs[i] = devices.DeviceConfig{ID: m.id, Location: m.location, Port: "/dev/null", Profile: m.profile, Names: m.names}
	}
	require.NoError(t, devices.Config{Devices: devs}.Validate(), "the demo's names are a valid device configuration")
	for _, lang := range []wording.Lang{wording.NB, wording.EN} {
		t.Run(string(lang), func(t *testing.T) {
			board := monitorboard.New(screentest.Context(lang, true), nil, monitorboard.News2Chart{})
			board.SetDeviceNames(deviceNames(devs))
			for _, m := range demoMonitors {
				board.Add(monitoring.Reading{Device: m.id, Location: m.location, Obs: screentest.Obs(vitals.HR, 80, vitals.PerMin, 5*time.Second)})
				board.Update(monitorboard.StatusChanged(monitoring.Status{Device: m.id, State: "live"}))
			}
			out := screentest.Plain(board)
			for _, m := range demoMonitors {
				assert.NotContains(t, out, m.id.String(), "a device id on the %s monitor screen", lang)
				assert.Contains(t, out, m.names[string(lang)])
				assert.NotContains(t, strings.ToLower(out), "demo-")
			}
			if lang == wording.NB {
				for _, en := range []string{"stable", "bradycardia"} {
					assert.NotContains(t, out, en, "an English word on the bokmål monitor screen")
				}
			}
		})
	}
}
