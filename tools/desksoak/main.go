// Command desksoak measures the resident memory of the reception desktop
// over a long demo session (issue 12 item 10, docs/PERFORMANCE.md). It runs
// `triage-desk --demo` on its own Xvfb display, drives it with xdotool as a
// reception nurse would (registering patients, typing every vital by hand,
// picking a simulated monitor, saving, re-triaging from alerts, watching
// the board, switching high contrast, text size and language, and with
// --board N sending the board's first patient on, to the doctor, home or
// left without being seen, so the board stays at about N patients as on a
// reception evening) and samples the app's resident memory, the Go heap
// and the load average at a fixed interval until the time is up.
//
//	go build -o /tmp/soak/triage-desk ./cmd/triage-desk
//	go run ./tools/desksoak --app /tmp/soak/triage-desk --for 60m --every 30s --board 15 --heap-every 10m --out /tmp/soak/run
//
// Every key waits for the state the next one needs (the app's
// --state-file); a step that does not get there within its time is logged,
// the screen is brought back to the board and the session goes on: the
// memory is what is measured, the flow only has to keep the app busy. If
// the app asks for a login (the demo accounts of workstation/session,
// password "demo-legevakt", user name pre-filled), it is given.
//
// Output, in --out (created owner-only; every file 0600): samples.csv (one
// line per sample), table.md (the samples as a Markdown table), steps.log
// (what the driver did), app.log (the app's stderr, no patient data),
// heap-early.pb.gz and heap-late.pb.gz (Go heap profiles at minute 2 and
// at the end, for `go tool pprof -base`), and with --heap-every one
// heap-MMM.pb.gz per interval, each with a line in steps.log giving the
// goroutine count and the resident set split by mapping (Go heap arena, C
// heap, other anonymous, file-backed). For exact profiles run it with
// GODEBUG=memprofilerate=8192 (passed on to the app; the profiler's own
// records then add several MiB of resident memory, so do not compare that
// run's figures with others'). No patient data is real: the
// demo's database lives in the run's own directory and is removed by the
// app on exit.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
)

func main() { os.Exit(run()) }

// options are the command's flags.
type options struct {
	app      string
	out      string
	dur      time.Duration
	every    time.Duration
	pprof    string
	password string
	display  string
	heapEach time.Duration
	board    int
}

func run() int {
	var o options
	flag.StringVar(&o.app, "app", "", "the triage-desk binary to run (go build -o ... ./cmd/triage-desk)")
	flag.StringVar(&o.out, "out", "", "directory for the samples and logs (created 0700; must not exist or be empty)")
	flag.DurationVar(&o.dur, "for", 60*time.Minute, "how long to run the session")
	flag.DurationVar(&o.every, "every", 30*time.Second, "sampling interval")
	flag.StringVar(&o.pprof, "pprof", "127.0.0.1:6062", "loopback address for the app's --pprof (Go heap figures and profiles)")
	flag.StringVar(&o.password, "password", "demo-legevakt", "password typed if the app shows a login screen (the demo accounts')")
	flag.StringVar(&o.display, "display", "", "use this X display instead of starting Xvfb")
	flag.IntVar(&o.board, "board", 15, "keep the board at about this many patients by sending the first row on (to the doctor, home, or left without being seen, in turn; the desk's send-on action, CONTRACTS.md 2a); 0: never send anyone on (the board only grows, as before the action)")
	flag.DurationVar(&o.heapEach, "heap-every", 0, "also write a Go heap profile (heap-MMM.pb.gz, MMM the minute) and a goroutine count every this long; 0: only the early and late profiles")
	flag.Parse()
	if o.app == "" || o.out == "" {
		fmt.Fprintln(os.Stderr, "desksoak: --app and --out are required")
		flag.Usage()
		return 2
	}
	if err := soak(o); err != nil {
		fmt.Fprintln(os.Stderr, "desksoak:", err)
		return 1
	}
	return 0
}

