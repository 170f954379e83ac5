package desk

// How the triage form paints what it holds: tiles, score, colour,
// reasons, trend, ECG text and the list of acknowledgements.

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

func (f *formScreen) showPatient() {
	if e := f.enc; e != nil {
		f.patient.SetText(f.lang.T("triage.patient", f.d.patient(e.ID)))
	} else {
		f.patient.SetText(f.lang.T("triage.nopatient"))
	}
}

// showContext says what the nurse must know about the patient context:
// that the age is missing (and what that means), that a typed age is not
// understood, or which fields were prefilled from the latest triage.
func (f *formScreen) showContext() {
	f.showContextText()
	if f.ctxNote.Text == "" {
		f.ctxNote.Hide()
	} else {
		f.ctxNote.Show()
	}
}

func (f *formScreen) showContextText() {
	l := f.lang
	if f.enc == nil {
		f.ctxNote.SetText("")
		return
	}
	_, ok, err := f.ageDays()
	switch {
	case err != nil:
		f.ctxNote.Importance = widget.DangerImportance
		f.ctxNote.SetText(l.T("triage.age.err", strings.TrimSpace(f.age.Text)))
		return
	case !ok:
		f.ctxNote.Importance = widget.DangerImportance
		f.ctxNote.SetText(l.T("triage.age.missing"))
		return
	}
	f.ctxNote.Importance = widget.WarningImportance
	var from []string
	if f.enc.AgeFrom == AgeFromTriage && f.ageIsPrefilled() {
		from = append(from, l.T("ctx.age"))
	}
	if !f.prefilledFrom.IsZero() && f.enc.Pregnant && f.pregnant.Checked {
		from = append(from, l.T("ctx.pregnant"))
	}
	if f.scale2.Visible() && f.scale2.Checked {
		from = append(from, l.T("ctx.scale2"))
	}
	switch {
	case len(from) > 0 && !f.prefilledFrom.IsZero():
		f.ctxNote.SetText(l.T("triage.prefilled", f.prefilledFrom.Local().Format("15:04"), strings.Join(from, ", ")))
	case f.enc.AgeFrom == AgeFromNID && f.ageIsPrefilled():
		f.ctxNote.Importance = widget.MediumImportance
		f.ctxNote.SetText(l.T("triage.age.from.nid"))
	default:
		f.ctxNote.SetText("")
	}
}

// observation returns what a tile of kind k shows: the feed's value, or the
// typed temperature, or for HR the oximeter's PR.
func (f *formScreen) observation(k vitals.Kind) (vitals.Observation, bool) {
	for _, o := range f.typed() {
		if o.Kind == k {
			return o, true
		}
	}
	lf := f.feed
	if lf == nil {
		return vitals.Observation{}, false
	}
	if o, ok := lf.latest[k]; ok {
		return o, true
	}
	if k == vitals.HR {
		o, ok := lf.latest[vitals.PR]
		return o, ok
	}
	return vitals.Observation{}, false
}

func (f *formScreen) showVitals(now time.Time) {
	for _, k := range f.kinds {
		f.showVital(k, now)
	}
}

// showVital paints one tile: value, unit, source, age and a stale or
// quality marker in words.
func (f *formScreen) showVital(k vitals.Kind, now time.Time) {
	if k == vitals.PR {
		k = vitals.HR
	}
	t, ok := f.tiles[k]
	if !ok {
		return
	}
	l := f.lang
	o, ok := f.observation(k)
	if !ok {
		t.Set(deskwidget.VitalView{Name: vitalName(l, k), Value: l.T("vital.missing")})
		return
	}
	v := deskwidget.VitalView{Name: vitalName(l, k), Value: formatValue(l, o), Unit: unitOf(o.Kind, o.Unit),
		Source: l.T("vital.source", sourceName(l, o.Source)), Age: l.T("vital.age", formatAge(l, o.Age(now)))}
	if o.Kind == vitals.PR {
		v.Name = "PR"
	}
	switch {
	case f.d.stale.Stale(o, now):
		v.Marker = l.T("vital.stale")
	case o.Quality == vitals.Questionable:
		v.Marker = l.T("vital.questionable")
	case o.Quality == vitals.Invalid:
		v.Marker = l.T("vital.invalid")
	case !vitals.InRange(o):
		// The engine leaves such a value out; the tile says so.
		v.Marker = l.T("vital.range")
	}
	t.Set(v)
}

// bandText names a NEWS2 band ("low", ..., "" for none) in l.
func bandText(l i18n.Lang, band string) string {
	if band == "" {
		return l.T("band.none")
	}
	return l.T("band." + band)
}

