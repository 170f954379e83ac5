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
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-tui/basis"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/login"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/session"
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
	// Lock covers the app at once; SwitchUser locks it and lets another
	// user log in (both only with personal login).
	Lock, SwitchUser key.Binding
	// Cancel leaves a user switch, or stops a login that is being checked.
	Cancel key.Binding
}

// DefaultAppKeyMap returns the global keys for n screens: F1-Fn (or
// alt+1-n) switch screens, ctrl+c quits.
func DefaultAppKeyMap(c *screen.Context, n int) AppKeyMap {
	km := AppKeyMap{Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("k.quit"))),
		Lock:       key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", login.T(c.Lang, "tui.lock.k.lock"))),
		SwitchUser: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", login.T(c.Lang, "tui.lock.k.switch"))),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("k.cancel")))}
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
	// DeviceNames are the monitors' names per language (from the device
	// configuration); a monitor without one shows no name.
	DeviceNames monitorboard.DeviceNames
	// Monitored are the waiting patients on this workstation's monitors;
	// Reload re-reads one after a new assessment (nil: not re-read, and
	// the board keeps to the incomplete NEWS2 until restarted).
	Monitored []monitorboard.MonitoredPatient
	Reload    func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error)
	// Ticks turns the once-a-second redraw on (off in golden tests).
	Ticks bool
	// Login is personal login (ui-tui/wire always sets it; nil only in
	// tests of screens that need none).
	Login *Login
}

// Login is what personal login needs: the app shows the login screen
// before anything with patient data, locks after inactivity without
// losing the call being typed, switches user, and shows the basis dialog
// when the store asks for one.
type Login struct {
	Auth login.Auth
	// Current is the session in use; the app sets it at each login and
	// switch of user, and the shared services (queue, outcomes, records)
	// take their actor from it.
	Current *session.Current
	// CallsFor is one user's own call service, acting as the session who
	// holds: a user's unsaved call is kept for them and never saved
	// under another user's name.
	CallsFor func(who *session.Current) call.Service
	// User pre-fills the user name (--nurse); Hint is shown on the login
	// screen (the demo's accounts).
	User, Hint string
	// Check is how often the session is checked: idle lock, and an
	// account disabled since the login (default CheckEvery).
	Check time.Duration
}

// CheckEvery is how often the app checks the session by default: a
// disabled account is locked out within a minute (docs/security.md).
const CheckEvery = 5 * time.Second

// CheckSession makes the app check the session now (the timer sends it
// every Login.Check; tests send it after moving their clock).
type CheckSession struct{}

// sessionChecked is the outcome of a check of s.
type sessionChecked struct {
	s     *session.Session
	state session.State
}

// deskMsg is a message of one user's call screen, delivered to that
// user's call even when another user is logged in by then.
type deskMsg struct {
	user string
	msg  tea.Msg
}

// desk is one user's call at this workstation.
type desk struct {
	who  *session.Current // the user's session (replaced at their next login)
	call *call.Model
}

// mode is what the app shows.
type mode int

const (
	modeApp    mode = iota // the screens
	modeLogin              // nobody logged in: the login screen
	modeLocked             // the lock screen over the app
	modeSwitch             // another user logs in over the locked app
)

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

	index   *phone.Index
	login   *Login
	mode    mode
	gate    *login.Model // the login screen (modeLogin, modeSwitch)
	lock    *login.Model // the lock screen (modeLocked)
	desks   map[string]*desk
	user    string // whose desk is shown ("" without login)
	started bool   // the screens' subscriptions run (after the first login)
	dialog  *basis.Dialog
	pending *pendingBasis
}

// pendingBasis is a refused call waiting for its user's basis.
type pendingBasis struct {
	user string
	need screen.BasisNeeded
}

// NewApp builds the app on ctx with its dependencies.
func NewApp(ctx *screen.Context, d Deps) *App {
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
		ctx: ctx, help: h, ticks: d.Ticks, reload: d.Reload, index: d.Index, login: d.Login,
		call:    call.New(ctx, d.Index, d.Calls),
		queue:   queueboard.New(ctx, d.Queue),
		monitor: monitorboard.New(ctx, d.Monitor, d.NEWS2),
	}
	// The screens, in tab order: one line per screen.
	a.screens = []screen.Screen{a.call, a.queue, a.monitor}
	a.keys = DefaultAppKeyMap(ctx, len(a.screens))
	a.queue.SetOutcomes(d.Outcomes)
	a.queue.SetRecordState(d.Records)
	a.monitor.SetDeviceNames(d.DeviceNames)
	for _, p := range d.Monitored {
		a.monitor.Attach(p)
	}
	a.queue.SetDeteriorated(a.monitor.Deteriorated)
	a.desks = map[string]*desk{"": {call: a.call}}
	if d.Login != nil {
		// Nobody's call until someone logs in: the first login gets a
		// call screen of their own.
		a.desks = map[string]*desk{}
		a.mode = modeLogin
		a.gate = login.New(ctx, d.Login.Auth, login.Options{User: d.Login.User, Hint: d.Login.Hint})
	}
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

