package tui

import (
	"context"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/queuefeed"
)

// StoreCalls is the QueueSource on triage/store (the phone call itself is
// workstation/phonecall).
type StoreCalls struct {
	Store   store.Interface
	Actor   store.Actor
	Targets triage.Targets
	Index   *phone.Index
	Lang    string
}

// AppendQueue reads the shared queue in the store's order into dst.
func (s StoreCalls) AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	return queuefeed.Feed{Store: s.Store, Actor: s.Actor}.AppendQueue(ctx, now, dst)
}

// Watch turns the store's change feed into change ticks (queuefeed.Ticks);
// it ends when ctx ends or the store closes.
func (s StoreCalls) Watch(ctx context.Context) (<-chan struct{}, error) {
	return queuefeed.Ticks(ctx, s.Store)
}