func formatAge(l i18n.Lang, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return l.T("age.s", int(d/time.Second))
	case d < time.Hour:
		return l.T("age.m", int(d/time.Minute))
	}
	if d%time.Hour < time.Minute {
		return l.T("age.hh", int(d/time.Hour))
	}
	return l.T("age.h", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func formatMinutes(l i18n.Lang, d time.Duration) string { return formatAge(l, d) }

// applyOverride applies the nurse's override to the engine's result.
func (f *formScreen) applyOverride() {
	prev := f.overrideErr
	f.overrideErr = nil
	defer func() {
		// A refusal a save showed goes with the override it was about
		// (QA G15: "fra RØD til GUL" stayed after the override was taken
		// off); a new refusal replaces it.
		if prev != nil && f.msg.Text == prev.Error() {
			if f.overrideErr != nil {
				f.msg.SetText(f.overrideErr.Error())
			} else {
				f.msg.SetText("")
			}
		}
	}()
	sel := f.override.Selected
	if sel == "" || sel == f.lang.T("triage.override.none") || !f.resultOK {
		return
	}
	for _, c := range triage.Colours {
		if c.Label(f.lang) == sel {
			r, err := f.d.scorer.Override(f.result, c, strings.TrimSpace(f.why.Text))
			if err != nil {
				f.overrideErr = err
				if from := f.result.Colour; from.MoreUrgent(c) {
					// Lowering without a reason: say so in the nurse's language.
					f.overrideErr = errors.New(f.lang.T("triage.err.down", from.Label(f.lang), c.Label(f.lang)))
				}
				return
			}
			f.result = r
		}
	}
}

// showResult paints NEWS2, the colour with its label, the target and the reasons.
func (f *formScreen) showResult() {
	l := f.lang
	if f.scoreErr != nil {
		f.news2.SetText(l.T("triage.err.score", f.scoreErr.Error()))
		f.colour.SetNeutral("?")
		f.target.SetText("")
		f.reasons.SetText("")
		return
	}
	if !f.resultOK {
		return
	}
	if f.enc == nil && f.feed == nil {
		// No patient and no monitor: nothing is scored, nothing is shown,
		// so an empty form never reads as "green".
		f.news2.SetText("") // the patient line above already says so
		f.colour.SetNeutral(l.T("vital.missing"))
		f.target.SetText("")
		f.reasons.SetText("")
		return
	}
	r := f.result
	switch {
	case !r.NEWS2Applicable:
		f.news2.SetText(l.T("triage.news2.na", r.NotApplicable))
	case !r.NEWS2Complete:
		f.news2.SetText(news2Partial(l, r.NEWS2Total, r.Missing))
	default:
		f.news2.SetText(l.T("triage.news2.value", r.NEWS2Total, bandText(l, r.NEWS2Band)))
	}
	// With an incomplete set the engine's colour is a floor: a missing
	// value can only make it more urgent, and the badge says so.
	label := r.Colour.Label(l)
	if r.NEWS2Applicable && !r.NEWS2Complete {
		label = l.T("triage.colour.atleast", label)
	}
	f.colour.SetColour(r.Colour, label)
	if r.Target == 0 {
		f.target.SetText(l.T("triage.target.now"))
	} else {
		f.target.SetText(l.T("triage.target", formatMinutes(l, r.Target)))
	}
	lines := make([]string, 0, len(r.Reasons)+2)
	for _, x := range r.Reasons {
		// The rule's id stays in the stored assessment for traceability;
		// on screen it is an internal code, not a word.
		lines = append(lines, ruleIDSuffix.ReplaceAllString(x, ""))
	}
	if len(r.Stale) > 0 {
		ks := make([]string, len(r.Stale))
		for i, k := range r.Stale {
			ks[i] = string(k)
		}
		lines = append(lines, l.T("triage.stale", paramList(l, ks)))
	}
	if f.overrideErr != nil {
		lines = append(lines, f.overrideErr.Error())
	}
	f.reasons.SetText(strings.Join(lines, "\n"))
}

// ruleIDSuffix is a rule id in brackets at the end of a worded reason
// ("temp 38,9: minst gul (adult.temp.yellow.high)").
var ruleIDSuffix = regexp.MustCompile(`\s*\([a-z0-9_-]+(\.[a-z0-9_-]+)+\)$`)

// showTrend plots the last TrendWindow of each vital for the form's monitor
// or patient, each line labelled with its latest value.
func (f *formScreen) showTrend(now time.Time) {
	var obs []vitals.Observation
	if f.enc != nil {
		obs = f.d.history[f.enc.ID]
	}
	if lf := f.feed; lf != nil && (f.enc == nil || lf.encounter != f.enc.ID) {
		obs = append(obs[:len(obs):len(obs)], lf.recentFor()...)
	}
	series := map[vitals.Kind][]deskwidget.Point{}
	last := map[vitals.Kind]vitals.Observation{}
	for _, o := range obs {
		k := o.Kind
		if k == vitals.PR {
			if _, hasHR := last[vitals.HR]; hasHR {
				continue
			}
			k = vitals.HR
		}
		series[k] = append(series[k], deskwidget.Point{T: o.HostTime, V: o.Value})
		last[k] = o
	}
	l := f.lang
	// The plot spans the data it has, at least TrendMinSpan and at most
	// TrendWindow, so a new patient's first minutes are readable.
	from := now.Add(-TrendMinSpan)
	for _, o := range obs {
		if o.HostTime.Before(from) {
			from = o.HostTime
		}
	}
	if from.Before(now.Add(-TrendWindow)) {
		from = now.Add(-TrendWindow)
	}
	for _, k := range f.kinds {
		f.trend[k].Set(series[k], from, now)
		text := vitalName(l, k)
		if o, ok := last[k]; ok {
			text = fmt.Sprintf("%s %s %s", text, formatValue(l, o), unitOf(o.Kind, o.Unit))
		}
		f.trendLabel[k].SetText(text)
		f.trend[k].Label = l.T("trend.heading") + " " + text
	}
}

// recentFor returns what a feed sent within the trend window.
func (lf *liveFeed) recentFor() []vitals.Observation { return lf.recent }

// showECG writes the ECG heart rate and flags beside the strip.
func (f *formScreen) showECG() {
	l := f.lang
	lf := f.feed
	if lf == nil || !lf.ecgSeen && !lf.lastECG.LeadsOff {
		f.ecgText.SetText(l.T("ecg.none"))
		f.ecg.Label = l.T("ecg.heading") + ": " + l.T("ecg.none")
		return
	}
	r := lf.lastECG
	var parts []string
	if r.HROK {
		parts = append(parts, l.T("ecg.hr", r.HR))
	} else {
		parts = append(parts, l.T("ecg.nohr"))
	}
	if r.LeadsOff {
		parts = append(parts, l.T("ecg.leadsoff"))
	}
	if r.Noisy {
		parts = append(parts, l.T("ecg.noisy"))
	}
	if r.AF {
		parts = append(parts, l.T("ecg.af"))
	}
	text := strings.Join(parts, " · ")
	f.ecgText.SetText(text)
	f.ecg.Label = l.T("ecg.heading") + ": " + text
}

// showAcks lists an encounter's acknowledged deterioration alerts, from
// every workstation, so the nurse who re-triages sees what was noticed and
// by whom.
func (f *formScreen) showAcks(acks []Acknowledgement) {
	f.ackCount = len(acks)
	if len(acks) == 0 {
		f.acks.SetText("")
		f.acks.Hide()
		return
	}
	l := f.lang
	// In words, as the alert says it: fyne's bundled font has no arrow glyph.
	band := func(b string) string { return bandText(l, b) }
	lines := make([]string, 0, len(acks))
	for _, k := range acks {
		if k.Note == AckNoteLeftQueue {
			// Closed by the app, not seen by a nurse: say so.
			lines = append(lines, l.T("ack.line.left", k.At.Local().Format("15:04"), k.NEWS2Before, k.NEWS2After,
				band(k.BandBefore), band(k.BandAfter)))
			continue
		}
		mode := l.T("ack.only")
		switch {
		case k.Retriage:
			mode = l.T("ack.retriage")
		case strings.TrimSpace(k.Note) != "":
			mode = l.T("ack.reason", k.Note) // what the nurse wrote was done
		}
		lines = append(lines, l.T("ack.line", k.By, k.At.Local().Format("15:04"), k.NEWS2Before, k.NEWS2After,
			band(k.BandBefore), band(k.BandAfter), mode))
	}
	f.acks.SetText(strings.Join(lines, "\n"))
	f.acks.Show()
}

// sourceName words an observation's source: a device keeps its id, the
// project's own sources are words in l ("for hånd", "EKG").
func sourceName(l i18n.Lang, src string) string {
	switch src {
	case vitals.SourceManual, vitals.SourceECG, vitals.SourcePhone:
		return l.T("source." + src)
	}
	return src
}
