package wire

import (
	"context"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/session"
)

// fixed is one actor for the tests of the adapters on a database without
// accounts (the store checks no roles there); the desktop itself takes
// its actor from the logged-in session (session.Current).
type fixed store.Actor

func (f fixed) Actor(ctx context.Context) (store.Actor, error) {
	a := store.Actor(f)
	if b, ok := session.BasisFrom(ctx); ok {
		a.Basis = b
	}
	return a, nil
}

func (f fixed) Quiet() (store.Actor, error)      { return store.Actor(f), nil }
func (f fixed) Background() (store.Actor, error) { return store.Actor(f), nil }
