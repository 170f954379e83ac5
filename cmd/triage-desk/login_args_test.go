package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --idle-lock takes a duration from half a minute to a shift; anything
// else is a usage error (exit 2) before anything is opened.
func TestIdleLockNonsenseIsAUsageError(t *testing.T) {
	for _, v := range []string{"5x", "", "0", "0s", "-5m", "10s", "9h", "1e9h"} {
		assert.Equal(t, 2, run([]string{"--idle-lock", v}), "--idle-lock %q", v)
	}
}

// A database without personal accounts is refused with a message naming
// the command that makes the first one; nobody gets in without a login.
func TestDatabaseWithoutAccountsIsRefused(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	for _, lang := range []string{"nb", "en"} {
		cmd := exec.Command(exe, "--db", filepath.Join(home, "empty.db"), "--lang", lang)
		cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home, "DISPLAY=")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%s", out)
		assert.Equal(t, 1, ee.ExitCode())
		assert.Contains(t, string(out), "triagectl users add", lang)
		assert.Contains(t, string(out), map[string]string{"nb": "ingen brukerkontoer", "en": "no user accounts"}[lang])
	}
}

// An identity provider needs both its issuer and this program's client
// id; one without the other is refused before any window.
func TestIdentityProviderNeedsIssuerAndClient(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	cmd := exec.Command(exe, "--demo", "--demo-patients", "1", "--oidc-issuer", "https://helseid-sts.nhn.no")
	cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home, "DISPLAY=")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "%s", out)
	assert.Equal(t, 1, ee.ExitCode())
	assert.Contains(t, string(out), "give both --oidc-issuer and --oidc-client")
}
