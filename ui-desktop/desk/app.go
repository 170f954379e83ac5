package desk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/legevakt/workstation/triage/deterioration"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/readings"
)

// Deps is what the desktop needs from the rest of the workstation.
type Deps struct {
	Scorer   Scorer
	Store    Store
	Monitors Monitors                            // nil: no monitors offered
	NewECG   func(first vitals.Wave) ECGAnalyzer // nil: the strip shows no beats
	Drafts   Drafts                              // nil: drafts kept in memory only
	Now      func() time.Time                    // nil: time.Now
	// Do runs f on the UI goroutine; nil means fyne.Do. Tests queue the
	// calls and run them on the test goroutine.
	Do       func(f func())
	User     string // who triages and acknowledges (the OS user by default)
	Lang     i18n.Lang
	Stale    vitals.StalePolicy
	Theme    desktheme.Theme
	SetTheme func(fyne.Theme) // nil: the current app's settings
	// Logf reports operational problems (never patient data); nil discards.
	Logf func(format string, args ...any)
	// Recorder stores monitor values; nil: one on Store (monitoring.New).
	Recorder Recorder
	// Plausible gives a living person's plausible range of a vital; a
	// typed value outside it is scored only once the nurse confirms it.
	// nil: vitals.Plausible, the ranges the phone flow asks about too.
	Plausible PlausibleFunc
	// Records is the transfer to the patient record, on the board and
	// the device bar (workstation/recordstate); nil: not shown.
	Records RecordState
}

// App is the reception desktop: one window's content, its state and its
// live feeds. All methods run on the UI goroutine unless they say otherwise.
type App struct {
	d      Deps
	lang   i18n.Lang
	th     desktheme.Theme
	ctx    context.Context
	cancel context.CancelFunc
	win    fyne.Window

	draft   Draft
	muting  bool // set by muted: the app itself fills or clears widgets, and their callbacks must not re-score or save the draft
	restore bool // a non-empty draft was restored at start
	watch   *deterioration.Watch

	// form state
	enc      *Encounter
	formFeed *liveFeed
	feeds    map[string]*liveFeed // by MonitorChoice.ID
	choices  []MonitorChoice
	result   Result
	resultOK bool
	scoreErr error
	history  map[ids.Encounter][]vitals.Observation // this session's observations per encounter, for the trend
	// formBase is the triage form as it was opened (empty, registered or
	// re-triage prefill): while the form differs from it, it holds input
	// the nurse has not saved.
	formBase Draft
	// confirmFor is the encounter whose re-triage was asked for while the
	// form held another patient's unsaved input; asking again for it
	// discards that input (0: no question pending).
	confirmFor  ids.Encounter
	confirmText string // the question asked, to take it off the form again

	// lastMissing and lastResult are, per watched encounter, what its
	// latest reading lacked and the result behind it, so the alert can say
	// "NEWS2 minst 5 (mangler RF)" and name a red rule in words.
	lastMissing map[ids.Encounter][]string
	lastResult  map[ids.Encounter]Result
	// idents tells patients apart at a glance (sex, age, temporary id),
	// for those registered or opened on this workstation.
	idents map[ids.Encounter]ident

	queue []queue.Entry
	// queueBuf is the array RefreshQueue reads into, reused on every read.
	queueBuf []queue.Entry
	// savedCount counts the triages saved in this session (State).
	savedCount int

	root *fyne.Container
	tabs *container.AppTabs
	reg  *registerScreen
	form *formScreen
	brd  *boardScreen
	al   *alertBar
	dev  *deviceBar
	rec  recordView
}

// liveFeed is one open monitor and what it has sent.
type liveFeed struct {
	choice  MonitorChoice
	feed    Feed
	cancel  context.CancelFunc
	latest  map[vitals.Kind]vitals.Observation
	status  DeviceStatus
	ecg     ECGAnalyzer
	lastECG ECGReading
	ecgSeen bool
	// encounter is the saved encounter the monitor is attached to (0 while
	// the form's patient is not yet triaged); input is that triage's manual
	// part, used to re-score in the waiting room.
	encounter ids.Encounter
	input     FormInput
	recent    []vitals.Observation // received within TrendWindow, oldest first
}

