// Package deskshell is the reception desktop's window: personal login
// first, then the reception desktop (ui-desktop/desk) for a reception
// nurse or physician, or only the administrator's screen for an
// administrator; the lock screen over it after inactivity or at once by
// a key; and switching user on the shared reception PC, where an unsaved
// triage stays with the user who typed it and is never saved under
// another's name. A disabled account is locked out within a minute
// (session.Check, polled every few seconds). Monitors, their recording
// and the deterioration watch go on behind the lock; the lock screen
// shows how many alerts are open. It imports no fyne driver: the tests
// run it headless.
package deskshell

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/adminpage"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/ui-desktop/loginpage"
	"github.com/legevakt/workstation/ui-desktop/lookup"
	"github.com/legevakt/workstation/workstation/session"
)

// Config is what the window needs.
type Config struct {
	Window      fyne.Window
	Gate        loginpage.Gate
	Current     *session.Current // the session in use; the store adapters read it
	Lang        i18n.Lang
	Workstation string
	User        string // pre-filled user name (--user)
	Demo        bool   // show the demo password on the login page
	// Roles the desk accepts, preferred first (reception_nurse, physician,
	// administrator).
	Roles []store.Role
	Idle  time.Duration // inactivity lock (identity.DefaultIdle when 0)
	// NewDesk builds the reception desktop for the first clinical user
	// (with that user's drafts); it is started once and runs until Stop.
	NewDesk func(user string) (*desk.App, error)
	// Drafts is the drafts store of one user (wire.Drafts).
	Drafts func(user string) desk.Drafts
	Admin  adminpage.Backend
	Lookup lookup.Backend
	Now    func() time.Time
	Logf   func(format string, args ...any)
	// Do runs f on the UI goroutine (fyne.Do by default); Go runs slow
	// work off it (a goroutine by default). Tests run both at once.
	Do, Go func(func())
}

// Screen is what the window shows.
type Screen string

// The screens.
const (
	ScreenLogin  Screen = "login"
	ScreenDesk   Screen = "desk"
	ScreenAdmin  Screen = "admin"
	ScreenLocked Screen = "locked"
	ScreenSwitch Screen = "switch"
)

// checkEvery is how often the session is checked: a disabled account is
// locked out well within a minute.
const checkEvery = 5 * time.Second

// Shell is the window's controller. Its methods run on the UI goroutine.
type Shell struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc

	screen  Screen
	sess    *session.Session
	desk    *desk.App
	admin   *adminpage.Page
	login   *loginpage.Page
	lock    *loginpage.Lock
	find    *lookup.Dialog
	started bool

	// parked are unsaved forms of users who were switched away from,
	// kept in memory (the registration's identity number and name are
	// never written to a draft file) for them alone.
	parked map[string]desk.Draft

	lastActive time.Time
	lastPrint  string
	lastCheck  time.Time
	note       string // a line for the next screen (whose triage was kept)
}

// New makes the shell; Start shows the login page.
func New(cfg Config) *Shell {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	if cfg.Go == nil {
		cfg.Go = func(f func()) { go f() }
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 5 * time.Minute
	}
	s := &Shell{cfg: cfg, parked: map[string]desk.Draft{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Start shows the login page and begins the one-second check of
// inactivity and of the account (Tick, on the UI goroutine through Do).
// It returns at once.
func (s *Shell) Start() {
	s.Show()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-s.ctx.Done():
				return
			case <-t.C:
				s.cfg.Do(s.Tick)
			}
		}
	}()
}

// Show shows the login page without the checks (tests call Tick
// themselves).
func (s *Shell) Show() { s.showLogin(s.cfg.User, "", nil) }

// Stop ends the checks and the desktop's live parts.
func (s *Shell) Stop() {
	s.cancel()
	if s.desk != nil {
		s.desk.Stop()
	}
}

// Screen is what the window shows now.
func (s *Shell) Screen() Screen { return s.screen }

// Session is the session in use (nil before the first login).
func (s *Shell) Session() *session.Session { return s.sess }

// Desk is the reception desktop once a clinical user has logged in.
func (s *Shell) Desk() *desk.App { return s.desk }

