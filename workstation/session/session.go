// Package session is personal login for the front ends, written once for
// both: the desk (ui-desktop, reception) and the phone-triage terminal
// (ui-tui). A Gate logs a user in through the identity package in a role
// this front end accepts; the Session it gives is the only source of the
// store actor, locks after inactivity, unlocks with the same user's
// password, and locks out an account disabled while it runs. Message
// words every login error for the screen in bokmål and English, and
// BasisChoices words the need-to-know dialog (docs/security.md).
//
// Nothing here reads a password from a flag, the environment or a file,
// logs one, or puts one in an error.
package session

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

// Config is one front end's login: which store, on which workstation,
// for which service and roles.
type Config struct {
	Store       *store.Store  // accounts, the disabled check
	Workstation string        // host name
	Service     store.Service // reception (desk) or phone (TUI)
	// Roles this front end accepts, preferred first. The desk:
	// reception_nurse, physician, administrator; the TUI: phone_nurse,
	// physician.
	Roles []store.Role
	Idle  time.Duration  // inactivity lock; 0 = identity.DefaultIdle (5 min)
	OIDC  *identity.OIDC // nil: password logins only
	Now   func() time.Time
	// Sleep is the growing delay after a failed login (tests record it
	// instead of waiting); nil waits.
	Sleep func(ctx context.Context, d time.Duration)
}

// Errors of this package, for errors.Is; Message words them.
var (
	// ErrNoAccounts: the database has no personal account yet, so nobody
	// can log in: an administrator creates the first with
	// `triagectl users add`.
	ErrNoAccounts = errors.New("this database has no user accounts: create the first with triagectl users add")
	// ErrDisabled: the account of a running session was disabled or
	// removed, or lost the role the session acts in.
	ErrDisabled = errors.New("the account is disabled")
	// ErrOIDCNotConfigured: LoginOIDC without an identity provider.
	ErrOIDCNotConfigured = errors.New("no identity provider is configured for this workstation")
	// ErrEmpty: the user name or the password was left empty.
	ErrEmpty = errors.New("user name and password are required")
)

// Gate logs users in on one front end.
type Gate struct {
	cfg  Config
	auth *identity.Authenticator
}