// New builds the desktop. Call Install to put it in a window and Start to
// begin the live parts (board changes, ticks).
func New(d Deps) (*App, error) {
	if d.Scorer == nil || d.Store == nil {
		return nil, errors.New("desk: a Scorer and a Store are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Do == nil {
		d.Do = fyne.Do
	}
	if d.Drafts == nil {
		d.Drafts = &MemoryDrafts{}
	}
	if d.Logf == nil {
		d.Logf = func(string, ...any) {}
	}
	if d.User == "" {
		d.User = "unknown"
	}
	if d.Stale.Device == nil {
		d.Stale = vitals.DefaultStalePolicy()
	}
	if d.Lang == "" {
		d.Lang = i18n.NB
	}
	if d.Plausible == nil {
		d.Plausible = vitals.Plausible
	}
	d.Theme.Scale = desktheme.ClampScale(d.Theme.Scale)
	w, err := deterioration.New(deterioration.DefaultConfig())
	if err != nil {
		return nil, err
	}
	a := &App{d: d, lang: d.Lang, th: d.Theme, watch: w,
		feeds: map[string]*liveFeed{}, history: map[ids.Encounter][]vitals.Observation{},
		lastMissing: map[ids.Encounter][]string{}, lastResult: map[ids.Encounter]Result{}, idents: map[ids.Encounter]ident{}}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	if a.d.Recorder == nil {
		a.d.Recorder = defaultRecorder(a.ctx, a.d)
	}
	dr, err := d.Drafts.Load()
	if err != nil {
		// A draft that cannot be read is reported and kept on disk; the
		// app starts with an empty form rather than not at all.
		d.Logf("draft: %v", err)
	} else {
		a.draft = dr
		a.restore = dr != (Draft{Version: dr.Version})
	}
	a.build()
	if a.draft.EncounterID == 0 {
		// A restored draft with a patient counts as unsaved input: the
		// zero formBase never equals a form's snapshot.
		a.formBase = a.formSnapshot()
	}
	return a, nil
}

// Content is the root object to put in a window.
func (a *App) Content() fyne.CanvasObject { return a.root }

// Lang is the language shown.
func (a *App) Lang() i18n.Lang { return a.lang }

// Install puts the desktop into w: content, title, keyboard shortcuts (as a
// menu, so they work whichever field has focus) and a close handler that
// saves the draft first.
func (a *App) Install(w fyne.Window) {
	a.win = w
	w.SetTitle(a.lang.T("app.title"))
	w.SetContent(a.root)
	a.applyTheme()
	menu := fyne.NewMenu(a.lang.T("menu.actions"))
	for _, s := range a.shortcuts() {
		s := s
		w.Canvas().AddShortcut(s.sc, func(fyne.Shortcut) { s.do() })
		if !s.hidden {
			menu.Items = append(menu.Items, &fyne.MenuItem{Label: s.label, Shortcut: s.sc, Action: s.do})
		}
	}
	quit := func() {
		a.saveDraft()
		a.Stop()
		w.Close()
	}
	// Our own Quit, in the screen's language: fyne adds an English one to
	// the first menu unless the last item is a quit item.
	menu.Items = append(menu.Items, fyne.NewMenuItemSeparator(), &fyne.MenuItem{Label: a.lang.T("menu.quit"), IsQuit: true, Action: quit})
	w.SetMainMenu(fyne.NewMainMenu(menu))
	w.SetCloseIntercept(quit)
	a.focusFirst()
}

type shortcut struct {
	sc    *desktop.CustomShortcut
	label string
	do    func()
	// hidden keeps a second key for the same action out of the menu.
	hidden bool
}

func ctrl(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// shortcuts are the common actions, one key each.
func (a *App) shortcuts() []shortcut {
	return []shortcut{
		{ctrl(fyne.KeyN), a.lang.T("tab.register"), a.ShowRegistration, false},
		{ctrl(fyne.KeyReturn), a.lang.T("reg.submit"), a.SubmitRegistration, false},
		{ctrl(fyne.KeyT), a.lang.T("tab.triage"), a.ShowTriage, false},
		{ctrl(fyne.KeyM), a.lang.T("triage.monitor.pick"), a.FocusMonitor, false},
		{ctrl(fyne.KeyS), a.lang.T("triage.save"), a.SaveTriage, false},
		{ctrl(fyne.KeyB), a.lang.T("tab.board"), a.ShowBoard, false},
		{ctrl(fyne.KeyK), a.lang.T("alert.ack"), a.AcknowledgeTop, false},
		{ctrl(fyne.KeyR), a.lang.T("alert.retriage"), a.RetriageTop, false},
		{ctrl(fyne.KeyH), a.lang.T("view.contrast"), a.ToggleContrast, false},
		{ctrl(fyne.KeyEqual), a.lang.T("view.bigger"), func() { a.ScaleText(+0.1) }, true},
		{ctrl(fyne.KeyPlus), a.lang.T("view.bigger"), func() { a.ScaleText(+0.1) }, false},
		{ctrl(fyne.KeyMinus), a.lang.T("view.smaller"), func() { a.ScaleText(-0.1) }, false},
		{ctrl(fyne.KeyL), a.lang.T("view.language"), a.ToggleLanguage, false},
	}
}

// Start begins the live parts: the queue follows the store's changes and a
// one-second tick ages the vitals and the waiting times. It returns at once.
func (a *App) Start() {
	a.RefreshQueue()
	if ch, err := a.d.Store.Changes(a.ctx); err != nil {
		a.d.Logf("queue changes: %v", err)
	} else {
		go func() {
			for range ch {
				a.d.Do(a.RefreshQueue)
			}
		}()
	}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-a.ctx.Done():
				return
			case <-t.C:
				a.d.Do(a.Tick)
			}
		}
	}()
	if a.d.Monitors != nil {
		go func() {
			list, err := a.d.Monitors.List(a.ctx)
			a.d.Do(func() { a.setChoices(list, err) })
		}()
	}
}