// Admin is the administrator's screen while it is shown.
func (s *Shell) Admin() *adminpage.Page { return s.admin }

// Login is the login page while it is shown (also on a switch of user).
func (s *Shell) Login() *loginpage.Page { return s.login }

// LockScreen is the lock screen while it is shown.
func (s *Shell) LockScreen() *loginpage.Lock { return s.lock }

// Find is the open patient look-up, or nil.
func (s *Shell) Find() *lookup.Dialog { return s.find }

func (s *Shell) lang() i18n.Lang {
	if s.desk != nil {
		return s.desk.Lang()
	}
	return s.cfg.Lang
}

func (s *Shell) options(user, notice string, cancel func()) loginpage.Options {
	return loginpage.Options{Lang: s.lang(), Workstation: s.cfg.Workstation, User: user, Demo: s.cfg.Demo,
		Roles: s.cfg.Roles, Notice: notice, Cancel: cancel, Do: s.cfg.Do, Go: s.cfg.Go}
}

func (s *Shell) show(o fyne.CanvasObject, title string) {
	w := s.cfg.Window
	w.SetTitle(title)
	w.SetContent(o)
}

func (s *Shell) showLogin(user, notice string, cancel func()) {
	s.login = loginpage.New(s.ctx, s.cfg.Gate, s.options(user, notice, cancel), s.loggedIn)
	s.lock = nil
	s.screen = ScreenLogin
	if cancel != nil {
		s.screen = ScreenSwitch
	}
	s.show(s.login.Content(), s.lang().T("login.title"))
	s.login.FocusFirst(s.cfg.Window.Canvas())
}

// loggedIn takes a session from the login page: the first login, or a
// switch of user from the lock screen.
func (s *Shell) loggedIn(ns *session.Session) {
	s.sess = ns
	s.cfg.Current.Set(ns)
	s.login = nil
	if ns.Role() == store.RoleAdmin {
		s.showAdmin()
		return
	}
	user := ns.User().Username
	if s.desk == nil {
		d, err := s.cfg.NewDesk(user)
		if err != nil {
			s.cfg.Logf("desktop: %v", err)
			s.showLogin("", "", nil)
			return
		}
		s.desk = d
	} else if owner := s.desk.User(); owner != user {
		// The form belongs to its owner: parked for them (in memory and
		// in their own draft file); the new user gets theirs back.
		drafts := s.cfg.Drafts(user)
		next, ok := s.parked[user]
		if !ok {
			var err error
			if next, err = drafts.Load(); err != nil {
				s.cfg.Logf("draft of %s: %v", user, err)
				next = desk.Draft{Version: desk.DraftVersion}
			}
		}
		delete(s.parked, user)
		s.parked[owner] = s.desk.SwitchUser(user, drafts, next)
	}
	s.showDesk()
}

func (s *Shell) actions() []desk.Action {
	return []desk.Action{
		{Key: lockKey, Label: "lock.menu", Do: s.Lock},
		{Key: switchKey, Label: "switch.menu", Do: s.SwitchUser},
		{Key: findKey, Label: "find.menu", Do: s.FindPatient},
	}
}

