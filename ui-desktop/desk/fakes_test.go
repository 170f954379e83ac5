package desk

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// fakeScorer is a small, fully predictable stand-in for the engine: NEWS2
// points from SpO2 and RR only (chart scale 1 bands), colour from the band.
type fakeScorer struct{ stale vitals.StalePolicy }

func (f fakeScorer) Score(in FormInput, now time.Time) (Result, error) {
	r := Result{NEWS2Applicable: true, Colour: triage.Green, Target: 120 * time.Minute}
	seen := map[vitals.Kind]bool{}
	for _, o := range in.Observations {
		if f.stale.Stale(o, now) {
			r.Stale = append(r.Stale, o.Kind)
			continue
		}
		if o.Kind == vitals.Temp && (o.Value < 25 || o.Value > 45) {
			return Result{}, fmt.Errorf("temp_c %.1f: accepted range 25.0-45.0", o.Value)
		}
		seen[o.Kind] = true
		switch o.Kind {
		case vitals.HR:
			// A red rule of its own, outside NEWS2 in this fake.
			if o.Value > 130 {
				r.RedRules = append(r.RedRules, "adult.hr.red.high")
			}
		case vitals.SpO2:
			switch {
			case o.Value <= 91:
				r.NEWS2Total += 3
				r.Threes = append(r.Threes, "spo2")
			case o.Value <= 93:
				r.NEWS2Total += 2
			case o.Value <= 95:
				r.NEWS2Total++
			}
		case vitals.RR:
			switch {
			case o.Value >= 25 || o.Value <= 8:
				r.NEWS2Total += 3
				r.Threes = append(r.Threes, "rr")
			case o.Value >= 21:
				r.NEWS2Total += 2
			}
		}
	}
	r.NEWS2Complete = seen[vitals.SpO2] && seen[vitals.RR]
	for _, k := range []vitals.Kind{vitals.RR, vitals.SpO2} {
		if !seen[k] {
			r.Missing = append(r.Missing, string(k))
		}
	}
	switch {
	case r.NEWS2Total >= 7:
		r.NEWS2Band, r.Colour, r.Target, r.Monitoring = "high", triage.Red, 0, 0
	case r.NEWS2Total >= 5:
		r.NEWS2Band, r.Colour, r.Target, r.Monitoring = "medium", triage.Orange, 10*time.Minute, time.Hour
	default:
		r.NEWS2Band = "low"
	}
	if !r.NEWS2Complete {
		r.NEWS2Band = ""
	}
	if len(r.RedRules) > 0 {
		r.Colour, r.Target = triage.Red, 0
	}
	if in.NurseConcern && r.Colour > triage.Yellow {
		r.Colour = triage.Yellow
		r.Reasons = append(r.Reasons, "nurse concern: at least yellow")
	}
	r.Reasons = append(r.Reasons, fmt.Sprintf("news2 %d", r.NEWS2Total))
	return r, nil
}

func (fakeScorer) Override(r Result, to triage.Colour, reason string) (Result, error) {
	if to > r.Colour && strings.TrimSpace(reason) == "" {
		return r, fmt.Errorf("lowering from %s to %s needs a written reason", r.Colour, to)
	}
	r.From, r.Overridden, r.Colour, r.OverrideReason = r.Colour, true, to, reason
	return r, nil
}

// fakeStore keeps encounters and assessments in memory.
type fakeStore struct {
	mu      sync.Mutex
	now     func() time.Time
	encs    []Encounter
	items   map[ids.Encounter]*queue.Item
	saved   []Saved
	acks    []Acknowledgement
	ackErr  error // RecordAck fails with it when set
	obsErr  error // AddObservations fails with it when set
	encErr  error // Encounter fails with it when set
	obs     map[ids.Encounter][]vitals.Observation
	changes chan struct{}
}

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{now: now, items: map[ids.Encounter]*queue.Item{}, obs: map[ids.Encounter][]vitals.Observation{}, changes: make(chan struct{}, 16)}
}

