// Package wire opens the real parts of the workstation (the store, the
// criteria index, the engine, the devices, the demo's temporary world) and
// adapts them to the terminal screens (package tui), as ui-desktop/wire does
// for the desktop. It holds no screen code; cmd/triage-tui only reads flags.
package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/call"
	"github.com/legevakt/workstation/ui-tui/login"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/recordstate"
	"github.com/legevakt/workstation/workstation/session"
)

// Options are triage-tui's settings, from its flags.
type Options struct {
	Demo                           bool   // fresh temporary database, seeded queue, simulated monitors, demo accounts
	DB, Config, Lang, Nurse, Index string // database DSN, device file, language, pre-filled user name, criteria index file
	// Idle is the inactivity lock (0: identity.DefaultIdle, 5 minutes).
	Idle time.Duration
	// OIDCIssuer and OIDCClient configure login through the clinic's
	// identity provider (both empty: password logins only).
	OIDCIssuer, OIDCClient string
	DBOptions              []store.Option // from the command line: the insecure-plaintext flag
}

// Service and Roles are what the terminal logs in for: the phone
// centre, as a phone nurse or a physician.
var (
	Service = store.ServicePhone
	Roles   = []store.Role{store.RolePhone, store.RolePhysician}
)

// demoSeedActor writes the demo's monitored patients before the demo
// accounts exist, as the seed writes its day (a demo database only).
var demoSeedActor = store.Actor{User: "demo-seed", Workstation: "seed"}

// Wired is the running app and what to release on exit, in reverse order.
type Wired struct {
	App     *tui.App
	closers []func()
	// background work that runs beside the program, e.g. the demo's seed.
	background []func(ctx context.Context, send func(tea.Msg))
}

// Start runs the background work; Close cancels it and waits for it
// before anything else is released.
func (w *Wired) Start(ctx context.Context, send func(tea.Msg)) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, f := range w.background {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(ctx, send)
		}()
	}
	w.closers = append(w.closers, func() { cancel(); wg.Wait() })
}

// Close releases everything Setup opened, in reverse order.
func (w *Wired) Close() {
	for i := len(w.closers) - 1; i >= 0; i-- {
		w.closers[i]()
	}
}

