package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/legevakt/workstation/devices"
	"github.com/legevakt/workstation/devices/scenario"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/seed"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
)

// demoDaySize is the size of the seeded day: a busy weekday's encounters
// over 24 hours (a town legevakt sees 1,200-1,400), which leaves a few
// dozen waiting at the end, as in a real evening.
const demoDaySize = 800

// demoSetup is the temporary world of --demo: a fresh SQLite database in a
// temporary directory and the simulated monitors; close removes it all.
type demoSetup struct {
	dir      string
	dsn      string
	monitors []devices.DeviceConfig
	closers  []func()
}

func startDemo(ctx context.Context) (*demoSetup, error) {
	dir, err := os.MkdirTemp("", "triage-tui-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: temporary directory: %w", err)
	}
	d := &demoSetup{dir: dir, dsn: filepath.Join(dir, "demo.db")}
	d.closers = append(d.closers, func() { _ = os.RemoveAll(dir) })
	if err := d.startMonitors(ctx); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

// seed fills the fresh database with a synthetic day ending now. The
// seed's own 1 Hz monitor history is left out: the monitor board is fed
// live by the simulated monitors instead.
func (d *demoSetup) seed(ctx context.Context, st *store.Store, now time.Time) error {
	if _, err := seed.Day(ctx, st, seed.Options{Patients: demoDaySize, End: now, Monitors: -1, Seed: uint64(now.Unix())}); err != nil {
		return fmt.Errorf("demo: seed the database: %w", err)
	}
	return nil
}

func (d *demoSetup) close() {
	for i := len(d.closers) - 1; i >= 0; i-- {
		d.closers[i]()
	}
}

// demoMonitors are the simulated monitors of --demo: a bedside monitor
// with a patient going septic, one with a stable adult, and a pulse
// oximeter on a patient with bradycardia, each on its own protocol.
var demoMonitors = []struct {
	id                          ids.Device
	location, profile, scenario string
	names                       map[string]string // as a device file's names = {nb, en}
}{
	{"demo-sepsis", "Obs 1", "datex", "septic-deterioration", map[string]string{"nb": "Demo: sepsis", "en": "Demo: sepsis"}},
	{"demo-stable", "Obs 2", "intellivue", "stable-adult", map[string]string{"nb": "Demo: stabil", "en": "Demo: stable"}},
	{"demo-brady", "Obs 3", "masimo", "bradycardia", map[string]string{"nb": "Demo: bradykardi", "en": "Demo: bradycardia"}},
}

// demoPatients are the walk-ins on the demo's monitors (synthetic names,
// no identity numbers: they get temporary ids). Their first and last names
// are outside the seed's name lists, so no seeded patient has a name that
// could be taken for theirs. Each was triaged on
// arrival with the values a nurse measured then, on room air and alert.
// The septic patient was milder then (NEWS2 1) than the monitor shows
// from the start (about 4, rising over 30 minutes), so the deterioration
// flag is there to be seen at once; the other two match their monitors.
var demoPatients = []DemoPatient{
	{Device: "demo-sepsis", Location: "Obs 1", Name: "Gunhild Tveit", AgeYears: 78, Complaint: "Feber og slapphet",
		Arrived: 40 * time.Minute, Assessed: 25 * time.Minute,
		RR: 18, SpO2: 97, SBP: 124, DBP: 78, HR: 92, TempC: 38.0, Oxygen: news2.Air, Consciousness: news2.Alert},
	{Device: "demo-stable", Location: "Obs 2", Name: "Torstein Aas", AgeYears: 45, Complaint: "Brystsmerter, nå smertefri",
		Arrived: 30 * time.Minute, Assessed: 20 * time.Minute,
		RR: 14, SpO2: 98, SBP: 124, DBP: 78, HR: 72, TempC: 36.8, Oxygen: news2.Air, Consciousness: news2.Alert},
	{Device: "demo-brady", Location: "Obs 3", Name: "Ragnhild Vik", AgeYears: 84, Complaint: "Svimmelhet",
		Arrived: 50 * time.Minute, Assessed: 35 * time.Minute,
		RR: 14, SpO2: 96, SBP: 96, DBP: 58, HR: 38, TempC: 36.4, Oxygen: news2.Air, Consciousness: news2.Alert},
}

// register puts the demo patients in the database and on their monitors.
func (d *demoSetup) register(ctx context.Context, st store.Interface, a store.Actor, e *triage.Engine, now time.Time) ([]monitorboard.MonitoredPatient, error) {
	out := make([]monitorboard.MonitoredPatient, 0, len(demoPatients))
	for _, p := range demoPatients {
		mp, err := RegisterDemoPatient(ctx, st, a, e, p, now)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		out = append(out, mp)
	}
	return out, nil
}

// startMonitors starts each simulated monitor on a pseudo-terminal whose
// stable path lies in the demo's temporary directory, and configures a
// device to read it, exactly as a real serial port would be.
func (d *demoSetup) startMonitors(ctx context.Context) error {
	for _, m := range demoMonitors {
		sc, err := scenario.Builtin(m.scenario)
		if err != nil {
			return fmt.Errorf("demo: scenario %s: %w", m.scenario, err)
		}
		sim, err := devices.StartSimulator(ctx, m.profile, sc, devices.WithLinkPath(filepath.Join(d.dir, m.id.String())))
		if err != nil {
			return fmt.Errorf("demo: simulated %s monitor: %w", m.profile, err)
		}
		d.closers = append(d.closers, func() { _ = sim.Close() })
		d.monitors = append(d.monitors, devices.DeviceConfig{ID: m.id, Location: m.location, Port: sim.Path(), Profile: m.profile, Names: m.names})
	}
	return nil
}