// state is the part of the app's --state-file snapshot the driver reads
// (ui-desktop/desk.State; fields it does not know are ignored).
type state struct {
	Screen       string        `json:"screen"` // deskshell: "login", "locked", "desk", ...; "" before the login page
	Lang         string        `json:"lang"`
	Tab          string        `json:"tab"`
	Focused      string        `json:"focused"`
	Overlays     int           `json:"overlays"`
	RegIDLen     int           `json:"reg_id_len"`
	RegNameLen   int           `json:"reg_name_len"`
	EncounterID  ids.Encounter `json:"encounter_id"`
	Monitor      string        `json:"monitor"`
	Vitals       int           `json:"vitals"`
	OpenAlerts   int           `json:"open_alerts"`
	BoardRows    int           `json:"board_rows"`
	Monitors     int           `json:"monitors"`
	HighContrast bool          `json:"high_contrast"`
	Scale        float32       `json:"scale"`
	Saved        int           `json:"saved"`
	Typed        int           `json:"typed"`
	Complete     bool          `json:"complete"`
	// The board's send-on action (CONTRACTS.md section 2a).
	BoardRow     int    `json:"board_row"`      // the row with the focus mark, -1 when the board is empty
	SendOn       string `json:"send_on"`        // "", "choose" or "confirm"
	SendOnChoice string `json:"send_on_choice"` // the destination chosen, "" for none
	SentOn       int    `json:"sent_on"`        // patients sent on from this desk in this session
	SendOnError  string `json:"send_on_error"`  // "" after a success, else "stale", "refused" or "store"
}

// loginScreen reports whether the snapshot is of a login or unlock
// screen: deskshell's "login" or "locked", or, from an app that does not
// name its screen, any tab the working screens do not have.
func (s state) loginScreen() bool {
	switch s.Screen {
	case "login", "locked":
		return true
	case "":
	default:
		return false
	}
	switch s.Tab {
	case "register", "triage", "board":
		return strings.HasPrefix(s.Focused, "login")
	}
	return true
}

// mode is one way the screens are shown; the session cycles through them.
// Larger text is 1.2x (two presses of Ctrl+=), the size issue 12 was
// measured at (until commit 97bbe6d the window outgrew the screen from
// 1.2x; docs/PERFORMANCE.md).
type mode struct {
	name         string
	highContrast bool
	scaleSteps   int // presses of Ctrl+= from 1.0
	english      bool
}

var modes = []mode{
	{name: "normal nb"},
	{name: "high contrast", highContrast: true},
	{name: "high contrast 1.2x", highContrast: true, scaleSteps: 2},
	{name: "1.2x", scaleSteps: 2},
	{name: "normal en", english: true},
	{name: "high contrast 1.2x en", highContrast: true, scaleSteps: 2, english: true},
}

// driver sends keys and waits for states.
type driver struct {
	display   string
	stateFile string
	log       *logger
	ctx       context.Context
	exited    <-chan struct{}
	password  string
	board     int // the board size kept by sending patients on; 0: never
	sent      int // patients this driver has sent on
}

var errGone = errors.New("the app has exited")

func (d *driver) state() (state, bool) {
	b, err := os.ReadFile(d.stateFile)
	if err != nil {
		return state{}, false
	}
	var s state
	if json.Unmarshal(b, &s) != nil {
		return state{}, false
	}
	return s, true
}

// until waits for cond, at most within; it answers a login screen that
// appears meanwhile.
func (d *driver) until(what string, within time.Duration, cond func(state) bool) (state, error) {
	end := time.Now().Add(within)
	var last state
	for {
		if s, ok := d.state(); ok {
			last = s
			if cond(s) {
				return s, nil
			}
			if s.loginScreen() {
				d.login()
			}
		}
		select {
		case <-d.exited:
			return last, errGone
		case <-d.ctx.Done():
			return last, d.ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(end) {
			return last, fmt.Errorf("%s: not reached within %s (tab %q, focus %q, overlays %d)", what, within, last.Tab, last.Focused, last.Overlays)
		}
	}
}

// login types the demo password: the user name is pre-filled in --demo.
// It is tried at most every 5 s, so a slow screen is not typed into twice.
func (d *driver) login() {
	if time.Since(lastLogin) < 5*time.Second {
		return
	}
	lastLogin = time.Now()
	d.log.printf("login screen: typing the demo password")
	d.typeText(d.password)
	d.key("Return")
}

var lastLogin time.Time

func (d *driver) key(keys ...string) {
	out, err := d.xdotool(append([]string{"key", "--delay", "40"}, keys...)...)
	if err != nil {
		d.log.printf("xdotool key %v: %v %s", keys, err, out)
	}
}

func (d *driver) typeText(s string) {
	out, err := d.xdotool("type", "--delay", "30", s)
	if err != nil {
		d.log.printf("xdotool type: %v %s", err, out)
	}
}

func (d *driver) xdotool(args ...string) ([]byte, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.display)
	return cmd.CombinedOutput()
}

