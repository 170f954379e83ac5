package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/deskshell"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	login "github.com/legevakt/workstation/workstation/session"
)

var updateDocs = flag.Bool("update-docs", false, "copy the screenshots into docs/screenshots")

// TestMain lets the test binary run the real app: the Xvfb test starts
// this binary again with TRIAGE_DESK_RUN=1.
func TestMain(m *testing.M) {
	if os.Getenv("TRIAGE_DESK_RUN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// xvfb starts a virtual display and returns its DISPLAY value. The test
// skips only when Xvfb itself is absent; with Xvfb present, a missing
// xdotool or ImageMagick import is a broken test machine and fails.
func xvfb(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skipf("Xvfb not installed (apt-get install xvfb xdotool imagemagick): %v", err)
	}
	for _, tool := range []string{"xdotool", "/usr/bin/import"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "Xvfb is installed but %s is not (apt-get install xdotool imagemagick; .ci/debian-deps)", tool)
	}
	r, w, err := os.Pipe()
	require.NoError(t, err)
	// Taller than the window (main.go: 1280x860), which grows with larger
	// text and with a long deterioration banner (the device bar must stay
	// on the screen); shot crops the empty screen below it.
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x1100x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	require.NoError(t, cmd.Start())
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err, "Xvfb did not report its display")
	return ":" + strings.TrimSpace(line)
}

// poll is how often a wait looks again. Waits end on the condition, never
// on a fixed time: only the deadline bounds them.
const poll = 50 * time.Millisecond

type session struct {
	t         *testing.T
	display   string
	cmd       *exec.Cmd
	stderr    *syncBuffer
	dir       string
	stateFile string
	deadline  time.Time     // the whole keyboard flow must be done by then
	exited    chan struct{} // closed when the app has exited
	home      string        // the app's HOME: drafts, fyne settings, the demo database
}

// startDemo starts this binary as the real app (--demo plus args, with a
// state file) on its own Xvfb display and a fresh HOME, screenshots going
// to dir, the whole flow to end within the given time; the app is killed
// when the test ends. DISPLAY is set for the test's xdotool calls.
func startDemo(t *testing.T, dir string, within time.Duration, args ...string) *session {
	t.Helper()
	display := xvfb(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	d := &session{t: t, display: display, stderr: &syncBuffer{}, dir: dir, home: home,
		stateFile: filepath.Join(home, "state.json"), deadline: time.Now().Add(within)}
	d.cmd = exec.Command(exe, append(append([]string{"--demo"}, args...), "--state-file", d.stateFile)...)
	d.cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "DISPLAY="+display, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home)
	d.cmd.Stderr = d.stderr
	require.NoError(t, d.cmd.Start())
	d.exited = make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(d.exited) }()
	t.Cleanup(func() { _ = d.cmd.Process.Kill(); <-d.exited })
	t.Setenv("DISPLAY", display)
	return d
}

// key sends keys to the app as a nurse would press them. It does not wait:
// the caller waits for the state the next key needs.
func (d *session) key(keys ...string) {
	d.t.Helper()
	out, err := exec.Command("xdotool", append([]string{"key", "--delay", "40"}, keys...)...).CombinedOutput()
	require.NoError(d.t, err, "xdotool key %v: %s", keys, out)
}

func (d *session) typeText(s string) {
	d.t.Helper()
	out, err := exec.Command("xdotool", "type", "--delay", "30", s).CombinedOutput()
	require.NoError(d.t, err, "xdotool type: %s", out)
}

// state reads the app's state file (--state-file); false while the app
// has not written one yet.
func (d *session) state() (deskshell.State, bool) {
	b, err := os.ReadFile(d.stateFile)
	if err != nil {
		return deskshell.State{}, false
	}
	var s deskshell.State
	if err := json.Unmarshal(b, &s); err != nil {
		return deskshell.State{}, false // cannot happen with the atomic rename; read again
	}
	return s, true
}