// Stop closes every feed and ends the live parts.
func (a *App) Stop() {
	for _, f := range a.feeds {
		f.cancel()
		if err := f.feed.Close(); err != nil {
			a.d.Logf("close monitor %s: %v", f.choice.ID, err)
		}
	}
	a.feeds = map[string]*liveFeed{}
	if err := a.d.Recorder.Close(); err != nil {
		a.d.Logf("monitor values: %v", err)
	}
	a.cancel()
}

// Tick ages the shown values (stale markers), re-scores the form, refreshes
// the waiting times and writes pending observations. Called every second.
func (a *App) Tick() {
	now := a.d.Now()
	a.form.showVitals(now)
	a.rescore()
	a.refreshBoard(now)
	a.showDevice()
	a.dev.showRecording(a.d.Recorder.Stats())
	a.reportMonitors(now)
	a.flushObservations()
}

// reportMonitors tells the watch, for every waiting patient on a monitor,
// which of the monitor's values have gone stale and whether it has fallen
// silent: a blind watch is itself a reason to look at the patient.
func (a *App) reportMonitors(now time.Time) {
	for _, lf := range a.feeds {
		if lf.encounter == 0 {
			continue
		}
		key := lf.encounter
		if !a.watch.Tracking(key) {
			continue
		}
		sig := deterioration.Signal{At: now, Silent: lf.status.State == StateNoData || lf.status.State == StateDisconnected}
		for _, k := range vitals.Kinds {
			if o, ok := lf.latest[k]; ok && a.d.Stale.Stale(o, now) {
				sig.Stale = append(sig.Stale, string(k))
			}
		}
		al, raised, err := a.watch.Report(key, sig)
		if err != nil {
			a.d.Logf("deterioration watch: %v", err)
			continue
		}
		if raised {
			a.al.raise(al)
			a.refreshBoard(now)
		}
	}
}

// RefreshQueue reads the queue from the store and shows it.
func (a *App) RefreshQueue() {
	now := a.d.Now()
	// The board's previous entries are reused: everything that reads them
	// runs on this goroutine, and the board keeps its own rows.
	q, err := a.d.Store.AppendQueue(a.ctx, now, a.queueBuf[:0])
	if err != nil {
		a.d.Logf("queue: %v", err)
		return
	}
	a.queueBuf = q
	a.refreshRecords(q)
	a.SetQueue(q, now)
}

// SetQueue shows q on the board (q is already in queue order).
func (a *App) SetQueue(q []queue.Entry, now time.Time) {
	a.queue = q
	a.releaseLeft(q)
	a.refreshBoard(now)
}

