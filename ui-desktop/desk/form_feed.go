package desk

// The triage form's patient and monitor: opening a patient, connecting
// and releasing the monitor, taking its values, and scoring what the form
// holds.

import (
	"math"
	"time"

	"fyne.io/fyne/v2"

	"github.com/legevakt/workstation/triage/vitals"
)

// focus gives o the keyboard focus, once the form is in a window.
func (f *formScreen) focus(o fyne.Focusable) {
	if w := f.d.window(); w != nil {
		w.Canvas().Focus(o)
	}
}

// setEncounter makes e the form's patient.
func (f *formScreen) setEncounter(e *Encounter) {
	f.enc = e
	f.showPatient()
	f.rescore()
	f.showTrend(f.d.now())
}

// openRegistered opens the form for a patient just registered: an empty
// form (no monitor) with the registration's context.
func (f *formScreen) openRegistered(e *Encounter) {
	f.d.mute.run(func() {
		f.clear()
	})
	f.releaseFeed()
	f.d.mute.run(func() {
		f.fillContext(e, false)
	})
	f.setEncounter(e)
	f.markOpened()
}

// connect opens monitor m for the form's patient. A monitor already open
// (attached to a waiting patient) is taken over: that patient is no longer
// watched, since the monitor is now on someone else.
func (f *formScreen) connect(m MonitorChoice) error {
	if f.feed != nil && f.feed.choice.ID == m.ID {
		return nil
	}
	f.releaseFeed()
	var enc Encounter
	if f.enc != nil {
		enc = *f.enc
	}
	lf, err := f.d.openFeed(m, enc.ID)
	if err != nil {
		return err
	}
	f.feed = lf
	f.afterFeedChange()
	return nil
}

// releaseFeed detaches the form from its monitor. A monitor attached to a
// saved, waiting patient stays open (the deterioration watch needs it);
// any other is closed.
func (f *formScreen) releaseFeed() {
	lf := f.feed
	f.feed = nil
	f.d.releaseFeed(lf)
}

// afterFeedChange repaints what the monitor shows after it changed.
func (f *formScreen) afterFeedChange() {
	now := f.d.now()
	f.ecg.Clear()
	f.showVitals(now)
	f.showTrend(now)
	f.showECG()
	f.rescore()
	f.d.feedChanged()
}

// onObservation shows a value of kind k the form's monitor just sent.
func (f *formScreen) onObservation(k vitals.Kind) {
	now := f.d.now()
	f.showVital(k, now)
	f.rescore()
	f.showTrend(now)
}

// onWave draws a block of ECG samples of the form's monitor with the beats
// the analyser found in it (r).
func (f *formScreen) onWave(w vitals.Wave, r ECGReading) {
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
		f.ecg.Push([]float64{math.NaN()}, w.Rate, nil)
	}
	f.ecg.Push(samples, w.Rate, r.Beats)
	f.showECG()
}

// onStatus repaints after the form's monitor changed its link state.
func (f *formScreen) onStatus() {
	f.d.feedChanged()
	f.showVitals(f.d.now())
}

// tick ages the shown values and re-scores (every second).
func (f *formScreen) tick(now time.Time) {
	f.showVitals(now)
	f.rescore()
}

// input gathers what the form holds now: the nurse's findings, the
// hand-measured values she chose to score, and the monitor's latest value
// of every other vital.
func (f *formScreen) input() FormInput {
	in := f.manualInput()
	in.Lang = f.lang
	typed := f.typed()
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
	if f.feed != nil {
		for _, k := range vitals.Kinds {
			if o, ok := f.feed.latest[k]; ok && !skip[k] {
				in.Observations = append(in.Observations, o)
			}
		}
	}
	in.Observations = append(in.Observations, typed...)
	return in
}

// rescore scores the form and shows the result.
func (f *formScreen) rescore() {
	now := f.d.now()
	f.readManual(now)
	r, err := f.d.scorer.Score(f.input(), now)
	f.scoreErr = err
	if err != nil {
		f.resultOK = false
		f.showResult()
		f.showContext()
		return
	}
	f.result, f.resultOK = r, true
	f.applyOverride()
	f.showResult()
	f.showContext()
}

// fillState puts the form's part of the desktop's State into s.
func (f *formScreen) fillState(s *State) {
	s.Consciousness, s.ECGBeats, s.Acks = f.consciousness(), f.ecg.Beats(), f.ackCount
	if f.enc != nil {
		s.EncounterID = f.enc.ID
	}
	if lf := f.feed; lf != nil {
		s.Monitor, s.Device = lf.choice.ID, string(lf.status.State)
		s.ECGRate = lf.ecgSeen && lf.lastECG.HROK
	}
	if f.resultOK {
		s.NEWS2, s.Complete = f.result.NEWS2Total, f.result.NEWS2Complete
	}
	for _, k := range f.kinds {
		switch r := f.readings[k]; {
		case r.problem != "":
			s.Problems++
		case len(r.obs) > 0:
			s.Typed++
		}
	}
	for _, k := range f.kinds {
		if _, ok := f.observation(k); ok {
			s.Vitals++
		}
	}
}

// focusNames names the form's focusable widgets for State.
func (f *formScreen) focusNames(names map[fyne.Focusable]string) {
	for o, n := range map[fyne.Focusable]string{
		f.age: "form.age", f.pregnant: "form.pregnant", f.scale2: "form.scale2", f.monitor: "form.monitor",
		f.acvpu: "form.acvpu", f.oxygen: "form.oxygen", f.concern: "form.concern",
		f.complaint: "form.complaint", f.override: "form.override", f.why: "form.why", f.save: "form.save",
	} {
		names[o] = n
	}
	for _, k := range f.kinds {
		m := f.manual[k]
		names[m.entry], names[m.at] = "form."+string(k), "form."+string(k)+".at"
		names[m.confirm], names[m.useDevice] = "form."+string(k)+".confirm", "form."+string(k)+".device"
	}
}
