package session

import (
	"context"
	"errors"
	"sync"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

// ErrNoSession: nobody is logged in at this front end (yet, or any more).
var ErrNoSession = errors.New("nobody is logged in")

// Background is the actor of work that goes on while the screen is
// locked, on behalf of the user logged in at this workstation: recording
// the attached monitors' values, following other workstations' monitors.
// It does not count as activity (the idle lock still comes) and works
// while the session is locked; a disabled account gets ErrDisabled.
func (s *Session) Background() (store.Actor, error) {
	if s.isDisabled() {
		return store.Actor{}, ErrDisabled
	}
	u := s.id.User()
	return store.Actor{User: u.Username, Workstation: s.gate.cfg.Workstation, Role: s.role, Service: u.Service}, nil
}

// Quiet is the actor of reads a screen makes on its own while shown (the
// queue board re-reading after a change): like Actor it is refused while
// the session is locked, but it does not count as activity, so a busy
// queue does not keep an unattended screen open.
func (s *Session) Quiet() (store.Actor, error) {
	if s.Locked() {
		if s.isDisabled() {
			return store.Actor{}, ErrDisabled
		}
		return store.Actor{}, identity.ErrSessionLocked
	}
	return s.Background()
}

// Current is the session in use at a front end now: a login sets it,
// switching user replaces it. The adapters between the screens and the
// workstation services take their actor from it at each call, so nothing
// built before a login, or for another user, acts with a stale actor.
type Current struct {
	mu    sync.Mutex
	s     *Session
	ready chan struct{} // closed at the first Set of a session
}

// Set makes s the session in use (nil: nobody).
func (c *Current) Set(s *Session) {
	c.mu.Lock()
	c.s = s
	if s != nil {
		c.readyLocked()
		select {
		case <-c.ready:
		default:
			close(c.ready)
		}
	}
	c.mu.Unlock()
}

func (c *Current) readyLocked() chan struct{} {
	if c.ready == nil {
		c.ready = make(chan struct{})
	}
	return c.ready
}

// Ready is closed once a session has been in use: background work that
// acts for the logged-in user waits for it instead of acting for nobody.
func (c *Current) Ready() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readyLocked()
}

// Session is the session in use, or nil.
func (c *Current) Session() *Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// Actor is the actor of a user's action (it counts as activity), with
// the basis ctx carries (WithBasis) when the user gave one.
func (c *Current) Actor(ctx context.Context) (store.Actor, error) {
	s := c.Session()
	if s == nil {
		return store.Actor{}, ErrNoSession
	}
	a, err := s.Actor()
	if err != nil {
		return a, err
	}
	if b, ok := BasisFrom(ctx); ok {
		a.Basis = b
	}
	return a, nil
}

// Quiet is Session.Quiet of the session in use.
func (c *Current) Quiet() (store.Actor, error) {
	s := c.Session()
	if s == nil {
		return store.Actor{}, ErrNoSession
	}
	return s.Quiet()
}

// Background is Session.Background of the session in use.
func (c *Current) Background() (store.Actor, error) {
	s := c.Session()
	if s == nil {
		return store.Actor{}, ErrNoSession
	}
	return s.Background()
}

type basisKey struct{}

// WithBasis carries the basis the user gave in the need-to-know dialog to
// the store call that is retried with it (Current.Actor puts it in the
// actor).
func WithBasis(ctx context.Context, b store.Basis) context.Context {
	return context.WithValue(ctx, basisKey{}, b)
}

// BasisFrom is the basis WithBasis put in ctx.
func BasisFrom(ctx context.Context) (store.Basis, bool) {
	b, ok := ctx.Value(basisKey{}).(store.Basis)
	return b, ok && b.Reason != ""
}