// Init starts the live subscriptions of every screen, with personal
// login only once someone has logged in.
func (a *App) Init() tea.Cmd {
	var cmds []tea.Cmd
	if a.login == nil {
		cmds = append(cmds, a.startScreens())
	} else {
		cmds = append(cmds, a.checkTimer())
	}
	if a.ticks {
		cmds = append(cmds, tick())
	}
	return tea.Batch(cmds...)
}

func (a *App) startScreens() tea.Cmd {
	a.started = true
	var cmds []tea.Cmd
	for i, s := range a.screens {
		if i == ScreenCall {
			cmds = append(cmds, tagDesk(a.user, s.Init()))
		} else {
			cmds = append(cmds, s.Init())
		}
	}
	return tea.Batch(cmds...)
}

func (a *App) checkTimer() tea.Cmd {
	if !a.ticks {
		return nil // tests send CheckSession themselves
	}
	every := a.login.Check
	if every <= 0 {
		every = CheckEvery
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return CheckSession{} })
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update routes keys to the screen shown and every other message to every
// screen (each takes its own), with the few links between screens below;
// with personal login, the login, lock and basis dialog come first.
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
	case CheckSession:
		return a, tea.Batch(a.check(), a.checkTimer())
	case sessionChecked:
		return a, a.checked(msg)
	case login.LoggedIn:
		return a, a.enter(msg.Session)
	case login.Unlocked:
		if a.login == nil || msg.Session != a.login.Current.Session() {
			return a, nil
		}
		a.mode, a.lock = modeApp, nil
		return a, a.queue.Reload()
	case deskMsg:
		return a, a.deskMessage(msg)
	case tea.KeyPressMsg:
		return a, a.key(msg)
	}
	cmds := make([]tea.Cmd, 0, len(a.screens)+3)
	for _, s := range a.screens {
		_, cmd := s.Update(msg)
		cmds = append(cmds, cmd)
	}
	for _, m := range []*login.Model{a.gate, a.lock} {
		if m != nil {
			_, cmd := m.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	cmds = append(cmds, a.links(msg))
	return a, tea.Batch(cmds...)
}

// links are the links between screens: a saved call shows on the queue
// at once; a fresh queue tells the monitor board who was assessed again.
func (a *App) links(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case call.Saved:
		return a.queue.Reload()
	case queueboard.StartCallBack: // a dropped call's call-back, prefilled on the call screen
		a.screen = ScreenCall
		return tagDesk(a.user, a.call.StartCallBack(msg.Encounter))
	case queueboard.Loaded:
		if msg.Err == nil {
			return a.reloadMonitored(a.monitor.QueueChanged(msg.Entries))
		}
	}
	return nil
}

// key handles a key press in the app's mode.
func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	a.notice = ""
	if key.Matches(msg, a.keys.Quit) {
		if a.unsaved() && !a.quitting {
			a.quitting = true
			return nil
		}
		return tea.Quit
	}
	a.quitting = false
	switch a.mode {
	case modeLogin, modeSwitch:
		if a.mode == modeSwitch && key.Matches(msg, a.keys.Cancel) {
			a.gate.Cancel()
			a.mode, a.gate = modeLocked, nil
			return nil
		}
		if a.gate.Busy() && key.Matches(msg, a.keys.Cancel) {
			a.gate.Cancel()
			return nil
		}
		_, cmd := a.gate.Update(msg)
		return cmd
	case modeLocked:
		if key.Matches(msg, a.keys.SwitchUser) {
			a.switchUser()
			return nil
		}
		_, cmd := a.lock.Update(msg)
		return cmd
	}
	if a.login != nil {
		s := a.login.Current.Session()
		if s == nil || s.Locked() {
			// Idle longer than allowed: the key is not the app's.
			a.lockNow(s)
			return nil
		}
		s.Touch()
		switch {
		case key.Matches(msg, a.keys.Lock):
			s.Lock()
			a.lockNow(s)
			return nil
		case key.Matches(msg, a.keys.SwitchUser):
			s.Lock()
			a.lockNow(s)
			a.switchUser()
			return nil
		}
	}
	if a.dialog != nil {
		return a.dialogKey(msg)
	}
	for i, k := range a.keys.Screens {
		if key.Matches(msg, k) {
			a.screen = min(i, len(a.screens)-1)
			return nil
		}
	}
	_, cmd := a.screens[a.screen].Update(msg)
	if a.screen == ScreenCall {
		cmd = tagDesk(a.user, cmd)
	}
	return cmd
}

