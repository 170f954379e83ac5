package wire

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/seed"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/session"
)

// Options are triage-desk's settings, from its flags.
type Options struct {
	DB           string // SQLite path or postgres:// URL; "" is the default path
	Demo         bool   // temporary seeded SQLite and simulated monitors
	DemoPatients int    // encounters in the demo day (default 40)
	Lang         string // "nb" (default) or "en"
	HighContrast bool
	Scale        float32
	// User pre-fills the login page's user name; it still needs the
	// password (it makes nobody act as anyone).
	User string
	// OIDCIssuer and OIDCClient offer login through the clinic's identity
	// provider beside passwords (both or neither); OpenBrowser opens the
	// provider's login page in the system browser.
	OIDCIssuer, OIDCClient string
	OpenBrowser            func(url string) error
	// IdleLock is the inactivity lock (0: identity.DefaultIdle, 5 min).
	IdleLock    time.Duration
	DevicesFile string // the workstation's device configuration, "" for none
	DataDir     string // drafts; "" is next to the default database
	ECGDir      string // where the ECG file picker starts (the carts' export folder); "" the home folder
	// DemoDeterioration is how long the demo's septic patient takes to
	// deteriorate (default DemoDeterioration).
	DemoDeterioration time.Duration
	DBOptions         []store.Option // from the command line: the insecure-plaintext flag
}

// Wired is what triage-desk needs after Setup: the login gate and the
// session in use (the only source of the store actor), the desktop's
// dependencies (User and Drafts are the logged-in user's: Desk fills
// them), and the administrator's and the look-up's backends.
type Wired struct {
	Deps        desk.Deps
	Gate        *session.Gate
	Current     *session.Current
	Admin       Admin
	Lookup      Lookup
	Workstation string
	// Demo lists the demo accounts of a --demo database (nil otherwise).
	Demo []session.DemoAccount
	// DataDir holds each user's drafts.
	DataDir string
}

// DeskRoles are the roles the reception desktop accepts, preferred first.
var DeskRoles = []store.Role{store.RoleReception, store.RolePhysician, store.RoleAdmin}

// Drafts is the draft file of user.
func (w *Wired) Drafts(user string) desk.Drafts { return Drafts(w.DataDir, user) }

// Desk is the desktop's dependencies for user (logged in): their drafts
// and their name on saves and acknowledgements; actions are the window's
// keys.
func (w *Wired) Desk(user string, actions []desk.Action) desk.Deps {
	d := w.Deps
	d.User, d.Drafts, d.Actions = user, w.Drafts(user), actions
	return d
}