// tabTo presses Tab until the named field has the focus.
func (d *driver) tabTo(name string) error {
	for range 40 {
		s, ok := d.state()
		if ok && s.Focused == name {
			return nil
		}
		d.key("Tab")
		if _, err := d.until("focus moved from "+s.Focused, 5*time.Second, func(n state) bool { return n.Focused != s.Focused }); err != nil {
			return err
		}
	}
	return fmt.Errorf("Tab never reached %s", name)
}

// pause waits, ending early only when the run is over.
func (d *driver) pause(t time.Duration) error {
	select {
	case <-d.exited:
		return errGone
	case <-d.ctx.Done():
		return d.ctx.Err()
	case <-time.After(t):
		return nil
	}
}

// register opens the registration, types a synthetic identity number and
// a name and submits; it returns with the triage form open.
func (d *driver) register(nid, name string) (state, error) {
	d.key("Escape", "ctrl+n")
	if _, err := d.until("registration", 10*time.Second, func(s state) bool { return s.Tab == "register" && s.Focused == "reg.id" }); err != nil {
		return state{}, err
	}
	if err := d.clear("reg.id", func(s state) int { return s.RegIDLen }); err != nil {
		return state{}, err
	}
	d.typeText(nid)
	if _, err := d.until("identity number typed", 10*time.Second, func(s state) bool { return s.RegIDLen == len(nid) }); err != nil {
		return state{}, err
	}
	if err := d.tabTo("reg.name"); err != nil {
		return state{}, err
	}
	if err := d.clear("reg.name", func(s state) int { return s.RegNameLen }); err != nil {
		return state{}, err
	}
	d.typeText(name)
	if _, err := d.until("name typed", 10*time.Second, func(s state) bool { return s.RegNameLen == len([]rune(name)) }); err != nil {
		return state{}, err
	}
	d.key("ctrl+Return")
	return d.until("triage form", 15*time.Second, func(s state) bool { return s.Tab == "triage" && s.EncounterID != 0 })
}

// clear empties the focused field (select all, delete) when an earlier
// step that failed left text in it: registration keeps what was typed.
func (d *driver) clear(field string, length func(state) int) error {
	if s, ok := d.state(); ok && length(s) == 0 {
		return nil
	}
	d.key("ctrl+a", "BackSpace")
	_, err := d.until(field+" emptied", 5*time.Second, func(s state) bool { return length(s) == 0 })
	return err
}

// pick opens the focused drop-down and takes its first choice.
func (d *driver) pick(what string) error {
	d.key("space")
	if _, err := d.until(what+" menu", 10*time.Second, func(s state) bool { return s.Focused == "menu" }); err != nil {
		return err
	}
	d.key("Down", "Return")
	_, err := d.until(what+" picked", 10*time.Second, func(s state) bool { return s.Focused != "menu" })
	return err
}

// save presses Ctrl+S and waits for the count of saved triages to rise;
// a question is answered yes: a pop-up (an implausible value) with
// Return, the form's own question about an incomplete NEWS2 with Ctrl+S
// once more (a monitor moved from another patient has no blood pressure
// until its next cuff measurement).
func (d *driver) save(before int) error {
	d.key("ctrl+s")
	pressed := time.Now()
	again := false
	_, err := d.until("saved", 10*time.Second, func(s state) bool {
		if s.Saved > before {
			return true
		}
		switch {
		case s.Overlays > 0:
			d.key("Return")
		case !s.Complete && !again && time.Since(pressed) > 2*time.Second:
			d.key("ctrl+s")
			again = true
		}
		return false
	})
	return err
}

