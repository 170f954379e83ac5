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
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
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
	home string // HOME and TMPDIR of the program (underTmux)
}

// underTmux builds the real binary and runs it with flags in a new
// 80x24 tmux session named for label, in a bare environment (as over SSH,
// no display) with HOME and TMPDIR in a fresh temporary folder and env
// (LANG=..., NO_COLOR=1) added; the session ends with the test. Without
// tmux the test is skipped (make test installs it).
func underTmux(t *testing.T, label, env, flags string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (make test installs it)")
	}
	bin := buildBinary(t)
	tmp := t.TempDir()
	s := &tmuxSession{t: t, name: fmt.Sprintf("triage-%s-%d", label, os.Getpid()), home: tmp}
	command := fmt.Sprintf("env -i TERM=xterm-256color HOME=%s TMPDIR=%s %s %s %s; echo EXIT=$?; sleep 30", tmp, tmp, env, bin, flags)
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", "80", "-y", "24", command)
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	return s
}

// nurseUnderTmux is underTmux in bokmål on a fresh database at db (with
// the test accounts), the name e2e.sykepleier pre-filled at the login.
func nurseUnderTmux(t *testing.T, label, db string) *tmuxSession {
	t.Helper()
	accounts(t, db)
	return underTmux(t, label, "LANG=nb_NO.UTF-8", "--db "+db+" --nurse e2e.sykepleier")
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
	return s.waitForWithin(want, 30*time.Second)
}

