package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// TestMain removes the binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		_ = os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// buildBinary compiles triage-tui once per test run, as make builds it.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "triage-tui-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "triage-tui")
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	require.NoError(t, buildErr, "go build: %s", buildOut)
	return builtBin
}

// tmuxSession drives one program in a detached 80x24 tmux session.
type tmuxSession struct {
	t    *testing.T
	name string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	require.NoError(s.t, err, "tmux %v: %s", args, out)
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

func (s *tmuxSession) keys(k ...string) { s.tmux(append([]string{"send-keys", "-t", s.name}, k...)...) }

// typeText sends literal text (no key-name lookup).
func (s *tmuxSession) typeText(text string) { s.tmux("send-keys", "-t", s.name, "-l", text) }

// waitFor polls the screen until it shows want; the limit only ends a
// hung test, it is not a speed assertion.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; last screen:\n%s", want, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func syntheticNID(t *testing.T) string {
	t.Helper()
	for ind := 200; ind < 500; ind++ {
		s := fmt.Sprintf("2488%02d%03d", 75, ind)
		var nine [9]int
		for i := range nine {
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatal("no synthetic number")
	return ""
}

// TestEndToEndCallUnderTmux builds the real binary, runs it in tmux at
// 80x24 with a bare environment (as over SSH, no display), drives a whole
// call with send-keys, reads every step with capture-pane, and then checks
// the saved assessment in the database.
func TestEndToEndCallUnderTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (make test installs it)")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "e2e.db")
	nid := syntheticNID(t)
	s := &tmuxSession{t: t, name: fmt.Sprintf("triage-e2e-%d", os.Getpid())}
	command := fmt.Sprintf("env -i TERM=xterm-256color HOME=%s LANG=nb_NO.UTF-8 %s --db %s --nurse e2e.sykepleier; echo EXIT=$?; sleep 30", dir, bin, db)
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", "80", "-y", "24", command)
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", s.name).Run() })

	s.waitFor("Fødselsnummer")
	s.typeText(nid)
	s.keys("Enter")
	s.waitFor("Ingen tidligere henvendelser")
	s.typeText("E2E Testesen")
	s.keys("C-s")
	ix := phone.DemoIndex()
	n := len(ix.Complaints)
	s.waitFor("Pustevansker") // the whole list is longer than the screen
	s.typeText("hodep")
	s.waitFor(fmt.Sprintf("%d av %d problemer", len(ix.Search("hodep", -1)), n))
	s.keys("Enter")
	headache, _ := ix.Complaint("headache")
	qs := headache.Questions()
	s.waitFor(fmt.Sprintf("Spørsmål 1 av %d", len(qs)))
	// No to every akutt question, yes to the first haster one (H.06.01),
	// no to the rest.
	var answer []string
	for _, q := range qs {
		switch {
		case q.Code.String() == "H.06.01":
			answer = append(answer, "j")
		default:
			answer = append(answer, "n")
		}
	}
	s.keys(answer...)
	s.waitFor("Innringers egne målinger")
	s.typeText("38,5")
	s.keys("Tab")
	s.typeText("abc")
	s.keys("C-s")
	scr := s.waitFor("! Skriv et tall")
	assert.Contains(t, scr, "abc", "the refused value stays on screen")
	assert.Contains(t, scr, "38,5", "the other value stays too")
	s.keys("C-u")
	s.typeText("96")
	s.keys("C-s")
	scr = s.waitFor("Gjør nå:")
	assert.Contains(t, scr, "HASTER")
	assert.Contains(t, scr, "H.06.01")
	s.keys("Enter")
	scr = s.waitFor("Lagret:")
	t.Logf("saved screen:\n%s", scr)
	s.keys("F2")
	scr = s.waitFor("Venteliste")
	assert.Contains(t, scr, "E2E Testesen", "the saved call is on the queue board")
	assert.Contains(t, scr, " GUL ", "no colour-only signal: the swatch carries its text label")
	s.keys("C-c")
	s.waitFor("EXIT=0")

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	actor := store.Actor{User: "test"}
	p, err := st.FindPatientByNID(ctx, actor, nid)
	require.NoError(t, err, "the patient was saved")
	assert.Equal(t, "E2E Testesen", p.Name)
	encs, err := st.EncountersForPatient(ctx, actor, p.ID)
	require.NoError(t, err)
	require.Len(t, encs, 1)
	assert.Equal(t, store.Phone, encs[0].Channel)
	as, err := st.Assessments(ctx, actor, encs[0].ID)
	require.NoError(t, err)
	require.Len(t, as, 1)
	a := as[0]
	assert.Equal(t, "e2e.sykepleier", a.Actor.User, "--nurse names the nurse on the assessment")
	assert.Equal(t, triage.Yellow, a.Colour)
	assert.Equal(t, triage.EngineVersion, a.EngineVersion)
	var res tui.PhoneResult
	require.NoError(t, json.Unmarshal(a.Result, &res))
	assert.Equal(t, phone.Haster, res.Phone.Level)
	require.Len(t, res.Phone.Codes, 1)
	assert.Equal(t, "H.06.01", res.Phone.Codes[0].String())
	var in tui.PhoneInput
	require.NoError(t, json.Unmarshal(a.Input, &in))
	assert.Equal(t, map[string]any{"temp": 38.5, "pr": 96.0}, in.Vitals)
	obs, err := st.Observations(ctx, actor, encs[0].ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, obs, 2)
	for _, o := range obs {
		assert.Equal(t, "phone", o.Source)
	}
}

// TestBadFlagsAreRefused covers the command line.
func TestBadFlagsAreRefused(t *testing.T) {
	var errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"--no-such-flag"}, &errb))
	assert.Contains(t, errb.String(), "flag provided but not defined")
	errb.Reset()
	assert.Equal(t, 2, run([]string{"extra"}, &errb))
	assert.Contains(t, errb.String(), `unexpected argument "extra"`)
	errb.Reset()
	assert.Equal(t, 2, run([]string{"--lang", "de"}, &errb), "an unknown language is refused, not replaced by bokmål")
	assert.Contains(t, errb.String(), `--lang "de": want nb (bokmål) or en`)
	errb.Reset()
	bad := filepath.Join(t.TempDir(), "index.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"format":"x"}`), 0o600))
	assert.Equal(t, 1, run([]string{"--index", bad, "--db", filepath.Join(t.TempDir(), "x.db")}, &errb))
	assert.Contains(t, errb.String(), "criteria index")
	assert.Contains(t, errb.String(), `format "x"`)
	errb.Reset()
	assert.Equal(t, 1, run([]string{"--config", filepath.Join(t.TempDir(), "missing.toml")}, &errb))
	assert.Contains(t, errb.String(), "device configuration")
	errb.Reset()
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(notDB, []byte("not a database, just notes"), 0o600))
	assert.Equal(t, 1, run([]string{"--db", notDB}, &errb))
	assert.Contains(t, errb.String(), "database")
}