// Setup opens everything the terminal front end needs (store, criteria
// index, engine, devices, the demo's world) and builds the app; getenv
// reads the environment (the language from the locale).
func Setup(ctx context.Context, o Options, getenv func(string) string) (*Wired, error) {
	var cfg devices.Config
	if o.Config != "" {
		var err error
		if cfg, err = devices.LoadConfig(o.Config); err != nil {
			return nil, fmt.Errorf("device configuration: %w", err)
		}
	}
	lang := screen.DetectLang(o.Lang, getenv)
	w := &Wired{}
	ok := false
	defer func() {
		if !ok {
			w.Close()
		}
	}()

	ix := phone.DemoIndex()
	if path := o.Index; path != "" {
		b, err := capped.ReadFile(path, maxIndexBytes)
		if err != nil {
			return nil, fmt.Errorf("criteria index: %w", err)
		}
		if ix, err = phone.ParseIndex(b); err != nil {
			return nil, fmt.Errorf("criteria index %s: %w", path, err)
		}
	}

	dsn := o.DB
	var demo *demoSetup
	var err error
	if o.Demo {
		if demo, err = startDemo(ctx); err != nil {
			return nil, err
		}
		w.closers = append(w.closers, demo.close)
		dsn = demo.dsn
	}
	st, err := store.Open(ctx, dsn, o.DBOptions...)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	w.closers = append(w.closers, func() { _ = st.Close() })
	host, _ := os.Hostname()
	gcfg := session.Config{Store: st, Workstation: host, Service: Service, Roles: Roles, Idle: o.Idle}
	if o.OIDCIssuer != "" || o.OIDCClient != "" {
		if o.OIDCIssuer == "" || o.OIDCClient == "" {
			return nil, fmt.Errorf("identity provider: give both --oidc-issuer and --oidc-client")
		}
		gcfg.OIDC = &identity.OIDC{Issuer: o.OIDCIssuer, ClientID: o.OIDCClient, OpenBrowser: openBrowser}
	}
	gate, err := session.New(gcfg)
	if err != nil {
		return nil, err
	}
	ready := make(chan struct{})
	if demo == nil {
		required, err := gate.Required(ctx)
		if err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
		if !required {
			return nil, noAccounts(lang)
		}
		close(ready)
	}
	cur := &session.Current{}
	auth := newGateAuth(gate, ready)
	engine := triage.NewEngine(nil)
	base := phonecall.Service{Store: st, Targets: engine.Targets(), Index: ix, Vitals: phonecall.EngineVitals(engine)}
	deps := tui.Deps{Index: ix, Outcomes: sessionDisposition{sessionOutcomes: sessionOutcomes{base: base, cur: cur}, st: st}, Queue: sessionQueue{st: st, cur: cur, lang: lang},
		NEWS2: monitorboard.News2Chart{}, Ticks: true,
		Records: recordstate.AsUser{Store: st, Actor: cur, Lang: lang},
		Login: &tui.Login{Auth: auth, Current: cur, User: o.Nurse,
			CallsFor: func(who *session.Current) call.Service { return sessionCalls{base: base, who: who} }}}
	devs := cfg.Devices
	var monitored []monitorboard.MonitoredPatient
	if demo != nil {
		deps.Login.Hint = login.T(lang, "tui.login.demo", session.DemoPassword)
		if deps.Login.User == "" {
			deps.Login.User = "telefon"
		}
		devs = append(devs, demo.monitors...)
		if monitored, err = demo.register(ctx, st, demoSeedActor, engine, time.Now()); err != nil {
			return nil, err
		}
		// Seeding a day takes seconds; the login screen comes up at once
		// and the demo accounts are made when the seed is done (the
		// seed's writers have no accounts), so a login waits for them.
		w.background = append(w.background, func(ctx context.Context, send func(tea.Msg)) {
			defer close(ready)
			if err := demo.seed(ctx, st, time.Now()); err != nil && ctx.Err() == nil {
				send(tui.Notice{Text: err.Error()})
			}
			if _, err := session.SeedDemo(ctx, st); err != nil && ctx.Err() == nil {
				send(tui.Notice{Text: err.Error()})
			}
		})
	}
	own := make([]ids.Encounter, len(monitored))
	for i, p := range monitored {
		own[i] = p.EncounterID
	}
	// The monitor board shows this workstation's devices and the monitors
	// other workstations store in the shared database (but not the values
	// this workstation stores itself), read as the user logged in here.
	fromStore, err := monitoring.NewStoreFeed(ctx, backgroundStore{Interface: st, cur: cur}, store.Actor{}, time.Now, own...)
	if err != nil {
		return nil, err
	}
	feeds := []monitorboard.MonitorFeed{fromStore}
	if len(devs) > 0 {
		feed, stop, err := startDevices(ctx, cfg, devs)
		if err != nil {
			return nil, err
		}
		w.closers = append(w.closers, stop)
		if len(monitored) > 0 {
			// The attached patients' values are stored for their encounters
			// as the user logged in here (also while the screen is locked);
			// the recorder closes (writing what is left) before the devices
			// and the store.
			spool, err := spoolDir(demo)
			if err != nil {
				return nil, err
			}
			writer := backgroundWriter{st: st, cur: cur}
			rec := NewMonitorRecorderWith(ctx, feed, writer, store.Actor{}, monitored, monitoring.Options{SpoolDir: spool})
			w.closers = append(w.closers, func() { _ = rec.Close() })
			w.background = append(w.background, func(ctx context.Context, send func(tea.Msg)) { rec.Report(ctx, lang, send) })
			feed = rec
		}
		feeds = append(feeds, feed)
	}
	deps.Monitored = monitored
	deps.DeviceNames = deviceNames(devs)
	deps.Reload = func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error) {
		a, err := attachedActor(cur)
		if err != nil {
			return p, err
		}
		return LoadMonitoredPatient(ctx, st, a, p.Device, p.Location, p.EncounterID)
	}
	deps.Monitor = monitoring.Merge(ctx, feeds...)
	c := screen.NewContext(lang, screen.NoColor(getenv), time.Now)
	w.App = tui.NewApp(c, deps)
	ok = true
	return w, nil
}

// spoolDir is where monitor values beyond the recorder's memory bound wait
// for the store: beside the default database, or in the demo's directory.
func spoolDir(demo *demoSetup) (string, error) {
	if demo != nil {
		return filepath.Join(demo.dir, "monitor-spool-tui"), nil
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", fmt.Errorf("monitor spool: %w", err)
	}
	return filepath.Join(filepath.Dir(p), "monitor-spool-tui"), nil
}

// deviceNames are the configured devices' names per language for the
// monitor board (devices.DeviceConfig.Names).
func deviceNames(devs []devices.DeviceConfig) monitorboard.DeviceNames {
	out := monitorboard.DeviceNames{}
	for _, d := range devs {
		if len(d.Names) > 0 {
			out[d.ID] = wording.Text{NB: d.Names["nb"], EN: d.Names["en"]}
		}
	}
	return out
}
