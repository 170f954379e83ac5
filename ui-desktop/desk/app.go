package desk

import (
	"context"
	"errors"
	"fmt"
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
	// ECGs is the 12-lead ECG workflow (attach, review, sign; the board's
	// ECG flags and suspected-STEMI banner); nil: no ECG tab.
	ECGs ECGs
	// Actions are keys and menu entries of the window around the desktop
	// (lock, switch user, find patient: user.go).
	Actions []Action
	// SendOn sends a waiting patient on from the board (sendon.go); nil:
	// the board offers no such action.
	SendOn SendOn
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
	mute    *mute // shared with the screens: the app itself fills or clears widgets, and their callbacks must not re-score or save the draft
	restore bool  // a non-empty draft was restored at start
	watch   *deterioration.Watch

	// The open monitors: the form's and those attached to waiting
	// patients, by MonitorChoice.ID.
	feeds   map[string]*liveFeed
	history histories // this session's observations per encounter, for the trend

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
	// sendOnTally is what the board's send-on action did (State).
	sendOnTally sendOnTally

	root *fyne.Container
	tabs *container.AppTabs
	reg  *registerScreen
	form *formScreen
	brd  *boardScreen
	al   *alertBar
	dev  *deviceBar
	rec  recordView
	// the ECG tab and the board's ECG state (ecg_screen.go, ecg_board.go)
	ecg      *ecgScreen
	ecgTab   *container.TabItem
	ecgBan   *ecgBanner
	top      *container.Scroll // the banners, above the tabs
	ecgFlags map[ids.Encounter]ECGFlag
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
	a := &App{d: d, lang: d.Lang, th: d.Theme, watch: w, mute: &mute{},
		feeds: map[string]*liveFeed{}, history: histories{},
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
		a.restore = !dr.same(Draft{Version: dr.Version})
	}
	a.build()
	if a.draft.EncounterID == 0 {
		// A restored draft with a patient counts as unsaved input: the
		// zero base never equals a form's snapshot.
		a.form.markOpened()
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
	out := []shortcut{
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
		{ctrl(fyne.KeyE), a.lang.T("ecg.menu"), a.ShowECG, a.d.ECGs == nil},
		{sendOnKey, a.lang.T("sendon.menu"), a.SendOnMarked, a.d.SendOn == nil},
	}
	for _, x := range a.d.Actions {
		out = append(out, shortcut{x.Key, a.lang.T(x.Label), x.Do, false})
	}
	return out
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
	a.form.tick(now)
	a.refreshBoard(now)
	a.showDevice()
	a.dev.showRecording(a.d.Recorder.Stats())
	a.reportMonitors(now)
	a.flushObservations()
	a.history.prune(now)
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
		a.alerted(al, raised, err, now)
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
	a.refreshECG(q)
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
		inQueue[e.EncounterID] = true
	}
	for _, al := range a.watch.Open() {
		if inQueue[al.EncounterID] {
			continue
		}
		a.acknowledge(al, false, AckNoteLeftQueue) // repaints the banner and pop-up
	}
	for id, lf := range a.feeds {
		if lf.encounter == 0 || inQueue[lf.encounter] || lf == a.form.feed {
			continue
		}
		a.watch.Untrack(lf.encounter)
		lf.cancel()
		if err := lf.feed.Close(); err != nil {
			a.d.Logf("close monitor %s: %v", lf.choice.ID, err)
		}
		delete(a.feeds, id)
	}
	a.forgetLeft(inQueue)
}

func (a *App) setChoices(list []MonitorChoice, err error) {
	if err != nil {
		a.d.Logf("monitors: %v", err)
	}
	a.form.setChoices(list)
	if a.draft.Monitor != "" && a.form.feed == nil {
		for _, c := range list {
			if c.ID == a.draft.Monitor {
				a.form.monitor.SetSelected(a.form.choiceLabel(c))
			}
		}
	}
}

// errNoMonitors: the workstation has no monitors set up.
var errNoMonitors = errors.New("no monitors configured")

