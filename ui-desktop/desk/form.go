package desk

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// tileKinds are the vitals shown as tiles, in NEWS2 chart order. HR falls
// back to PR (oximeter pulse) when no ECG heart rate is present.
var tileKinds = []vitals.Kind{vitals.RR, vitals.SpO2, vitals.SBP, vitals.HR, vitals.Temp}

var vitalNames = map[vitals.Kind]string{vitals.RR: "RF", vitals.SpO2: "SpO2", vitals.SBP: "BT sys", vitals.HR: "Puls", vitals.Temp: "Temp"}
var vitalNamesEN = map[vitals.Kind]string{vitals.RR: "RR", vitals.SpO2: "SpO2", vitals.SBP: "BP sys", vitals.HR: "HR", vitals.Temp: "Temp"}
var unitText = map[vitals.Unit]string{vitals.PerMin: "/min", vitals.Percent: "%", vitals.MmHg: "mmHg", vitals.Cel: "°C", vitals.DegF: "°F", vitals.KPa: "kPa"}

// trendRanges are the value ranges of the trend sparklines.
var trendRanges = map[vitals.Kind][2]float64{
	vitals.RR: {0, 40}, vitals.SpO2: {80, 100}, vitals.SBP: {60, 220}, vitals.HR: {30, 180}, vitals.Temp: {34, 41},
}

// TrendWindow is how far back the trend plot looks; TrendMinSpan the
// shortest time axis it draws.
const (
	TrendWindow  = 30 * time.Minute
	TrendMinSpan = 2 * time.Minute
)

func vitalName(l i18n.Lang, k vitals.Kind) string {
	if l == i18n.EN {
		return vitalNamesEN[k]
	}
	return vitalNames[k]
}

type formScreen struct {
	a        *App
	patient  *widget.Label
	acks     *widget.Label // the encounter's recorded acknowledgements, from any workstation
	ackCount int           // how many acks lists
	monitor  *deskwidget.Select
	tiles    map[vitals.Kind]*deskwidget.VitalTile

	// Patient context: the age (asked for when unknown), pregnancy and a
	// carried SpO2 scale 2 decision, prefilled on re-triage.
	age            *deskwidget.Entry
	pregnant       *deskwidget.Check
	scale2         *deskwidget.Check
	ctxNote        *widget.Label
	agePrefill     string // the age text the encounter prefilled, "" for none
	agePrefillDays int    // the exact age in days behind agePrefill
	scale2Decision news2.Scale2Decision
	prefilledFrom  time.Time // the triage the context came from, zero for none

	acvpu  *deskwidget.Select
	oxygen *deskwidget.Check
	// manual are the vitals measured by hand, by kind; readings what each
	// holds as of the last rescore. temp is the temperature's entry.
	manual   map[vitals.Kind]*manualVital
	readings map[vitals.Kind]typedReading
	temp     *deskwidget.Entry
	// incompleteAsked is set once Save warned that NEWS2 is incomplete; the
	// next Save stores it and records that the nurse chose to.
	incompleteAsked bool
	concern         *deskwidget.Check
	complaint       *deskwidget.Entry

	news2    *widget.Label
	colour   *deskwidget.Badge
	target   *widget.Label
	reasons  *widget.Label
	override *deskwidget.Select
	why      *deskwidget.Entry
	save     *widget.Button
	msg      *widget.Label
	// savedColour is the colour just saved, as the badge with its word
	// beside the message; hidden until a save.
	savedColour *deskwidget.Badge

	trend      map[vitals.Kind]*deskwidget.Sparkline
	trendLabel map[vitals.Kind]*widget.Label
	ecg        *deskwidget.ECGStrip
	ecgText    *widget.Label

	overrideErr error
	scroll      *container.Scroll // the form below the sticky header
	content     fyne.CanvasObject
}

