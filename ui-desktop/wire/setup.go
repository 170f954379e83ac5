package wire

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/seed"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/monitoring"
	"github.com/legevakt/workstation/workstation/recordstate"
)

// Options are triage-desk's settings, from its flags.
type Options struct {
	DB           string // SQLite path or postgres:// URL; "" is the default path
	Demo         bool   // temporary seeded SQLite and simulated monitors
	DemoPatients int    // encounters in the demo day (default 40)
	Lang         string // "nb" (default) or "en"
	HighContrast bool
	Scale        float32
	User         string // overrides the operating-system user
	DevicesFile  string // the workstation's device configuration, "" for none
	DataDir      string // drafts; "" is next to the default database
	ECGDir       string // where the ECG file picker starts (the carts' export folder); "" the home folder
	// DemoDeterioration is how long the demo's septic patient takes to
	// deteriorate (default DemoDeterioration).
	DemoDeterioration time.Duration
}

// Setup opens everything the desktop needs. The returned close function
// stops the simulators, closes the store and, in demo mode, removes the
// temporary database.
func Setup(ctx context.Context, o Options) (desk.Deps, func(), error) {
	var closers []func()
	done := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	lang, err := i18n.Parse(o.Lang)
	if err != nil {
		return desk.Deps{}, done, err
	}
	actor, err := store.CurrentActor(o.User)
	if err != nil {
		return desk.Deps{}, done, fmt.Errorf("who is using the workstation: %w", err)
	}
	dsn, dataDir := o.DB, o.DataDir
	if o.Demo {
		dir, err := os.MkdirTemp("", "triage-desk-demo-")
		if err != nil {
			return desk.Deps{}, done, err
		}
		closers = append(closers, func() { os.RemoveAll(dir) })
		dsn, dataDir = filepath.Join(dir, "demo.db"), dir
	}
	if dataDir == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return desk.Deps{}, done, err
		}
		dataDir = filepath.Dir(p)
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return desk.Deps{}, done, fmt.Errorf("open store: %w", err)
	}
	closers = append(closers, func() { st.Close() })
	if o.Demo {
		n := o.DemoPatients
		if n == 0 {
			n = 40
		}
		if _, err := seed.Day(ctx, st, seed.Options{Patients: n, End: time.Now(), Monitors: -1}); err != nil {
			return desk.Deps{}, done, fmt.Errorf("seed demo day: %w", err)
		}
	}
	var engineOpts []triage.Option
	if o.Demo {
		// Simulated values are marked "demo"; only in demo mode are they
		// scored, and every result then carries the engine's demo note.
		engineOpts = append(engineOpts, triage.WithDemoValues())
	}
	deps := desk.Deps{
		Scorer: Scorer{Engine: triage.NewEngine(rules.Default(), engineOpts...)},
		Store:  &Store{S: st, Actor: actor},
		NewECG: NewECG,
		Drafts: &desk.FileDrafts{Path: filepath.Join(dataDir, "desk-draft.json")},
		User:   actor.User,
		Lang:   lang,
		Stale:  vitals.DefaultStalePolicy(),
		Theme:  desktheme.New(o.HighContrast, o.Scale),
		Logf:   log.Printf,
	}
	deps.Records = recordstate.Reader{Store: st, Actor: actor, Lang: string(lang)}
	deps.ECGs = &ECGs{S: st, Actors: OneActor(actor), Dir: o.ECGDir}
	// Monitor values are recorded by the shared recorder: retried while the
	// store refuses, spooled beside the drafts beyond its memory bound, and
	// closed (writing what is left) before the store.
	rec := monitoring.New(ctx, monitoring.StoreWriter{Store: st, Actor: actor},
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
		return deps, done, err
	}
	deps.Monitors = mons
	return deps, done, nil
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
