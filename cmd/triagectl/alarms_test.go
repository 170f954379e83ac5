package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadsOffScenario has the ECG leads off from 1 s to 2 s (from 2 s to 3 s
// with later set).
func leadsOffScenario(t *testing.T, later bool) string {
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
	if later {
		require.NoError(t, os.WriteFile(sc, []byte(strings.Replace(mustRead(t, sc), `at = "1s"`, `at = "2s"`, 1)), 0o600))
	}
	return sc
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The S/5 host asks for the alarm status; the monitor's displayed alarm
// comes out of watch as one event when it appears and one when it goes,
// not once per record.
func TestWatchPrintsTheS5DisplayedAlarmOncePerChange(t *testing.T) {
	link, done := startSim(t, "--profile", "datex", "--scenario", leadsOffScenario(t, false), "--for", "4s")
	out, errOut, code := runCmd("watch", "--port", link, "--profile", "datex", "--id", "s5-1", "--for", "3500ms")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `{"event":{"kind":"technical","param":"LEADS OFF","text":"LEADS OFF","priority":"yellow"`)
	assert.Equal(t, 1, strings.Count(out, `"text":"LEADS OFF"`), "one event while the alarm lasts:\n%s", out)
	assert.Equal(t, 1, strings.Count(out, `"param":"LEADS OFF","text":"","cleared":true`), "one event when it goes:\n%s", out)
	assert.Equal(t, 0, <-done)
}

// The IntelliVue host polls the alert monitor; the monitor's INOP comes
// out of watch as one event when it appears and one when it goes.
func TestWatchPrintsTheIntelliVueINOPOncePerChange(t *testing.T) {
	link, done := startSim(t, "--profile", "intellivue", "--scenario", leadsOffScenario(t, true), "--for", "5s")
	out, errOut, code := runCmd("watch", "--port", link, "--profile", "intellivue", "--id", "mp-1", "--for", "4500ms")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `{"event":{"kind":"technical","param":"LEADS OFF","text":"LEADS OFF","priority":"medium"`)
	assert.Equal(t, 1, strings.Count(out, `"text":"LEADS OFF"`), "one event while the INOP lasts:\n%s", out)
	assert.Equal(t, 1, strings.Count(out, `"param":"LEADS OFF","text":"","cleared":true`), "one event when it goes:\n%s", out)
	assert.Equal(t, 0, <-done)
}
