package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/ui-desktop/desktheme"
)

// triage-desk takes no arguments. A stray word is a usage error (exit 2),
// not silently dropped: "triage-desk demo --demo" (or a misspelt flag
// without dashes) stops flag parsing at the word, so everything after it,
// --demo included, is ignored and the app opens the real database.
func TestStrayArgumentIsAUsageError(t *testing.T) {
	display := xvfb(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	cmd := exec.Command(exe, "--db", filepath.Join(home, "real.db"), "demo", "--demo")
	cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "DISPLAY="+display, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home)
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		assert.Equal(t, 2, cmd.ProcessState.ExitCode())
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("the app started with the stray argument (and --demo after it ignored) instead of exiting 2")
	}
	_, err = os.Stat(filepath.Join(home, "real.db"))
	assert.True(t, os.IsNotExist(err), "the real database must not have been opened")
}

// --scale is documented as 0.8-2.5; strconv accepts "NaN", which the clamp lets through.
func TestScaleNaNIsClamped(t *testing.T) {
	s := desktheme.ClampScale(float32(math.NaN()))
	assert.True(t, s >= desktheme.MinScale && s <= desktheme.MaxScale, "--scale NaN gives scale %v", s)
}