// unsaved reports whether any user's call is not saved.
func (a *App) unsaved() bool {
	for _, d := range a.desks {
		if d.call.InCall() && !d.call.Empty() {
			return true
		}
	}
	return false
}

// tagDesk makes the messages of user's call screen come back to it.
func tagDesk(user string, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch m := cmd().(type) {
		case nil:
			return nil
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(m))
			for i, c := range m {
				out[i] = tagDesk(user, c)
			}
			return out
		default:
			return deskMsg{user: user, msg: m}
		}
	}
}

// deskMessage delivers a call screen's message to its user's call (kept
// while another user works) and to the other screens; a request for a
// basis opens the dialog for the user it belongs to.
func (a *App) deskMessage(dm deskMsg) tea.Cmd {
	d := a.desks[dm.user]
	if d == nil {
		return nil // the user's desk ended (account disabled)
	}
	if need, ok := dm.msg.(screen.BasisNeeded); ok {
		if dm.user != a.user || a.pending != nil {
			return a.toDesk(dm.user, d, need.Refused)
		}
		a.pending = &pendingBasis{user: dm.user, need: need}
		a.dialog = basis.New(a.ctx)
		return nil
	}
	cmds := []tea.Cmd{a.toDesk(dm.user, d, dm.msg)}
	for i, s := range a.screens {
		if i != ScreenCall {
			_, cmd := s.Update(dm.msg)
			cmds = append(cmds, cmd)
		}
	}
	cmds = append(cmds, a.links(dm.msg))
	return tea.Batch(cmds...)
}

func (a *App) toDesk(user string, d *desk, msg tea.Msg) tea.Cmd {
	if msg == nil {
		return nil
	}
	_, cmd := d.call.Update(msg)
	return tagDesk(user, cmd)
}

// dialogKey takes a key for the basis dialog: a choice retries the
// refused call with it, cancelling hands the refusal to the screen.
func (a *App) dialogKey(msg tea.KeyPressMsg) tea.Cmd {
	p := a.pending
	switch a.dialog.Update(msg) {
	case basis.Chosen:
		b := a.dialog.Basis
		a.dialog, a.pending = nil, nil
		return tagDesk(p.user, p.need.Retry(session.WithBasis(context.Background(), b)))
	case basis.Cancelled:
		a.dialog, a.pending = nil, nil
		if d := a.desks[p.user]; d != nil {
			return a.toDesk(p.user, d, p.need.Refused)
		}
	}
	return nil
}

// lockNow covers the app with s's lock screen; the screens (and the
// unsaved call) stay as they are beneath it.
func (a *App) lockNow(s *session.Session) {
	if s == nil {
		a.mode, a.gate = modeLogin, login.New(a.ctx, a.login.Auth, login.Options{User: a.login.User, Hint: a.login.Hint})
		return
	}
	a.mode, a.lock = modeLocked, login.NewUnlock(a.ctx, s)
}

// switchUser shows the login screen for another user over the locked app.
func (a *App) switchUser() {
	a.mode = modeSwitch
	a.gate = login.New(a.ctx, a.login.Auth, login.Options{Switching: true, Hint: a.login.Hint})
}

// enter makes s the session in use: its user's own call (kept from
// before, or a fresh one) shows, and the screens start or re-read.
func (a *App) enter(s *session.Session) tea.Cmd {
	if a.login == nil || s == nil {
		return nil
	}
	u := s.User()
	d := a.desks[u.Username]
	fresh := d == nil
	if fresh {
		d = &desk{who: &session.Current{}}
		d.call = call.New(a.ctx, a.index, a.login.CallsFor(d.who))
		a.desks[u.Username] = d
	}
	d.who.Set(s)
	a.login.Current.Set(s)
	a.user, a.call = u.Username, d.call
	a.screens[ScreenCall] = d.call
	// The header names who is logged in: the full name when the account
	// has one (the lock screen adds the user name and role).
	a.ctx.Nurse = u.Username
	if strings.TrimSpace(u.DisplayName) != "" {
		a.ctx.Nurse = u.DisplayName
	}
	a.mode, a.gate, a.lock = modeApp, nil, nil
	a.notice = ""
	// The board's title names the part of the queue this user sees.
	switch u.Service {
	case store.ServicePhone:
		a.queue.SetScope(queueboard.ScopePhone)
	case store.ServiceReception:
		a.queue.SetScope(queueboard.ScopeReception)
	default:
		a.queue.SetScope(queueboard.ScopeAll)
	}
	for name, other := range a.desks {
		if name != u.Username && other.call.InCall() && !other.call.Empty() {
			a.notice = login.T(a.ctx.Lang, "tui.lock.kept", name)
		}
	}
	var cmds []tea.Cmd
	if a.pending != nil && a.pending.user == u.Username {
		a.dialog = basis.New(a.ctx)
	} else {
		a.dialog = nil
	}
	if !a.started {
		cmds = append(cmds, a.startScreens())
	} else {
		if fresh {
			cmds = append(cmds, tagDesk(u.Username, d.call.Init()))
		}
		cmds = append(cmds, a.queue.Reload())
	}
	return tea.Batch(cmds...)
}