// Setup opens everything the desktop needs. The returned close function
// stops the simulators, closes the store and, in demo mode, removes the
// temporary database. A database without accounts is refused with
// session.ErrNoAccounts (session.Message names `triagectl users add`),
// except a --demo database, which gets the demo accounts.
func Setup(ctx context.Context, o Options) (*Wired, func(), error) {
	var closers []func()
	done := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	lang, err := i18n.Parse(o.Lang)
	if err != nil {
		return nil, done, err
	}
	if o.IdleLock < 0 {
		return nil, done, fmt.Errorf("idle lock %s: want a positive duration", o.IdleLock)
	}
	host, _ := os.Hostname()
	dsn, dataDir := o.DB, o.DataDir
	if o.Demo {
		dir, err := os.MkdirTemp("", "triage-desk-demo-")
		if err != nil {
			return nil, done, err
		}
		closers = append(closers, func() { os.RemoveAll(dir) })
		dsn, dataDir = filepath.Join(dir, "demo.db"), dir
	}
	if dataDir == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, done, err
		}
		dataDir = filepath.Dir(p)
	}
	st, err := store.Open(ctx, dsn, o.DBOptions...)
	if err != nil {
		return nil, done, fmt.Errorf("open store: %w", err)
	}
	closers = append(closers, func() { st.Close() })
	if o.Demo {
		n := o.DemoPatients
		if n == 0 {
			n = 40
		}
		if _, err := seed.Day(ctx, st, seed.Options{Patients: n, End: time.Now(), Monitors: -1}); err != nil {
			return nil, done, fmt.Errorf("seed demo day: %w", err)
		}
	}
	w := &Wired{Current: &session.Current{}, Workstation: host, DataDir: dataDir}
	if o.Demo {
		// After the demo day: its seeding is the store's own, before any
		// account exists. The demo accounts' password is public.
		if w.Demo, err = session.SeedDemo(ctx, st); err != nil {
			return nil, done, fmt.Errorf("demo accounts: %w", err)
		}
	}
	gcfg := session.Config{Store: st, Workstation: host, Service: store.ServiceReception, Roles: DeskRoles, Idle: o.IdleLock}
	if o.OIDCIssuer != "" || o.OIDCClient != "" {
		if o.OIDCIssuer == "" || o.OIDCClient == "" {
			return nil, done, fmt.Errorf("identity provider: give both --oidc-issuer and --oidc-client")
		}
		gcfg.OIDC = &identity.OIDC{Issuer: o.OIDCIssuer, ClientID: o.OIDCClient, OpenBrowser: o.OpenBrowser}
	}
	w.Gate, err = session.New(gcfg)
	if err != nil {
		return nil, done, err
	}
	switch ok, err := w.Gate.Required(ctx); {
	case err != nil:
		return nil, done, fmt.Errorf("accounts: %w", err)
	case !ok:
		return nil, done, session.ErrNoAccounts
	}
	var engineOpts []triage.Option
	if o.Demo {
		// Simulated values are marked "demo"; only in demo mode are they
		// scored, and every result then carries the engine's demo note.
		engineOpts = append(engineOpts, triage.WithDemoValues())
	}
	cur := w.Current
	deps := desk.Deps{
		Scorer: Scorer{Engine: triage.NewEngine(rules.Default(), engineOpts...)},
		Store:  &Store{S: st, Actor: cur},
		NewECG: NewECG,
		Lang:   lang,
		Stale:  vitals.DefaultStalePolicy(),
		Theme:  desktheme.New(o.HighContrast, o.Scale),
		Logf:   log.Printf,
	}
	deps.Records = Records{Store: st, Actor: cur, Lang: lang}
	deps.ECGs = &ECGs{S: st, Actors: cur, Dir: o.ECGDir}
	deps.SendOn = SendOn{S: st, Actor: cur}
	w.Admin = Admin{S: st, Actor: cur}
	w.Lookup = Lookup{S: st, Actor: cur}
	// Monitor values are recorded by the shared recorder as the user
	// logged in at the workstation, also behind the lock screen: retried
	// while the store refuses (and while nobody is logged in), spooled
	// beside the drafts beyond its memory bound, and closed (writing what
	// is left) before the store.
	rec := monitoring.New(ctx, RecordingWriter{Store: st, Actor: cur},
		monitoring.Options{SpoolDir: filepath.Join(dataDir, "monitor-spool-desk")})
	closers = append(closers, func() {
		if err := rec.Close(); err != nil {
			log.Printf("monitor values: %v", err)
		}
	})
	go reportRecorder(ctx, rec, log.Printf)
	deps.Recorder = rec
	mons, closeMons, err := openMonitors(ctx, o, dataDir)
	closers = append(closers, closeMons)
	if err != nil {
		return nil, done, err
	}
	deps.Monitors = mons
	w.Deps = deps
	return w, done, nil
}

// reportRecorder logs each time the store refuses monitor values: how many
// are kept (and retried) and why. Store errors name ids, never patient data.
func reportRecorder(ctx context.Context, rec *monitoring.Recorder, logf func(string, ...any)) {
	for {
		select {
		case <-rec.Failed():
			if s := rec.Stats(); s.LastErr != nil {
				logf("monitor values not stored yet (%d waiting, retrying): %v", s.Pending, s.LastErr)
			}
		case <-ctx.Done():
			return
		}
	}
}
