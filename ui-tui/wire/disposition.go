package wire

import (
	"context"
	"time"

	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/workstation/disposition"
)

// dispositionStore is what sending on and ending a call need of the store
// (*store.Store).
type dispositionStore interface {
	disposition.Store
	disposition.EndStore
}

// sessionDisposition ends, reopens and sends on from the queue board
// through workstation/disposition, the desk's send-on too, as the session
// in use at the moment of the key (a user's action); the ended calls are
// sessionOutcomes' list.
type sessionDisposition struct {
	sessionOutcomes
	st  dispositionStore
	now func() time.Time // nil: time.Now
}

var _ queueboard.OutcomeService = sessionDisposition{}

func (d sessionDisposition) clock() time.Time {
	if d.now != nil {
		return d.now()
	}
	return time.Now()
}

// End implements queueboard.OutcomeService.
func (d sessionDisposition) End(ctx context.Context, e disposition.Ending) error {
	a, err := d.cur.Actor(ctx)
	if err != nil {
		return err
	}
	_, err = disposition.End(ctx, d.st, a, d.clock(), e)
	return err
}

// Send implements queueboard.OutcomeService.
func (d sessionDisposition) Send(ctx context.Context, m disposition.Move) error {
	a, err := d.cur.Actor(ctx)
	if err != nil {
		return err
	}
	_, err = disposition.Send(ctx, d.st, a, d.clock(), m)
	return err
}
