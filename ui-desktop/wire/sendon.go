package wire

import (
	"context"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/workstation/disposition"
)

// SendOn is workstation/disposition behind desk.SendOn, acting as the user
// logged in at the moment of the move.
type SendOn struct {
	S     disposition.Store
	Actor Actors
	Now   func() time.Time // nil: time.Now
}

var _ desk.SendOn = SendOn{}

// Send implements desk.SendOn.
func (s SendOn) Send(ctx context.Context, id ids.Encounter, seen string, to disposition.Destination) error {
	actor, err := s.Actor.Actor(ctx)
	if err != nil {
		return fmt.Errorf("send encounter %d on: who is working: %w", id, err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	_, err = disposition.Send(ctx, s.S, actor, now(), disposition.Move{Encounter: id, Seen: store.Status(seen), To: to})
	return err
}
