package wire

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/queueboard"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
	"github.com/legevakt/workstation/workstation/queuefeed"
	"github.com/legevakt/workstation/workstation/session"
)

// The adapters below are the only way the terminal's screens reach the
// store: each takes its actor from a logged-in session at the moment of
// the call (session.Current), never from a flag, the environment or a
// value kept from before a login or a switch of user.

// gateAuth is login.Auth over the session gate. ready closes when the
// database can take logins (at once; the demo's after its seed and demo
// accounts). The app, not the gate, makes a session the one in use.
type gateAuth struct {
	gate  *session.Gate
	ready <-chan struct{}
}

func newGateAuth(g *session.Gate, ready <-chan struct{}) *gateAuth {
	return &gateAuth{gate: g, ready: ready}
}

// Preparing implements login.Preparer: the demo's database is still
// being seeded.
func (g *gateAuth) Preparing() bool {
	select {
	case <-g.ready:
		return false
	default:
		return true
	}
}

func (g *gateAuth) wait(ctx context.Context) error {
	select {
	case <-g.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Login implements login.Auth: the first of the terminal's roles
// (phone_nurse, physician) the account holds.
func (g *gateAuth) Login(ctx context.Context, user, password, totp string) (*session.Session, error) {
	if err := g.wait(ctx); err != nil {
		return nil, err
	}
	return g.gate.Login(ctx, user, password, totp, "")
}

// LoginOIDC implements login.Auth.
func (g *gateAuth) LoginOIDC(ctx context.Context) (*session.Session, error) {
	if err := g.wait(ctx); err != nil {
		return nil, err
	}
	return g.gate.LoginOIDC(ctx, "")
}

// OIDCEnabled implements login.Auth.
func (g *gateAuth) OIDCEnabled() bool { return g.gate.OIDCEnabled() }

// sessionCalls is one user's call service: every store call acts as the
// session in who (the user's own), with the basis the user gave when the
// call is retried from the basis dialog. A late save of a user who has
// been switched away meets a locked session and is refused, never saved
// under the next user's name.
type sessionCalls struct {
	base phonecall.Service
	who  *session.Current
}

func (c sessionCalls) with(ctx context.Context) (*phonecall.Service, error) {
	a, err := c.who.Actor(ctx)
	if err != nil {
		return nil, err
	}
	s := c.base
	s.Actor = a
	return &s, nil
}

// Assess implements call.Service (the engine only: no store, no actor).
func (c sessionCalls) Assess(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, *triage.Assessment, error) {
	return c.base.Assess(v, age, confirmed, now)
}

// Save implements call.Service.
func (c sessionCalls) Save(ctx context.Context, r phonecall.Record) (phonecall.Saved, error) {
	s, err := c.with(ctx)
	if err != nil {
		return phonecall.Saved{}, err
	}
	return s.Save(ctx, r)
}

// History implements call.Service.
func (c sessionCalls) History(ctx context.Context, nid string) (string, []phonecall.Contact, error) {
	s, err := c.with(ctx)
	if err != nil {
		return "", nil, err
	}
	return s.History(ctx, nid)
}

// RepeatCaller implements call.Service.
func (c sessionCalls) RepeatCaller(ctx context.Context, number string) (phonecall.Caller, bool, error) {
	s, err := c.with(ctx)
	if err != nil {
		return phonecall.Caller{}, false, err
	}
	return s.RepeatCaller(ctx, number)
}

// Drop implements call.DropService: the dropped call is saved as the
// session's user.
func (c sessionCalls) Drop(ctx context.Context, r phonecall.DroppedRecord) (phonecall.Saved, error) {
	s, err := c.with(ctx)
	if err != nil {
		return phonecall.Saved{}, err
	}
	return s.Drop(ctx, r)
}

// StartCallBack implements call.DropService.
func (c sessionCalls) StartCallBack(ctx context.Context, id ids.Encounter) (phonecall.CallBack, error) {
	s, err := c.with(ctx)
	if err != nil {
		return phonecall.CallBack{}, err
	}
	return s.StartCallBack(ctx, id)
}

var (
	_ call.Service     = sessionCalls{}
	_ call.DropService = sessionCalls{}
)

// sessionOutcomes lists the calls ended in the last day for the queue
// board as the session in use (ending, reopening and sending on are
// sessionDisposition's, disposition.go).
type sessionOutcomes struct {
	base phonecall.Service
	cur  *session.Current
}

// CallBackDone implements queueboard.CallBackService (a user's action).
func (o sessionOutcomes) CallBackDone(ctx context.Context, id ids.Encounter, note string) error {
	a, err := o.cur.Actor(ctx)
	if err != nil {
		return err
	}
	s := o.base
	s.Actor = a
	return s.CallBackDone(ctx, id, note)
}

var _ queueboard.CallBackService = sessionOutcomes{}

// Ended implements queueboard.OutcomeService.
func (o sessionOutcomes) Ended(ctx context.Context, now time.Time) ([]queue.Item, error) {
	a, err := o.cur.Quiet()
	if err != nil {
		return nil, err
	}
	s := o.base
	s.Actor = a
	return s.Ended(ctx, now)
}

// sessionQueue is the live queue read as the session in use; the board's
// own re-reads after a change do not count as the user's activity and
// stop while the screen is locked.
type sessionQueue struct {
	st   queuefeed.Store
	cur  *session.Current
	lang wording.Lang // words a patient the store names by nothing
}

// AppendQueue implements queueboard.Source.
func (q sessionQueue) AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	a, err := q.cur.Quiet()
	if err != nil {
		return dst, err
	}
	return queuefeed.Feed{Store: q.st, Actor: a, Lang: q.lang}.AppendQueue(ctx, now, dst)
}

// Changes implements queueboard.Source (no patient data: no actor).
func (q sessionQueue) Changes(ctx context.Context) (<-chan struct{}, error) {
	return queuefeed.Feed{Store: q.st}.Changes(ctx)
}

// backgroundStore is the store as the monitor feed of other workstations
// reads it: as the user logged in here, also while the screen is locked
// (monitoring goes on), without counting as activity. Only the reads the
// feed makes are overridden; any other call keeps the actor it is given.
type backgroundStore struct {
	store.Interface
	cur *session.Current
}

// Observations implements store.Interface as the logged-in user.
func (b backgroundStore) Observations(ctx context.Context, _ store.Actor, encounterID ids.Encounter, since time.Time) ([]vitals.Observation, error) {
	a, err := b.cur.Background()
	if err != nil {
		return nil, err
	}
	return b.Interface.Observations(ctx, a, encounterID, since)
}

// GetEncounter implements store.Interface as the logged-in user.
func (b backgroundStore) GetEncounter(ctx context.Context, _ store.Actor, id ids.Encounter) (store.Encounter, error) {
	a, err := b.cur.Background()
	if err != nil {
		return store.Encounter{}, err
	}
	return b.Interface.GetEncounter(ctx, a, id)
}

// GetPatient implements store.Interface as the logged-in user.
func (b backgroundStore) GetPatient(ctx context.Context, _ store.Actor, id ids.Patient) (store.Patient, error) {
	a, err := b.cur.Background()
	if err != nil {
		return store.Patient{}, err
	}
	return b.Interface.GetPatient(ctx, a, id)
}

// backgroundWriter stores this workstation's monitor values as the user
// logged in here, also while the screen is locked. Before the first login
// it waits (the recorder keeps the values meanwhile): nothing is written
// in nobody's name.
type backgroundWriter struct {
	st  *store.Store
	cur *session.Current
}

func (w backgroundWriter) actor(ctx context.Context) (store.Actor, error) {
	select {
	case <-w.cur.Ready():
	case <-ctx.Done():
		return store.Actor{}, fmt.Errorf("monitor values wait for a login: %w", ctx.Err())
	}
	return attachedActor(w.cur)
}

// AttachedBasis is the need-to-know basis of the work this workstation
// does for the patients on its own monitors (recording their values,
// re-reading their assessment): ongoing treatment, named. A phone nurse's
// workstation with a bedside monitor records a walk-in patient's values
// under it; the access log shows it, and log review lists it as access
// outside the user's service.
var AttachedBasis = store.Basis{Reason: store.BasisOngoing, Note: "pasienten er koblet til monitor ved denne arbeidsstasjonen"}

// attachedActor is the logged-in user acting for a patient on this
// workstation's monitors.
func attachedActor(cur *session.Current) (store.Actor, error) {
	a, err := cur.Background()
	if err != nil {
		return a, err
	}
	a.Basis = AttachedBasis
	return a, nil
}

// AddObservations implements ObservationAdder.
func (w backgroundWriter) AddObservations(ctx context.Context, _ store.Actor, encounterID ids.Encounter, obs []vitals.Observation) error {
	a, err := w.actor(ctx)
	if err != nil {
		return err
	}
	return w.st.AddObservations(ctx, a, encounterID, obs)
}

// AddObservationBatch is the store's exactly-once write, as the
// logged-in user.
func (w backgroundWriter) AddObservationBatch(ctx context.Context, _ store.Actor, encounterID ids.Encounter, batchID string, obs []vitals.Observation) error {
	a, err := w.actor(ctx)
	if err != nil {
		return err
	}
	return w.st.AddObservationBatch(ctx, a, encounterID, batchID, obs)
}

// openBrowser opens url in the system browser (the identity provider's
// login page).
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening the browser: %w", err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// noAccounts is the refusal of a database without accounts, in the
// user's language, with the commands that make the first accounts.
func noAccounts(lang wording.Lang) error {
	return fmt.Errorf("%s\n  triagectl users add admin --role administrator\n  triagectl users add NAME --role phone_nurse --service phone",
		session.Message(session.ErrNoAccounts, lang))
}
