// Package scenario scripts a simulated patient for the device simulators:
// vital signs as keyframes over time (interpolated linearly), a synthetic
// ECG (PQRST beats at the scripted heart rate, irregular RR intervals and
// fibrillatory waves for atrial fibrillation, a flat line with leads off),
// and events (leads off, cable pulled and replugged, monitor reboot, demo
// mode). Scenarios are TOML data files; the ones in testdata/scenarios are
// built in.
package scenario

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// Rhythm is the ECG rhythm of a scenario.
type Rhythm string

// Rhythms the synthetic ECG can draw.
const (
	Sinus    Rhythm = "sinus" // regular PQRST at the scripted heart rate
	AF       Rhythm = "af"    // atrial fibrillation: no P waves, f-waves, irregularly irregular RR
	NoECG    Rhythm = "none"  // no ECG attached (an oximeter, an NIBP-only monitor)
	Asystole Rhythm = "flat"  // a flat line (with leads on)
)

// EventKind names a scripted event.
type EventKind string

// Events a simulator acts on.
const (
	// LeadsOff: the ECG leads (and the oximeter probe) are off for Duration.
	LeadsOff EventKind = "leads_off"
	// CablePulled: the serial cable is out for Duration; the simulator
	// closes its pseudo-terminal and opens a new one at the same path.
	CablePulled EventKind = "cable_pulled"
	// MonitorReboot: the monitor restarts and is silent for Duration; the
	// simulator starts a fresh emulator, so a new association is needed.
	MonitorReboot EventKind = "monitor_reboot"
	// DemoMode: the monitor runs in demo mode for Duration (values must not be scored).
	DemoMode EventKind = "demo"
)

// Event is one scripted event.
type Event struct {
	At       time.Duration
	Kind     EventKind
	Duration time.Duration
}

// Point is a keyframe: the values at one moment. A kind missing from a
// point is interpolated from the neighbouring points that have it.
type Point struct {
	At     time.Duration
	Values map[vitals.Kind]float64
}

// Scenario is a loaded script. At is not safe for concurrent use (the ECG
// keeps a beat cache); give each simulator its own Clone.
type Scenario struct {
	Name        string
	Description string
	Rhythm      Rhythm
	// ECGAmplitude is the R-wave height in mV (default 1.0).
	ECGAmplitude float64
	Points       []Point
	Events       []Event

	epoch time.Time
	beats beatTrain
}

//go:embed builtin/*.toml
var builtinFS embed.FS

// Names lists the built-in scenarios.
func Names() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(out)
	return out
}

// Builtin returns a fresh copy of the built-in scenario called name.
func Builtin(name string) (*Scenario, error) {
	b, err := builtinFS.ReadFile(path.Join("builtin", name+".toml"))
	if err != nil {
		return nil, fmt.Errorf("scenario: no built-in scenario %q, want one of %s", name, strings.Join(Names(), ", "))
	}
	return Parse(b)
}

// MaxFileBytes bounds a scenario file: the built-in ones are a few
// kilobytes; a larger one (or a pipe that never ends) is refused before it
// is parsed.
const MaxFileBytes = 1 << 20

