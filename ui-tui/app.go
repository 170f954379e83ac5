package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen"
)

// The screens, in tab order (indexes into App.screens).
const (
	ScreenCall = iota
	ScreenQueue
	ScreenMonitor
)

// AppKeyMap holds the keys that work on every screen.
type AppKeyMap struct {
	// Screens switch to screen i: F1-F9 or alt+1-9.
	Screens []key.Binding
	Quit    key.Binding
}

// DefaultAppKeyMap returns the global keys for n screens: F1-Fn (or
// alt+1-n) switch screens, ctrl+c quits.
func DefaultAppKeyMap(c *screen.Context, n int) AppKeyMap {
	km := AppKeyMap{Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("k.quit")))}
	for i := range min(n, 9) {
		d := string(rune('1' + i))
		km.Screens = append(km.Screens, key.NewBinding(key.WithKeys("f"+d, "alt+"+d)))
	}
	if n > 0 {
		km.Screens[0].SetHelp(fmt.Sprintf("F1-%d", min(n, 9)), c.T("k.screens"))
	}
	return km
}

// Notice is a message for the nurse from outside the screens (e.g. the
// demo's seed failed); it shows in place of the help line until the next
// key.
type Notice struct{ Text string }

// tickMsg redraws once a second so clocks, waiting times and value ages move.
type tickMsg time.Time

// Deps are what the app is wired to; any may be nil.
type Deps struct {
	Index *phone.Index
	// Calls is the phone call use-case (workstation/phonecall); nil: the
	// call screen works but cannot assess vitals or save.
	Calls call.Service
	// Outcomes ends and reopens calls from the queue board (nil: the
	// board only shows).
	Outcomes queueboard.OutcomeService
	Queue    queueboard.Source
	// Records is the transfer to the patient record, shown on the queue
	// board (workstation/recordstate; nil: not shown).
	Records queueboard.RecordState
	Monitor monitorboard.MonitorFeed
	NEWS2   monitorboard.NEWS2Scorer
	// Monitored are the waiting patients on this workstation's monitors;
	// Reload re-reads one after a new assessment (nil: not re-read, and
	// the board keeps to the incomplete NEWS2 until restarted).
	Monitored []monitorboard.MonitoredPatient
	Reload    func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error)
	// Ticks turns the once-a-second redraw on (off in golden tests).
	Ticks bool
}

// App is the root model: its screens as tabs, a header and a help line.
type App struct {
	ctx      *screen.Context
	keys     AppKeyMap
	help     help.Model
	screens  []screen.Screen
	screen   int // the screen shown
	call     *call.Model
	queue    *queueboard.Model
	monitor  *monitorboard.Model
	ticks    bool
	reload   func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error)
	quitting bool   // ctrl+c pressed once with an unsaved call
	notice   string // a Notice shown until the next key
}

// NewApp builds the app on ctx with its dependencies.
func NewApp(ctx *screen.Context, d Deps) *App {
	if d.Index == nil {
		d.Index = phone.DemoIndex()
	}
	if d.Index.Demonstration {
		ctx.IndexNotice = d.Index.Notice.In(string(ctx.Lang))
	}
	h := help.New()
	h.ShortSeparator = " · "
	if ctx.Theme.NoColor {
		h.Styles = help.Styles{}
	}
	a := &App{
		ctx: ctx, help: h, ticks: d.Ticks, reload: d.Reload,
		call:    call.New(ctx, d.Index, d.Calls),
		queue:   queueboard.New(ctx, d.Queue),
		monitor: monitorboard.New(ctx, d.Monitor, d.NEWS2),
	}
	// The screens, in tab order: one line per screen.
	a.screens = []screen.Screen{a.call, a.queue, a.monitor}
	a.keys = DefaultAppKeyMap(ctx, len(a.screens))
	a.queue.SetOutcomes(d.Outcomes)
	a.queue.SetRecordState(d.Records)
	for _, p := range d.Monitored {
		a.monitor.Attach(p)
	}
	a.queue.SetDeteriorated(a.monitor.Deteriorated)
	return a
}

// Call gives the call screen.
func (a *App) Call() *call.Model { return a.call }

// Queue gives the queue board.
func (a *App) Queue() *queueboard.Model { return a.queue }

// Monitor gives the monitor board.
func (a *App) Monitor() *monitorboard.Model { return a.monitor }

// Screen is the index of the screen shown (ScreenCall, ...).
func (a *App) Screen() int { return a.screen }