// until waits for the app to reach a state, at most within (and never past
// the flow's deadline), and returns it.
func (d *session) until(what string, within time.Duration, cond func(deskshell.State) bool) deskshell.State {
	d.t.Helper()
	end := time.Now().Add(within)
	if end.After(d.deadline) {
		end = d.deadline
	}
	var last deskshell.State
	for {
		if s, ok := d.state(); ok {
			last = s
			if cond(s) {
				return s
			}
		}
		if time.Now().After(end) {
			d.t.Fatalf("%s: not reached within %s; last state %+v; stderr:\n%s", what, within, last, d.stderr.String())
		}
		if d.gone() {
			d.t.Fatalf("%s: the app has exited; stderr:\n%s", what, d.stderr.String())
		}
		time.Sleep(poll)
	}
}

// gone reports whether the app has exited.
func (d *session) gone() bool {
	select {
	case <-d.exited:
		return true
	default:
		return false
	}
}

// shot takes a screenshot of the whole display into the test's artefact
// folder and returns it decoded.
func (d *session) shot(name string) image.Image {
	d.t.Helper()
	path := filepath.Join(d.dir, name)
	out, err := exec.Command("/usr/bin/import", "-window", "root", path).CombinedOutput()
	require.NoError(d.t, err, "import: %s", out)
	f, err := os.Open(path)
	require.NoError(d.t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(d.t, err)
	img = cropBlackBottom(img)
	out2, err := os.Create(path)
	require.NoError(d.t, err)
	require.NoError(d.t, png.Encode(out2, img))
	require.NoError(d.t, out2.Close())
	return img
}

// cropBlackBottom cuts the rows of pure black below the window (the bare
// screen), so a screenshot is the window and nothing else.
func cropBlackBottom(img image.Image) image.Image {
	b := img.Bounds()
	bottom := b.Max.Y
	for ; bottom > b.Min.Y; bottom-- {
		black := true
		for x := b.Min.X; x < b.Max.X && black; x++ {
			r, g, bl, _ := img.At(x, bottom-1).RGBA()
			black = r == 0 && g == 0 && bl == 0
		}
		if !black {
			break
		}
	}
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok || bottom == b.Max.Y {
		return img
	}
	return sub.SubImage(image.Rect(b.Min.X, b.Min.Y, b.Max.X, bottom))
}

// calmShot takes a screenshot once the app is in the wanted state with no
// pop-up over it and the picture shows what painted says it must (the
// frame after a state change may not be drawn yet). A deterioration alert
// that arrives meanwhile (the demo's course goes on) is a banner, never a
// pop-up: it stays in the picture, as a nurse would see it.
func (d *session) calmShot(name string, within time.Duration, want func(deskshell.State) bool, painted func(image.Image) bool) image.Image {
	d.t.Helper()
	end := time.Now().Add(within)
	if end.After(d.deadline) {
		end = d.deadline
	}
	for {
		s := d.until(name+": wanted state", time.Until(end), want)
		if s.Overlays == 0 {
			img := d.shot(name)
			after, _ := d.state()
			if after.Overlays == 0 && painted(img) {
				d.t.Logf("screenshot %s", filepath.Join(d.dir, name))
				return img
			}
		}
		if time.Now().After(end) {
			d.t.Fatalf("%s: the screen did not show what was expected within %s", name, within)
		}
		time.Sleep(poll)
	}
}

// count counts the pixels of exactly colour c (a swatch fill).
func count(img image.Image, c color.NRGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				n++
			}
		}
	}
	return n
}

func (d *session) waitFor(what string, re *regexp.Regexp, within time.Duration) []string {
	d.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(d.stderr.String()); m != nil {
			return m
		}
		time.Sleep(poll)
	}
	d.t.Fatalf("%s: not seen within %s; stderr:\n%s", what, within, d.stderr.String())
	return nil
}