// Load reads a scenario file.
func Load(file string) (*Scenario, error) {
	b, err := capped.ReadFile(file, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

type fileEvent struct {
	At       string `toml:"at"`
	Kind     string `toml:"kind"`
	Duration string `toml:"duration"`
}

type file struct {
	Name         string           `toml:"name"`
	Description  string           `toml:"description"`
	Rhythm       string           `toml:"rhythm"`
	ECGAmplitude float64          `toml:"ecg_amplitude_mv"`
	Points       []map[string]any `toml:"point"`
	Events       []fileEvent      `toml:"event"`
}

// limits are the accepted ranges per kind: wide enough for any patient a
// monitor can show, narrow enough to catch unit mistakes (EtCO2 in mmHg
// where kPa is expected, temperature in Fahrenheit).
var limits = map[vitals.Kind][2]float64{
	vitals.HR: {0, 300}, vitals.PR: {0, 300}, vitals.SpO2: {0, 100}, vitals.RR: {0, 80},
	vitals.SBP: {0, 300}, vitals.DBP: {0, 250}, vitals.MAP: {0, 280}, vitals.Temp: {25, 45}, vitals.EtCO2: {0, 15},
}

// Parse reads a scenario from TOML (the format is described in
// docs/devices.md).
func Parse(b []byte) (*Scenario, error) {
	var f file
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("scenario: unknown key %q", und[0].String())
	}
	s := &Scenario{Name: f.Name, Description: f.Description, Rhythm: Rhythm(f.Rhythm), ECGAmplitude: f.ECGAmplitude}
	if s.Name == "" {
		return nil, errors.New("scenario: name is empty")
	}
	switch s.Rhythm {
	case "":
		s.Rhythm = Sinus
	case Sinus, AF, NoECG, Asystole:
	default:
		return nil, fmt.Errorf("scenario %s: rhythm %q, want sinus, af, flat or none", s.Name, f.Rhythm)
	}
	if s.ECGAmplitude == 0 {
		s.ECGAmplitude = 1
	}
	if s.ECGAmplitude < 0 || s.ECGAmplitude > 5 {
		return nil, fmt.Errorf("scenario %s: ecg_amplitude_mv %g, want 0..5", s.Name, s.ECGAmplitude)
	}
	if len(f.Points) == 0 {
		return nil, fmt.Errorf("scenario %s: no [[point]]; give at least one", s.Name)
	}
	for i, m := range f.Points {
		p, err := parsePoint(m)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: point %d: %w", s.Name, i+1, err)
		}
		if i > 0 && p.At <= s.Points[i-1].At {
			return nil, fmt.Errorf("scenario %s: point %d at %s is not after point %d at %s", s.Name, i+1, p.At, i, s.Points[i-1].At)
		}
		s.Points = append(s.Points, p)
	}
	for i, fe := range f.Events {
		e, err := parseEvent(fe)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: event %d: %w", s.Name, i+1, err)
		}
		s.Events = append(s.Events, e)
	}
	sort.SliceStable(s.Events, func(i, j int) bool { return s.Events[i].At < s.Events[j].At })
	return s, nil
}

func parseDuration(field, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q: want a duration such as 90s or 30m, not negative", field, v)
	}
	return d, nil
}

func parsePoint(m map[string]any) (Point, error) {
	p := Point{Values: map[vitals.Kind]float64{}}
	at, ok := m["at"].(string)
	if !ok {
		return p, errors.New(`"at" is missing or not a string such as "5m"`)
	}
	d, err := parseDuration("at", at)
	if err != nil {
		return p, err
	}
	p.At = d
	for k, v := range m {
		if k == "at" {
			continue
		}
		kind := vitals.Kind(k)
		if !kind.Valid() {
			return p, fmt.Errorf("unknown vital %q, want one of %v", k, vitals.Kinds)
		}
		var f float64
		switch x := v.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		default:
			return p, fmt.Errorf("%s = %v: want a number", k, v)
		}
		lim := limits[kind]
		if f < lim[0] || f > lim[1] || math.IsNaN(f) {
			return p, fmt.Errorf("%s = %g, want %g..%g", k, f, lim[0], lim[1])
		}
		p.Values[kind] = f
	}
	return p, nil
}

func parseEvent(fe fileEvent) (Event, error) {
	at, err := parseDuration("at", fe.At)
	if err != nil {
		return Event{}, err
	}
	e := Event{At: at, Kind: EventKind(fe.Kind)}
	switch e.Kind {
	case LeadsOff, CablePulled, MonitorReboot, DemoMode:
	default:
		return Event{}, fmt.Errorf("kind %q, want leads_off, cable_pulled, monitor_reboot or demo", fe.Kind)
	}
	if fe.Duration == "" {
		return Event{}, fmt.Errorf("%s at %s: duration is missing", e.Kind, at)
	}
	if e.Duration, err = parseDuration("duration", fe.Duration); err != nil {
		return Event{}, err
	}
	if e.Duration == 0 {
		return Event{}, fmt.Errorf("%s at %s: duration must be positive", e.Kind, at)
	}
	return e, nil
}

