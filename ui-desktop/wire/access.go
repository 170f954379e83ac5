package wire

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/adminpage"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/lookup"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/recordstate"
	"github.com/legevakt/workstation/workstation/session"
)

// Records is the record state (desk.RecordState) read as the logged-in
// user at each call: the workstation layer's, shared with the terminal
// front end (recordstate.AsUser).
type Records = recordstate.AsUser

var _ desk.RecordState = Records{}

// Lookup finds a patient by identity number for the desktop's look-up
// (lookup.Backend) as the logged-in user, with the basis the user gave
// (recorded by the store in every audit entry of the look-up).
type Lookup struct {
	S     store.Interface
	Actor Actors
}

var _ lookup.Backend = Lookup{}

// Find implements lookup.Backend: the patient and their contacts, newest
// first, in one basis.
func (l Lookup) Find(ctx context.Context, nid string, b store.Basis) (lookup.Found, error) {
	a, err := l.Actor.Actor(session.WithBasis(ctx, b))
	if err != nil {
		return lookup.Found{}, fmt.Errorf("find patient: %w", err)
	}
	p, err := l.S.FindPatientByNID(ctx, a, nid)
	if err != nil {
		return lookup.Found{}, fmt.Errorf("find patient: %w", err)
	}
	es, err := l.S.EncountersForPatient(ctx, a, p.ID)
	if err != nil {
		return lookup.Found{}, fmt.Errorf("contacts of the patient: %w", err)
	}
	out := lookup.Found{Patient: p.Label()}
	for _, e := range es {
		out.Contacts = append(out.Contacts, lookup.Contact{Arrived: e.ArrivedAt, Channel: string(e.Channel), Open: e.Status.InQueue(),
			Triaged: e.Triaged, Colour: e.Colour, Complaint: e.Complaint})
	}
	return out, nil
}

// Admin is log review and account management (adminpage.Backend) as the
// logged-in administrator; the store checks the role and audits each.
type Admin struct {
	S     *store.Store
	Actor Actors
	// Since bounds the review list (zero: everything).
	Since time.Time
}

var _ adminpage.Backend = Admin{}

// Review implements adminpage.Backend.
func (ad Admin) Review(ctx context.Context, all bool) ([]store.ReviewItem, error) {
	a, err := ad.Actor.Actor(ctx)
	if err != nil {
		return nil, err
	}
	return ad.S.Review(ctx, a, ad.Since, time.Time{}, all)
}

// MarkReviewed implements adminpage.Backend.
func (ad Admin) MarkReviewed(ctx context.Context, seq int64, note string) error {
	a, err := ad.Actor.Actor(ctx)
	if err != nil {
		return err
	}
	return ad.S.MarkReviewed(ctx, a, seq, note)
}

// Users implements adminpage.Backend.
func (ad Admin) Users(ctx context.Context) ([]store.User, error) {
	a, err := ad.Actor.Actor(ctx)
	if err != nil {
		return nil, err
	}
	return ad.S.Users(ctx, a)
}

// SetDisabled implements adminpage.Backend.
func (ad Admin) SetDisabled(ctx context.Context, username string, disabled bool) error {
	a, err := ad.Actor.Actor(ctx)
	if err != nil {
		return err
	}
	_, err = ad.S.ChangeUser(ctx, a, username, store.AccountChange{Disabled: &disabled})
	return err
}

// ResetPassword implements adminpage.Backend: the password is hashed
// here (argon2id) and only the hash reaches the store.
func (ad Admin) ResetPassword(ctx context.Context, username, password string) error {
	a, err := ad.Actor.Actor(ctx)
	if err != nil {
		return err
	}
	hash, err := identity.HashPassword(password)
	if err != nil {
		return err
	}
	_, err = ad.S.ChangeUser(ctx, a, username, store.AccountChange{PasswordHash: &hash})
	return err
}

// RecordingWriter stores monitor values (a monitoring.BatchWriter) as the
// user logged in at the workstation (Actors.Background), also while the
// screen is locked: the monitors keep recording for the waiting patients.
// With nobody logged in, or the account disabled, it refuses and the
// recorder keeps the values and retries.
type RecordingWriter struct {
	Store interface {
		AddObservationBatch(ctx context.Context, a store.Actor, encounterID ids.Encounter, batchID string, obs []vitals.Observation) error
		AddObservations(ctx context.Context, a store.Actor, encounterID ids.Encounter, obs []vitals.Observation) error
	}
	Actor Actors
}

var _ monitoring.BatchWriter = RecordingWriter{}

// AddObservations implements monitoring.Writer.
func (w RecordingWriter) AddObservations(ctx context.Context, enc ids.Encounter, obs []vitals.Observation) error {
	a, err := w.Actor.Background()
	if err != nil {
		return fmt.Errorf("monitor values: %w", err)
	}
	return w.Store.AddObservations(ctx, a, enc, obs)
}

// AddObservationBatch implements monitoring.BatchWriter.
func (w RecordingWriter) AddObservationBatch(ctx context.Context, enc ids.Encounter, batch monitoring.BatchID, obs []vitals.Observation) error {
	a, err := w.Actor.Background()
	if err != nil {
		return fmt.Errorf("monitor values: %w", err)
	}
	return w.Store.AddObservationBatch(ctx, a, enc, string(batch), obs)
}

// Drafts is the unsaved-form file of one user: each user's input stays
// theirs (a switch of user never carries it into another's name), in a
// file of its own next to the database. Names are account names, which
// the store limits to a-z, digits, '.', '_' and '-'.
func Drafts(dir, user string) *desk.FileDrafts {
	return &desk.FileDrafts{Path: filepath.Join(dir, "desk-draft-"+user+".json")}
}
