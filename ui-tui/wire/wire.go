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

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/homevitals"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	tui "github.com/legevakt/workstation/ui-tui"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/queuefeed"
	"github.com/legevakt/workstation/workstation/recordstate"
)

// Options are triage-tui's settings, from its flags.
type Options struct {
	Demo                           bool   // fresh temporary database, seeded queue, simulated monitors
	DB, Config, Lang, Nurse, Index string // database DSN, device file, language, nurse's name, criteria index file
}

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
		b, err := os.ReadFile(path)
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
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	w.closers = append(w.closers, func() { _ = st.Close() })
	actor, err := store.CurrentActor(o.Nurse)
	if err != nil {
		return nil, fmt.Errorf("nurse: %w", err)
	}
	engine := triage.NewEngine(nil)
	calls := queuefeed.Feed{Store: st, Actor: actor}

	phoneCalls := &phonecall.Service{Store: st, Actor: actor, Targets: engine.Targets(), Index: ix,
		Vitals: func(v phone.Vitals, age int, confirmed []string, now time.Time) (phone.VitalsFinding, triage.Assessment, error) {
			return homevitals.Assess(engine, v, age, confirmed, now)
		}}
	deps := tui.Deps{Index: ix, Calls: phoneCalls, Outcomes: phoneCalls, Queue: calls, NEWS2: monitorboard.News2Chart{}, Ticks: true,
		Records: recordstate.Reader{Store: st, Actor: actor, Lang: string(lang)}}
	if demo != nil {
		// Seeding a day takes seconds; the screens come up at once and the
		// queue board fills as the seed commits (the store's Watch sees it).
		w.background = append(w.background, func(ctx context.Context, send func(tea.Msg)) {
			if err := demo.seed(ctx, st, time.Now()); err != nil && ctx.Err() == nil {
				send(tui.Notice{Text: err.Error()})
			}
		})
	}
	devs := cfg.Devices
	var monitored []monitorboard.MonitoredPatient
	if demo != nil {
		devs = append(devs, demo.monitors...)
		if monitored, err = demo.register(ctx, st, actor, engine, time.Now()); err != nil {
			return nil, err
		}
	}
	own := make([]int64, len(monitored))
	for i, p := range monitored {
		own[i] = p.EncounterID
	}
	// The monitor board shows this workstation's devices and the monitors
	// other workstations store in the shared database (but not the values
	// this workstation stores itself).
	fromStore, err := monitoring.NewStoreFeed(ctx, st, actor, time.Now, own...)
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
			// The attached patients' values are stored for their encounters;
			// the recorder closes (writing what is left) before the devices
			// and the store.
			spool, err := spoolDir(demo)
			if err != nil {
				return nil, err
			}
			rec := NewMonitorRecorderWith(ctx, feed, st, actor, monitored, monitoring.Options{SpoolDir: spool})
			w.closers = append(w.closers, func() { _ = rec.Close() })
			w.background = append(w.background, func(ctx context.Context, send func(tea.Msg)) { rec.Report(ctx, lang, send) })
			feed = rec
		}
		feeds = append(feeds, feed)
	}
	deps.Monitored = monitored
	deps.Reload = func(ctx context.Context, p monitorboard.MonitoredPatient) (monitorboard.MonitoredPatient, error) {
		return LoadMonitoredPatient(ctx, st, actor, p.Device, p.Location, p.EncounterID)
	}
	deps.Monitor = monitoring.Merge(ctx, feeds...)
	c := screen.NewContext(lang, screen.NoColor(getenv), time.Now)
	c.Nurse = actor.User
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