// ConnectMonitor opens m for the form's patient. A monitor already open
// (attached to a waiting patient) is taken over: that patient is no longer
// watched, since the monitor is now on someone else.
func (a *App) ConnectMonitor(m MonitorChoice) error { return a.form.connect(m) }

// openFeed opens monitor m for the form's patient enc (0: none yet), or
// takes it over when it is open already: attached to another patient, that
// patient is no longer watched.
func (a *App) openFeed(m MonitorChoice, enc ids.Encounter) (*liveFeed, error) {
	if lf, ok := a.feeds[m.ID]; ok {
		if lf.encounter != 0 && lf.encounter != enc {
			a.watch.Untrack(lf.encounter)
			lf.encounter = 0
			lf.forgetPatient()
		}
		return lf, nil
	}
	if a.d.Monitors == nil {
		return nil, errNoMonitors
	}
	ctx, cancel := context.WithCancel(a.ctx)
	f, err := a.d.Monitors.Open(ctx, m)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open monitor %s: %w", m.ID, err)
	}
	lf := &liveFeed{choice: m, feed: f, cancel: cancel, latest: map[vitals.Kind]vitals.Observation{},
		status: DeviceStatus{State: StateConnecting, At: a.d.Now()}}
	a.feeds[m.ID] = lf
	go a.pump(ctx, lf)
	return lf, nil
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

// releaseFeed closes a monitor the form let go of, unless it is attached
// to a saved, waiting patient (the deterioration watch needs it).
func (a *App) releaseFeed(lf *liveFeed) {
	if lf == nil || lf.encounter != 0 {
		return
	}
	lf.cancel()
	if err := lf.feed.Close(); err != nil {
		a.d.Logf("close monitor %s: %v", lf.choice.ID, err)
	}
	delete(a.feeds, lf.choice.ID)
}

// attachedFeed is the monitor attached to waiting patient enc, nil for none.
func (a *App) attachedFeed(enc ids.Encounter) *liveFeed {
	for _, lf := range a.feeds {
		if lf.encounter == enc {
			return lf
		}
	}
	return nil
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
		a.d.Recorder.Add(lf.encounter, o)
		a.history.add(lf.encounter, o)
		a.watchReading(lf)
	}
	if lf == a.form.feed {
		a.form.onObservation(o.Kind)
	}
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
	if lf == a.form.feed {
		a.form.onWave(w, r)
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
	if lf == a.form.feed {
		a.form.onStatus()
	}
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
	a.alerted(al, raised, err, now)
}