func rssKB(t *testing.T, pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(b)
	require.NotNil(t, m)
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// docShots are the screenshots copied into docs/screenshots with -update-docs.
var docShots = []string{"board.png", "triage-hand.png", "triage-form.png", "deterioration-alert.png", "board-en.png", "triage-form-en.png",
	"board-high-contrast.png", "triage-high-contrast.png", "triage-form-2x.png"}

// contrastRatio is the WCAG 2 contrast ratio of two opaque colours.
func contrastRatio(a, b color.NRGBA) float64 {
	lum := func(c color.NRGBA) float64 {
		ch := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// tabTo presses Tab until the field named (State.Focused) has the focus,
// waiting for each move, as a nurse tabs down a form.
func (d *session) tabTo(name string) {
	d.t.Helper()
	for i := 0; i < 30; i++ {
		s, _ := d.state()
		if s.Focused == name {
			return
		}
		d.key("Tab")
		d.until("the focus moved from "+s.Focused, 10*time.Second, func(n deskshell.State) bool { return n.Focused != s.Focused })
	}
	d.t.Fatalf("Tab never reached %s", name)
}

// syntheticNID is a valid synthetic (Tenor) identity number, born 15 May
// 1980, the n-th with valid control digits.
// registerOnSepticMonitor registers a patient by keyboard from the
// registration tab with its identity field focused, opens the triage
// form, puts the patient on the septic simulator (the monitor picker's
// first choice) and sets consciousness A, as a nurse does; it returns the
// new encounter.
func (d *session) registerOnSepticMonitor(nid, name string) ids.Encounter {
	d.typeText(nid)
	d.until("the identity number typed", 10*time.Second, func(s deskshell.State) bool { return s.RegIDLen == 11 })
	d.key("Tab", "Tab")
	d.until("the name field focused", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "reg.name" })
	d.typeText(name)
	d.until("the name typed", 10*time.Second, func(s deskshell.State) bool { return s.RegNameLen == len(name) })
	d.key("ctrl+Return")
	s := d.until("the triage form for the new patient, monitor picker focused", 10*time.Second, func(s deskshell.State) bool {
		return s.Tab == "triage" && s.EncounterID != 0 && s.Focused == "form.monitor"
	})
	d.key("space")
	d.until("the monitor menu open", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "menu" })
	d.key("Down", "Return")
	d.until("the septic simulator picked", 10*time.Second, func(s deskshell.State) bool { return s.Monitor == "sim-1" })
	d.tabTo("form.acvpu")
	d.key("space")
	d.until("the consciousness menu open", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "menu" })
	d.key("Down", "Return")
	d.until("consciousness A", 10*time.Second, func(s deskshell.State) bool { return s.Consciousness == "A" })
	return s.EncounterID
}

func syntheticNID(t *testing.T, n int) string {
	t.Helper()
	for ind := 100; ind < 500; ind++ {
		s := fmt.Sprintf("158580%03d", ind)
		var nine [9]int
		for i := range nine {
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			if n == 0 {
				return fmt.Sprintf("%s%d%d", s, k1, k2)
			}
			n--
		}
	}
	t.Fatal("no synthetic number")
	return ""
}