// New checks cfg and makes a Gate.
func New(cfg Config) (*Gate, error) {
	if cfg.Store == nil {
		return nil, errors.New("session: no store")
	}
	if cfg.Service != store.ServiceReception && cfg.Service != store.ServicePhone {
		return nil, fmt.Errorf("session: service %q, want reception or phone", cfg.Service)
	}
	if len(cfg.Roles) == 0 {
		return nil, errors.New("session: no roles accepted")
	}
	for _, r := range cfg.Roles {
		if !r.Valid() || r == store.RoleIntegration {
			return nil, fmt.Errorf("session: role %q cannot log in at a front end", r)
		}
	}
	if cfg.Idle < 0 {
		return nil, fmt.Errorf("session: idle lock %s, want a positive duration", cfg.Idle)
	}
	if cfg.Idle == 0 {
		cfg.Idle = identity.DefaultIdle
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	auth := &identity.Authenticator{Accounts: cfg.Store, Workstation: cfg.Workstation, Now: cfg.Now, Sleep: cfg.Sleep, Idle: cfg.Idle}
	return &Gate{cfg: cfg, auth: auth}, nil
}

// Idle is the inactivity time after which a session locks.
func (g *Gate) Idle() time.Duration { return g.cfg.Idle }

// OIDCEnabled reports whether LoginOIDC is offered.
func (g *Gate) OIDCEnabled() bool { return g.cfg.OIDC != nil }

// Required reports whether this database needs a personal login (it has
// accounts). A front end refuses a database without accounts with
// ErrNoAccounts (Message names `triagectl users add`), except a demo
// database, which SeedDemo fills.
func (g *Gate) Required(ctx context.Context) (bool, error) {
	return g.cfg.Store.HasAccounts(ctx)
}

// accepts reports whether this front end accepts role r.
func (g *Gate) accepts(r store.Role) bool {
	for _, x := range g.cfg.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// preferred is the first of the accepted roles u holds, or "".
func (g *Gate) preferred(u store.User) store.Role {
	for _, r := range g.cfg.Roles {
		if u.Holds(r) {
			return r
		}
	}
	return ""
}

// Login logs a user in with a password (and TOTP code when the account
// has one: identity.ErrTOTPRequired asks for it). Role "" takes the
// first of Config.Roles the account holds; an account holding none of
// them gets identity.ErrNoRole, but only once its password is right.
// Wrong names and wrong passwords fail alike (identity.ErrLoginFailed,
// the same delay and lock).
func (g *Gate) Login(ctx context.Context, user, password, totp string, role store.Role) (*Session, error) {
	name := strings.ToLower(strings.TrimSpace(user))
	if name == "" || password == "" {
		return nil, ErrEmpty
	}
	if role != "" && !g.accepts(role) {
		return nil, identity.ErrNoRole
	}
	if role == "" {
		// Which of the accepted roles to ask for: the account's own
		// preference among them. An unknown name, or an account holding
		// none of them, asks for the first; identity then fails it alike
		// after the password check.
		role = g.cfg.Roles[0]
		if cred, err := g.cfg.Store.Credentials(ctx, name); err == nil {
			if r := g.preferred(cred.User); r != "" {
				role = r
			}
		}
	}
	is, err := g.auth.Login(ctx, identity.LoginRequest{Username: name, Password: password, TOTP: totp, Role: role})
	releaseHashMemory()
	if err != nil {
		return nil, err
	}
	return g.open(is), nil
}

// LoginOIDC logs a user in through the clinic's identity provider (the
// system browser and a loopback redirect; identity.Authenticator.LoginOIDC).
// Role "" takes the first of Config.Roles the account holds.
func (g *Gate) LoginOIDC(ctx context.Context, role store.Role) (*Session, error) {
	if g.cfg.OIDC == nil {
		return nil, ErrOIDCNotConfigured
	}
	if role != "" && !g.accepts(role) {
		return nil, identity.ErrNoRole
	}
	is, err := g.auth.LoginOIDC(ctx, *g.cfg.OIDC, role)
	if err != nil {
		return nil, err
	}
	if role == "" {
		r := g.preferred(is.User())
		if r == "" {
			_, _ = g.cfg.Store.RecordLogin(ctx, store.LoginOutcome{Username: is.User().Username, Workstation: g.cfg.Workstation, Reason: "no-role"})
			return nil, identity.ErrNoRole
		}
		if is, err = is.InRole(r); err != nil {
			return nil, err
		}
	}
	return g.open(is), nil
}

// releaseHashMemory gives the 64 MiB an argon2id check allocates back to
// the operating system at once: a workstation logs in rarely and
// otherwise runs in about 25 MB, and the runtime would keep the block
// for minutes (docs/PERFORMANCE.md, login).
func releaseHashMemory() { debug.FreeOSMemory() }

func (g *Gate) open(is *identity.Session) *Session {
	a, _ := is.Actor()
	return &Session{gate: g, id: is, role: a.Role}
}

// State is what Check found.
type State int

// The states of a session.
const (
	Active   State = iota // the user may work
	Locked                // idle or locked by hand: cover the screen, keep the form
	Disabled              // the account was disabled or removed: end the session
)

// String names the state (for logs and tests; screens word it with
// Message).
func (s State) String() string {
	switch s {
	case Active:
		return "active"
	case Locked:
		return "locked"
	case Disabled:
		return "disabled"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Session is one user's login at a front end. Its Actor is the only store
// actor a front end uses.
type Session struct {
	gate *Gate
	id   *identity.Session
	role store.Role

	mu       sync.Mutex
	disabled bool
}

// Actor is the store actor of this session (it counts as activity). A
// locked session returns identity.ErrSessionLocked, a disabled one
// ErrDisabled. The caller may set the returned actor's Basis for one
// call (the need-to-know dialog); nothing else of it is the caller's.
func (s *Session) Actor() (store.Actor, error) {
	if s.isDisabled() {
		return store.Actor{}, ErrDisabled
	}
	return s.id.Actor()
}

// User is the logged-in account.
func (s *Session) User() store.User { return s.id.User() }

// Role is the role the session acts in.
func (s *Session) Role() store.Role { return s.role }

// Method is how the user logged in: "password" or "oidc".
func (s *Session) Method() string { return s.id.Method() }

// Touch records activity (every key press or click).
func (s *Session) Touch() { s.id.Touch() }

// Lock locks the session now (the user steps away).
func (s *Session) Lock() { s.id.Lock() }

// Locked reports whether the session is locked (idle time counts) or
// disabled.
func (s *Session) Locked() bool { return s.isDisabled() || s.id.Locked() }

func (s *Session) isDisabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disabled
}

// Unlock reopens a locked session with the same user's password (and
// TOTP code). Failures count as login failures (delay, lock, audit). A
// disabled account gets ErrDisabled: the user has a session, so saying
// so tells nobody whether an account exists.
func (s *Session) Unlock(ctx context.Context, password, totp string) error {
	if s.isDisabled() {
		return ErrDisabled
	}
	if password == "" {
		return ErrEmpty
	}
	err := s.id.Unlock(ctx, password, totp)
	releaseHashMemory()
	if errors.Is(err, identity.ErrLoginFailed) && s.Check(ctx) == Disabled {
		return ErrDisabled
	}
	return err
}

// Check is polled by the front end (about every 5-10 s): it reports the
// idle lock, and looks the account up so that a disabled or removed
// account, or one that lost this session's role, is locked out within a
// minute (Disabled, for good: a new login is refused too). A database
// that cannot be reached leaves the state as it was; the store refuses
// a disabled account on its own within its cache time.
func (s *Session) Check(ctx context.Context) State {
	if s.isDisabled() {
		return Disabled
	}
	cred, err := s.gate.cfg.Store.Credentials(ctx, s.id.User().Username)
	gone := errors.Is(err, store.ErrNotFound)
	if gone || (err == nil && (cred.User.Disabled || !cred.User.Holds(s.role))) {
		s.mu.Lock()
		s.disabled = true
		s.mu.Unlock()
		s.id.Lock()
		return Disabled
	}
	if s.id.Locked() {
		return Locked
	}
	return Active
}