func newFormScreen(a *App) *formScreen {
	l := a.lang
	f := &formScreen{a: a, tiles: map[vitals.Kind]*deskwidget.VitalTile{},
		trend: map[vitals.Kind]*deskwidget.Sparkline{}, trendLabel: map[vitals.Kind]*widget.Label{},
		manual: map[vitals.Kind]*manualVital{}, readings: map[vitals.Kind]typedReading{}}
	changed := func() {
		if a.muting {
			return
		}
		a.rescore()
		a.saveDraft()
	}
	f.patient = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.patient.SizeName = "subHeadingText"
	f.acks = widget.NewLabel("")
	f.acks.Wrapping = fyne.TextWrapWord
	f.acks.Hide()
	f.monitor = deskwidget.NewSelect(l.T("triage.monitor"), l.T("triage.monitor.none"), nil, func(label string) {
		if a.muting {
			return
		}
		for _, c := range a.choices {
			if a.choiceLabel(c) == label {
				if err := a.ConnectMonitor(c); err != nil {
					// What failed and what to do in the nurse's language;
					// the technical detail after it, for IT.
					if errors.Is(err, errNoMonitors) {
						f.fail(l.T("triage.monitor.err.none", err.Error()))
					} else {
						f.fail(l.T("triage.monitor.err", c.ID, err.Error()))
					}
					// The picker must not show a monitor that is not connected.
					a.muted(func() {
						f.monitor.ClearSelected()
					})
				}
			}
		}
		a.saveDraft()
	})
	f.monitor.PlaceHolder = l.T("triage.monitor.pick")
	tiles := container.New(&tileLayout{min: fyne.NewSize(190, 120)})
	for _, k := range tileKinds {
		t := deskwidget.NewVitalTile(vitalName(l, k), l.T("vital.missing"))
		f.tiles[k] = t
		tiles.Add(t)
	}
	f.age = deskwidget.NewEntry(l.T("triage.age.a11y"))
	f.age.OnChanged = func(string) { changed() }
	f.pregnant = deskwidget.NewCheck(l.T("triage.pregnant"), l.T("triage.pregnant"), l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	f.scale2 = deskwidget.NewCheck("", l.T("triage.scale2.a11y"), l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	f.scale2.Hide() // shown only when a decision was recorded
	f.ctxNote = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.ctxNote.Wrapping = fyne.TextWrapWord
	var acvpuWords []string
	for _, c := range acvpuLevels {
		acvpuWords = append(acvpuWords, l.T("acvpu."+c))
	}
	f.acvpu = deskwidget.NewSelect(l.T("triage.consciousness"), "–", acvpuWords, func(string) { changed() })
	f.oxygen = deskwidget.NewCheck(l.T("triage.oxygen"), l.T("triage.oxygen"), l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	for _, k := range manualKinds {
		k := k
		f.manual[k] = newManualVital(l, k, a.d.Now, func() {
			if a.muting {
				return
			}
			f.incompleteAsked = false
			a.rescore() // paints the field's note and its tile
			f.showVital(k, a.d.Now())
			a.saveDraft()
		})
	}
	f.temp = f.manual[vitals.Temp].entry
	f.concern = deskwidget.NewCheck(l.T("triage.concern"), l.T("triage.concern"), l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	f.complaint = deskwidget.NewEntry(l.T("triage.complaint"))
	f.complaint.OnChanged = func(string) { changed() }

	f.news2 = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.news2.SizeName = "subHeadingText"
	f.news2.Wrapping = fyne.TextWrapWord
	f.colour = deskwidget.NewBadge(l.T("triage.colour"), 200, true)
	f.target = widget.NewLabel("")
	f.reasons = widget.NewLabel("")
	f.reasons.Wrapping = fyne.TextWrapWord
	opts := []string{l.T("triage.override.none")}
	for _, c := range triage.Colours {
		opts = append(opts, c.Label(string(l)))
	}
	f.override = deskwidget.NewSelect(l.T("triage.override"), l.T("triage.override.none"), opts, func(string) { changed() })
	f.why = deskwidget.NewEntry(l.T("triage.override.why"))
	f.why.OnChanged = func(string) { changed() }
	f.save = widget.NewButton(l.T("triage.save"), a.SaveTriage)
	f.save.Importance = widget.HighImportance
	f.savedColour = deskwidget.NewBadge(l.T("triage.colour"), 0, false)
	f.savedColour.Hide()
	f.msg = widget.NewLabel("")
	f.msg.Wrapping = fyne.TextWrapWord
	f.msg.TextStyle = fyne.TextStyle{Bold: true}

	trend := container.New(layout.NewFormLayout())
	for _, k := range tileKinds {
		r := trendRanges[k]
		f.trend[k] = deskwidget.NewSparkline(l.T("trend.heading")+" "+vitalName(l, k), r[0], r[1])
		// A gap longer than the kind's stale limit had no value to plot.
		f.trend[k].MaxGap = a.d.Stale.MaxAge(vitals.Observation{Kind: k})
		f.trendLabel[k] = widget.NewLabel(vitalName(l, k))
		trend.Add(f.trendLabel[k])
		trend.Add(f.trend[k])
	}
	f.ecg = deskwidget.NewECGStrip(l.T("ecg.heading"), 6*time.Second)
	f.ecgText = widget.NewLabelWithStyle(l.T("ecg.none"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(l.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	row := func(k vitals.Kind) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabel(l.T(manualLabel[k])), f.manual[k].row}
	}
	var rows []fyne.CanvasObject
	rows = append(rows, row(vitals.RR)...)
	rows = append(rows, row(vitals.SpO2)...)
	rows = append(rows, widget.NewLabel(""), f.oxygen)
	rows = append(rows, row(vitals.SBP)...)
	rows = append(rows, row(vitals.HR)...)
	rows = append(rows, widget.NewLabel(l.T("triage.consciousness")), f.acvpu)
	rows = append(rows, row(vitals.Temp)...)
	rows = append(rows, widget.NewLabel(""), f.concern, widget.NewLabel(l.T("triage.complaint")), f.complaint)
	manual := container.NewVBox(bold("manual.heading"), container.New(layout.NewFormLayout(), rows...))
	left := container.NewVBox(
		f.acks,
		// One row: the age field takes the room the checks leave; a
		// hidden scale 2 check takes none.
		container.New(layout.NewFormLayout(),
			widget.NewLabel(l.T("triage.age")),
			container.NewBorder(nil, nil, nil, container.NewHBox(f.pregnant, f.scale2), f.age)),
		f.ctxNote,
		container.New(layout.NewFormLayout(), widget.NewLabel(l.T("triage.monitor")), f.monitor),
		bold("triage.vitals"), tiles,
		manual,
		container.NewBorder(nil, nil, bold("ecg.heading"), nil, f.ecgText), f.ecg,
	)
	right := container.NewVBox(
		bold("triage.reasons"), f.reasons,
		container.New(layout.NewFormLayout(),
			widget.NewLabel(l.T("triage.override")), f.override,
			widget.NewLabel(l.T("triage.override.why")), f.why),
		container.NewHBox(f.save), container.NewBorder(nil, nil, container.NewVBox(f.savedColour), nil, f.msg),
		bold("trend.heading"), trend,
	)
	f.scroll = container.NewVScroll(container.NewGridWithColumns(2, left, right))
	// The patient, NEWS2 and the colour stay in view while the form
	// scrolls: they are above the scroll, not in it.
	f.patient.Wrapping = fyne.TextWrapWord
	header := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(f.colour, f.target), container.NewVBox(f.patient, f.news2)),
		widget.NewSeparator())
	f.content = container.NewBorder(header, nil, nil, nil, f.scroll)
	// Tab to a field below the fold scrolls it into view.
	for _, e := range []*deskwidget.Entry{f.age, f.complaint, f.why} {
		e.OnFocus = f.reveal
	}
	for _, k := range manualKinds {
		f.manual[k].entry.OnFocus, f.manual[k].at.OnFocus = f.reveal, f.reveal
		f.manual[k].confirm.OnFocus, f.manual[k].useDevice.OnFocus = f.reveal, f.reveal
	}
	for _, c := range []*deskwidget.Check{f.pregnant, f.scale2, f.oxygen, f.concern} {
		c.OnFocus = f.reveal
	}
	for _, s := range []*deskwidget.Select{f.monitor, f.acvpu, f.override} {
		s.OnFocus = f.reveal
	}
	return f
}

// reveal scrolls the form so that o, which just gained the focus, is in
// view with a little room around it.
func (f *formScreen) reveal(o fyne.CanvasObject) {
	app := fyne.CurrentApp()
	if app == nil || app.Driver() == nil || f.scroll.Content == nil {
		return
	}
	d := app.Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	h, view, off := o.Size().Height, f.scroll.Size().Height, f.scroll.Offset.Y
	pad := 4 * theme.Padding()
	switch {
	case view <= 0:
		return
	case y < off:
		off = y - pad
	case y+h > off+view:
		off = y + h - view + pad
	default:
		return
	}
	if most := f.scroll.Content.MinSize().Height - view; off > most {
		off = most
	}
	if off < 0 {
		off = 0
	}
	f.scroll.ScrollToOffset(fyne.NewPos(f.scroll.Offset.X, off))
}

func (a *App) choiceLabel(c MonitorChoice) string {
	kind := map[MonitorKind]string{MonitorConfigured: "triage.monitor.conf", MonitorPort: "triage.monitor.port", MonitorSimulator: "triage.monitor.sim"}[c.Kind]
	parts := []string{c.ID}
	if c.Location != "" {
		parts = append(parts, c.Location)
	}
	if kind != "" {
		parts = append(parts, a.lang.T(kind))
	}
	return strings.Join(parts, " · ")
}

func (f *formScreen) setChoices(list []MonitorChoice) {
	opts := make([]string, 0, len(list))
	for _, c := range list {
		opts = append(opts, f.a.choiceLabel(c))
	}
	f.monitor.Options = opts
	f.monitor.Refresh()
}

func (f *formScreen) showPatient() {
	if e := f.a.enc; e != nil {
		f.patient.SetText(f.a.lang.T("triage.patient", f.a.patientLabel(e.ID)))
	} else {
		f.patient.SetText(f.a.lang.T("triage.nopatient"))
	}
}

// acvpuLevels are the ACVPU levels in the order the picker lists them.
var acvpuLevels = []string{"A", "C", "V", "P", "U"}

// consciousness is the picked ACVPU level ("A" ... "U", "" for none).
func (f *formScreen) consciousness() string {
	for _, c := range acvpuLevels {
		if f.acvpu.Selected == f.a.lang.T("acvpu."+c) {
			return c
		}
	}
	return ""
}

// setConsciousness picks ACVPU level c ("" clears it).
func (f *formScreen) setConsciousness(c string) {
	if c == "" {
		f.acvpu.ClearSelected()
		return
	}
	f.acvpu.SetSelected(f.a.lang.T("acvpu." + c))
}

// deviceObservation is the monitor's latest value of kind k (HR falls back
// to the oximeter's pulse), nil when the monitor gives none.
func (f *formScreen) deviceObservation(k vitals.Kind) *vitals.Observation {
	lf := f.a.formFeed
	if lf == nil {
		return nil
	}
	if o, ok := lf.latest[k]; ok {
		return &o
	}
	if k == vitals.HR {
		if o, ok := lf.latest[vitals.PR]; ok {
			return &o
		}
	}
	return nil
}

// readManual reads every hand-measured field at now and paints its note.
func (f *formScreen) readManual(now time.Time) {
	for _, k := range manualKinds {
		r := f.manual[k].read(f.a.lang, now, f.a.d.Plausible)
		f.readings[k] = r
		f.manual[k].show(f.a.lang, r, f.deviceObservation(k))
	}
}

// typed returns the hand-measured observations that are scored: those that
// read, unless the nurse chose the monitor's value of the same vital.
func (f *formScreen) typed() []vitals.Observation {
	var out []vitals.Observation
	for _, k := range manualKinds {
		r := f.readings[k]
		if len(r.obs) == 0 || f.manual[k].useDevice.Checked && f.deviceObservation(k) != nil {
			continue
		}
		out = append(out, r.obs...)
	}
	return out
}

// manualProblem returns the first hand-measured field with a problem.
func (f *formScreen) manualProblem() (*manualVital, string) {
	for _, k := range manualKinds {
		if p := f.readings[k].problem; p != "" {
			return f.manual[k], p
		}
	}
	return nil, ""
}

func (f *formScreen) manualInput() FormInput {
	in := FormInput{
		Pregnant:      f.pregnant.Checked,
		Consciousness: f.consciousness(),
		Oxygen:        f.oxygen.Checked,
		OxygenKnown:   true,
		NurseConcern:  f.concern.Checked,
		Complaint:     strings.TrimSpace(f.complaint.Text),
	}
	if days, ok, err := f.ageDays(); ok && err == nil {
		in.AgeDays, in.AgeDaysKnown = days, true
		in.AgeYears, in.AgeKnown = int(float64(days)/daysPerYear), true
	}
	if f.scale2.Visible() && f.scale2.Checked {
		in.Scale2 = f.scale2Decision
	}
	return in
}

// ageDays reads the age field. An age that reads the same as the prefilled
// one is the prefilled exact age in days (the text rounds it to whole
// months or years).
func (f *formScreen) ageDays() (int, bool, error) {
	days, ok, err := parseAge(f.age.Text)
	if !ok || err != nil || f.agePrefill == "" {
		return days, ok, err
	}
	if pd, pok, _ := parseAge(f.agePrefill); pok && pd == days {
		return f.agePrefillDays, true, nil
	}
	return days, true, nil
}

// ageIsPrefilled reports whether the age field still reads as the
// prefilled age (in either language's wording).
func (f *formScreen) ageIsPrefilled() bool {
	if f.agePrefill == "" {
		return false
	}
	days, ok, err := f.ageDays()
	return ok && err == nil && days == f.agePrefillDays
}

// fillContext takes the encounter's patient context into the form: its
// age (from the identity number, the registration or the latest triage),
// pregnancy and a recorded SpO2 scale 2 decision. keepTyped keeps what a
// restored draft already holds (a language switch, a restart).
func (f *formScreen) fillContext(e *Encounter, keepTyped bool) {
	l := f.a.lang
	f.agePrefill, f.agePrefillDays = "", 0
	if days, ok := e.ageDays(); ok {
		f.agePrefill, f.agePrefillDays = formatAgeDays(l, days), days
	}
	f.prefilledFrom = e.PrefilledFrom
	f.scale2Decision = e.Scale2
	f.a.muted(func() {
		if !keepTyped || strings.TrimSpace(f.age.Text) == "" {
			f.age.SetText(f.agePrefill)
		}
		if !keepTyped {
			f.pregnant.SetChecked(e.Pregnant)
			f.scale2.SetChecked(e.Scale2.Recorded())
		}
		if e.Scale2.Recorded() {
			f.scale2.Text = l.T("triage.scale2", e.Scale2.By, e.Scale2.At.Local().Format("02.01 15:04"))
			f.scale2.Show()
			f.scale2.Refresh()
		} else {
			f.scale2.SetChecked(false)
			f.scale2.Hide()
		}
	})
}

// ageDays is the encounter's age in days, false when nobody recorded one.
func (e *Encounter) ageDays() (int, bool) {
	if e.AgeDaysKnown {
		return e.AgeDays, true
	}
	if e.AgeKnown {
		d, err := triage.AgeDaysFromYears(float64(e.AgeYears))
		return d, err == nil
	}
	return 0, false
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
	l := f.a.lang
	if f.a.enc == nil {
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
	if f.a.enc.AgeFrom == AgeFromTriage && f.ageIsPrefilled() {
		from = append(from, l.T("ctx.age"))
	}
	if !f.prefilledFrom.IsZero() && f.a.enc.Pregnant && f.pregnant.Checked {
		from = append(from, l.T("ctx.pregnant"))
	}
	if f.scale2.Visible() && f.scale2.Checked {
		from = append(from, l.T("ctx.scale2"))
	}
	switch {
	case len(from) > 0 && !f.prefilledFrom.IsZero():
		f.ctxNote.SetText(l.T("triage.prefilled", f.prefilledFrom.Local().Format("15:04"), strings.Join(from, ", ")))
	case f.a.enc.AgeFrom == AgeFromNID && f.ageIsPrefilled():
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
	lf := f.a.formFeed
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
	for _, k := range tileKinds {
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
	l := f.a.lang
	o, ok := f.observation(k)
	if !ok {
		t.Set(deskwidget.VitalView{Name: vitalName(l, k), Value: l.T("vital.missing")})
		return
	}
	v := deskwidget.VitalView{Name: vitalName(l, k), Value: formatValue(l, o), Unit: unitText[o.Unit],
		Source: l.T("vital.source", o.Source), Age: l.T("vital.age", formatAge(l, o.Age(now)))}
	if o.Kind == vitals.PR {
		v.Name = "PR"
	}
	switch {
	case f.a.d.Stale.Stale(o, now):
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

// formatValue writes a vital value as the nurse reads it: a temperature
// to one decimal, with a decimal comma in bokmål.
func formatValue(l i18n.Lang, o vitals.Observation) string {
	if o.Kind == vitals.Temp {
		v := strconv.FormatFloat(o.Value, 'f', 1, 64)
		if l == i18n.NB {
			v = strings.Replace(v, ".", ",", 1)
		}
		return v
	}
	return strconv.FormatFloat(o.Value, 'f', 0, 64)
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
	f.overrideErr = nil
	sel := f.override.Selected
	if sel == "" || sel == f.a.lang.T("triage.override.none") || !f.a.resultOK {
		return
	}
	for _, c := range triage.Colours {
		if c.Label(string(f.a.lang)) == sel {
			r, err := f.a.d.Scorer.Override(f.a.result, c, strings.TrimSpace(f.why.Text))
			if err != nil {
				f.overrideErr = err
				if from := f.a.result.Colour; from.MoreUrgent(c) {
					// Lowering without a reason: say so in the nurse's language.
					l := string(f.a.lang)
					f.overrideErr = errors.New(f.a.lang.T("triage.err.down", from.Label(l), c.Label(l)))
				}
				return
			}
			f.a.result = r
		}
	}
}

// showResult paints NEWS2, the colour with its label, the target and the reasons.
func (f *formScreen) showResult() {
	a, l := f.a, f.a.lang
	if a.scoreErr != nil {
		f.news2.SetText(l.T("triage.err.score", a.scoreErr.Error()))
		f.colour.SetNeutral("?")
		f.target.SetText("")
		f.reasons.SetText("")
		return
	}
	if !a.resultOK {
		return
	}
	if a.enc == nil && a.formFeed == nil {
		// No patient and no monitor: nothing is scored, nothing is shown,
		// so an empty form never reads as "green".
		f.news2.SetText(l.T("triage.nopatient"))
		f.colour.SetNeutral(l.T("vital.missing"))
		f.target.SetText("")
		f.reasons.SetText("")
		return
	}
	r := a.result
	switch {
	case !r.NEWS2Applicable:
		f.news2.SetText(l.T("triage.news2.na", r.NotApplicable))
	case !r.NEWS2Complete:
		f.news2.SetText(a.news2Partial(r.NEWS2Total, r.Missing))
	default:
		f.news2.SetText(l.T("triage.news2.value", r.NEWS2Total, bandText(l, r.NEWS2Band)))
	}
	// With an incomplete set the engine's colour is a floor: a missing
	// value can only make it more urgent, and the badge says so.
	label := r.Colour.Label(string(l))
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
	if f.a.enc != nil {
		obs = f.a.history[f.a.enc.ID]
	}
	if lf := f.a.formFeed; lf != nil && (f.a.enc == nil || lf.encounter != f.a.enc.ID) {
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
	l := f.a.lang
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
	for _, k := range tileKinds {
		f.trend[k].Set(series[k], from, now)
		text := vitalName(l, k)
		if o, ok := last[k]; ok {
			text = fmt.Sprintf("%s %s %s", text, formatValue(l, o), unitText[o.Unit])
		}
		f.trendLabel[k].SetText(text)
		f.trend[k].Label = l.T("trend.heading") + " " + text
	}
}

// recentFor returns what a feed sent within the trend window.
func (lf *liveFeed) recentFor() []vitals.Observation { return lf.recent }

// showECG writes the ECG heart rate and flags beside the strip.
func (f *formScreen) showECG() {
	l := f.a.lang
	lf := f.a.formFeed
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

func (f *formScreen) toDraft(d *Draft) {
	d.Age, d.Pregnant, d.Scale2Dropped = f.age.Text, f.pregnant.Checked, f.scale2.Visible() && !f.scale2.Checked
	d.Consciousness, d.Oxygen, d.OxygenKnown = f.consciousness(), f.oxygen.Checked, true
	d.TempByHand, d.NurseConcern, d.Complaint = "", f.concern.Checked, f.complaint.Text
	for i, k := range manualKinds {
		m := f.manual[k]
		d.Manual[i] = DraftVital{Text: m.entry.Text, At: m.at.Text, Confirmed: m.confirm.Checked, UseDevice: m.useDevice.Checked}
		if !m.typedAt.IsZero() {
			d.Manual[i].TypedAt = m.typedAt.UTC().Format(time.RFC3339Nano)
		}
	}
	d.Override, d.OverrideReason = "", f.why.Text
	for _, c := range triage.Colours {
		if c.Label(string(f.a.lang)) == f.override.Selected {
			d.Override = c.String()
		}
	}
	d.Monitor = ""
	if f.a.formFeed != nil {
		d.Monitor = f.a.formFeed.choice.ID
	}
}

func (f *formScreen) fromDraft(d Draft) {
	f.age.SetText(d.Age)
	f.pregnant.SetChecked(d.Pregnant)
	f.scale2.SetChecked(!d.Scale2Dropped)
	if d.Consciousness != "" {
		f.setConsciousness(d.Consciousness)
	}
	f.oxygen.SetChecked(d.Oxygen)
	for i, k := range manualKinds {
		m, v := f.manual[k], d.Manual[i]
		if k == vitals.Temp && v.Text == "" && d.TempByHand != "" {
			v.Text = d.TempByHand // a draft written before every vital could be typed
		}
		m.entry.SetText(v.Text)
		m.at.SetText(v.At)
		m.confirm.SetChecked(v.Confirmed)
		m.useDevice.SetChecked(v.UseDevice)
		// The value keeps the time it was measured, not the time it was restored.
		m.typedAt = time.Time{}
		if t, err := time.Parse(time.RFC3339Nano, v.TypedAt); err == nil && v.Text != "" {
			m.typedAt = t
		} else if v.Text != "" {
			m.typedAt = f.a.d.Now()
		}
	}
	f.concern.SetChecked(d.NurseConcern)
	f.complaint.SetText(d.Complaint)
	if c, err := triage.ParseColour(d.Override); err == nil && d.Override != "" {
		f.override.SetSelected(c.Label(string(f.a.lang)))
	}
	f.why.SetText(d.OverrideReason)
}

func (f *formScreen) clear() {
	f.age.SetText("")
	f.pregnant.SetChecked(false)
	f.scale2.SetChecked(false)
	f.scale2.Hide()
	f.agePrefill, f.agePrefillDays, f.prefilledFrom = "", 0, time.Time{}
	f.scale2Decision = news2.Scale2Decision{}
	f.ctxNote.SetText("")
	f.acvpu.ClearSelected()
	f.oxygen.SetChecked(false)
	for _, k := range manualKinds {
		f.manual[k].clear()
	}
	f.incompleteAsked = false
	f.concern.SetChecked(false)
	f.complaint.SetText("")
	f.override.ClearSelected()
	f.why.SetText("")
	f.msg.SetText("")
	f.savedColour.Hide()
	f.ecg.Clear()
	f.showAcks(nil)
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
	l := f.a.lang
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
		if k.Retriage {
			mode = l.T("ack.retriage")
		}
		lines = append(lines, l.T("ack.line", k.By, k.At.Local().Format("15:04"), k.NEWS2Before, k.NEWS2After,
			band(k.BandBefore), band(k.BandAfter), mode))
	}
	f.acks.SetText(strings.Join(lines, "\n"))
	f.acks.Show()
}

// loadAcks reads the encounter's acknowledgements from the store, off the
// UI goroutine, and shows them if the form still has that encounter.
func (a *App) loadAcks(id int64) {
	go func() {
		acks, err := a.d.Store.Acks(a.ctx, id)
		a.d.Do(func() {
			if err != nil {
				a.d.Logf("acknowledgements: %v", err)
				return
			}
			if a.enc != nil && a.enc.ID == id {
				a.form.showAcks(acks)
			}
		})
	}()
}

func (f *formScreen) fail(msg string) {
	f.msg.Importance = widget.DangerImportance
	f.msg.SetText(msg)
}

// SaveTriage stores the form's assessment for its patient. A waiting
// patient still on the monitor is then watched for deterioration against
// this result.
func (a *App) SaveTriage() {
	f, l := a.form, a.lang
	if a.enc == nil {
		f.fail(l.T("triage.err.nopatient"))
		return
	}
	a.rescore()
	if _, ok, err := f.ageDays(); err != nil || !ok {
		// Never save a triage on adult rules by default: a child's age
		// changes the colour. The nurse types it, estimated if need be.
		if err != nil {
			f.fail(l.T("triage.age.err", strings.TrimSpace(f.age.Text)))
		} else {
			f.fail(l.T("triage.err.age"))
		}
		a.focus(f.age)
		return
	}
	if a.scoreErr != nil || !a.resultOK {
		f.fail(l.T("triage.err.score", fmt.Sprint(a.scoreErr)))
		return
	}
	if m, problem := f.manualProblem(); m != nil {
		// Nothing typed is ever dropped: the field says what is wrong, and
		// the save waits until it is fixed (or confirmed).
		f.fail(problem)
		if m.confirm.Visible() {
			a.focus(m.confirm)
		} else {
			a.focus(m.entry)
		}
		return
	}
	if f.overrideErr != nil {
		f.fail(f.overrideErr.Error())
		a.focus(f.why)
		return
	}
	incomplete := a.result.NEWS2Applicable && !a.result.NEWS2Complete
	if incomplete && !f.incompleteAsked {
		// Asked once: the next Save stores it, recorded as the nurse's choice.
		f.incompleteAsked = true
		f.fail(l.T("triage.save.incomplete", paramList(l, a.result.Missing)))
		return
	}
	now := a.d.Now()
	in := a.formInput()
	stored := in.Observations
	if lf := a.formFeed; lf != nil && lf.encounter == a.enc.ID {
		// Re-triage on the monitor the patient is already on: its values
		// were stored as they arrived (or by the last save); store only
		// what is new here, what the nurse typed.
		stored = nil
		for _, o := range in.Observations {
			if o.Source == vitals.SourceManual {
				stored = append(stored, o)
			}
		}
	}
	s := Saved{Encounter: *a.enc, Input: in, Result: a.result, Observations: stored, By: a.d.User, At: now,
		IncompleteChosen: incomplete}
	if err := a.d.Store.SaveTriage(a.ctx, s); err != nil {
		f.fail(l.T("triage.err.store", err.Error()))
		return
	}
	a.savedCount++
	enc := *a.enc
	a.lastMissing[enc.ID], a.lastResult[enc.ID] = a.result.Missing, a.result
	key := strconv.FormatInt(enc.ID, 10)
	// This triage answers the patient's open alerts, however it was opened.
	for _, al := range a.watch.Open() {
		if al.EncounterID == key {
			a.acknowledge(al, true, "")
		}
	}
	if lf := a.formFeed; lf != nil {
		lf.encounter, lf.input = enc.ID, in
		// On re-triage the monitor's values are already in the history:
		// merge (time order, no duplicates), never append again.
		a.history[enc.ID] = mergeObservations(a.history[enc.ID], lf.recentFor())
		if a.result.NEWS2Applicable {
			if err := a.watch.Track(key, reading(a.result, now)); err != nil {
				a.d.Logf("deterioration watch: %v", err)
			}
		}
	} else {
		a.watch.Untrack(key)
	}
	colour := a.result.Colour.Label(string(l))
	savedColour := a.result.Colour
	a.muted(func() {
		f.clear()
	})
	f.savedColour.SetColour(savedColour, colour)
	f.savedColour.Show()
	a.formFeed = nil // an attached monitor stays open for the watch
	a.enc = nil
	a.resultOK = false
	a.form.monitor.ClearSelected()
	f.msg.Importance = widget.SuccessImportance
	f.msg.SetText(l.T("triage.saved", enc.Patient, colour))
	if incomplete {
		f.msg.Importance = widget.WarningImportance
		f.msg.SetText(l.T("triage.saved.incomplete", enc.Patient, colour))
	}
	a.formBase = a.formSnapshot()
	a.saveDraft()
	a.afterFeedChange()
	a.form.showPatient()
	a.RefreshQueue()
}

// loadHistory reads the encounter's observations of the trend window from
// the store (other workstations' and earlier sessions' too) and merges
// them with what this session holds, then redraws the trend.
func (a *App) loadHistory(id int64) {
	now := a.d.Now()
	go func() {
		obs, err := a.d.Store.Observations(a.ctx, id, now.Add(-TrendWindow))
		a.d.Do(func() {
			if err != nil {
				a.d.Logf("trend: %v", err)
				return
			}
			a.history[id] = mergeObservations(obs, a.history[id])
			if a.enc != nil && a.enc.ID == id {
				a.form.showTrend(a.d.Now())
			}
		})
	}()
}

// mergeObservations joins two lists of observations into one in host-time
// order, dropping exact duplicates (the same value from the same source at
// the same time, stored and also held in memory).
func mergeObservations(a, b []vitals.Observation) []vitals.Observation {
	type key struct {
		k vitals.Kind
		s string
		t int64
	}
	seen := make(map[key]bool, len(a)+len(b))
	out := make([]vitals.Observation, 0, len(a)+len(b))
	for _, list := range [][]vitals.Observation{a, b} {
		for _, o := range list {
			k := key{o.Kind, o.Source, o.HostTime.UnixNano()}
			if !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].HostTime.Before(out[j].HostTime) })
	return out
}

// formSnapshot is the triage form's input as the draft keeps it, without
// the monitor (re-picking it brings its values back).
func (a *App) formSnapshot() Draft {
	var d Draft
	a.form.toDraft(&d)
	d.Monitor = ""
	return d
}

// formUnsaved reports whether the form holds input the nurse typed and has
// not saved.
func (a *App) formUnsaved() bool { return a.formSnapshot() != a.formBase }

// mayReplaceForm reports whether the form may be cleared for encounter id.
// While it holds another patient's unsaved input, the first request only
// says so (text key ask, shown where the nurse pressed) and the same
// request again goes ahead: one more key, never a silent loss.
func (a *App) mayReplaceForm(id int64, ask string) bool {
	if a.enc == nil || a.enc.ID == id || a.confirmFor == id || !a.formUnsaved() {
		a.clearConfirm()
		return true
	}
	a.confirmFor = id
	text := a.lang.T(ask, a.enc.Patient)
	a.confirmText = text
	a.form.fail(text)
	a.brd.warn.SetText(text)
	a.brd.warn.Show()
	a.al.warn(text)
	return false
}

// clearConfirm withdraws a pending question about discarding the form.
func (a *App) clearConfirm() {
	if a.confirmFor == 0 {
		return
	}
	a.confirmFor = 0
	if a.form.msg.Text == a.confirmText {
		a.form.msg.SetText("")
	}
	a.brd.warn.Hide()
	a.al.warn("")
}

// Retriage opens the triage form for a waiting encounter, with its monitor
// (if it is still on one) and its last manual findings. If the form holds
// another patient's unsaved input, it asks first (see mayReplaceForm).
func (a *App) Retriage(encounterID int64) {
	if !a.mayReplaceForm(encounterID, "retriage.confirm.board") {
		return
	}
	a.retriage(encounterID)
}

func (a *App) retriage(encounterID int64) {
	if a.enc != nil && a.enc.ID == encounterID && a.formUnsaved() {
		// Already on the form with what the nurse typed: keep it.
		a.loadAcks(encounterID)
		a.ShowTriage()
		return
	}
	e, err := a.d.Store.Encounter(a.ctx, encounterID)
	if err != nil {
		a.form.fail(a.lang.T("triage.err.open", err.Error()))
		return
	}
	a.releaseFormFeed()
	a.muted(func() {
		a.form.clear()
		for _, lf := range a.feeds {
			if lf.encounter == encounterID {
				a.formFeed = lf
				a.form.monitor.SetSelected(a.choiceLabel(lf.choice))
				in := lf.input
				if in.Consciousness != "" {
					a.form.setConsciousness(in.Consciousness)
				}
				a.form.oxygen.SetChecked(in.Oxygen)
				a.form.concern.SetChecked(in.NurseConcern)
				a.form.complaint.SetText(in.Complaint)
			}
		}
		a.form.fillContext(&e, false)
	})
	a.rememberIdent(&e)
	a.setEncounter(&e)
	a.loadHistory(encounterID)
	a.loadAcks(encounterID)
	a.form.msg.SetText(a.lang.T("triage.retriage", e.Patient))
	a.afterFeedChange()
	a.form.showTrend(a.d.Now())
	a.formBase = a.formSnapshot()
	a.saveDraft()
	a.ShowTriage()
}

// tileLayout is a grid-wrap whose cell is at least min and grows with the
// tiles' own minimum size, so larger text (up to 2.5x) is never cut.
type tileLayout struct {
	min  fyne.Size
	rows int // rows of the last layout, for MinSize
}

func (l *tileLayout) cell(objs []fyne.CanvasObject) fyne.Size {
	c := l.min
	for _, o := range objs {
		if o.Visible() {
			c = c.Max(o.MinSize())
		}
	}
	return c
}

// Layout implements fyne.Layout.
func (l *tileLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	c, pad := l.cell(objs), theme.Padding()
	var x, y float32
	l.rows = 1
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if x > 0 && x+c.Width > size.Width {
			x, y = 0, y+c.Height+pad
			l.rows++
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(c)
		x += c.Width + pad
	}
}

// MinSize implements fyne.Layout.
func (l *tileLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c, rows := l.cell(objs), float32(max(l.rows, 1))
	return fyne.NewSize(c.Width, c.Height*rows+theme.Padding()*(rows-1))
}