// handPatient registers a patient measured by hand and types every vital.
func (d *driver) handPatient(nid, name string, i int) error {
	s, err := d.register(nid, name)
	if err != nil {
		return err
	}
	vals := []struct{ field, text string }{
		{"form.rr", strconv.Itoa(14 + i%10)}, {"form.spo2", strconv.Itoa(92 + i%7)},
		{"form.sbp", fmt.Sprintf("%d/%d", 100+i%40, 60+i%20)}, {"form.hr", strconv.Itoa(60 + i%50)},
	}
	for n, v := range vals {
		if err := d.tabTo(v.field); err != nil {
			return err
		}
		d.typeText(v.text)
		if _, err := d.until(v.field+" read", 10*time.Second, func(s state) bool { return s.Typed >= n+1 }); err != nil {
			return err
		}
	}
	if err := d.tabTo("form.acvpu"); err != nil {
		return err
	}
	if err := d.pick("consciousness"); err != nil {
		return err
	}
	if err := d.tabTo("form.temp"); err != nil {
		return err
	}
	d.typeText(fmt.Sprintf("%d,%d", 36+i%3, i%10))
	if _, err := d.until("the set complete", 10*time.Second, func(s state) bool { return s.Complete }); err != nil {
		return err
	}
	return d.save(s.Saved)
}

// monitoredPatient registers a patient and picks a simulated monitor.
func (d *driver) monitoredPatient(nid, name string) error {
	s, err := d.register(nid, name)
	if err != nil {
		return err
	}
	if s.Focused != "form.monitor" {
		if err := d.tabTo("form.monitor"); err != nil {
			return err
		}
	}
	if err := d.pick("monitor"); err != nil {
		return err
	}
	if err := d.tabTo("form.acvpu"); err != nil {
		return err
	}
	if err := d.pick("consciousness"); err != nil {
		return err
	}
	if _, err := d.until("live vitals", 30*time.Second, func(s state) bool { return s.Vitals >= 4 }); err != nil {
		return err
	}
	if err := d.pause(20 * time.Second); err != nil { // watch the live values and the ECG
		return err
	}
	return d.save(s.Saved)
}

// answerAlerts re-triages from the top alert and saves, while alerts are
// open (at most three at a time).
func (d *driver) answerAlerts() error {
	for range 3 {
		s, ok := d.state()
		if !ok || s.OpenAlerts == 0 {
			return nil
		}
		d.key("ctrl+r")
		if _, err := d.until("re-triage form", 10*time.Second, func(s state) bool { return s.Tab == "triage" }); err != nil {
			return err
		}
		if err := d.pause(3 * time.Second); err != nil {
			return err
		}
		if err := d.save(s.Saved); err != nil {
			// A patient of the demo's day may have no consciousness
			// recorded yet: give it, then save again.
			if err := d.tabTo("form.acvpu"); err != nil {
				return err
			}
			if err := d.pick("consciousness"); err != nil {
				return err
			}
			if err := d.save(s.Saved); err != nil {
				return err
			}
		}
	}
	return nil
}

// destination is one way a patient leaves the board, with the digit that
// chooses it in the send-on dialog (CONTRACTS.md section 2a).
type destination struct {
	key, name string
	confirm   bool // left without being seen asks once more
}

// destinations are taken in turn, as a reception evening sends patients
// on: mostly in to the doctor or home, now and then one who left before
// being seen. "Til lege" (1) is not among them: that patient stays on the
// board.
var destinations = []destination{
	{key: "2", name: "with_doctor"},
	{key: "3", name: "done"},
	{key: "2", name: "with_doctor"},
	{key: "3", name: "done"},
	{key: "4", name: "left_without_being_seen", confirm: true},
}