// Init starts the live subscriptions of every screen.
func (a *App) Init() tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range a.screens {
		cmds = append(cmds, s.Init())
	}
	if a.ticks {
		cmds = append(cmds, tick())
	}
	return tea.Batch(cmds...)
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update routes keys to the screen shown and every other message to every
// screen (each takes its own), with the few links between screens below.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.ctx.Width, a.ctx.Height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		for _, s := range a.screens {
			s.Resize()
		}
		return a, nil
	case tickMsg:
		return a, tick()
	case Notice:
		a.notice = msg.Text
		return a, nil
	case tea.KeyPressMsg:
		a.notice = ""
		if key.Matches(msg, a.keys.Quit) {
			if a.call.InCall() && !a.call.Empty() && !a.quitting {
				a.quitting = true
				return a, nil
			}
			return a, tea.Quit
		}
		a.quitting = false
		for i, k := range a.keys.Screens {
			if key.Matches(msg, k) {
				a.screen = min(i, len(a.screens)-1)
				return a, nil
			}
		}
		_, cmd := a.screens[a.screen].Update(msg)
		return a, cmd
	}
	cmds := make([]tea.Cmd, 0, len(a.screens)+1)
	for _, s := range a.screens {
		_, cmd := s.Update(msg)
		cmds = append(cmds, cmd)
	}
	// Links between screens: a saved call shows on the queue at once; a
	// fresh queue tells the monitor board who was assessed again.
	switch msg := msg.(type) {
	case call.Saved:
		cmds = append(cmds, a.queue.Reload())
	case queueboard.Loaded:
		if msg.Err == nil {
			cmds = append(cmds, a.reloadMonitored(a.monitor.QueueChanged(msg.Entries)))
		}
	}
	return a, tea.Batch(cmds...)
}

// reloadMonitored re-reads patients assessed again, so their new
// assessment's air/oxygen and consciousness complete NEWS2 again.
func (a *App) reloadMonitored(ps []monitorboard.MonitoredPatient) tea.Cmd {
	if a.reload == nil || len(ps) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(ps))
	for _, p := range ps {
		reload := a.reload
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			np, err := reload(ctx, p)
			if err != nil {
				return nil // the board keeps the honest lower bound
			}
			return monitorboard.Reloaded{P: np}
		})
	}
	return tea.Batch(cmds...)
}

// View implements tea.Model; it is pure.
func (a *App) View() tea.View {
	v := tea.NewView(a.Render())
	v.AltScreen = true
	v.WindowTitle = a.ctx.T("app.title")
	return v
}

// Render draws the whole screen, exactly Width x Height cells at most.
func (a *App) Render() string {
	c := a.ctx
	if c.Width < 60 || c.Height < 16 {
		return fit(c.T("small"), c.Width, c.Height)
	}
	// The index notice comes before the nurse and the clock, so a narrow
	// window cuts those and never the notice.
	header := c.Theme.Title.Render(c.T("app.title"))
	if c.IndexNotice != "" {
		header += "  " + c.Theme.Notice.Render(c.T("demo.short"))
	}
	if c.Nurse != "" {
		header += " · " + c.Nurse
	}
	header += " · " + c.Now().In(c.Zone()).Format("15:04")
	tabs := []string{}
	for i, s := range a.screens {
		label := "F" + string(rune('1'+i)) + " " + c.T(s.TitleID())
		if i == a.screen {
			tabs = append(tabs, c.Theme.TabOn.Render(label))
		} else {
			tabs = append(tabs, c.Theme.TabOff.Render(label))
		}
	}
	shown := a.screens[a.screen]
	body, keys := shown.Render(), shown.ShortHelp()
	keys = append(keys, a.keys.Screens[0], a.keys.Quit)
	helpLine := a.help.ShortHelpView(keys)
	if a.quitting {
		helpLine = c.Theme.Warn.Render(c.T("w.quit"))
	}
	if a.notice != "" {
		helpLine = c.Theme.Error.Render("! " + a.notice)
	}
	bodyLines := strings.Split(body, "\n")
	room := c.Height - screen.BodyChrome
	if len(bodyLines) > room {
		bodyLines = bodyLines[:room]
	}
	for len(bodyLines) < room {
		bodyLines = append(bodyLines, "")
	}
	lines := append([]string{header, strings.Join(tabs, " "), ""}, bodyLines...)
	lines = append(lines, helpLine)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, c.Width, "…")
	}
	return strings.Join(lines, "\n")
}

// fit cuts s to w x h cells.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	return strings.Join(lines, "\n")
}