// releaseLeft ends the watch of patients who are no longer in the queue
// (called in to the doctor, done, or gone) and frees their monitors, unless
// the form is using the monitor right now. Their open alerts are closed as
// no longer relevant: a banner naming a patient who is with the doctor
// would only send the nurse after someone no longer waiting.
func (a *App) releaseLeft(q []queue.Entry) {
	inQueue := make(map[ids.Encounter]bool, len(q))
	for _, e := range q {
		inQueue[ids.Encounter(e.EncounterID)] = true
	}
	for _, al := range a.watch.Open() {
		if inQueue[al.EncounterID] {
			continue
		}
		a.acknowledge(al, false, AckNoteLeftQueue) // repaints the banner and pop-up
	}
	for id, lf := range a.feeds {
		if lf.encounter == 0 || inQueue[lf.encounter] || lf == a.formFeed {
			continue
		}
		a.watch.Untrack(lf.encounter)
		lf.cancel()
		if err := lf.feed.Close(); err != nil {
			a.d.Logf("close monitor %s: %v", lf.choice.ID, err)
		}
		delete(a.feeds, id)
	}
}

func (a *App) setChoices(list []MonitorChoice, err error) {
	if err != nil {
		a.d.Logf("monitors: %v", err)
	}
	a.choices = list
	a.form.setChoices(list)
	if a.draft.Monitor != "" && a.formFeed == nil {
		for _, c := range list {
			if c.ID == a.draft.Monitor {
				a.form.monitor.SetSelected(a.choiceLabel(c))
			}
		}
	}
}

// errNoMonitors: the workstation has no monitors set up.
var errNoMonitors = errors.New("no monitors configured")

// ConnectMonitor opens m for the form's patient. A monitor already open
// (attached to a waiting patient) is taken over: that patient is no longer
// watched, since the monitor is now on someone else.
func (a *App) ConnectMonitor(m MonitorChoice) error {
	if a.formFeed != nil && a.formFeed.choice.ID == m.ID {
		return nil
	}
	a.releaseFormFeed()
	if lf, ok := a.feeds[m.ID]; ok {
		if lf.encounter != 0 && (a.enc == nil || a.enc.ID != lf.encounter) {
			a.watch.Untrack(lf.encounter)
			lf.encounter = 0
		}
		a.formFeed = lf
		a.afterFeedChange()
		return nil
	}
	if a.d.Monitors == nil {
		return errNoMonitors
	}
	ctx, cancel := context.WithCancel(a.ctx)
	f, err := a.d.Monitors.Open(ctx, m)
	if err != nil {
		cancel()
		return fmt.Errorf("open monitor %s: %w", m.ID, err)
	}
	lf := &liveFeed{choice: m, feed: f, cancel: cancel, latest: map[vitals.Kind]vitals.Observation{},
		status: DeviceStatus{State: StateConnecting, At: a.d.Now()}}
	a.feeds[m.ID] = lf
	a.formFeed = lf
	go a.pump(ctx, lf)
	a.afterFeedChange()
	return nil
}

// pump moves a feed's channels onto the UI goroutine. It runs until the
// feed's context ends or its channels close.
func (a *App) pump(ctx context.Context, lf *liveFeed) {
	obs, waves, st := lf.feed.Observations(), lf.feed.Waves(), lf.feed.Status()
	for obs != nil || waves != nil || st != nil {
		select {
		case <-ctx.Done():
			return
		case o, ok := <-obs:
			if !ok {
				obs = nil
				continue
			}
			a.d.Do(func() { a.OnObservation(lf.choice.ID, o) })
		case w, ok := <-waves:
			if !ok {
				waves = nil
				continue
			}
			a.d.Do(func() { a.OnWave(lf.choice.ID, w) })
		case s, ok := <-st:
			if !ok {
				st = nil
				continue
			}
			a.d.Do(func() { a.OnStatus(lf.choice.ID, s) })
		}
	}
}

// releaseFormFeed detaches the form from its monitor. A monitor attached
// to a saved, waiting patient stays open (the deterioration watch needs
// it); any other is closed.
func (a *App) releaseFormFeed() {
	lf := a.formFeed
	a.formFeed = nil
	if lf == nil || lf.encounter != 0 {
		return
	}
	lf.cancel()
	if err := lf.feed.Close(); err != nil {
		a.d.Logf("close monitor %s: %v", lf.choice.ID, err)
	}
	delete(a.feeds, lf.choice.ID)
}

func (a *App) afterFeedChange() {
	a.form.ecg.Clear()
	a.form.showVitals(a.d.Now())
	a.form.showTrend(a.d.Now())
	a.form.showECG()
	a.rescore()
	a.showDevice()
}