// The shell's keys: Ctrl+Shift+L locks at once, Ctrl+Shift+U switches
// user, Ctrl+F finds a patient by identity number.
var (
	lockKey   = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	switchKey = &desktop.CustomShortcut{KeyName: fyne.KeyU, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	findKey   = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
)

// Actions are the keys and menu entries the shell adds to the desktop
// (give them to desk.Deps.Actions).
func (s *Shell) Actions() []desk.Action { return s.actions() }

func (s *Shell) showDesk() {
	s.admin, s.lock = nil, nil
	s.screen = ScreenDesk
	if !s.started {
		s.started = true
		s.desk.Install(s.cfg.Window)
		s.desk.Start()
	} else {
		s.desk.Uncover(s.cfg.Window)
	}
	s.active() // after the screen is up: its first fingerprint is the baseline
}

func (s *Shell) showAdmin() {
	s.admin = adminpage.New(s.ctx, s.lang(), s.cfg.Admin, s.sess.User().Username)
	s.lock = nil
	s.screen = ScreenAdmin
	w := s.cfg.Window
	s.show(s.admin.Content(), s.lang().T("admin.title"))
	menu := fyne.NewMenu(s.lang().T("menu.actions"))
	for _, a := range s.actions()[:2] {
		a := a
		w.Canvas().AddShortcut(a.Key, func(fyne.Shortcut) { a.Do() })
		menu.Items = append(menu.Items, &fyne.MenuItem{Label: s.lang().T(a.Label), Shortcut: a.Key, Action: a.Do})
	}
	for sc, do := range s.admin.Shortcuts() {
		do := do
		w.Canvas().AddShortcut(sc, func(fyne.Shortcut) { do() })
	}
	w.SetMainMenu(fyne.NewMainMenu(menu))
	s.admin.FocusFirst(w.Canvas())
	s.active()
}

// cover takes the working screen out of the window: no key of it works
// behind the lock.
func (s *Shell) cover() {
	w := s.cfg.Window
	for _, o := range w.Canvas().Overlays().List() {
		w.Canvas().Overlays().Remove(o)
	}
	s.find = nil
	switch s.screen {
	case ScreenDesk:
		s.desk.Cover(w)
	case ScreenAdmin:
		for _, a := range s.actions()[:2] {
			w.Canvas().RemoveShortcut(a.Key)
		}
		for sc := range s.admin.Shortcuts() {
			w.Canvas().RemoveShortcut(sc)
		}
		w.SetMainMenu(nil)
		s.admin = nil
	}
}

// Lock locks the session now and covers the window (the key, or the idle
// time). The form behind it is kept as it is.
func (s *Shell) Lock() {
	if s.sess == nil || (s.screen != ScreenDesk && s.screen != ScreenAdmin) {
		return
	}
	s.cover()
	s.sess.Lock()
	s.showLock()
}

func (s *Shell) showLock() {
	s.login = nil
	s.lock = loginpage.NewLock(s.ctx, s.sess, s.options("", "", nil), s.unlocked, s.SwitchUser)
	s.screen = ScreenLocked
	s.show(s.lock.Content(), s.lang().T("app.title"))
	s.showAlerts()
	s.lock.FocusFirst(s.cfg.Window.Canvas())
}

func (s *Shell) unlocked() {
	if s.sess.Role() == store.RoleAdmin {
		s.showAdmin()
		return
	}
	s.showDesk()
}

// SwitchUser shows the login page for another user over the locked
// session (from the lock screen, or by its key from the desktop, which
// locks first). Esc goes back to the lock screen.
func (s *Shell) SwitchUser() {
	if s.sess == nil {
		return
	}
	if s.screen == ScreenDesk || s.screen == ScreenAdmin {
		s.Lock()
	}
	notice := ""
	if s.desk != nil && s.desk.Unsaved() {
		owner := s.desk.User()
		notice = s.lang().T("switch.unsaved", owner)
	}
	s.showLogin("", notice, s.showLock)
}

// FindPatient opens the look-up by identity number (the desktop only).
func (s *Shell) FindPatient() {
	if s.screen != ScreenDesk || s.find != nil && s.find.Visible() {
		return
	}
	s.find = lookup.Show(s.ctx, s.cfg.Window.Canvas(), s.lang(), s.cfg.Lookup, func() { s.find = nil })
}

func (s *Shell) active() {
	s.lastActive = s.cfg.Now()
	s.lastPrint = s.fingerprint()
}

// fingerprint changes with what the user does on the working screen: the
// focused widget, the desktop's state and draft, the admin screen's
// choices. fyne has no window-wide input hook, so activity is seen as
// change.
func (s *Shell) fingerprint() string {
	f := fmt.Sprintf("%p", s.cfg.Window.Canvas().Focused())
	switch {
	case s.screen == ScreenDesk && s.desk != nil:
		// Only what the user changes: a monitor's values, the queue and
		// alerts change the state on their own and are no activity.
		st := s.desk.State()
		f += fmt.Sprintf("%s/%s/%s/%d/%d/%d/%d/%s/%s/%t/%g/%d/%d/%d%+v", st.Lang, st.Tab, st.Focused, st.Overlays, st.RegIDLen, st.RegNameLen,
			st.EncounterID, st.Monitor, st.Consciousness, st.HighContrast, st.Scale, st.Saved, st.Typed, st.Problems, s.desk.Draft())
	case s.screen == ScreenAdmin && s.admin != nil:
		f += s.admin.Fingerprint()
	}
	if s.find != nil {
		f += "find"
	}
	return f
}

// Tick runs every second: it sees activity, locks after the idle time,
// checks the account every few seconds (a disabled one is locked out),
// and keeps the lock screen's alert flag current.
func (s *Shell) Tick() {
	if s.sess == nil {
		return
	}
	now := s.cfg.Now()
	working := s.screen == ScreenDesk || s.screen == ScreenAdmin
	if working {
		if p := s.fingerprint(); p != s.lastPrint {
			s.lastPrint, s.lastActive = p, now
			s.sess.Touch()
		}
	}
	if now.Sub(s.lastCheck) >= checkEvery {
		s.lastCheck = now
		switch s.sess.Check(s.ctx) {
		case session.Disabled:
			if s.screen == ScreenDesk || s.screen == ScreenAdmin {
				s.Lock()
			}
			if s.lock != nil {
				s.lock.SetDisabled()
			}
			return
		case session.Locked:
			if working {
				s.Lock()
				return
			}
		}
	}
	if working && now.Sub(s.lastActive) >= s.cfg.Idle {
		s.Lock()
		return
	}
	s.showAlerts()
}

// showAlerts puts the number of open deterioration alerts on the lock
// screen.
func (s *Shell) showAlerts() {
	if s.lock != nil && s.desk != nil {
		s.lock.SetAlerts(s.desk.State().OpenAlerts)
	}
}

// State is a snapshot for automation (triage-desk --state-file): the
// desktop's (once built) and which screen is shown, who is logged in,
// the login or lock screen's message and the lock screen's alert flag.
// No patient data and never a password.
type State struct {
	desk.State
	Screen     Screen `json:"screen"`
	User       string `json:"user"`
	Role       string `json:"role"`
	Message    string `json:"message"`
	LockAlerts string `json:"lock_alerts"`
	TOTP       bool   `json:"totp"`         // the login page asks for a one-time code
	Roles      int    `json:"roles"`        // roles offered to choose from
	Find       bool   `json:"find"`         // the look-up is open
	Found      bool   `json:"found"`        // it shows a patient
	FoundBasis string `json:"found_basis"`  // the basis reason it was opened with ("" for none)
	Basis      bool   `json:"basis"`        // the basis dialog is open
	FindNIDLen int    `json:"find_nid_len"` // characters in the look-up's number field
	FindResult string `json:"find_result"`  // lookup.Dialog.Outcome (no patient data)
}

// State returns the snapshot; call it on the UI goroutine.
func (s *Shell) State() State {
	var st State
	if s.desk != nil {
		st.State = s.desk.State()
	}
	st.Screen = s.screen
	if s.sess != nil {
		st.User, st.Role = s.sess.User().Username, string(s.sess.Role())
	}
	c := s.cfg.Window.Canvas()
	st.Overlays = len(c.Overlays().List())
	switch {
	case s.login != nil:
		st.Message, st.TOTP, st.Roles = s.login.Message(), s.login.AsksTOTP(), len(s.login.RoleChoices())
		st.Focused = s.login.FocusName(c.Focused())
	case s.lock != nil:
		st.Message, st.LockAlerts = s.lock.Message(), s.lock.Alerts()
		st.Focused = s.lock.FocusName(c.Focused())
	case s.admin != nil:
		st.Message = s.admin.ReviewMessage()
		st.Focused = s.admin.FocusName(c.Focused())
	}
	if s.find != nil {
		found, basis := s.find.Found()
		st.Find, st.Found, st.FoundBasis = true, found, string(basis)
		st.Basis = s.find.Basis != nil
		st.FindNIDLen, st.FindResult = s.find.NIDLen(), s.find.Outcome()
	}
	return st
}