// sendOn sends the board's first row on to dest with the keys of the
// send-on dialog and waits until the desk has counted it.
func (d *driver) sendOn(dest destination) error {
	d.key("Escape", "ctrl+b")
	s, err := d.until("board", 10*time.Second, func(s state) bool { return s.Tab == "board" && s.SendOn == "" })
	if err != nil {
		return err
	}
	if s.BoardRows == 0 {
		return nil
	}
	before := s.SentOn
	d.key("Home")
	if _, err := d.until("first row marked", 10*time.Second, func(s state) bool { return s.BoardRow == 0 }); err != nil {
		return err
	}
	d.key("ctrl+shift+d")
	if _, err := d.until("send-on dialog", 10*time.Second, func(s state) bool { return s.SendOn == "choose" }); err != nil {
		return err
	}
	d.key(dest.key)
	if _, err := d.until("destination "+dest.name, 10*time.Second, func(s state) bool { return s.SendOnChoice != "" }); err != nil {
		return err
	}
	d.key("Tab", "space")
	if dest.confirm {
		if _, err := d.until("left-without-being-seen question", 10*time.Second, func(s state) bool { return s.SendOn == "confirm" }); err != nil {
			return err
		}
		d.key("Tab", "space")
	}
	s, err = d.until("sent on", 15*time.Second, func(s state) bool { return s.SentOn > before || s.SendOnError != "" })
	if err != nil {
		return err
	}
	if s.SendOnError != "" {
		d.key("Escape")
		return fmt.Errorf("send on to %s: %s", dest.name, s.SendOnError)
	}
	return nil
}

// keepBoard sends patients on, one at a time, until the board has at most
// target rows; it stops after max patients so the rest of the cycle runs.
func (d *driver) keepBoard(target, max int) error {
	for range max {
		s, ok := d.state()
		if !ok || s.BoardRows <= target {
			return nil
		}
		dest := destinations[d.sent%len(destinations)]
		if err := d.sendOn(dest); err != nil {
			return err
		}
		d.sent++
	}
	return nil
}

// keepBoardIfAsked keeps the board at --board rows, at most three
// patients sent on per step.
func (d *driver) keepBoardIfAsked() error {
	if d.board <= 0 {
		return nil
	}
	return d.keepBoard(d.board, 3)
}

// setMode switches high contrast, text size and language to m, from cur.
func (d *driver) setMode(m mode) error {
	s, ok := d.state()
	if !ok {
		return errors.New("no state")
	}
	if s.HighContrast != m.highContrast {
		d.key("ctrl+h")
	}
	want := float32(1) + float32(m.scaleSteps)/10
	near := func(a, b float32) bool { return a-b < 0.05 && b-a < 0.05 }
	// One step at a time, each waited for: keys pressed faster than the
	// app applies them would overshoot on a loaded machine.
	for range 30 {
		if near(want, s.Scale) {
			break
		}
		before := s.Scale
		if want > s.Scale {
			d.key("ctrl+equal")
		} else {
			d.key("ctrl+minus")
		}
		var err error
		if s, err = d.until("text size changed", 10*time.Second, func(n state) bool { return !near(n.Scale, before) }); err != nil {
			return err
		}
	}
	if (s.Lang == "en") != m.english {
		d.key("ctrl+l")
	}
	_, err := d.until("mode "+m.name, 15*time.Second, func(s state) bool {
		return s.HighContrast == m.highContrast && near(want, s.Scale) && (s.Lang == "en") == m.english
	})
	return err
}

// session drives the app until ctx ends.
func (d *driver) session(nids []string) {
	names := []string{"Kari Nordmann", "Ola Hansen", "Ingrid Berg", "Per Olsen", "Sigrid Dahl", "Nils Lie", "Marte Kvam"}
	for cycle := 0; ; cycle++ {
		m := modes[cycle%len(modes)]
		steps := []struct {
			name string
			do   func() error
		}{
			{"mode " + m.name, func() error { return d.setMode(m) }},
			{"hand-measured patient", func() error {
				return d.handPatient(nids[(2*cycle)%len(nids)], names[cycle%len(names)], cycle)
			}},
			{"board", func() error {
				d.key("ctrl+b")
				if _, err := d.until("board", 10*time.Second, func(s state) bool { return s.Tab == "board" }); err != nil {
					return err
				}
				return d.pause(40 * time.Second)
			}},
			{"send on", func() error { return d.keepBoardIfAsked() }},
			{"monitored patient", func() error {
				return d.monitoredPatient(nids[(2*cycle+1)%len(nids)], names[(cycle+3)%len(names)])
			}},
			{"send on", func() error { return d.keepBoardIfAsked() }},
			{"alerts", d.answerAlerts},
			{"board", func() error {
				d.key("ctrl+b")
				return d.pause(40 * time.Second)
			}},
		}
		for _, st := range steps {
			err := st.do()
			if errors.Is(err, errGone) || d.ctx.Err() != nil {
				return
			}
			if err != nil {
				d.log.printf("cycle %d (%s): %s: %v; back to the board", cycle, m.name, st.name, err)
				d.key("Escape", "Escape", "ctrl+b")
				if d.pause(2*time.Second) != nil {
					return
				}
				continue
			}
			d.log.printf("cycle %d (%s): %s done", cycle, m.name, st.name)
		}
	}
}