func (s *fakeStore) Register(_ context.Context, r Registration) (Encounter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := r.Name
	if name == "" {
		name = fmt.Sprintf("%s%06d", patient.TempPrefix, len(s.encs)+1)
	}
	e := Encounter{ID: ids.Encounter(len(s.encs) + 1), Patient: name, AgeYears: r.AgeYears, AgeKnown: r.AgeKnown, Arrived: r.Arrived}
	s.encs = append(s.encs, e)
	s.items[e.ID] = &queue.Item{EncounterID: e.ID, Patient: name, Channel: r.Channel, Status: "waiting", ArrivedAt: r.Arrived}
	return e, nil
}

func (s *fakeStore) SaveTriage(_ context.Context, v Saved) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[v.Encounter.ID]
	if !ok {
		return errors.New("unknown encounter")
	}
	n := v.Result.NEWS2Total
	it.Triaged, it.Colour, it.Target, it.LastAssessedAt, it.MonitorEvery, it.NEWS2, it.NEWS2Band =
		true, v.Result.Colour, v.Result.Target, v.At, v.Result.Monitoring, &n, v.Result.NEWS2Band
	s.saved = append(s.saved, v)
	return nil
}

func (s *fakeStore) AppendQueue(_ context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]queue.Item, 0, len(s.items))
	for _, it := range s.items {
		items = append(items, *it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].EncounterID < items[j].EncounterID })
	return append(dst, queue.Order(items, now, queue.DefaultPolicy())...), nil
}

func (s *fakeStore) Encounter(_ context.Context, id ids.Encounter) (Encounter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.encErr != nil {
		return Encounter{}, s.encErr
	}
	for _, e := range s.encs {
		if e.ID == id {
			if it := s.items[id]; it != nil && it.Triaged {
				e.Colour, e.Triaged = it.Colour, true
			}
			return e, nil
		}
	}
	return Encounter{}, fmt.Errorf("encounter %d: not found", id)
}

func (s *fakeStore) Changes(ctx context.Context) (<-chan struct{}, error) { return s.changes, nil }

func (s *fakeStore) AddObservations(_ context.Context, id ids.Encounter, obs []vitals.Observation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.obsErr != nil {
		return s.obsErr
	}
	s.obs[id] = append(s.obs[id], obs...)
	return nil
}