// Clone returns an independent copy (its own ECG state and epoch).
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.beats = beatTrain{}
	return &c
}

// Length is the time of the last keyframe or the end of the last event,
// whichever is later.
func (s *Scenario) Length() time.Duration {
	var end time.Duration
	if n := len(s.Points); n > 0 {
		end = s.Points[n-1].At
	}
	for _, e := range s.Events {
		end = max(end, e.At+e.Duration)
	}
	return end
}

// SetEpoch fixes the time at which the scenario starts (elapsed zero); the
// ECG function of At measures its argument from it. The simulator sets it to
// its start time; an unset epoch is taken from the first ECG call.
func (s *Scenario) SetEpoch(t time.Time) { s.epoch = t; s.beats = beatTrain{} }

// Values returns the scripted vitals at elapsed: each kind interpolated
// linearly between the keyframes that give it and held after the last one.
// Pulse rate follows heart rate and MAP is derived from SBP and DBP
// ((SBP + 2 DBP) / 3) when the script does not give them.
func (s *Scenario) Values(elapsed time.Duration) map[vitals.Kind]float64 {
	out := map[vitals.Kind]float64{}
	for _, k := range vitals.Kinds {
		if v, ok := s.interpolate(k, elapsed); ok {
			out[k] = v
		}
	}
	if _, ok := out[vitals.PR]; !ok {
		if hr, ok := out[vitals.HR]; ok {
			out[vitals.PR] = hr
		}
	}
	if _, ok := out[vitals.MAP]; !ok {
		sbp, ok1 := out[vitals.SBP]
		dbp, ok2 := out[vitals.DBP]
		if ok1 && ok2 {
			out[vitals.MAP] = math.Round((sbp + 2*dbp) / 3)
		}
	}
	return out
}

func (s *Scenario) interpolate(k vitals.Kind, at time.Duration) (float64, bool) {
	var before, after *Point
	for i := range s.Points {
		p := &s.Points[i]
		if _, ok := p.Values[k]; !ok {
			continue
		}
		if p.At <= at {
			before = p
		} else if after == nil {
			after = p
		}
	}
	switch {
	case before == nil && after == nil:
		return 0, false
	case before == nil:
		return after.Values[k], true
	case after == nil:
		return before.Values[k], true
	}
	f := float64(at-before.At) / float64(after.At-before.At)
	v := before.Values[k] + f*(after.Values[k]-before.Values[k])
	// Monitors show whole numbers for these; temperature and EtCO2 one decimal.
	switch k {
	case vitals.Temp, vitals.EtCO2:
		return math.Round(v*10) / 10, true
	}
	return math.Round(v), true
}

// Active reports whether an event of kind is in progress at elapsed.
func (s *Scenario) Active(kind EventKind, elapsed time.Duration) bool {
	for _, e := range s.Events {
		if e.Kind == kind && elapsed >= e.At && elapsed < e.At+e.Duration {
			return true
		}
	}
	return false
}

// EventsBetween returns the events that start in (from, to].
func (s *Scenario) EventsBetween(from, to time.Duration) []Event {
	var out []Event
	for _, e := range s.Events {
		if e.At > from && e.At <= to {
			out = append(out, e)
		}
	}
	return out
}

// At returns the patient at elapsed, as an emulator consumes it.
func (s *Scenario) At(elapsed time.Duration) codec.PatientState {
	st := codec.PatientState{
		Values:   s.Values(elapsed),
		LeadsOff: s.Active(LeadsOff, elapsed),
		Demo:     s.Active(DemoMode, elapsed),
	}
	if s.Rhythm != NoECG {
		st.ECG = s.ecg
	}
	return st
}

// ecg is the ECG voltage in mV at absolute time t.
func (s *Scenario) ecg(t time.Time) float64 {
	if s.epoch.IsZero() {
		s.epoch = t
	}
	e := t.Sub(s.epoch)
	if s.Rhythm == Asystole || s.Active(LeadsOff, e) {
		return 0
	}
	return s.ECGAt(e)
}