// syntheticNIDs are valid synthetic identity numbers (month + 80, the
// Tenor test convention), none of a real person.
func syntheticNIDs(n int) []string {
	var out []string
	for day := 10; day <= 28 && len(out) < n; day++ {
		for ind := 100; ind < 500 && len(out) < n; ind += 37 {
			s := fmt.Sprintf("%02d%02d%02d%03d", day, 85, 80, ind)
			var nine [9]int
			for i := range nine {
				nine[i] = int(s[i] - '0')
			}
			if k1, k2, ok := patient.ControlDigits(nine); ok {
				out = append(out, fmt.Sprintf("%s%d%d", s, k1, k2))
			}
		}
	}
	return out
}

// logger writes timestamped lines to steps.log.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// sample is one measurement.
type sample struct {
	at                time.Duration
	rss, anon, file   int // KiB
	heapInuse, heapRl int // bytes of Go heap in use and released (from --pprof)
	load              string
	mode              string
	boardRows, sentOn int
}

var memLine = regexp.MustCompile(`(?m)^(VmRSS|RssAnon|RssFile):\s+(\d+) kB`)

func readMem(pid int) (rss, anon, file int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, 0, err
	}
	for _, m := range memLine.FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		switch string(m[1]) {
		case "VmRSS":
			rss = n
		case "RssAnon":
			anon = n
		case "RssFile":
			file = n
		}
	}
	return rss, anon, file, nil
}

var heapLine = regexp.MustCompile(`(?m)^# (HeapInuse|HeapReleased) = (\d+)`)

func readHeap(addr string) (inuse, released int) {
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, m := range heapLine.FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		if string(m[1]) == "HeapInuse" {
			inuse = n
		} else {
			released = n
		}
	}
	return inuse, released
}

// residentParts splits the resident set by mapping (/proc/PID/smaps):
// the Go heap's arenas (anonymous mappings below the shared libraries, at
// Go's randomised heap addresses), the C heap ([heap]: Mesa, glfw, X),
// other anonymous memory (C threads' malloc arenas, large mallocs, Go's
// runtime metadata, thread stacks) and file-backed pages (the binary,
// libraries, the MIT-SHM image).
func residentParts(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return "?"
	}
	return splitSmaps(string(b)).String()
}

// resident is a resident set split by kind of mapping, in KiB.
type resident struct{ goArena, cHeap, anon, file int }

func (r resident) String() string {
	mib := func(k int) float64 { return float64(k) / 1024 }
	return fmt.Sprintf("Go heap arena %.1f MiB, C heap %.1f, other anonymous %.1f, file-backed %.1f",
		mib(r.goArena), mib(r.cHeap), mib(r.anon), mib(r.file))
}

// Where the Go heap's arenas lie: Go 1.26 puts them at a random address
// between 4 GiB (above a non-PIE binary, its data and the C heap) and the
// region of shared libraries and other mappings (the kernel's mmap base,
// below 0x7f0000000000 only by its random offset of at most 1 TiB). Go
// 1.25 and earlier started at 0xc000000000, inside the same range.
const (
	goArenaLow  = 0x100000000
	goArenaHigh = 0x7e0000000000
)

// splitSmaps adds up the Rss lines of an smaps text by mapping kind.
func splitSmaps(smaps string) resident {
	var r resident
	part := &r.anon
	for _, line := range strings.Split(smaps, "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			start, err := strconv.ParseUint(strings.SplitN(f[0], "-", 2)[0], 16, 64)
			if err != nil {
				continue
			}
			name := ""
			if len(f) >= 6 {
				name = f[5]
			}
			switch {
			case name == "[heap]":
				part = &r.cHeap
			case name != "" && !strings.HasPrefix(name, "["):
				part = &r.file
			case name == "" && start >= goArenaLow && start < goArenaHigh:
				part = &r.goArena
			default:
				part = &r.anon
			}
			continue
		}
		if len(f) >= 2 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			*part += n
		}
	}
	return r
}

