package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadsOffScenario has the ECG leads off from 1 s to 2 s.
func leadsOffScenario(t *testing.T) string {
	t.Helper()
	sc := filepath.Join(t.TempDir(), "leads-off-briefly.toml")
	require.NoError(t, os.WriteFile(sc, []byte(`name = "leads-off-briefly"
rhythm = "sinus"

[[point]]
at = "0s"
hr = 76
spo2 = 97
rr = 15

[[event]]
at = "1s"
kind = "leads_off"
duration = "1s"
`), 0o600))
	return sc
}

// The S/5 host asks for the alarm status; the monitor's displayed alarm
// comes out of watch as one event when it appears and one when it goes,
// not once per record.
func TestWatchPrintsTheS5DisplayedAlarmOncePerChange(t *testing.T) {
	link, done := startSim(t, "--profile", "datex", "--scenario", leadsOffScenario(t), "--for", "4s")
	out, errOut, code := runCmd("watch", "--port", link, "--profile", "datex", "--id", "s5-1", "--for", "3500ms")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `{"event":{"kind":"technical","param":"LEADS OFF","text":"LEADS OFF","priority":"yellow"`)
	assert.Equal(t, 1, strings.Count(out, `"text":"LEADS OFF"`), "one event while the alarm lasts:\n%s", out)
	assert.Equal(t, 1, strings.Count(out, `"param":"LEADS OFF","text":"","cleared":true`), "one event when it goes:\n%s", out)
	assert.Equal(t, 0, <-done)
}