// waitForWithin is waitFor with another limit (the demo's login waits
// for its seed).
func (s *tmuxSession) waitForWithin(want string, limit time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
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

// login types the password of the pre-filled user (or user, typed over
// the pre-filled name when given) on the login screen and waits for the
// app.
func (s *tmuxSession) login(user, password string) {
	s.t.Helper()
	s.waitFor("Passord")
	if user != "" {
		s.keys("Up", "C-u")
		s.typeText(user)
		s.keys("Enter")
	}
	s.typeText(password)
	s.keys("Enter")
}

// nursePassword is the test accounts' password (typed, never a flag).
const nursePassword = "sykepleier-passord-1"

// accounts makes the database at dsn with a phone nurse and a physician
// whose passwords are nursePassword, as an administrator would with
// triagectl users add.
func accounts(t *testing.T, dsn string) {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	sessiontest.Account(t, st, "e2e.sykepleier", nursePassword, store.ServicePhone, store.RolePhone)
	sessiontest.Account(t, st, "e2e.lege", nursePassword, "", store.RolePhysician)
}

// physician logs the test's reads in as user, a physician.
func physician(t *testing.T, st *store.Store, user, password string) store.Actor {
	t.Helper()
	g, err := session.New(session.Config{Store: st, Workstation: "test", Service: store.ServicePhone, Roles: []store.Role{store.RolePhysician}})
	require.NoError(t, err)
	s, err := g.Login(context.Background(), user, password, "", "")
	require.NoError(t, err)
	a, err := s.Actor()
	require.NoError(t, err)
	return a
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

// callKeys drives one call on the call screen: the patient (identity
// number or age), the complaint found by search, the answers, the vitals
// typed in order (rr, spo2, air/oxygen by arrow, sbp, dbp, hr, ACVPU by
// arrow, temp), and the save with the outcome's note.
type e2eCall struct {
	nid, name, age   string
	query, complaint string
	// answer picks the answer to each akutt/haster question shown; the
	// call stops at the first akutt yes. vanlig: "" none fits, else the
	// code to affirm when no question is answered yes.
	answer func(phone.Criterion) string
	vanlig string
	vitals []string
	note   string
}

func (s *tmuxSession) call(t *testing.T, ix *phone.Index, c e2eCall) string {
	t.Helper()
	s.waitFor("Fødselsnummer")
	age := -1
	if c.nid != "" {
		s.typeText(c.nid)
		s.keys("Enter")
		s.waitFor("Ingen tidligere henvendelser")
		s.typeText(c.name)
		id, err := patient.Parse(c.nid)
		require.NoError(t, err)
		age = time.Now().Year() - id.BirthDate.Year() // ±1 is enough for the question list below
	} else {
		s.keys("Tab")
		s.typeText(c.name)
		s.keys("Tab")
		s.typeText(c.age)
		fmt.Sscan(c.age, &age)
	}
	// Control keys only once the typed text is on screen, so tmux never
	// interleaves them with text still being delivered.
	s.waitFor(c.name)
	s.keys("C-s")
	s.waitFor("> Problem:")
	s.typeText(c.query)
	matches := ix.Search(c.query, age)
	pos := -1
	for i, m := range matches {
		if m.Complaint.ID == c.complaint {
			pos = i
			break
		}
	}
	require.GreaterOrEqual(t, pos, 0, "%q does not find %s", c.query, c.complaint)
	s.waitFor("> Problem: " + c.query)
	s.waitFor(fmt.Sprintf("› %02d  %s", matches[0].Complaint.Chapter, matches[0].Complaint.Name.In("nb")))
	for range pos {
		s.keys("Down")
	}
	s.keys("Enter")
	cp, _ := ix.Complaint(c.complaint)
	qs := cp.QuestionsFor(age)
	s.waitFor(fmt.Sprintf("Spørsmål 1 av %d", len(qs)))
	anyYes := false
	for _, q := range qs {
		a := c.answer(q)
		s.keys(a)
		if a == "j" {
			anyYes = true
			if q.Code.Level == phone.Akutt {
				return s.waitFor("Gjør nå:")
			}
		}
	}
	if !anyYes {
		s.waitFor("Passer et av disse?")
		vs := cp.VanligFor(age)
		n := len(vs) // "none fits"
		for i, v := range vs {
			if v.Code.String() == c.vanlig {
				n = i
			}
		}
		for range n {
			s.keys("Down")
		}
		s.keys("Enter")
	}
	s.waitFor("Innringers egne målinger")
	for _, v := range c.vitals {
		switch v {
		case "luft", "våken":
			s.keys("Right")
		case "oksygen":
			s.keys("Right", "Right")
		case "":
		default:
			s.typeText(v)
		}
		s.keys("Tab")
	}
	s.keys("C-s")
	return ""
}

// TestEndToEndCallsUnderTmux builds the real binary, runs it in tmux at
// 80x24 with a bare environment (as over SSH, no display), takes one whole
// call per outcome with send-keys (akutt handed to AMK, haster expected at
// the clinic, vanlig closed with advice), reads every step with
// capture-pane, and checks the stored rows.
func TestEndToEndCallsUnderTmux(t *testing.T) {
	db := filepath.Join(t.TempDir(), "e2e.db")
	nid := syntheticNID(t)
	s := nurseUnderTmux(t, "e2e", db)
	ix := phone.DemoIndex()

	// --nurse pre-fills the name; the password is still asked for, and a
	// wrong one is refused with the same words as an unknown name.
	scr := s.waitFor("Passord")
	assert.Contains(t, scr, "e2e.sykepleier")
	assert.NotContains(t, scr, "Fødselsnummer", "no patient screen before the login")
	s.typeText("feil-passord-1")
	s.keys("Enter")
	s.waitFor("Feil brukernavn eller passord.")
	s.login("", nursePassword)
	s.waitFor("e2e.sykepleier · ")

	// 1. Akutt: the first akutt criterion of chest pain; handed to AMK.
	scr = s.call(t, ix, e2eCall{name: "Akutt Testesen", age: "72", query: "bryst", complaint: "chest-pain",
		answer: func(q phone.Criterion) string { return "j" }})
	assert.Contains(t, scr, "AKUTT")
	assert.Contains(t, scr, "overlatt til AMK (113)")
	s.keys("Enter")
	s.waitFor("Lagret:")
	s.keys("Enter")

	// 2. Haster: H.06.01 of headache, with vitals; a bad value first.
	scr = s.call(t, ix, e2eCall{nid: nid, name: "Haster Testesen", query: "hodep", complaint: "headache",
		answer: func(q phone.Criterion) string {
			if q.Code.String() == "H.06.01" {
				return "j"
			}
			return "n"
		}, vitals: []string{"16", "abc"}})
	scr = s.waitFor("skriv et tall")
	assert.Contains(t, scr, "abc", "the refused value stays on screen")
	assert.Contains(t, scr, "16", "the other value stays too")
	s.keys("C-u")
	s.typeText("97")
	s.keys("C-s")
	scr = s.waitFor("Gjør nå:")
	assert.Contains(t, scr, "HASTER")
	assert.Contains(t, scr, "forventet ankomst")
	s.keys("Enter")
	s.waitFor("Lagret:")
	s.keys("Enter")

	// 3. Vanlig: every question no, V.06.01 affirmed; closed with advice.
	s.call(t, ix, e2eCall{name: "Vanlig Testesen", age: "40", query: "hodep", complaint: "headache",
		answer: func(phone.Criterion) string { return "n" }, vanlig: "V.06.01"})
	scr = s.waitFor("Gjør nå:")
	assert.Contains(t, scr, "VANLIG")
	assert.Contains(t, scr, "avsluttet med råd")
	s.keys("Enter")
	scr = s.waitFor("Råd gitt: skriv rådet")
	s.typeText("Paracetamol, ring igjen ved forverring")
	s.keys("Enter")
	s.waitFor("Lagret:")

	s.keys("F2")
	scr = s.waitFor("Haster Testesen")
	assert.Contains(t, scr, "Haster Testesen", "the expected haster call waits on the queue board")
	assert.Contains(t, scr, "FORVENTET")
	assert.Contains(t, scr, " HASTER ", "the queue shows the level told, with its text")
	assert.NotContains(t, scr, "Akutt Testesen", "handed to AMK: not in the waiting queue")
	assert.NotContains(t, scr, "Vanlig Testesen", "closed with advice: not in the waiting queue")
	s.keys("h")
	scr = s.waitFor("Avsluttede samtaler siste døgn (2)")
	assert.Contains(t, scr, "Akutt Testesen")
	assert.Contains(t, scr, "Vanlig Testesen")
	s.keys("C-c")
	s.waitFor("EXIT=0")

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	require.NoError(t, err)
	defer st.Close()
	actor := physician(t, st, "e2e.lege", nursePassword)
	want := map[string]struct {
		outcome store.Outcome
		colour  triage.Colour
		level   string
	}{
		"Akutt Testesen":  {store.OutcomeHandedOver, triage.Red, "akutt"},
		"Haster Testesen": {store.OutcomeExpected, triage.Yellow, "haster"},
		"Vanlig Testesen": {store.OutcomeClosed, triage.Green, "vanlig"},
	}
	for id := ids.Encounter(1); id <= 3; id++ {
		e, err := st.GetEncounter(ctx, actor, id)
		require.NoError(t, err)
		p, err := st.GetPatient(ctx, actor, e.PatientID)
		require.NoError(t, err)
		w, ok := want[p.Name]
		require.True(t, ok, p.Name)
		assert.Equal(t, w.outcome, e.Outcome, p.Name)
		assert.Equal(t, w.colour, e.Colour, p.Name)
		c, err := st.CallOf(ctx, actor, id)
		require.NoError(t, err)
		assert.Equal(t, w.level, c.LevelTold, p.Name)
		assert.Equal(t, "e2e.sykepleier", c.Actor.User, "the nurse logged in is named on the call")
		as, err := st.Assessments(ctx, actor, id)
		require.NoError(t, err)
		require.Len(t, as, 1)
		assert.Equal(t, triage.EngineVersion, as[0].EngineVersion)
		var res phonecall.Result
		require.NoError(t, json.Unmarshal(as[0].Result, &res))
		assert.Equal(t, w.level, res.Phone.Level.String())
		if p.Name == "Haster Testesen" {
			assert.Equal(t, nid, p.NID)
			assert.Equal(t, "yes", c.Answers["H.06.01"])
			obs, err := st.Observations(ctx, actor, id, time.Time{})
			require.NoError(t, err)
			require.Len(t, obs, 2)
			for _, o := range obs {
				assert.Equal(t, "phone", o.Source)
			}
		}
		if p.Name == "Vanlig Testesen" {
			assert.Equal(t, "Paracetamol, ring igjen ved forverring", e.OutcomeNote)
			assert.Equal(t, "yes", c.Answers["V.06.01"])
		}
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
	for _, bad := range []string{"0", "-5m", "fem minutter", "5s", "2h"} {
		errb.Reset()
		assert.Equal(t, 2, run([]string{"--idle-lock", bad}, &errb), bad)
		assert.Contains(t, errb.String(), "--idle-lock", bad)
		assert.Contains(t, errb.String(), "want a duration from 10s to 1h0m0s", bad)
	}
	errb.Reset()
	assert.Equal(t, 1, run([]string{"--db", filepath.Join(t.TempDir(), "empty.db"), "--lang", "nb"}, &errb),
		"a database without accounts is refused: nobody could log in")
	assert.Contains(t, errb.String(), "Databasen har ingen brukerkontoer")
	assert.Contains(t, errb.String(), "triagectl users add")
	errb.Reset()
	assert.Equal(t, 1, run([]string{"--db", filepath.Join(t.TempDir(), "empty.db"), "--lang", "en", "--oidc-issuer", "https://idp.example"}, &errb))
	assert.Contains(t, errb.String(), "give both --oidc-issuer and --oidc-client")
	errb.Reset()
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(notDB, []byte("not a database, just notes"), 0o600))
	assert.Equal(t, 1, run([]string{"--db", notDB}, &errb))
	assert.Contains(t, errb.String(), "database")
}