// goroutines reads the app's goroutine count from the first line of its
// goroutine profile ("goroutine profile: total N"); -1 when unreadable.
func goroutines(addr string) int {
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "goroutine profile: total")))
	if err != nil {
		return -1
	}
	return n
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return f[0] + " " + f[1] + " " + f[2]
}

func saveHeap(addr, path string) error {
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// startXvfb starts a display of its own and returns its name.
func startXvfb() (string, *exec.Cmd, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("Xvfb: %w", err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return "", nil, fmt.Errorf("Xvfb did not report its display: %w", err)
	}
	return ":" + strings.TrimSpace(line), cmd, nil
}

func create(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
}

func soak(o options) error {
	if _, err := exec.LookPath("xdotool"); err != nil {
		return fmt.Errorf("xdotool is needed (apt-get install xdotool): %w", err)
	}
	if err := os.MkdirAll(o.out, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(o.out, 0o700); err != nil {
		return err
	}
	if ents, _ := os.ReadDir(o.out); len(ents) > 0 {
		return fmt.Errorf("--out %s is not empty", o.out)
	}
	home := filepath.Join(o.out, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return err
	}
	stepsF, err := create(filepath.Join(o.out, "steps.log"))
	if err != nil {
		return err
	}
	defer stepsF.Close()
	log := &logger{w: stepsF}
	appLog, err := create(filepath.Join(o.out, "app.log"))
	if err != nil {
		return err
	}
	defer appLog.Close()
	csvF, err := create(filepath.Join(o.out, "samples.csv"))
	if err != nil {
		return err
	}
	defer csvF.Close()

	display := o.display
	if display == "" {
		d, x, err := startXvfb()
		if err != nil {
			return err
		}
		defer func() { _ = x.Process.Kill(); _ = x.Wait() }()
		display = d
	}
	stateFile := filepath.Join(home, "state.json")
	app := exec.Command(o.app, "--demo", "--pprof", o.pprof, "--state-file", stateFile, "--demo-deterioration", "3m")
	app.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_DATA_HOME="+home,
		"XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home, "TMPDIR="+home)
	app.Stdout, app.Stderr = appLog, appLog
	if err := app.Start(); err != nil {
		return fmt.Errorf("start %s: %w", o.app, err)
	}
	exited := make(chan struct{})
	go func() { _ = app.Wait(); close(exited) }()
	defer func() {
		// SIGHUP ends the app as a closed terminal does: it removes its
		// demo files. Whatever is left of the demo is removed here.
		_ = app.Process.Signal(syscall.SIGHUP)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			log.printf("the app did not end within 15 s of SIGHUP: killed")
			_ = app.Process.Kill()
			<-exited
		}
		if err := os.RemoveAll(home); err != nil {
			log.printf("remove the demo's files: %v", err)
		}
	}()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), o.dur)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	d := &driver{display: display, stateFile: stateFile, log: log, ctx: ctx, exited: exited, password: o.password, board: o.board}
	log.printf("started %s on %s, pid %d; running for %s, a sample every %s", o.app, display, app.Process.Pid, o.dur, o.every)
	if _, err := d.until("the board and the monitors loaded", 90*time.Second, func(s state) bool {
		return !s.loginScreen() && s.BoardRows > 0 && s.Monitors > 0
	}); err != nil {
		return err
	}

	var mu sync.Mutex
	var samples []sample
	fmt.Fprintln(csvF, "minute,rss_kib,rss_anon_kib,rss_file_kib,go_heap_inuse_kib,go_heap_released_kib,load_1_5_15,mode,board_rows,sent_on")
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(o.every)
		defer tick.Stop()
		early := false
		nextHeap := o.heapEach
		for {
			select {
			case <-ctx.Done():
				return
			case <-exited:
				return
			case <-tick.C:
			}
			rss, anon, file, err := readMem(app.Process.Pid)
			if err != nil {
				log.printf("sample: %v", err)
				return
			}
			in, rel := readHeap(o.pprof)
			m := "?"
			rows, sent := -1, -1
			if s, ok := d.state(); ok {
				m = fmt.Sprintf("%s hc=%t scale=%.1f %s", s.Tab, s.HighContrast, s.Scale, s.Lang)
				rows, sent = s.BoardRows, s.SentOn
			}
			sm := sample{at: time.Since(start), rss: rss, anon: anon, file: file, heapInuse: in, heapRl: rel, load: loadAvg(), mode: m,
				boardRows: rows, sentOn: sent}
			mu.Lock()
			samples = append(samples, sm)
			mu.Unlock()
			fmt.Fprintf(csvF, "%.1f,%d,%d,%d,%d,%d,%s,%s,%d,%d\n", sm.at.Minutes(), rss, anon, file, in/1024, rel/1024, sm.load, m, rows, sent)
			if !early && sm.at >= 2*time.Minute {
				early = true
				if err := saveHeap(o.pprof, filepath.Join(o.out, "heap-early.pb.gz")); err != nil {
					log.printf("heap profile: %v", err)
				}
			}
			if o.heapEach > 0 && sm.at >= nextHeap {
				nextHeap += o.heapEach
				name := fmt.Sprintf("heap-%03d.pb.gz", int(sm.at.Minutes()))
				if err := saveHeap(o.pprof, filepath.Join(o.out, name)); err != nil {
					log.printf("heap profile: %v", err)
				}
				log.printf("minute %.1f: %d goroutines; resident %s", sm.at.Minutes(), goroutines(o.pprof), residentParts(app.Process.Pid))
			}
		}
	}()
	d.session(syntheticNIDs(200))
	<-sampled
	if err := saveHeap(o.pprof, filepath.Join(o.out, "heap-late.pb.gz")); err != nil {
		log.printf("heap profile: %v", err)
	}
	select {
	case <-exited:
		return fmt.Errorf("the app exited during the run (see %s)", filepath.Join(o.out, "app.log"))
	default:
	}
	return writeTable(filepath.Join(o.out, "table.md"), samples)
}

