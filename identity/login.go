package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage/store"
)

// Accounts is what a login needs from the store (*store.Store has it).
type Accounts interface {
	Credentials(ctx context.Context, username string) (store.Credentials, error)
	UserByOIDC(ctx context.Context, issuer, subject string) (store.User, error)
	RecordLogin(ctx context.Context, o store.LoginOutcome) (int, error)
}

var _ Accounts = (*store.Store)(nil)

// Errors of a login, for errors.Is. Their messages are what the user
// reads: a wrong password and an unknown user read the same.
var (
	// ErrLoginFailed: the user name or password (or TOTP code) is wrong,
	// or the account cannot log in. It never says which.
	ErrLoginFailed = errors.New("wrong user name or password")
	// ErrTOTPRequired: the password is right and the account has a second
	// factor: ask for the code and log in again with it.
	ErrTOTPRequired = errors.New("enter the 6-digit code from your authenticator app")
	// ErrNoRole: the account holds no role, or not the one asked for.
	ErrNoRole = errors.New("your account has no role for this; ask an administrator")
	// ErrSessionLocked: the session is locked; unlock it with the same
	// user's password.
	ErrSessionLocked = errors.New("the session is locked")
)

// LockedError: too many failed attempts; logins of this name are refused
// until Until (also with the right password). Unknown names lock the same
// way, so a lock says nothing about whether an account exists.
type LockedError struct{ Until time.Time }

// Error says when to try again, in local time.
func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed attempts: try again after %s", e.Until.Local().Format("15:04"))
}

// Defaults of an Authenticator.
const (
	DefaultLockAfter = 5                // failures in a row before a temporary lock
	DefaultLockFor   = 15 * time.Minute // how long the lock lasts
	DefaultIdle      = 5 * time.Minute  // a session locks after this long without activity
	firstDelay       = 250 * time.Millisecond
	maxDelay         = 8 * time.Second
)

// Authenticator logs users in on one workstation. The zero values of the
// optional fields take the defaults.
type Authenticator struct {
	Accounts    Accounts
	Workstation string
	Now         func() time.Time                           // default time.Now
	Sleep       func(ctx context.Context, d time.Duration) // the growing delay after a failure; default waits
	LockAfter   int
	LockFor     time.Duration
	Idle        time.Duration // sessions lock after this long idle

	mu sync.Mutex
	// unknown counts failures of names without an account, so that they
	// are delayed and locked exactly as real ones.
	unknown map[string]unknownState
}

type unknownState struct {
	failures int
	until    time.Time
}

// LoginRequest is what the user typed. Role chooses which of the
// account's roles to act in; empty takes the account's first role.
type LoginRequest struct {
	Username string
	Password string
	TOTP     string
	Role     store.Role
}

