// Package queuefeed is the live queue both front ends show: the ordered
// queue read from the store, and a change feed coalesced into "read the
// queue again" ticks. Changes that leave every queue entry as it was (new
// monitor values, encounter events) are skipped, so that a monitor storing
// its values every few seconds does not make every board re-read (and be
// audited as reading) the queue.
package queuefeed

import (
	"context"
	"time"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// Watcher is the store's change feed.
type Watcher interface {
	Watch(ctx context.Context) (<-chan store.Change, error)
}

// Ticks turns w's change feed into ticks: one value whenever the queue may
// have changed, at most one pending (a board that is busy re-reads once
// for any number of changes). The channel closes when ctx ends or the
// store closes.
func Ticks(ctx context.Context, w Watcher) (<-chan struct{}, error) {
	ch, err := w.Watch(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		for c := range ch {
			if store.QueueNeutral(c.Kind) {
				continue // vitals and events do not change a queue entry
			}
			select {
			case out <- struct{}{}:
			default: // a re-read is already pending; one is enough
			}
		}
	}()
	return out, nil
}

// Store is the part of the store the feed reads.
type Store interface {
	Watcher
	AppendQueue(ctx context.Context, a store.Actor, now time.Time, dst []queue.Entry) ([]queue.Entry, error)
}

// Feed is the live queue as one workstation user sees it (queue reads are
// audited as Actor).
type Feed struct {
	Store Store
	Actor store.Actor
	// Lang words a patient the store names by neither a name nor a
	// temporary id ("pasient 12", "patient 12"; wording.PatientLabel);
	// bokmål when not set.
	Lang wording.Lang
}

// AppendQueue appends the open encounters in queue order at now to dst
// (dst unchanged on error); a board passes its previous entries so that a
// re-read does not allocate.
func (f Feed) AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	n := len(dst)
	out, err := f.Store.AppendQueue(ctx, f.Actor, now, dst)
	if err != nil {
		return out, err
	}
	for i := n; i < len(out); i++ {
		if out[i].Patient == "" {
			out[i].Patient = wording.PatientLabel("", out[i].PatientID, f.Lang)
		}
	}
	return out, nil
}

// Changes delivers a tick whenever the queue may have changed, on this or
// another workstation (Ticks).
func (f Feed) Changes(ctx context.Context) (<-chan struct{}, error) { return Ticks(ctx, f.Store) }