// check looks at the session in use (a database read: in a command).
func (a *App) check() tea.Cmd {
	if a.login == nil {
		return nil
	}
	s := a.login.Current.Session()
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return sessionChecked{s: s, state: s.Check(ctx)}
	}
}

// checked covers the app when the session locked itself, and ends it
// when the account was disabled: that user's unsaved call goes with it
// (nobody else may save it).
func (a *App) checked(c sessionChecked) tea.Cmd {
	if a.login == nil || c.s != a.login.Current.Session() {
		return nil
	}
	switch c.state {
	case session.Locked:
		if a.mode == modeApp {
			a.lockNow(c.s)
		}
	case session.Disabled:
		u := c.s.User()
		delete(a.desks, u.Username)
		if a.pending != nil && a.pending.user == u.Username {
			a.pending, a.dialog = nil, nil
		}
		a.login.Current.Set(nil)
		a.user, a.ctx.Nurse = "", ""
		a.mode, a.lock = modeLogin, nil
		a.gate = login.New(a.ctx, a.login.Auth, login.Options{Hint: a.login.Hint,
			Note: login.T(a.ctx.Lang, "tui.lock.disabled", u.Username)})
	}
	return nil
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
	if c.Nurse != "" && a.mode == modeApp {
		header += " · " + c.Nurse
	}
	header += " · " + c.Now().In(c.Zone()).Format("15:04")
	var tabs []string
	var body string
	var keys []key.Binding
	switch a.mode {
	case modeLogin, modeSwitch:
		body, keys = a.gate.Render(), append(a.gate.ShortHelp(), a.keys.Quit)
	case modeLocked:
		body, keys = a.lock.Render(), append(a.lock.ShortHelp(), a.keys.SwitchUser, a.keys.Quit)
	default:
		for i, s := range a.screens {
			label := "F" + string(rune('1'+i)) + " " + c.T(s.TitleID())
			if i == a.screen {
				tabs = append(tabs, c.Theme.TabOn.Render(label))
			} else {
				tabs = append(tabs, c.Theme.TabOff.Render(label))
			}
		}
		shown := a.screens[a.screen]
		body, keys = shown.Render(), shown.ShortHelp()
		if a.dialog != nil {
			body, keys = a.dialog.Render(), a.dialog.ShortHelp()
		} else {
			keys = append(keys, a.keys.Screens[0])
		}
		if a.login != nil {
			keys = append(keys, a.keys.Lock, a.keys.SwitchUser)
		}
		keys = append(keys, a.keys.Quit)
	}
	helpLines := a.helpLines(keys, c.Width)
	helpLine := ""
	if a.quitting {
		helpLine = c.Theme.Warn.Render(c.T("w.quit"))
		if a.mode != modeApp || (a.unsaved() && !(a.call.InCall() && !a.call.Empty())) {
			helpLine = c.Theme.Warn.Render(login.T(c.Lang, "tui.lock.unsaved"))
		}
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
	if helpLine != "" {
		helpLines = [2]string{"", helpLine}
	}
	lines = append(lines, helpLines[1])
	if helpLines[0] != "" {
		// Keys too many for one line take the blank line under the tabs:
		// the body moves up one line and loses none.
		lines = append(append(lines[:2:2], lines[3:len(lines)-1]...), helpLines[0], helpLines[1])
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, c.Width, "…")
	}
	return strings.Join(lines, "\n")
}

// helpLines lays the keys out on the two help lines: on the second alone
// when they fit in width, else as many as fit on the first and the rest
// on the second, broken between keys (a key and its word are never
// split). Only what is still wider than two lines is cut.
func (a *App) helpLines(keys []key.Binding, width int) [2]string {
	// The help model cuts at its width; measured here uncut.
	w0 := a.help.Width()
	a.help.SetWidth(0)
	defer a.help.SetWidth(w0)
	if one := a.help.ShortHelpView(keys); ansi.StringWidth(one) <= width {
		return [2]string{"", one}
	}
	sep := a.help.ShortSeparator
	var first []key.Binding
	w := 0
	for i, k := range keys {
		kw := ansi.StringWidth(a.help.ShortHelpView([]key.Binding{k}))
		if !k.Enabled() || kw == 0 {
			continue
		}
		if len(first) > 0 {
			kw += ansi.StringWidth(sep)
		}
		if w+kw > width {
			return [2]string{a.help.ShortHelpView(first), a.help.ShortHelpView(keys[i:])}
		}
		first = append(first, k)
		w += kw
	}
	return [2]string{"", a.help.ShortHelpView(keys)}
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
