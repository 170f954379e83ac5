// Package screentest drives the terminal app's screens in tests, as
// fstest does file systems: a context on a fixed clock, key presses by
// name, commands run synchronously with their messages fed back, golden
// comparison of rendered screens, and sample queues. Every screen
// package's tests and the app shell's share it, so a screen moves to a
// package of its own with its tests unchanged.
package screentest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/monitoring"
)

// Now is the fixed clock of every test: Sunday 22 November 2026, 14:30 UTC.
var Now = time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC)

// ClockAt is a clock that always says t.
func ClockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// Context is an 80x24 context on the fixed clock, in UTC.
func Context(lang wording.Lang, noColor bool) *screen.Context {
	c := screen.NewContext(lang, noColor, ClockAt(Now))
	c.Loc = time.UTC
	c.Nurse = "sykepleier.test"
	return c
}

// Key turns a key name into a key press: "enter", "tab", "shift+tab",
// "esc", "backspace", "up", "down", "ctrl+X", "fN"; anything else is text.
func Key(name string) tea.KeyPressMsg {
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

// Driver sends keys and messages to a model and runs the commands it
// returns synchronously, feeding their messages back. Skip names the
// messages not fed back (timers that would only re-arm themselves).
type Driver struct {
	Skip func(tea.Msg) bool
}

// Type sends each rune of s as its own key press.
func (d Driver) Type(m tea.Model, s string) tea.Model {
	for _, r := range s {
		m = d.Send(m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// Press sends named keys, running any command synchronously and feeding its
// message back (enough for history lookups and saves in these tests).
func (d Driver) Press(m tea.Model, keys ...string) tea.Model {
	for _, k := range keys {
		m = d.Send(m, Key(k))
	}
	return m
}

// Send gives m one message and runs the command it returns.
func (d Driver) Send(m tea.Model, msg tea.Msg) tea.Model {
	m, cmd := m.Update(msg)
	return d.Run(m, cmd, 0)
}

// Run runs cmd and feeds back its messages, skipping ticks and
// subscriptions that would block.
func (d Driver) Run(m tea.Model, cmd tea.Cmd, depth int) tea.Model {
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
			m = d.Run(m, c, depth+1)
		}
		return m
	case nil:
		return m
	}
	if d.Skip != nil && d.Skip(msg) {
		return m
	}
	m, next := m.Update(msg)
	return d.Run(m, next, depth+1)
}

// RequireGolden compares a rendered screen with its golden file twice:
// as plain text (readable in review) and with its escapes (colours and
// styles, as lipgloss v2 renders them, a fixed true-colour profile).
func RequireGolden(t *testing.T, screen string) {
	t.Helper()
	t.Run("text", func(t *testing.T) { golden.RequireEqual(t, ansi.Strip(screen)+"\n") })
	t.Run("ansi", func(t *testing.T) { golden.RequireEqual(t, screen+"\n") })
}

// Plain is a model's rendering without escapes.
func Plain(m interface{ Render() string }) string { return ansi.Strip(m.Render()) }

// SampleQueue is a small queue of both channels at Now, ordered by
// triage/queue as the store orders it.
func SampleQueue() []queue.Entry {
	n2 := func(v int) *int { return &v }
	items := []queue.Item{
		{EncounterID: 1, Patient: "Kari Nordmann", Channel: "walk_in", ArrivedAt: Now.Add(-25 * time.Minute), Triaged: true, Colour: triage.Orange, Target: 10 * time.Minute, NEWS2: n2(6), LastAssessedAt: Now.Add(-20 * time.Minute), MonitorEvery: 0},
		{EncounterID: 2, Patient: "Ola Hansen", Channel: "phone", ArrivedAt: Now.Add(-3 * time.Minute), Triaged: true, Colour: triage.Red, Target: 0},
		{EncounterID: 3, Patient: "UKJENT-7K2Q9D", Channel: "walk_in", ArrivedAt: Now.Add(-4 * time.Minute)},
		{EncounterID: 4, Patient: "Per Olsen", Channel: "walk_in", ArrivedAt: Now.Add(-70 * time.Minute), Triaged: true, Colour: triage.Yellow, Target: time.Hour, NEWS2: n2(3), LastAssessedAt: Now.Add(-65 * time.Minute), MonitorEvery: time.Hour},
		{EncounterID: 5, Patient: "Ingrid Berg-Johannessen Stavenes", Channel: "phone", ArrivedAt: Now.Add(-30 * time.Minute), Triaged: true, Colour: triage.Green, Target: 2 * time.Hour, NEWS2: n2(0)},
		{EncounterID: 6, Patient: "Nils Lie", Channel: "walk_in", ArrivedAt: Now.Add(-15 * time.Minute), Triaged: true, Colour: triage.Blue, Target: 4 * time.Hour, NEWS2: n2(0)},
	}
	return queue.Order(items, Now, queue.DefaultPolicy())
}

// BigQueue is n waiting patients over the last 8 hours, all colours.
func BigQueue(n int) []queue.Entry {
	items := make([]queue.Item, n)
	for i := range items {
		c := triage.Colour(i % 5)
		items[i] = queue.Item{EncounterID: ids.Encounter(i + 1), Patient: fmt.Sprintf("Pasient %04d", i+1), Channel: []string{"walk_in", "phone"}[i%2],
			ArrivedAt: Now.Add(-time.Duration(i*29) * time.Second), Triaged: i%7 != 0, Colour: c, Target: triage.DefaultTargets().For(c)}
	}
	return queue.Order(items, Now, queue.DefaultPolicy())
}

// Obs is a valid observation from the monitor "mon-1", taken ago before Now.
func Obs(k vitals.Kind, v float64, u vitals.Unit, ago time.Duration) vitals.Observation {
	return vitals.Observation{Kind: k, Value: v, Unit: u, Source: "mon-1", HostTime: Now.Add(-ago), Quality: vitals.Valid}
}

// TwoBeds is a monitor feed of two beds, in the order it arrives: a
// deteriorating patient with a trend, and a bed whose oximeter stopped two
// minutes ago. Each item is a monitoring.Reading or a monitoring.Status.
func TwoBeds() []any {
	var feed []any
	for i, hr := range []float64{88, 92, 97, 103, 110, 118, 124} {
		ago := time.Duration(6-i) * 30 * time.Second
		feed = append(feed,
			monitoring.Reading{Device: "sim-sepsis", Location: "Obs 1", Obs: Obs(vitals.HR, hr, vitals.PerMin, ago)},
			monitoring.Reading{Device: "sim-sepsis", Location: "Obs 1", Obs: Obs(vitals.SpO2, 97-float64(i), vitals.Percent, ago)},
			monitoring.Reading{Device: "sim-sepsis", Location: "Obs 1", Obs: Obs(vitals.RR, 18+float64(i), vitals.PerMin, ago)})
	}
	q := Obs(vitals.RR, 14, vitals.PerMin, 10*time.Second)
	q.Quality = vitals.Questionable
	return append(feed,
		monitoring.Reading{Device: "sim-sepsis", Obs: Obs(vitals.SBP, 98, vitals.MmHg, 3*time.Minute)},
		monitoring.Reading{Device: "sim-sepsis", Obs: Obs(vitals.DBP, 61, vitals.MmHg, 3*time.Minute)},
		monitoring.Reading{Device: "sim-sepsis", Obs: Obs(vitals.Temp, 38.9, vitals.Cel, 4*time.Minute)},
		monitoring.Status{Device: "sim-sepsis", State: "live"},
		monitoring.Status{Device: "sim-stable", State: "no_data"},
		monitoring.Reading{Device: "sim-stable", Location: "Obs 2", Patient: "Per Olsen", Obs: Obs(vitals.PR, 72, vitals.PerMin, 2*time.Minute)},
		monitoring.Reading{Device: "sim-stable", Location: "Obs 2", Obs: Obs(vitals.SpO2, 98, vitals.Percent, 2*time.Minute)},
		monitoring.Reading{Device: "sim-stable", Location: "Obs 2", Obs: q})
}

// FeedValues sends one fresh set of monitor values (5 s old) from the
// monitor "demo-sepsis" in "Obs 1" to a board, in the order HR, RR, SpO2,
// SBP, temperature; kinds missing from v are not sent.
func FeedValues(board interface{ Add(monitoring.Reading) }, v map[vitals.Kind]float64) {
	units := map[vitals.Kind]vitals.Unit{vitals.HR: vitals.PerMin, vitals.RR: vitals.PerMin, vitals.SpO2: vitals.Percent, vitals.SBP: vitals.MmHg, vitals.Temp: vitals.Cel}
	for _, k := range []vitals.Kind{vitals.HR, vitals.RR, vitals.SpO2, vitals.SBP, vitals.Temp} {
		if x, ok := v[k]; ok {
			board.Add(monitoring.Reading{Device: "demo-sepsis", Location: "Obs 1", Obs: Obs(k, x, units[k], 5*time.Second)})
		}
	}
}