// OnObservation takes one observation from monitor id.
func (a *App) OnObservation(id string, o vitals.Observation) {
	lf, ok := a.feeds[id]
	if !ok {
		return
	}
	lf.latest[o.Kind] = o
	lf.recent = trimTo(append(lf.recent, o), o.HostTime.Add(-TrendWindow))
	if lf.encounter != 0 {
		a.d.Recorder.Add(ids.Encounter(lf.encounter), o)
		a.history[lf.encounter] = trimTo(append(a.history[lf.encounter], o), o.HostTime.Add(-TrendWindow))
		a.watchReading(lf)
	}
	if lf == a.formFeed {
		now := a.d.Now()
		a.form.showVital(o.Kind, now)
		a.rescore()
		a.form.showTrend(now)
	}
}

// trimTo drops the observations before cut from the front of obs (oldest
// first), so what is kept for the trend stays bounded however long a
// patient waits on a monitor.
func trimTo(obs []vitals.Observation, cut time.Time) []vitals.Observation {
	i := 0
	for i < len(obs) && obs[i].HostTime.Before(cut) {
		i++
	}
	if i == 0 {
		return obs
	}
	return append(obs[:0], obs[i:]...)
}

// OnWave takes one waveform block from monitor id.
func (a *App) OnWave(id string, w vitals.Wave) {
	lf, ok := a.feeds[id]
	if !ok || w.Kind != vitals.WaveECG {
		return
	}
	if lf.ecg == nil && a.d.NewECG != nil {
		lf.ecg = a.d.NewECG(w)
	}
	var r ECGReading
	if lf.ecg != nil {
		r = lf.ecg.Push(w)
		lf.lastECG, lf.ecgSeen = r, true
	}
	r.LeadsOff = r.LeadsOff || w.LeadOff
	lf.lastECG.LeadsOff = r.LeadsOff
	// The ECG's heart rate stands in for the monitor's when the monitor
	// gives none (or only a stale one).
	if r.HRObs != nil {
		if o, ok := lf.latest[vitals.HR]; !ok || o.Source == vitals.SourceECG || a.d.Stale.Stale(o, a.d.Now()) {
			a.OnObservation(id, *r.HRObs)
		}
	}
	if lf == a.formFeed {
		samples := w.Samples
		if w.LeadOff {
			// Lead-off samples are no ECG: a gap, never a trace.
			samples = make([]float64, len(w.Samples))
			for i := range samples {
				samples[i] = math.NaN()
			}
		}
		if w.Gap {
			// Samples were lost before this block: break the trace.
			a.form.ecg.Push([]float64{math.NaN()}, w.Rate, nil)
		}
		a.form.ecg.Push(samples, w.Rate, r.Beats)
		a.form.showECG()
	}
}

// OnStatus takes a status change of monitor id.
func (a *App) OnStatus(id string, s DeviceStatus) {
	lf, ok := a.feeds[id]
	if !ok {
		return
	}
	lf.status = s
	if lf.encounter != 0 {
		a.refreshBoard(a.d.Now())
	}
	if lf == a.formFeed {
		a.showDevice()
		a.form.showVitals(a.d.Now())
	}
}

// formInput gathers what the form holds now: the nurse's findings, the
// hand-measured values she chose to score, and the monitor's latest value
// of every other vital.
func (a *App) formInput() FormInput {
	in := a.form.manualInput()
	in.Lang = a.lang
	typed := a.form.typed()
	skip := map[vitals.Kind]bool{}
	for _, o := range typed {
		skip[o.Kind] = true
		switch o.Kind {
		case vitals.HR:
			skip[vitals.PR] = true // a pulse counted by hand stands for both
		case vitals.SBP:
			skip[vitals.MAP] = true
		}
	}
	if a.formFeed != nil {
		for _, k := range vitals.Kinds {
			if o, ok := a.formFeed.latest[k]; ok && !skip[k] {
				in.Observations = append(in.Observations, o)
			}
		}
	}
	in.Observations = append(in.Observations, typed...)
	return in
}

// rescore scores the form and shows the result.
func (a *App) rescore() {
	a.form.readManual(a.d.Now())
	in := a.formInput()
	r, err := a.d.Scorer.Score(in, a.d.Now())
	a.scoreErr = err
	if err != nil {
		a.resultOK = false
		a.form.showResult()
		a.form.showContext()
		return
	}
	a.result, a.resultOK = r, true
	a.form.applyOverride()
	a.form.showResult()
	a.form.showContext()
}

