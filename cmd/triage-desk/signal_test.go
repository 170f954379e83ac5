package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --demo promises a temporary database "removed on exit". A demo ended by
// a signal (Ctrl+C, a service stop, the terminal closed) must leave no
// triage-desk-demo-* directory (demo.db with its synthetic patients, the
// simulators' pty links) behind.
func TestDemoLeavesNothingBehindOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			display := xvfb(t)
			exe, err := os.Executable()
			require.NoError(t, err)
			home := t.TempDir()
			d := &session{t: t, stderr: &syncBuffer{}}
			d.cmd = exec.Command(exe, "--demo", "--demo-patients", "5", "--timing")
			d.cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "DISPLAY="+display, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home)
			d.cmd.Stderr = d.stderr
			require.NoError(t, d.cmd.Start())
			done := make(chan error, 1)
			go func() { done <- d.cmd.Wait() }()
			d.waitFor("window shown", regexp.MustCompile(`window shown (\d+) ms`), 30*time.Second)
			demo, _ := filepath.Glob(filepath.Join(home, "triage-desk-demo-*"))
			require.Len(t, demo, 1, "the demo's temporary directory exists while it runs")
			require.NoError(t, d.cmd.Process.Signal(sig))
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = d.cmd.Process.Kill()
				t.Fatal("the app did not end on " + sig.String())
			}
			left, _ := filepath.Glob(filepath.Join(home, "triage-desk-demo-*"))
			assert.Empty(t, left, "demo leftovers after %s (stderr: %s)", sig, d.stderr.String())
		})
	}
}
