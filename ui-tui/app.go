package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
)

// bodyChrome is the number of lines the app draws around a screen body:
// the header, the tab line, a blank line and the help line.
const bodyChrome = 4

// Screen is one of the app's screens.
type Screen int

// The screens, in tab order.
const (
	ScreenCall Screen = iota
	ScreenQueue
	ScreenMonitor
)

// AppKeyMap holds the keys that work on every screen.
type AppKeyMap struct {
	Call, Queue, Monitor, Quit key.Binding
}

// DefaultAppKeyMap returns the global keys: F1-F3 (or alt+1-3) switch
// screens, ctrl+c quits.
func DefaultAppKeyMap(c *Context) AppKeyMap {
	return AppKeyMap{
		Call:    key.NewBinding(key.WithKeys("f1", "alt+1"), key.WithHelp("F1-3", c.T("k.screens"))),
		Queue:   key.NewBinding(key.WithKeys("f2", "alt+2")),
		Monitor: key.NewBinding(key.WithKeys("f3", "alt+3")),
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("k.quit"))),
	}
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
	Calls CallService
	// Outcomes ends and reopens calls from the queue board (nil: the
	// board only shows).
	Outcomes OutcomeService
	Queue    QueueSource
	Monitor  MonitorFeed
	NEWS2    NEWS2Scorer
	// Monitored are the waiting patients on this workstation's monitors;
	// Reload re-reads one after a new assessment (nil: not re-read, and
	// the board keeps to the incomplete NEWS2 until restarted).
	Monitored []MonitoredPatient
	Reload    func(ctx context.Context, p MonitoredPatient) (MonitoredPatient, error)
	// Ticks turns the once-a-second redraw on (off in golden tests).
	Ticks bool
}

// App is the root model: three screens, a header and a help line.
type App struct {
	ctx      *Context
	keys     AppKeyMap
	help     help.Model
	screen   Screen
	call     *CallModel
	queue    *QueueModel
	monitor  *MonitorModel
	ticks    bool
	reload   func(ctx context.Context, p MonitoredPatient) (MonitoredPatient, error)
	quitting bool   // ctrl+c pressed once with an unsaved call
	notice   string // a Notice shown until the next key
}

// NewApp builds the app on ctx with its dependencies.
func NewApp(ctx *Context, d Deps) *App {
	if d.Index == nil {
		d.Index = phone.DemoIndex()
	}
	if d.Index.Demonstration {
		ctx.IndexNotice = d.Index.Notice.In(ctx.Lang)
	}
	h := help.New()
	h.ShortSeparator = " · "
	if ctx.Theme.NoColor {
		h.Styles = help.Styles{}
	}
	a := &App{
		ctx: ctx, keys: DefaultAppKeyMap(ctx), help: h, ticks: d.Ticks, reload: d.Reload,
		call:    NewCallModel(ctx, d.Index, d.Calls),
		queue:   NewQueueModel(ctx, d.Queue),
		monitor: NewMonitorModel(ctx, d.Monitor, d.NEWS2),
	}
	a.queue.SetOutcomes(d.Outcomes)
	for _, p := range d.Monitored {
		a.monitor.Attach(p)
	}
	a.queue.deteriorated = a.monitor.Deteriorated
	return a
}

// Call gives the call screen.
func (a *App) Call() *CallModel { return a.call }

// Queue gives the queue board.
func (a *App) Queue() *QueueModel { return a.queue }

// Monitor gives the monitor board.
func (a *App) Monitor() *MonitorModel { return a.monitor }

// Screen is the screen shown.
func (a *App) Screen() Screen { return a.screen }

// Init starts the live subscriptions of every screen.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{a.call.Init(), a.queue.Init(), a.monitor.Init()}
	if a.ticks {
		cmds = append(cmds, tick())
	}
	return tea.Batch(cmds...)
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update routes keys to the screen shown and data messages to the screen
// that owns them, whichever is shown.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.ctx.Width, a.ctx.Height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		a.queue.clampOffset()
		return a, nil
	case tickMsg:
		return a, tick()
	case Notice:
		a.notice = msg.Text
		return a, nil
	case tea.KeyPressMsg:
		a.notice = ""
		if key.Matches(msg, a.keys.Quit) {
			if a.call.InCall() && !a.call.empty() && !a.quitting {
				a.quitting = true
				return a, nil
			}
			return a, tea.Quit
		}
		a.quitting = false
		switch {
		case key.Matches(msg, a.keys.Call):
			a.screen = ScreenCall
			return a, nil
		case key.Matches(msg, a.keys.Queue):
			a.screen = ScreenQueue
			return a, nil
		case key.Matches(msg, a.keys.Monitor):
			a.screen = ScreenMonitor
			return a, nil
		}
		var cmd tea.Cmd
		switch a.screen {
		case ScreenCall:
			_, cmd = a.call.Update(msg)
		case ScreenQueue:
			_, cmd = a.queue.Update(msg)
		case ScreenMonitor:
			_, cmd = a.monitor.Update(msg)
		}
		return a, cmd
	case historyMsg, callerMsg, savedMsg:
		_, cmd := a.call.Update(msg)
		if _, ok := msg.(savedMsg); ok && a.queue.src != nil {
			cmd = tea.Batch(cmd, a.queue.load())
		}
		return a, cmd
	case queueLoadedMsg:
		_, cmd := a.queue.Update(msg)
		if msg.err == nil {
			cmd = tea.Batch(cmd, a.reloadMonitored(a.monitor.QueueChanged(msg.entries)))
		}
		return a, cmd
	case queueChangedMsg, queueWatchMsg, queueRefreshMsg, outcomeDoneMsg, endedMsg:
		_, cmd := a.queue.Update(msg)
		return a, cmd
	case readingMsg, statusMsg, feedEndedMsg, monitoredReloadMsg:
		_, cmd := a.monitor.Update(msg)
		return a, cmd
	}
	return a, nil
}

// reloadMonitored re-reads patients assessed again, so their new
// assessment's air/oxygen and consciousness complete NEWS2 again.
func (a *App) reloadMonitored(ps []MonitoredPatient) tea.Cmd {
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
			return monitoredReloadMsg{p: np}
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
	header += " · " + c.Now().In(localZone(c)).Format("15:04")
	tabs := []string{}
	for i, name := range []string{c.T("tab.call"), c.T("tab.queue"), c.T("tab.monitor")} {
		label := "F" + string(rune('1'+i)) + " " + name
		if Screen(i) == a.screen {
			tabs = append(tabs, c.Theme.TabOn.Render(label))
		} else {
			tabs = append(tabs, c.Theme.TabOff.Render(label))
		}
	}
	var body string
	var keys []key.Binding
	switch a.screen {
	case ScreenCall:
		body, keys = a.call.Render(), a.call.ShortHelp()
	case ScreenQueue:
		body, keys = a.queue.Render(), a.queue.ShortHelp()
	case ScreenMonitor:
		body, keys = a.monitor.Render(), a.monitor.ShortHelp()
	}
	keys = append(keys, a.keys.Call, a.keys.Quit)
	helpLine := a.help.ShortHelpView(keys)
	if a.quitting {
		helpLine = c.Theme.Warn.Render(c.T("w.quit"))
	}
	if a.notice != "" {
		helpLine = c.Theme.Error.Render("! " + a.notice)
	}
	bodyLines := strings.Split(body, "\n")
	room := c.Height - bodyChrome
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