func (a *Authenticator) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Authenticator) sleep(ctx context.Context, d time.Duration) {
	if a.Sleep != nil {
		a.Sleep(ctx, d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (a *Authenticator) lockAfter() int {
	if a.LockAfter > 0 {
		return a.LockAfter
	}
	return DefaultLockAfter
}

func (a *Authenticator) lockFor() time.Duration {
	if a.LockFor > 0 {
		return a.LockFor
	}
	return DefaultLockFor
}

// Delay is the wait after the n-th failure in a row: 250 ms doubling up
// to 8 s.
func Delay(n int) time.Duration {
	d := firstDelay
	for i := 1; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

// Login checks a user name and password (and TOTP code when the account
// has one) and opens a session. Every attempt is audited; a failure
// waits a growing delay, and repeated failures lock the name for a
// while.
func (a *Authenticator) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	name := strings.ToLower(strings.TrimSpace(req.Username))
	now := a.now()
	cred, err := a.Accounts.Credentials(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, a.failUnknown(ctx, name, now)
	}
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	u := cred.User
	if !u.LockedUntil.IsZero() && now.Before(u.LockedUntil) {
		_, _ = a.record(ctx, name, false, "locked", time.Time{})
		return nil, &LockedError{Until: u.LockedUntil}
	}
	switch {
	case cred.PasswordHash == "" || !VerifyPassword(req.Password, cred.PasswordHash):
		return nil, a.fail(ctx, name, "password", now)
	case u.Disabled:
		return nil, a.fail(ctx, name, "disabled", now)
	case cred.TOTPSecret != "" && req.TOTP == "":
		return nil, ErrTOTPRequired
	case cred.TOTPSecret != "" && !checkTOTP(strings.TrimSpace(req.TOTP), cred.TOTPSecret, now):
		return nil, a.fail(ctx, name, "totp", now)
	}
	role, err := chooseRole(u, req.Role)
	if err != nil {
		_, _ = a.record(ctx, name, false, "no-role", time.Time{})
		return nil, err
	}
	if _, err := a.Accounts.RecordLogin(ctx, store.LoginOutcome{Username: name, Workstation: a.Workstation, OK: true, Method: "password"}); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	return a.open(u, role, "password"), nil
}

func chooseRole(u store.User, want store.Role) (store.Role, error) {
	if len(u.Roles) == 0 {
		return "", ErrNoRole
	}
	if want == "" {
		return u.Roles[0], nil
	}
	if !u.Holds(want) {
		return "", ErrNoRole
	}
	return want, nil
}

func (a *Authenticator) open(u store.User, role store.Role, method string) *Session {
	idle := a.Idle
	if idle <= 0 {
		idle = DefaultIdle
	}
	return &Session{auth: a, user: u, method: method, idle: idle, last: a.now(),
		actor: store.Actor{User: u.Username, Workstation: a.Workstation, Role: role, Service: u.Service}}
}

func (a *Authenticator) record(ctx context.Context, name string, ok bool, reason string, lock time.Time) (int, error) {
	return a.Accounts.RecordLogin(ctx, store.LoginOutcome{Username: name, Workstation: a.Workstation, OK: ok, Reason: reason, LockUntil: lock})
}

// fail records a failed attempt on an account, waits the growing delay
// and locks the account after LockAfter failures in a row.
func (a *Authenticator) fail(ctx context.Context, name, reason string, now time.Time) error {
	cred, _ := a.Accounts.Credentials(ctx, name)
	n := cred.User.Failures + 1
	var lock time.Time
	if n >= a.lockAfter() {
		lock = now.Add(a.lockFor())
	}
	if _, err := a.record(ctx, name, false, reason, lock); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	a.sleep(ctx, Delay(n))
	if !lock.IsZero() {
		return &LockedError{Until: lock}
	}
	return ErrLoginFailed
}

// failUnknown does for a name without an account what fail does for one.
func (a *Authenticator) failUnknown(ctx context.Context, name string, now time.Time) error {
	a.mu.Lock()
	if a.unknown == nil {
		a.unknown = map[string]unknownState{}
	}
	st := a.unknown[name]
	if now.Before(st.until) {
		a.mu.Unlock()
		_, _ = a.record(ctx, name, false, "locked", time.Time{})
		return &LockedError{Until: st.until}
	}
	st.failures++
	var lock time.Time
	if st.failures >= a.lockAfter() {
		lock = now.Add(a.lockFor())
		st = unknownState{until: lock}
	}
	if len(a.unknown) > 10000 {
		a.unknown = map[string]unknownState{} // bounded: a flood of names cannot grow it without end
	}
	a.unknown[name] = st
	n := st.failures
	if !lock.IsZero() {
		n = a.lockAfter()
	}
	a.mu.Unlock()
	if _, err := a.record(ctx, name, false, "password", time.Time{}); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	a.sleep(ctx, Delay(n))
	if !lock.IsZero() {
		return &LockedError{Until: lock}
	}
	return ErrLoginFailed
}

// Session is one user's login on a workstation. Its Actor is what the
// store is called with; a locked session gives none.
type Session struct {
	auth   *Authenticator
	user   store.User
	actor  store.Actor
	method string
	idle   time.Duration

	mu     sync.Mutex
	last   time.Time
	locked bool
}

// User is the logged-in account.
func (s *Session) User() store.User { return s.user }

// Method is how the user logged in: "password" or "oidc".
func (s *Session) Method() string { return s.method }

// Actor is the store actor of this session, and counts as activity. A
// locked session (locked by hand or idle longer than the idle limit)
// returns ErrSessionLocked.
func (s *Session) Actor() (store.Actor, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.auth.now()
	if s.locked || now.Sub(s.last) >= s.idle {
		s.locked = true
		return store.Actor{}, ErrSessionLocked
	}
	s.last = now
	return s.actor, nil
}

// Touch records user activity (a key press) without a store call.
func (s *Session) Touch() {
	s.mu.Lock()
	if !s.locked {
		s.last = s.auth.now()
	}
	s.mu.Unlock()
}

// Locked reports whether the session is locked now (idle time counts):
// a screen polls it and covers itself, keeping any unsaved form.
func (s *Session) Locked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.locked && s.auth.now().Sub(s.last) >= s.idle {
		s.locked = true
	}
	return s.locked
}

// Lock locks the session now (the user steps away).
func (s *Session) Lock() {
	s.mu.Lock()
	s.locked = true
	s.mu.Unlock()
}

// Unlock reopens a locked session with the same user's password (and
// TOTP code): only the user who logged in can unlock it; another user
// switches user with a new Login instead. Failures count as login
// failures (delay, lock, audit).
func (s *Session) Unlock(ctx context.Context, password, code string) error {
	ns, err := s.auth.Login(ctx, LoginRequest{Username: s.user.Username, Password: password, TOTP: code, Role: s.actor.Role})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.locked, s.last, s.user = false, s.auth.now(), ns.user
	s.mu.Unlock()
	return nil
}