// writeTable writes the samples as a Markdown table and two summary
// lines: the range and the slope (least squares) after minute 5 and after
// minute 10 (the first minutes fill the board and the caches).
func writeTable(path string, samples []sample) error {
	f, err := create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "| minute | resident (MiB) | anonymous | file-backed | Go heap in use (MiB) | load (1/5/15 min) | screen | board rows | sent on |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---|---|---:|---:|")
	for _, s := range samples {
		fmt.Fprintf(w, "| %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %d | %d |\n", s.at.Minutes(), float64(s.rss)/1024,
			float64(s.anon)/1024, float64(s.file)/1024, float64(s.heapInuse)/(1<<20), s.load, s.mode, s.boardRows, s.sentOn)
	}
	for _, from := range []time.Duration{5 * time.Minute, 10 * time.Minute} {
		if t, ok := trend(samples, from); ok {
			fmt.Fprintf(w, "\nAfter minute %.0f: %d samples, resident %.1f-%.1f MiB, slope %+.3f MiB/min (least squares).\n",
				from.Minutes(), t.n, t.lo, t.hi, t.slope)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// summary is the resident memory of the samples from one minute on: how
// many, the lowest and highest (MiB) and the least-squares slope (MiB a
// minute).
type summary struct {
	n             int
	lo, hi, slope float64
}

// trend summarises the samples taken at or after from; false with fewer
// than two.
func trend(samples []sample, from time.Duration) (summary, bool) {
	var n, sx, sy, sxx, sxy float64
	t := summary{lo: math.Inf(1), hi: math.Inf(-1)}
	for _, s := range samples {
		if s.at < from {
			continue
		}
		x, y := s.at.Minutes(), float64(s.rss)/1024
		n, sx, sy, sxx, sxy = n+1, sx+x, sy+y, sxx+x*x, sxy+x*y
		t.lo, t.hi = math.Min(t.lo, y), math.Max(t.hi, y)
	}
	if n < 2 {
		return summary{}, false
	}
	t.n = int(n)
	t.slope = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return t, true
}
