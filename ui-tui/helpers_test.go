package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/homevitals"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/stretchr/testify/require"
)

// testNow is the fixed clock of every test: Sunday 22 November 2026, 14:30 UTC.
var testNow = time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC)

func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// newTestContext is an 80x24 context on the fixed clock, in UTC.
func newTestContext(lang string, noColor bool) *screen.Context {
	c := screen.NewContext(lang, noColor, clockAt(testNow))
	c.Loc = time.UTC
	c.Nurse = "sykepleier.test"
	return c
}

// syntheticNID builds a valid synthetic test identity number (month + 80,
// Tenor style) for a birth date in 1900-1999.
func syntheticNID(t testing.TB, day, month, year2, individual int) string {
	t.Helper()
	s := fmt.Sprintf("%02d%02d%02d%03d", day, month+80, year2, individual)
	var nine [9]int
	for i := range nine {
		nine[i] = int(s[i] - '0')
	}
	k1, k2, ok := patient.ControlDigits(nine)
	require.True(t, ok, "no valid control digits for %s; pick another individual number", s)
	nid := fmt.Sprintf("%s%d%d", s, k1, k2)
	_, err := patient.Parse(nid)
	require.NoError(t, err, nid)
	return nid
}

// keyMsg turns a key name into a key press: "enter", "tab", "shift+tab",
// "esc", "backspace", "up", "down", "ctrl+X", "fN"; anything else is text.
func keyMsg(name string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"esc": {Code: tea.KeyEscape}, "backspace": {Code: tea.KeyBackspace}, "up": {Code: tea.KeyUp},
		"down": {Code: tea.KeyDown}, "pgdown": {Code: tea.KeyPgDown}, "pgup": {Code: tea.KeyPgUp},
		"f1": {Code: tea.KeyF1}, "f2": {Code: tea.KeyF2}, "f3": {Code: tea.KeyF3},
		"home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd}, "left": {Code: tea.KeyLeft},
	}
	if k, ok := special[name]; ok {
		return k
	}
	if c, ok := strings.CutPrefix(name, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(name)
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// typeText sends each rune of s as its own key press.
func typeText(m tea.Model, s string) tea.Model {
	for _, r := range s {
		m = send(m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// press sends named keys, running any command synchronously and feeding its
// message back (enough for history lookups and saves in these tests).
func press(m tea.Model, keys ...string) tea.Model {
	for _, k := range keys {
		m = send(m, keyMsg(k))
	}
	return m
}

func send(m tea.Model, msg tea.Msg) tea.Model {
	m, cmd := m.Update(msg)
	return runCmd(m, cmd, 0)
}

// runCmd runs cmd and feeds back its messages, skipping ticks and
// subscriptions that would block.
func runCmd(m tea.Model, cmd tea.Cmd, depth int) tea.Model {
	if cmd == nil || depth > 3 {
		return m
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(2 * time.Second):
		return m // a subscription with nothing to say
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			m = runCmd(m, c, depth+1)
		}
		return m
	case nil, tickMsg, queueRefreshMsg:
		return m
	}
	m, next := m.Update(msg)
	return runCmd(m, next, depth+1)
}

// requireGolden compares a rendered screen with its golden file twice:
// as plain text (readable in review) and with its escapes (colours and
// styles, as lipgloss v2 renders them, a fixed true-colour profile).
func requireGolden(t *testing.T, screen string) {
	t.Helper()
	t.Run("text", func(t *testing.T) { golden.RequireEqual(t, ansi.Strip(screen)+"\n") })
	t.Run("ansi", func(t *testing.T) { golden.RequireEqual(t, screen+"\n") })
}

// fakeCalls is an in-memory CallService on the real engine's home rules
// (triage/homevitals).
type fakeCalls struct {
	mu      sync.Mutex
	history map[string][]phonecall.Contact
	names   map[string]string
	callers map[string]phonecall.Caller
	saved   []phonecall.Record
	failAt  int // fail this many saves first
	// refuse, when set, is returned by Assess (a value the rules refuse).
	refuse error
}

var testEngine = triage.NewEngine(nil)

func (f *fakeCalls) Assess(v phone.Vitals, age int, confirmed []string, now time.Time) (phone.VitalsFinding, *triage.Assessment, error) {
	if f.refuse != nil {
		return phone.VitalsFinding{}, nil, f.refuse
	}
	fd, a, err := homevitals.Assess(testEngine, v, age, confirmed, now)
	if err != nil {
		return phone.VitalsFinding{}, nil, err
	}
	return fd, &a, nil
}

func (f *fakeCalls) History(_ context.Context, nid string) (string, []phonecall.Contact, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.names[nid], f.history[nid], nil
}

func (f *fakeCalls) RepeatCaller(_ context.Context, number string) (phonecall.Caller, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.callers[number]
	return c, ok, nil
}

func (f *fakeCalls) Save(_ context.Context, r phonecall.Record) (phonecall.Saved, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAt > 0 {
		f.failAt--
		return phonecall.Saved{}, fmt.Errorf("database is locked")
	}
	f.saved = append(f.saved, r)
	out := r.Outcome
	if out == "" {
		out = phonecall.Outcome(r.Decision.Level)
	}
	return phonecall.Saved{EncounterID: int64(len(f.saved)), Patient: "Test", Outcome: out}, nil
}

func (f *fakeCalls) last() phonecall.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.saved[len(f.saved)-1]
}

// newCall is a call screen on the demo index and the fake service (nil:
// a fresh one).
func newCall(lang string, calls CallService) *CallModel {
	if calls == nil {
		calls = &fakeCalls{}
	}
	return NewCallModel(newTestContext(lang, false), phone.DemoIndex(), calls)
}

// code parses a criterion code of the test index.
func code(t testing.TB, s string) phone.Code {
	t.Helper()
	c, err := phone.ParseCode(s)
	require.NoError(t, err)
	return c
}

// realCalls is the phone call use-case on a real store and engine.
func realCalls(st *store.Store, a store.Actor) *phonecall.Service {
	return &phonecall.Service{Store: st, Actor: a, Targets: triage.DefaultTargets(), Index: phone.DemoIndex(),
		Vitals: func(v phone.Vitals, age int, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error) {
			return homevitals.Assess(testEngine, v, age, confirmed, now)
		}}
}