// watchReading re-scores a waiting patient on a monitor and raises an
// alert when the deterioration watch says so.
func (a *App) watchReading(lf *liveFeed) {
	key := lf.encounter
	if !a.watch.Tracking(key) {
		return
	}
	now := a.d.Now()
	in := lf.input
	in.Observations = in.Observations[:0:0]
	// What the nurse typed wins over the device, as on the form, while it
	// is fresh; once stale, the device's value is the one there is.
	typed := map[vitals.Kind]bool{}
	for _, o := range lf.input.Observations {
		if o.Source == vitals.SourceManual && !a.d.Stale.Stale(o, now) {
			typed[o.Kind] = true
		}
	}
	for _, k := range vitals.Kinds {
		if typed[k] {
			continue
		}
		if o, ok := lf.latest[k]; ok {
			in.Observations = append(in.Observations, o)
		}
	}
	for _, o := range lf.input.Observations {
		if o.Source == vitals.SourceManual {
			in.Observations = append(in.Observations, o)
		}
	}
	r, err := a.d.Scorer.Score(in, now)
	if err != nil || !r.NEWS2Applicable {
		return
	}
	a.lastMissing[lf.encounter], a.lastResult[lf.encounter] = r.Missing, r
	al, raised, err := a.watch.Observe(key, reading(r, now))
	if err != nil {
		a.d.Logf("deterioration watch: %v", err)
		return
	}
	if raised {
		a.al.raise(al)
		a.refreshBoard(now)
	}
}

// reading is the watch's reading of a scored form: from the engine's own
// assessment when the result carries one (deterioration.FromAssessment, the
// one mapping every front end uses), else from the worded result.
func reading(r Result, at time.Time) deterioration.Reading {
	if r.Record != nil {
		return readings.FromAssessment(*r.Record, at)
	}
	rd := readings.FromNEWS2(r.NEWS2Total, r.NEWS2Band, r.NEWS2Complete, at)
	rd.Colour = r.Colour
	if r.Overridden {
		rd.Colour = r.From // the watch compares the engine with itself
	}
	rd.Threes, rd.RedRules, rd.HasColour = r.Threes, r.RedRules, true
	return rd
}

// flushObservations asks the recorder to write what the attached monitors
// sent since the last flush; it writes off the UI goroutine.
func (a *App) flushObservations() { a.d.Recorder.Kick() }

// saveDraft writes the draft from the widgets.
func (a *App) saveDraft() {
	if a.muting {
		return
	}
	// Something changed since a discard was asked about: ask again.
	a.clearConfirm()
	a.reg.toDraft(&a.draft)
	a.form.toDraft(&a.draft)
	if a.enc != nil {
		a.draft.EncounterID = a.enc.ID
	} else {
		a.draft.EncounterID = 0
	}
	if err := a.d.Drafts.Save(a.draft); err != nil {
		a.d.Logf("draft: %v", err)
	}
}

// Draft returns the draft as last built from the widgets.
func (a *App) Draft() Draft { return a.draft }

// ShowRegistration switches to registration and focuses its first field.
func (a *App) ShowRegistration() {
	a.tabs.SelectIndex(0)
	a.focus(a.reg.id)
}

// ShowTriage switches to the triage form.
func (a *App) ShowTriage() {
	a.tabs.SelectIndex(1)
	a.focus(a.form.monitor)
}

// ShowBoard switches to the waiting board and focuses the list.
func (a *App) ShowBoard() {
	a.tabs.SelectIndex(2)
	a.focus(a.brd.list)
}

// FocusMonitor switches to the triage form with the monitor picker focused.
func (a *App) FocusMonitor() { a.ShowTriage() }

func (a *App) focus(o fyne.Focusable) {
	if a.win != nil {
		a.win.Canvas().Focus(o)
	}
}

func (a *App) focusFirst() {
	if a.enc != nil {
		a.ShowTriage()
		return
	}
	a.ShowRegistration()
}

// ToggleContrast switches the high-contrast theme on or off.
func (a *App) ToggleContrast() {
	a.th.HighContrast = !a.th.HighContrast
	a.applyTheme()
}

// ScaleText makes text larger (+) or smaller (-) by step, within limits.
func (a *App) ScaleText(step float32) {
	a.th.Scale = desktheme.ClampScale(a.th.Scale + step)
	a.applyTheme()
}