func (s *fakeStore) Observations(_ context.Context, id ids.Encounter, since time.Time) ([]vitals.Observation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []vitals.Observation
	for _, o := range s.obs[id] {
		if !o.HostTime.Before(since) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *fakeStore) RecordAck(_ context.Context, ack Acknowledgement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ackErr != nil {
		return s.ackErr
	}
	s.acks = append(s.acks, ack)
	return nil
}

func (s *fakeStore) Acks(_ context.Context, id ids.Encounter) ([]Acknowledgement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Acknowledgement
	for _, a := range s.acks {
		if a.EncounterID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

// fakeFeed is a monitor the test drives by hand.
type fakeFeed struct {
	obs    chan vitals.Observation
	waves  chan vitals.Wave
	status chan DeviceStatus
	closed bool
}

func newFakeFeed() *fakeFeed {
	return &fakeFeed{obs: make(chan vitals.Observation, 64), waves: make(chan vitals.Wave, 64), status: make(chan DeviceStatus, 8)}
}
func (f *fakeFeed) Observations() <-chan vitals.Observation { return f.obs }
func (f *fakeFeed) Waves() <-chan vitals.Wave               { return f.waves }
func (f *fakeFeed) Status() <-chan DeviceStatus             { return f.status }
func (f *fakeFeed) Close() error                            { f.closed = true; return nil }

type fakeMonitors struct {
	list  []MonitorChoice
	feeds map[string]*fakeFeed
}

func (m *fakeMonitors) List(context.Context) ([]MonitorChoice, error) { return m.list, nil }
func (m *fakeMonitors) Open(_ context.Context, c MonitorChoice) (Feed, error) {
	f, ok := m.feeds[c.ID]
	if !ok {
		return nil, fmt.Errorf("monitor %s: not found", c.ID)
	}
	return f, nil
}

// fakeECG marks a beat every rate/ (hr/60) samples, deterministic.
type fakeECG struct{ hr float64 }

func (e fakeECG) Push(w vitals.Wave) ECGReading {
	r := ECGReading{HR: e.hr, HROK: true}
	step := int(w.Rate * 60 / e.hr)
	for i := step / 2; i < len(w.Samples); i += step {
		r.Beats = append(r.Beats, i)
	}
	return r
}

// rig is a desktop on fyne's test driver with fakes behind it.
type rig struct {
	t     *testing.T
	app   *App
	win   fyne.Window
	store *fakeStore
	mons  *fakeMonitors
	feed  *fakeFeed
	now   time.Time
	queue chan func()
	draft *MemoryDrafts
}

var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func newRig(t *testing.T, lang i18n.Lang, draft *MemoryDrafts) *rig {
	t.Helper()
	test.NewTempApp(t)
	r := &rig{t: t, now: t0, queue: make(chan func(), 256), draft: draft}
	if r.draft == nil {
		r.draft = &MemoryDrafts{}
	}
	r.store = newFakeStore(func() time.Time { return r.now })
	r.feed = newFakeFeed()
	r.mons = &fakeMonitors{list: []MonitorChoice{
		{Kind: MonitorSimulator, ID: "sim-1", Location: "Obs 1", Profile: "datex-s5"},
		{Kind: MonitorConfigured, ID: "mon-2", Location: "Obs 2", Path: "/dev/ttyUSB0", Profile: "intellivue"},
	}, feeds: map[string]*fakeFeed{"sim-1": r.feed}}
	app, err := New(Deps{
		Scorer: fakeScorer{stale: vitals.DefaultStalePolicy()}, Store: r.store, Monitors: r.mons,
		NewECG: func(vitals.Wave) ECGAnalyzer { return fakeECG{hr: 75} },
		Drafts: r.draft, Now: func() time.Time { return r.now },
		Do:   func(f func()) { r.queue <- f },
		User: "sykepleier.kari", Lang: lang, Theme: desktheme.New(false, 1),
	})
	require.NoError(t, err)
	r.app = app
	r.win = test.NewTempWindow(t, app.Content())
	r.win.Resize(fyne.NewSize(1280, 860))
	app.Install(r.win)
	t.Cleanup(app.Stop)
	return r
}

// start runs Start and waits for the monitor list to arrive.
func (r *rig) start() {
	r.app.Start()
	r.drainUntil(func() bool { return len(r.app.form.choices) > 0 })
}

// drainUntil runs queued UI calls until cond holds (or fails after 2 s of
// waiting, which only a broken pump can cause).
func (r *rig) drainUntil(cond func() bool) {
	r.t.Helper()
	deadline := time.After(2 * time.Second)
	for !cond() {
		select {
		case f := <-r.queue:
			f()
		case <-time.After(5 * time.Millisecond):
			// the condition may depend on a goroutine, not a UI call: look again
		case <-deadline:
			r.t.Fatal("condition not reached: the UI call never arrived")
		}
	}
}

// send delivers an observation through the fake monitor and waits for the
// form to take it.
func (r *rig) send(kind vitals.Kind, v float64, unit vitals.Unit) {
	r.t.Helper()
	o := vitals.Observation{Kind: kind, Value: v, Unit: unit, Source: "sim-1", HostTime: r.now, Quality: vitals.Valid}
	r.feed.obs <- o
	r.drainUntil(func() bool {
		lf := r.app.feeds["sim-1"]
		return lf != nil && lf.latest[kind] == o
	})
}

// save saves the form as a nurse does who is asked once about an
// incomplete NEWS2 and chooses to save it: Ctrl+S, and Ctrl+S again when
// the form asked.
//
// A form with nothing measured is given consciousness A first, as the
// nurse who looked at the patient would: a save with nothing measured is
// refused (TestASaveWithNothingMeasuredIsRefused), and these tests are
// about what comes after the save.
func (r *rig) save() {
	r.t.Helper()
	if f := r.app.form; f.enc != nil && !f.result.Overridden {
		if in := f.input(); len(in.Observations) == 0 && in.Consciousness == "" {
			f.setConsciousness("A")
		}
	}
	r.app.SaveTriage()
	if r.app.form.incompleteAsked {
		r.app.SaveTriage()
	}
}