// alerted shows on the banner and the board an alert the watch raised or
// updated (raised), or logs why the watch refused what it was told.
func (a *App) alerted(al deterioration.Alert, raised bool, err error, now time.Time) {
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
	if a.mute.active() {
		return
	}
	// Something changed since a discard was asked about: ask again.
	a.form.clearConfirm()
	a.reg.toDraft(&a.draft)
	a.form.toDraft(&a.draft)
	a.draft.EncounterID = 0
	if a.form.enc != nil {
		a.draft.EncounterID = a.form.enc.ID
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
	if a.form.enc != nil {
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
	a.refitMenu()
	// Swatch-painted widgets read the theme when refreshed.
	a.refreshBoard(a.d.Now())
	a.form.showResult()
	a.al.show()
}

// refitMenu places the window's content below the menu bar again after a
// change of text size. fyne's window moves its content below the taller
// bar of larger text but keeps the content's old height, so the bottom
// of the window (the device bar) was cut by the bar's growth, 20 pixels
// at 2x (QA F2); setting the menu again sizes the content to the window
// less the bar. Once now and once after fyne has applied the theme (its
// settings listener may run after this returns).
func (a *App) refitMenu() {
	w := a.win
	if w == nil {
		return
	}
	refit := func() {
		if m := w.MainMenu(); m != nil {
			w.SetMainMenu(m)
		}
	}
	refit()
	fyne.Do(refit)
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
	a.brd.closeSendOn()
	a.lang = l
	a.build()
	a.tabs.SelectIndex(tab)
	if a.win != nil {
		a.Install(a.win)
		// The focus goes where the tab shown starts, never stays on a
		// field of a tab not shown.
		[]func(){a.ShowRegistration, a.ShowTriage, a.ShowBoard, a.ShowECG}[tab]()
	}
}

// build makes every screen from the current state and the draft. The
// form keeps its state (patient, monitor, score) across a rebuild.
func (a *App) build() {
	var st formState
	if a.form != nil {
		st = a.form.formState
	}
	a.mute.run(func() {
		a.reg = newRegisterScreen(registerDeps{lang: a.lang, now: a.d.Now, window: a.window, mute: a.mute,
			changed: a.saveDraft, register: a.RegisterPatient})
		a.form = newFormScreen(a.formDeps(), st)
		a.brd = newBoardScreen(a.lang, a.Retriage, a.d.SendOn != nil)
		// Any other key on the board (Esc, an arrow) withdraws a pending
		// "select again to discard" (QA G14): the next Enter or Ctrl+R
		// asks again instead of discarding.
		a.brd.list.OnKey = func(*fyne.KeyEvent) { a.form.clearConfirm() }
		a.al = newAlertBar(a.lang, alertServices{
			open:      a.watch.Open,
			patient:   a.patientLabel,
			partial:   func(id ids.Encounter, total int) string { return news2Partial(a.lang, total, a.lastMissing[id]) },
			ruleNames: a.ruleNames, retriage: a.RetriageTop,
			ack: func(al deterioration.Alert, reason string) { a.acknowledge(al, false, reason) },
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
		// fyne 2.8.1 drops the renderers of what has not been drawn for
		// its cache time (a minute; fyne issues 4683 and 6509), so a tab
		// hidden that long came back with its entries not drawn at all
		// while the focused one took typing (QA F10): the tab is laid out
		// again as it is selected.
		a.tabs.OnSelected = func(ti *container.TabItem) { relayout(ti.Content) }
		a.addECGTab()
		// The banners stack in a scroll above the tabs (the deterioration
		// alert first), the device bar in one below; the tabs scroll too
		// when larger text makes a screen wider or taller than the
		// window. shellLayout bounds the banners and the bar, so the
		// window never grows past the screen (issue 12 item 7).
		top := newRegion(container.NewVBox(a.al.content, a.ecgBan.content), bannerShare)
		bottom := newRegion(a.dev.content, deviceShare)
		a.root = container.New(&shellLayout{top: top, bottom: bottom}, top.box, container.NewScroll(a.tabs), bottom.box)
		a.top = top.scroll
		a.al.shown = a.top.ScrollToTop
		a.reg.fromDraft(a.draft)
		a.form.fromDraft(a.draft)
		if e := a.form.enc; e != nil {
			a.form.fillContext(e, true)
			a.form.loadAcks(e.ID) // the rebuilt form lists them again
		}
		a.form.setChoices(a.form.choices)
		if lf := a.form.feed; lf != nil {
			a.form.monitor.SetSelected(a.form.choiceLabel(lf.choice))
		}
	})
	now := a.d.Now()
	a.form.showPatient()
	a.form.showVitals(now)
	// The rebuilt trend and ECG text start empty: draw them from what the
	// app holds, not at the next value.
	a.form.showTrend(now)
	a.form.showECG()
	a.form.rescore()
	a.refreshBoard(now)
	a.al.show()
	a.showDevice()
	if a.restore {
		a.reg.msg.SetText(a.lang.T("draft.restored"))
		a.restore = false
	}
	if a.draft.EncounterID != 0 && a.form.enc == nil {
		id := a.draft.EncounterID
		go func() {
			e, err := a.d.Store.Encounter(a.ctx, id)
			a.d.Do(func() {
				if err != nil {
					a.d.Logf("draft encounter: %v", err)
					return
				}
				if a.form.enc == nil {
					a.form.fillContext(&e, true)
					a.form.setEncounter(&e)
				}
			})
		}()
	}
}

// formDeps is what the triage form gets: its services, the language, the
// window and the callbacks to the screens beside it.
func (a *App) formDeps() formDeps {
	return formDeps{
		lang: a.lang, scorer: a.d.Scorer, store: a.d.Store, ctx: a.ctx, now: a.d.Now, do: a.d.Do, logf: a.d.Logf,
		user: a.d.User, stale: a.d.Stale, plausible: a.d.Plausible, mute: a.mute, history: a.history,
		window:       a.window,
		openFeed:     a.openFeed,
		releaseFeed:  a.releaseFeed,
		attachedFeed: a.attachedFeed,
		changed:      a.saveDraft,
		patient:      a.patientLabel,
		remember:     a.rememberIdent,
		feedChanged:  a.showDevice,
		saved:        a.triageSaved,
		queueChanged: a.RefreshQueue,
		warn:         a.askOnScreens,
		show:         a.ShowTriage,
	}
}

// triageSaved answers what a stored triage changes beyond the form: the
// patient's open alerts are answered by it, and a patient on a monitor is
// watched against its result (one no longer on one is not watched).
func (a *App) triageSaved(s savedTriage) {
	a.savedCount++
	id := s.enc.ID
	a.lastMissing[id], a.lastResult[id] = s.result.Missing, s.result
	// This triage answers the patient's open alerts, however it was opened.
	for _, al := range a.watch.Open() {
		if al.EncounterID == id {
			a.acknowledge(al, true, "")
		}
	}
	lf := s.feed
	if lf == nil {
		a.watch.Untrack(id)
		return
	}
	lf.encounter, lf.input = id, s.input
	// On re-triage the monitor's values are already in the history:
	// merge (time order, no duplicates), never append again.
	a.history[id] = mergeObservations(a.history[id], lf.recentFor())
	if s.result.NEWS2Applicable {
		if err := a.watch.Track(id, reading(s.result, s.at)); err != nil {
			a.d.Logf("deterioration watch: %v", err)
		}
	}
}

// askOnScreens shows the question about discarding the form's input on
// the board and the alert banner, where the nurse may have asked for
// another patient; "" takes it off.
func (a *App) askOnScreens(text string) {
	a.brd.ask(text)
	a.al.warn(text)
}

// window is the desktop's window, nil before Install.
func (a *App) window() fyne.Window { return a.win }

// SubmitRegistration validates the registration form, registers the
// patient and opens the triage form for the new encounter.
func (a *App) SubmitRegistration() { a.reg.register() }

// Retriage opens the triage form for a waiting encounter, with its monitor
// (if it is still on one) and its last manual findings. If the form holds
// another patient's unsaved input, it asks first (one more request goes
// ahead).
func (a *App) Retriage(encounterID ids.Encounter) {
	if !a.form.mayReplace(encounterID, "retriage.confirm.board") {
		return
	}
	a.form.retriage(encounterID)
}

// SaveTriage stores the form's assessment for its patient. A waiting
// patient still on the monitor is then watched for deterioration against
// this result.
func (a *App) SaveTriage() { a.form.saveTriage() }

// relayout lays out again every widget in o at the size it has. fyne
// 2.8.1 drops the renderer of a widget not drawn for its cache time and
// builds a new one when the widget is next used, but lays that one out
// only when the widget's size changes (BaseWidget.Resize returns early on
// the same size): an entry then has its parts at size zero and is not
// drawn. Going through size zero and back lays each one out. A scroll
// itself is left as it is (its offset stays); its content is laid out.
func relayout(o fyne.CanvasObject) {
	if !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			relayout(c)
		}
		return
	case *container.Scroll:
		relayout(x.Content)
		return
	}
	if w, ok := o.(fyne.Widget); ok {
		s := w.Size()
		w.Resize(fyne.Size{})
		w.Resize(s)
	}
}
