package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoUnderTmux runs `triage-tui --demo` as make demo does, with a
// bare environment and no display: the seeded queue and the simulated
// monitors show, and everything temporary is gone after exit.
func TestDemoUnderTmux(t *testing.T) {
	s := underTmux(t, "demo", "LANG=en_GB.UTF-8 NO_COLOR=1", "--demo")

	// The demo's login: its accounts and password on screen, "telefon"
	// pre-filled; a physician sees both channels' queue.
	scr := s.waitFor("Log in – phone triage")
	assert.Contains(t, scr, "Password for both: demo-legevakt")
	assert.Contains(t, scr, "telefon")
	assert.NotContains(t, scr, "Identity number", "no patient screen before the login")
	s.keys("Up", "C-u")
	s.typeText("lege")
	s.keys("Enter")
	s.typeText("demo-legevakt")
	s.keys("Enter")
	s.waitForWithin("Identity number", 3*time.Minute) // the login waits for the demo's seed
	scr = s.waitFor("DEMO INDEX: not the national index")
	assert.Contains(t, scr, "F1 Call", "LANG=en_GB gives English")
	s.keys("F2")
	s.waitFor("Waiting list, both channels")
	// Named above the rows, wherever she is in the queue.
	s.waitFor("! WORSENED: Gunhild Tveit (no ")
	// The seed commits in the background; the board follows it live.
	scr = s.waitFor("  1 [") // "›  1 [" when the first row is selected
	assert.Regexp(t, `\[(RED|ORANGE|YELLOW|GREEN|BLUE|UNTRIAGED)\]`, scr, "NO_COLOR: labels in brackets, no colour needed")
	s.keys("F3")
	// Each monitor belongs to a waiting patient, named beside its values.
	s.waitFor("Obs 1  Gunhild Tveit  Demo: sepsis")
	s.waitFor("Obs 2  Torstein Aas  Demo: stable")
	s.waitFor("Obs 3  Ragnhild Vik  Demo: bradycardia")
	scr = s.waitFor("[live]")
	scr = s.waitFor("ACVPU/O2 from assessment")
	// Gunhild Tveit was triaged with NEWS2 1; her monitor starts at about 4.
	scr = s.waitFor("WORSENED 1→")
	t.Logf("monitor board:\n%s", scr)
	assert.Contains(t, scr, "SpO2", "the simulated monitors feed the board")
	assert.Contains(t, scr, "Monitors (3)", "each monitor once: the values it stores do not come back as another bed")
	s.keys("F2")
	s.waitFor("Waiting list, both channels")
	s.waitFor("! WORSENED: Gunhild Tveit (no ") // above the rows, wherever she is in the queue
	row := ""
	for page := 0; row == "" && page < 10; page++ {
		for _, l := range strings.Split(s.screen(), "\n") {
			// Her row in the list, not the line above it that names her.
			if strings.Contains(l, "Gunhild Tveit") && !strings.HasPrefix(l, "!") {
				row = l
			}
		}
		if row == "" {
			s.keys("NPage") // the seeded queue is longer than a screen
			time.Sleep(100 * time.Millisecond)
		}
	}
	assert.Contains(t, row, "WORSENED", "the queue board flags the deteriorating monitored patient")
	entries, err := os.ReadDir(s.home)
	require.NoError(t, err)
	assert.NotEmpty(t, entries, "the demo database and pseudo-terminal links live in TMPDIR while running")

	// The monitor values are stored for the patient's encounter, in
	// batches every few seconds.
	dbs, err := filepath.Glob(filepath.Join(s.home, "triage-tui-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1)
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCreate(), store.WithoutCheckpoints())
	require.NoError(t, err)
	actor := physician(t, st, "lege", "demo-legevakt")
	var enc ids.Encounter
	q, err := st.Queue(ctx, actor, time.Now())
	require.NoError(t, err)
	for _, e := range q {
		if e.Patient == "Gunhild Tveit" {
			enc = e.EncounterID
		}
	}
	require.NotZero(t, enc, "the demo patient waits in the queue")
	var stored []vitals.Observation
	for deadline := time.Now().Add(30 * time.Second); len(stored) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		stored, err = st.Observations(ctx, actor, enc, time.Time{})
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())
	require.NotEmpty(t, stored, "the monitor's values are stored for the encounter")
	assert.Equal(t, "demo-sepsis", stored[0].Source)
	s.keys("C-c")
	s.waitFor("EXIT=0")
	entries, err = os.ReadDir(s.home)
	require.NoError(t, err)
	var left []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && e.Name() != "triage-tui" {
			left = append(left, e.Name())
		}
	}
	assert.Empty(t, left, "--demo removes its temporary database and links on exit")
}

// withAccounts is a fresh database with the test accounts.
func withAccounts(t *testing.T) string {
	db := filepath.Join(t.TempDir(), "m.db")
	accounts(t, db)
	return db
}

// screenReader collects a pseudo-terminal's output.
type screenReader struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (r *screenReader) has(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Contains(r.buf.Bytes(), []byte(s))
}

// rssKB reads VmRSS and VmHWM (peak) of pid from /proc, in kB.
func rssKB(t *testing.T, pid int) (rss, peak int) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		v, _ := strconv.Atoi(fields[1])
		switch fields[0] {
		case "VmRSS:":
			rss = v
		case "VmHWM:":
			peak = v
		}
	}
	return rss, peak
}

// TestStartToFirstFrameAndMemory measures, on an 80x24 pseudo-terminal,
// the time from exec to the first frame (the title on screen) and the
// resident memory after the demo has streamed monitors for a while. The
// figures go to docs/PERFORMANCE.md; they are logged, not asserted, because
// the shared CI machine's timing is not the product's.
func TestStartToFirstFrameAndMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for _, mode := range []struct {
		name string
		args []string
	}{
		{"SQLite database with accounts", []string{"--db", withAccounts(t)}},
		{"--demo", []string{"--demo"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			cmd := exec.Command(bin, mode.args...)
			cmd.Env = []string{"TERM=xterm-256color", "HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir(), "LANG=nb_NO.UTF-8"}
			start := time.Now()
			f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
			require.NoError(t, err)
			defer f.Close()
			r := &screenReader{}
			go func() {
				b := make([]byte, 4096)
				for {
					n, err := f.Read(b)
					r.mu.Lock()
					r.buf.Write(b[:n])
					r.mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
			wait := func(s string) time.Duration {
				t.Helper()
				deadline := time.Now().Add(20 * time.Second)
				for !r.has(s) {
					if time.Now().After(deadline) {
						t.Fatalf("never saw %q", s)
					}
					time.Sleep(time.Millisecond)
				}
				return time.Since(start)
			}
			first := wait("Telefontriage")
			t.Logf("%s: start to first frame %v", mode.name, first.Round(time.Millisecond))
			if mode.name == "--demo" {
				_, _ = f.Write([]byte("demo-legevakt\r")) // telefon, pre-filled
				deadline := time.Now().Add(3 * time.Minute)
				for !r.has("F3 Monitor") && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond) // the login waits for the demo's seed
				}
				_, _ = f.Write([]byte("\x1bOR")) // F3: the monitor board
				wait("Demo: sepsis")
				time.Sleep(3 * time.Second) // let the monitors stream
			}
			rss, peak := rssKB(t, cmd.Process.Pid)
			t.Logf("%s: resident memory %d kB (peak %d kB)", mode.name, rss, peak)
			assert.Greater(t, rss, 0)
			_, _ = f.Write([]byte{3}) // ctrl+c
			require.NoError(t, cmd.Wait())
		})
	}
}
