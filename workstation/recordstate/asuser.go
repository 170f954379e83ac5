package recordstate

import (
	"context"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
)

// Quiet gives the actor of the user logged in now, without counting the
// call as the user's activity (session.Current and the desktop's session
// holder have it): a board reads the record state with every queue read.
type Quiet interface {
	Quiet() (store.Actor, error)
}

// AsUser is the record state read as the user logged in at each call, the
// one both front ends' boards use: every read is audited as that user, and
// a locked or ended session reads nothing.
type AsUser struct {
	Store Store
	Actor Quiet
	Lang  wording.Lang   // bokmål or English
	Loc   *time.Location // the clinic's time zone; nil means time.Local
}

func (r AsUser) reader() (Reader, error) {
	rd := Reader{Store: r.Store, Lang: r.Lang, Loc: r.Loc}
	a, err := r.Actor.Quiet()
	if err != nil {
		return rd, fmt.Errorf("record state: %w", err)
	}
	rd.Actor = a
	return rd, nil
}

// Patients reads Reader.Patients as the user logged in now.
func (r AsUser) Patients(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]Patient, error) {
	rd, err := r.reader()
	if err != nil {
		return nil, err
	}
	return rd.Patients(ctx, encounterIDs)
}

// HealthLine reads Reader.HealthLine as the user logged in now.
func (r AsUser) HealthLine(ctx context.Context) (string, error) {
	rd, err := r.reader()
	if err != nil {
		return "", err
	}
	return rd.HealthLine(ctx)
}

// Unknown is Reader.Unknown (no read).
func (r AsUser) Unknown() Patient { return Reader{Lang: r.Lang}.Unknown() }

// Heading is Reader.Heading (no read).
func (r AsUser) Heading() string { return Reader{Lang: r.Lang}.Heading() }