// Theme returns the theme in use.
func (a *App) Theme() desktheme.Theme { return a.th }

func (a *App) applyTheme() {
	set := a.d.SetTheme
	if set == nil {
		if app := fyne.CurrentApp(); app != nil {
			set = app.Settings().SetTheme
		}
	}
	if set != nil {
		set(a.th)
	}
	// Swatch-painted widgets read the theme when refreshed.
	a.refreshBoard(a.d.Now())
	a.form.showResult()
	a.al.show()
}

// ToggleLanguage switches between bokmål and English. The screens are
// rebuilt from the draft, so nothing typed is lost.
func (a *App) ToggleLanguage() {
	if a.lang == i18n.NB {
		a.SetLanguage(i18n.EN)
	} else {
		a.SetLanguage(i18n.NB)
	}
}

// SetLanguage rebuilds every screen in l.
func (a *App) SetLanguage(l i18n.Lang) {
	a.saveDraft()
	tab := a.tabs.SelectedIndex()
	// An open acknowledgement dialog belongs to the old screens: it is
	// closed (nothing was acknowledged) and the banner is rebuilt.
	a.al.closeDialog()
	a.lang = l
	a.build()
	a.tabs.SelectIndex(tab)
	if a.win != nil {
		a.Install(a.win)
		// The focus goes where the tab shown starts, never stays on a
		// field of a tab not shown.
		[]func(){a.ShowRegistration, a.ShowTriage, a.ShowBoard}[tab]()
	}
}

// build makes every screen from the current state and the draft.
func (a *App) build() {
	a.muted(func() {
		a.reg = newRegisterScreen(a.lang, a.d.Now, a.saveDraft, a.SubmitRegistration)
		a.form = newFormScreen(a)
		a.brd = newBoardScreen(a.lang, a.Retriage)
		a.al = newAlertBar(a.lang, alertServices{
			open:      a.watch.Open,
			patient:   a.patientLabel,
			partial:   func(id ids.Encounter, total int) string { return a.news2Partial(total, a.lastMissing[id]) },
			ruleNames: a.ruleNames, acknowledge: a.AcknowledgeTop, retriage: a.RetriageTop, confirm: a.ConfirmAck,
			canvas: func() fyne.Canvas {
				if a.win == nil {
					return nil
				}
				return a.win.Canvas()
			},
		})
		a.dev = newDeviceBar(a.lang, a.d.User)
		a.tabs = container.NewAppTabs(
			container.NewTabItem(a.lang.T("tab.register"), a.reg.content),
			container.NewTabItem(a.lang.T("tab.triage"), a.form.content),
			container.NewTabItem(a.lang.T("tab.board"), a.brd.content),
		)
		a.root = container.NewBorder(a.al.content, a.dev.content, nil, nil, a.tabs)
		a.reg.fromDraft(a.draft)
		a.form.fromDraft(a.draft)
		if a.enc != nil {
			a.form.fillContext(a.enc, true)
			a.loadAcks(a.enc.ID) // the rebuilt form lists them again
		}
		a.form.setChoices(a.choices)
		if a.formFeed != nil {
			a.form.monitor.SetSelected(a.choiceLabel(a.formFeed.choice))
		}
	})
	a.form.showPatient()
	a.form.showVitals(a.d.Now())
	// The rebuilt trend and ECG text start empty: draw them from what the
	// app holds, not at the next value.
	a.form.showTrend(a.d.Now())
	a.form.showECG()
	a.rescore()
	a.refreshBoard(a.d.Now())
	a.al.show()
	a.showDevice()
	if a.restore {
		a.reg.msg.SetText(a.lang.T("draft.restored"))
		a.restore = false
	}
	if a.draft.EncounterID != 0 && a.enc == nil {
		id := a.draft.EncounterID
		go func() {
			e, err := a.d.Store.Encounter(a.ctx, id)
			a.d.Do(func() {
				if err != nil {
					a.d.Logf("draft encounter: %v", err)
					return
				}
				if a.enc == nil {
					a.form.fillContext(&e, true)
					a.setEncounter(&e)
				}
			})
		}()
	}
}

// setEncounter makes e the form's patient.
func (a *App) setEncounter(e *Encounter) {
	a.enc = e
	a.form.showPatient()
	a.rescore()
	a.form.showTrend(a.d.Now())
}