// checkStored reads the demo's database (beside the app, under its
// TMPDIR) and checks the hand-measured patient's stored assessment: NEWS2 8
// high on the RCP chart, every value from source manual.
func checkStored(t *testing.T, home string, enc ids.Encounter) {
	t.Helper()
	dbs, err := filepath.Glob(filepath.Join(home, "triage-desk-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1, "the demo's database")
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	actor := demoActor(t, st, "lege")
	as, err := st.Assessments(ctx, actor, enc)
	require.NoError(t, err)
	require.Len(t, as, 1)
	require.NotNil(t, as[0].NEWS2)
	assert.Equal(t, 8, *as[0].NEWS2, "RR 24 (2) + SpO2 93 (2) + air + SBP 105 (1) + pulse 118 (2) + alert + 38,9 (1)")
	assert.Equal(t, "high", as[0].NEWS2Band)
	obs, err := st.Observations(ctx, actor, enc, time.Time{})
	require.NoError(t, err)
	got := map[vitals.Kind]float64{}
	for _, o := range obs {
		assert.Equal(t, vitals.SourceManual, o.Source)
		got[o.Kind] = o.Value
	}
	assert.Equal(t, map[vitals.Kind]float64{vitals.RR: 24, vitals.SpO2: 93, vitals.SBP: 105, vitals.DBP: 70, vitals.HR: 118, vitals.Temp: 38.9}, got)
}

// demoActor logs a demo account in (the demo database has personal
// accounts like any other): the only way to a store actor.
func demoActor(t *testing.T, st *store.Store, user string) store.Actor {
	t.Helper()
	g, err := login.New(login.Config{Store: st, Workstation: "xvfb-test", Service: store.ServiceReception,
		Roles: []store.Role{store.RolePhysician, store.RoleReception, store.RoleAdmin}})
	require.NoError(t, err)
	s, err := g.Login(context.Background(), user, login.DemoPassword, "", "")
	require.NoError(t, err)
	a, err := s.Actor()
	require.NoError(t, err)
	return a
}

// logIn types the password on the login page (the user name is filled
// in) and waits for the desktop, as a nurse starts her shift.
func (d *session) logIn(user string) {
	d.t.Helper()
	d.until("the login page, password focused", 30*time.Second, func(s deskshell.State) bool {
		return (s.Screen == deskshell.ScreenLogin || s.Screen == deskshell.ScreenSwitch) && (s.Focused == "login.password" || s.Focused == "login.user")
	})
	if s, _ := d.state(); s.Focused == "login.user" {
		d.typeText(user)
		d.key("Tab")
		d.until("the password focused", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "login.password" })
	}
	d.typeText(login.DemoPassword)
	d.key("Return")
	d.until(user+" logged in", 30*time.Second, func(s deskshell.State) bool {
		return s.User == user && s.Screen != deskshell.ScreenLogin && s.Screen != deskshell.ScreenSwitch
	})
}

// TestRealAppUnderXvfb runs triage-desk --demo on a virtual display in its
// default language (bokmål), drives it with the keyboard only (register,
// pick the simulated monitor, set consciousness, save, wait for the
// deterioration alert, re-triage, switch to English, high contrast and
// larger text), and keeps screenshots of the board, the triage form with
// live values and the alert in both languages. Every key waits for the
// state the next one needs (the app's --state-file), never for a fixed
// time, within one overall deadline. It checks that the triage colours, the
// green LIVE badge and the alert are really painted, and reports the start
// time and resident memory.
func TestRealAppUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app under Xvfb")
	}
	dir := filepath.Join("testdata", "xvfb")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	// No --lang: the app must start in bokmål; --demo fills in the demo's
	// reception nurse, who still types the password.
	d := startDemo(t, dir, 4*time.Minute, "--timing", "--demo-deterioration", "45s")
	home := d.home

	m := d.waitFor("window shown", regexp.MustCompile(`window shown (\d+) ms after start`), 30*time.Second)
	t.Logf("start to shown window (demo, including seeding): %s ms", m[1])
	d.logIn("resepsjon")
	s := d.until("the board and the monitor list loaded", 30*time.Second, func(s deskshell.State) bool { return s.BoardRows > 0 && s.Monitors > 0 })
	assert.Equal(t, i18n.NB, s.Lang, "bokmål is the default language")

	th := desktheme.New(false, 1)
	colouredBadges := func(img image.Image) bool {
		n := 0
		for _, c := range triage.Colours {
			n += count(img, th.ColourSwatch(c).Fill)
		}
		return n > 1000
	}
	onBoard := func(s deskshell.State) bool { return s.Tab == "board" }
	d.key("ctrl+b")
	d.calmShot("board.png", 20*time.Second, onBoard, colouredBadges)

	// A patient measured by hand, no monitor: every vital typed, keyboard
	// only, then the stored assessment read back from the database.
	d.key("ctrl+n")
	d.until("registration, identity field focused", 10*time.Second, func(s deskshell.State) bool { return s.Tab == "register" && s.Focused == "reg.id" })
	d.typeText(syntheticNID(t, 1))
	d.until("the identity number typed", 10*time.Second, func(s deskshell.State) bool { return s.RegIDLen == 11 })
	d.key("Tab", "Tab")
	d.until("the name field focused", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "reg.name" })
	d.typeText("Hanne Hansen")
	d.until("the name typed", 10*time.Second, func(s deskshell.State) bool { return s.RegNameLen == len("Hanne Hansen") })
	d.key("ctrl+Return")
	s = d.until("the triage form for the hand-measured patient", 10*time.Second, func(s deskshell.State) bool {
		return s.Tab == "triage" && s.EncounterID != 0 && s.Focused == "form.monitor"
	})
	hand := s.EncounterID
	for i, v := range []struct{ field, text string }{{"form.rr", "24"}, {"form.spo2", "93"}, {"form.sbp", "105/70"}, {"form.hr", "118"}} {
		d.tabTo(v.field)
		d.typeText(v.text)
		d.until(v.field+" read", 10*time.Second, func(s deskshell.State) bool { return s.Typed == i+1 && s.Problems == 0 })
	}
	d.tabTo("form.acvpu")
	d.key("space")
	d.until("the consciousness menu open", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "menu" })
	d.key("Down", "Return")
	d.until("consciousness A", 10*time.Second, func(s deskshell.State) bool { return s.Consciousness == "A" })
	d.tabTo("form.temp")
	d.typeText("38,9")
	handForm := func(s deskshell.State) bool {
		return s.Tab == "triage" && s.EncounterID == hand && s.Typed == 5 && s.Problems == 0 && s.Complete && s.NEWS2 == 8
	}
	d.calmShot("triage-hand.png", 20*time.Second, handForm, colouredBadges)
	d.key("ctrl+s")
	d.until("the hand-measured triage saved", 10*time.Second, func(s deskshell.State) bool { return s.Saved == 1 })
	checkStored(t, home, hand)

	// Register a synthetic patient (a Tenor test number, month + 80).
	d.key("ctrl+n")
	d.until("registration, identity field focused", 10*time.Second, func(s deskshell.State) bool { return s.Tab == "register" && s.Focused == "reg.id" })
	patient := d.registerOnSepticMonitor("15858010060", "Kari Nordmann")

	live := th.ColourSwatch(triage.Green).Fill
	liveBadge := func(img image.Image) bool { return count(img, live) > 500 }
	liveForm := func(s deskshell.State) bool {
		// The ECG's own heart rate takes a few seconds of beats: by then the
		// tiles, the strip and the trend all show something to read.
		return s.Tab == "triage" && s.EncounterID == patient && s.Device == "live" && s.Vitals >= 4 && s.ECGRate && s.ECGBeats >= 3
	}
	d.calmShot("triage-form.png", 30*time.Second, liveForm, liveBadge)

	d.key("ctrl+s")
	d.until("the triage saved", 10*time.Second, func(s deskshell.State) bool { return s.Saved == 2 })
	// The septic trajectory (45 s here) rises: the alert must appear.
	d.until("a deterioration alert", 60*time.Second, func(s deskshell.State) bool { return s.OpenAlerts > 0 })
	alertFill := th.AlertSwatch().Fill
	var alert image.Image
	end := time.Now().Add(20 * time.Second)
	for {
		alert = d.shot("deterioration-alert.png")
		if count(alert, alertFill) > 5000 || time.Now().After(end) {
			break
		}
		time.Sleep(poll)
	}
	assert.Greater(t, count(alert, alertFill), 5000, "the deterioration alert is painted")
	kb := rssKB(t, d.cmd.Process.Pid)
	t.Logf("resident memory after the flow: %.1f MiB (%.1f MB)", float64(kb)/1024, float64(kb)*1024/1e6)
	// Issue 12 item 10: below 200 MB, decimal megabytes (190.7 MiB).
	assert.Less(t, kb, 200*1000*1000/1024, "resident memory under 200 MB")

	// Stray keys never answer the alert: it took no focus, and Tab, Space
	// and Enter typed now land on the board, not on the banner.
	open := d.until("the alert still open", 5*time.Second, func(s deskshell.State) bool { return s.OpenAlerts > 0 })
	d.key("Tab", "space", "Tab", "Return", "Escape")
	d.until("no stray acknowledgement", 5*time.Second, func(s deskshell.State) bool { return s.OpenAlerts >= open.OpenAlerts })

	// Re-triage from the alert (Ctrl+R), then the same screens in English;
	// the alert is answered when the re-triage is saved.
	d.key("ctrl+r")
	d.until("the re-triage form for the patient", 10*time.Second, func(s deskshell.State) bool {
		return s.Tab == "triage" && s.EncounterID == patient && s.Monitor == "sim-1"
	})
	d.key("ctrl+l")
	d.until("English", 10*time.Second, func(s deskshell.State) bool { return s.Lang == i18n.EN })
	d.calmShot("triage-form-en.png", 30*time.Second, func(s deskshell.State) bool {
		return s.Lang == i18n.EN && liveForm(s) && s.OpenAlerts > 0 // the banner is up while the nurse re-triages
	}, liveBadge)
	d.key("ctrl+s")
	d.until("the re-triage saved", 10*time.Second, func(s deskshell.State) bool { return s.Saved == 3 && s.OpenAlerts == 0 })
	d.key("ctrl+b")
	d.calmShot("board-en.png", 20*time.Second, func(s deskshell.State) bool { return s.Lang == i18n.EN && onBoard(s) }, colouredBadges)

	// Back to bokmål, then the board in high contrast with larger text.
	d.key("ctrl+l")
	d.until("bokmål again", 10*time.Second, func(s deskshell.State) bool { return s.Lang == i18n.NB })
	d.key("ctrl+h", "ctrl+equal", "ctrl+equal")
	hcBig := func(s deskshell.State) bool { return onBoard(s) && s.HighContrast && s.Scale > 1.15 }
	d.until("high contrast and larger text", 10*time.Second, hcBig)
	d.calmShot("board-high-contrast.png", 20*time.Second, hcBig, func(img image.Image) bool {
		return count(img, color.NRGBA{R: 0xff, G: 0xff, B: 0xff}) > 1280*850/3
	})
	t.Logf("resident memory after switching to high contrast and larger text: %d MB (every glyph texture is drawn again at the new size)", rssKB(t, d.cmd.Process.Pid)/1024)

	// The focus mark in high contrast, measured on the screen: the focused
	// monitor picker is painted in the theme's opaque focus colour, which
	// stands 3:1 or more off the white around it (WCAG 2.1 1.4.11).
	hc := desktheme.New(true, 1)
	d.key("ctrl+t")
	d.until("the triage form, monitor picker focused, in high contrast", 10*time.Second, func(s deskshell.State) bool {
		return s.Tab == "triage" && s.Focused == "form.monitor" && s.HighContrast
	})
	focus := hc.FocusColour()
	d.calmShot("triage-high-contrast.png", 20*time.Second, func(s deskshell.State) bool {
		return s.Tab == "triage" && s.Focused == "form.monitor" && s.HighContrast
	}, func(img image.Image) bool { return count(img, focus) > 2000 })
	assert.GreaterOrEqual(t, contrastRatio(focus, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}), 3.0)

	// Twice the text size, normal theme: nothing is cut (looked at in
	// docs/screenshots/triage-form-2x.png).
	d.key("ctrl+h")
	for i := 0; i < 8; i++ {
		d.key("ctrl+equal")
	}
	big := func(s deskshell.State) bool { return s.Tab == "triage" && !s.HighContrast && s.Scale > 1.99 }
	d.until("twice the text size", 10*time.Second, big)
	d.calmShot("triage-form-2x.png", 20*time.Second, big, func(img image.Image) bool { return count(img, focus) == 0 })

	if *updateDocs {
		for _, n := range docShots {
			b, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", n), b, 0o644))
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the writer (the child's stderr
// copier) and the polling reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestStartToUsableWindow starts the real app (no demo: an existing
// SQLite file, as at a workstation) five times under Xvfb and logs the
// time from process start to the window shown and its resident memory.
// It asserts no time (the machine is shared); the figures go into
// docs/PERFORMANCE.md.
func TestStartToUsableWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app under Xvfb")
	}
	display := xvfb(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	home := t.TempDir()
	// A workstation's database has accounts (one without is refused).
	st, err := store.Open(context.Background(), filepath.Join(home, "triage.db"), store.WithoutCheckpoints())
	require.NoError(t, err)
	_, err = login.SeedDemo(context.Background(), st)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	var ms []int
	for i := 0; i < 5; i++ {
		d := &session{t: t, stderr: &syncBuffer{}}
		d.cmd = exec.Command(exe, "--db", filepath.Join(home, "triage.db"), "--timing")
		d.cmd.Env = append(os.Environ(), "TRIAGE_DESK_RUN=1", "DISPLAY="+display, "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home, "TMPDIR="+home)
		d.cmd.Stderr = d.stderr
		require.NoError(t, d.cmd.Start())
		m := d.waitFor("window shown", regexp.MustCompile(`window shown (\d+) ms after start \(store and wiring (\d+) ms\)`), 30*time.Second)
		n, _ := strconv.Atoi(m[1])
		ms = append(ms, n)
		t.Logf("run %d: shown after %s ms (store and wiring %s ms), resident %d MB", i+1, m[1], m[2], rssKB(t, d.cmd.Process.Pid)/1024)
		_ = d.cmd.Process.Kill()
		_ = d.cmd.Wait()
	}
	sort.Ints(ms)
	t.Logf("start to shown window over 5 runs: median %d ms, worst %d ms", ms[2], ms[4])
}
