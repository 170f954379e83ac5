package desk

// The triage form's layout: its widgets, the sticky header, the scroll
// that follows the focus, and the tile grid.

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// TrendWindow is how far back the trend plot looks; TrendMinSpan the
// shortest time axis it draws.
const (
	TrendWindow  = 30 * time.Minute
	TrendMinSpan = 2 * time.Minute
)

// formDeps is what the triage form needs from the rest of the desktop, and
// no more: its services (the scorer, the store's triage calls, the open
// monitors, the trend), the language, the window, and callbacks to the
// screens beside it. The App fills it; tests may fill it with fakes.
type formDeps struct {
	lang      i18n.Lang
	scorer    Scorer
	store     formStore
	ctx       context.Context // ends when the desktop stops
	now       func() time.Time
	do        func(func()) // runs a function on the UI goroutine
	logf      func(format string, args ...any)
	user      string // who triages
	stale     vitals.StalePolicy
	plausible PlausibleFunc
	window    func() fyne.Window // nil before the desktop is in a window
	mute      *mute
	history   histories // this session's observations per encounter, shared with the monitors

	// The open monitors: open (or take over) one for the form's patient
	// enc, release one the form lets go of (kept open while a waiting
	// patient is attached to it), and the one attached to a patient.
	openFeed     func(m MonitorChoice, enc ids.Encounter) (*liveFeed, error)
	releaseFeed  func(lf *liveFeed)
	attachedFeed func(enc ids.Encounter) *liveFeed

	changed     func()                        // the form's input changed: keep the draft
	patient     func(id ids.Encounter) string // the patient's name with sex, age and temporary id
	remember    func(e *Encounter)            // the patient's identity, for the board and the alerts
	feedChanged func()                        // the form's monitor changed, or its status: the device bar
	// saved is told of a stored triage, before the form is emptied: the
	// deterioration watch, the alerts it answers, the monitor's patient.
	saved func(s savedTriage)
	// queueChanged reads the queue again after a save.
	queueChanged func()
	// warn shows the question about discarding the form where the nurse
	// may have asked (the board, the alert banner); "" takes it off.
	warn func(text string)
	show func() // bring the triage form forward
}

// formStore is the part of the store the triage form uses.
type formStore interface {
	SaveTriage(ctx context.Context, s Saved) error
	Encounter(ctx context.Context, id ids.Encounter) (Encounter, error)
	Observations(ctx context.Context, encounterID ids.Encounter, since time.Time) ([]vitals.Observation, error)
	Acks(ctx context.Context, encounterID ids.Encounter) ([]Acknowledgement, error)
}

// savedTriage is a triage the form stored: the patient, what was scored,
// the result, when, and the monitor it was on (nil for none).
type savedTriage struct {
	enc    Encounter
	input  FormInput
	result Result
	at     time.Time
	feed   *liveFeed
}

// formState is what the triage form holds beyond its widgets. It lives in
// the form and survives a rebuild of the widgets (a language switch).
type formState struct {
	enc     *Encounter      // the form's patient, nil for none
	feed    *liveFeed       // the form's monitor, nil for none
	choices []MonitorChoice // the monitors the picker offers
	// result is the form's latest score (resultOK false when none: no
	// score yet, or the scorer refused the input with scoreErr).
	result   Result
	resultOK bool
	scoreErr error
	// base is the form as it was opened (empty, registered or re-triage
	// prefill): while the form differs from it, it holds input the nurse
	// has not saved.
	base Draft
	// confirmFor is the encounter whose re-triage was asked for while the
	// form held another patient's unsaved input; asking again for it
	// discards that input (0: no question pending). confirmText is the
	// question asked, to take it off the form again.
	confirmFor  ids.Encounter
	confirmText string
}

// formScreen is the triage form: the patient context, the monitor's live
// vitals, the hand-measured vitals, the score and its colour, the trend
// and the ECG strip. It knows what formDeps gives it, not the App.
type formScreen struct {
	formState
	d    formDeps
	lang i18n.Lang
	// rows are the form's vitals from the table of vitals (formRows),
	// kinds the measured ones: a tile, a trend line and a hand-entry
	// field each, HR falling back to the oximeter's PR on its tile.
	rows     []wording.Vital
	kinds    []vitals.Kind
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
	save     *deskwidget.Button
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
	header      *fyne.Container   // the patient, NEWS2 and the colour
	content     fyne.CanvasObject
}

// newFormScreen builds the form's widgets in d.lang around st, the state
// of the form it replaces (the zero formState for a new one).
func newFormScreen(d formDeps, st formState) *formScreen {
	l := d.lang
	table := formRows(wording.Vitals)
	f := &formScreen{formState: st, d: d, lang: l, rows: table, kinds: measured(table), tiles: map[vitals.Kind]*deskwidget.VitalTile{},
		trend: map[vitals.Kind]*deskwidget.Sparkline{}, trendLabel: map[vitals.Kind]*widget.Label{},
		manual: map[vitals.Kind]*manualVital{}, readings: map[vitals.Kind]typedReading{}}
	changed := func() {
		if d.mute.active() {
			return
		}
		f.rescore()
		d.changed()
	}
	f.patient = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.patient.SizeName = "subHeadingText"
	f.acks = widget.NewLabel("")
	f.acks.Wrapping = fyne.TextWrapWord
	f.acks.Hide()
	f.monitor = deskwidget.NewSelect(l.T("triage.monitor"), l.T("triage.monitor.none"), nil, func(label string) {
		if d.mute.active() {
			return
		}
		for _, c := range f.choices {
			if f.choiceLabel(c) == label {
				if err := f.connect(c); err != nil {
					// What failed and what to do in the nurse's language;
					// the technical detail after it, for IT.
					if errors.Is(err, errNoMonitors) {
						f.fail(l.T("triage.monitor.err.none", err.Error()))
					} else {
						f.fail(l.T("triage.monitor.err", c.ID, err.Error()))
					}
					// The picker must not show a monitor that is not connected.
					d.mute.run(func() {
						f.monitor.ClearSelected()
					})
				}
			}
		}
		d.changed()
	})
	f.monitor.PlaceHolder = l.T("triage.monitor.pick")
	tiles := container.New(&tileLayout{min: fyne.NewSize(190, 120)})
	for _, k := range f.kinds {
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
	for _, k := range f.kinds {
		k := k
		f.manual[k] = newManualVital(l, k, d.now, func() {
			if d.mute.active() {
				return
			}
			f.incompleteAsked = false
			f.rescore() // paints the field's note and its tile
			f.showVital(k, d.now())
			d.changed()
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
		opts = append(opts, c.Label(l))
	}
	f.override = deskwidget.NewSelect(l.T("triage.override"), l.T("triage.override.none"), opts, func(string) { changed() })
	f.why = deskwidget.NewEntry(l.T("triage.override.why"))
	f.why.OnChanged = func(string) { changed() }
	f.save = deskwidget.NewButton(l.T("triage.save"), f.saveTriage)
	f.save.Importance = widget.HighImportance
	f.savedColour = deskwidget.NewBadge(l.T("triage.colour"), 0, false)
	f.savedColour.Hide()
	f.msg = widget.NewLabel("")
	f.msg.Wrapping = fyne.TextWrapWord
	f.msg.TextStyle = fyne.TextStyle{Bold: true}

	trend := container.New(deskwidget.NewFormLayout())
	for _, k := range f.kinds {
		lo, hi := trendRange(k)
		f.trend[k] = deskwidget.NewSparkline(l.T("trend.heading")+" "+vitalName(l, k), lo, hi)
		// A gap longer than the kind's stale limit had no value to plot.
		f.trend[k].MaxGap = d.stale.MaxAge(vitals.Observation{Kind: k})
		f.trendLabel[k] = widget.NewLabel(vitalName(l, k))
		trend.Add(f.trendLabel[k])
		trend.Add(f.trend[k])
	}
	f.ecg = deskwidget.NewECGStrip(l.T("ecg.heading"), 6*time.Second)
	f.ecgText = widget.NewLabelWithStyle(l.T("ecg.none"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(l.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	// The rows in NEWS2 chart order, from the table of vitals: a field
	// per measured vital, and the desktop's own input for each answer.
	answers := map[string][]fyne.CanvasObject{
		"oxygen":        {widget.NewLabel(""), f.oxygen},
		"consciousness": {widget.NewLabel(l.T("triage.consciousness")), f.acvpu},
	}
	var rows []fyne.CanvasObject
	for _, v := range f.rows {
		if v.Kind != "" {
			rows = append(rows, widget.NewLabel(manualLabel(l, v.Kind)), f.manual[v.Kind].row)
		} else {
			rows = append(rows, answers[v.ID]...)
		}
	}
	rows = append(rows, widget.NewLabel(""), f.concern, widget.NewLabel(l.T("triage.complaint")), f.complaint)
	manual := container.NewVBox(bold("manual.heading"), container.New(deskwidget.NewFormLayout(), rows...))
	left := container.NewVBox(
		f.acks,
		// The age, then pregnancy and a carried scale 2 decision each on
		// a row of its own: side by side they ran past the screen's edge
		// at large text (a check box cannot wrap); a hidden scale 2 check
		// takes no row.
		container.New(deskwidget.NewFormLayout(),
			widget.NewLabel(l.T("triage.age")), f.age,
			widget.NewLabel(""), f.pregnant,
			widget.NewLabel(""), f.scale2),
		f.ctxNote,
		container.New(deskwidget.NewFormLayout(), widget.NewLabel(l.T("triage.monitor")), f.monitor),
		bold("triage.vitals"), tiles,
		manual,
		container.NewBorder(nil, nil, bold("ecg.heading"), nil, f.ecgText), f.ecg,
	)
	right := container.NewVBox(
		bold("triage.reasons"), f.reasons,
		container.New(deskwidget.NewFormLayout(),
			widget.NewLabel(l.T("triage.override")), f.override,
			widget.NewLabel(l.T("triage.override.why")), f.why),
		container.NewHBox(f.save), container.NewBorder(nil, nil, container.NewVBox(f.savedColour), nil, f.msg),
		bold("trend.heading"), trend,
	)
	f.scroll = container.NewVScroll(container.New(&columns{}, left, right))
	// The patient, NEWS2 and the colour stay in view while the form
	// scrolls: they are above the scroll, not in it.
	f.patient.Wrapping = fyne.TextWrapWord
	// The colour and its target beside the patient and NEWS2, or under
	// them when that would squeeze the patient's name into a column (at
	// large text the badge alone is a third of the screen).
	f.header = container.NewVBox(
		container.New(&besideOrUnder{}, container.NewVBox(f.patient, f.news2), container.NewHBox(f.colour, f.target)),
		widget.NewSeparator())
	f.content = container.NewBorder(f.header, nil, nil, nil, f.scroll)
	// Tab to a field below the fold scrolls it into view: every
	// deskwidget focusable does that itself (deskwidget.Reveal).
	return f
}

// choiceLabel names a monitor choice in the form's language.
func (f *formScreen) choiceLabel(c MonitorChoice) string { return monitorLabel(f.lang, c) }

// monitorLabel names a monitor choice in l: "sim-1 · Obs 1 · simulator".
func monitorLabel(l i18n.Lang, c MonitorChoice) string {
	kind := map[MonitorKind]string{MonitorConfigured: "triage.monitor.conf", MonitorPort: "triage.monitor.port", MonitorSimulator: "triage.monitor.sim"}[c.Kind]
	parts := []string{c.ID}
	if c.Location != "" {
		parts = append(parts, c.Location)
	}
	if kind != "" {
		parts = append(parts, l.T(kind))
	}
	return strings.Join(parts, " · ")
}

// setChoices offers list on the monitor picker.
func (f *formScreen) setChoices(list []MonitorChoice) {
	f.choices = list
	opts := make([]string, 0, len(list))
	for _, c := range list {
		opts = append(opts, f.choiceLabel(c))
	}
	f.monitor.Options = opts
	f.monitor.Refresh()
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

// columns puts two objects side by side in equal halves when both fit,
// and one above the other when they do not (larger text, a narrow
// window): the form then scrolls further down, but nothing is cut at the
// right edge.
type columns struct {
	stacked bool // the last layout stacked them
}

func (c *columns) fits(objs []fyne.CanvasObject, width float32) bool {
	half := (width - theme.Padding()) / 2
	return objs[0].MinSize().Width <= half && objs[1].MinSize().Width <= half
}

// Layout implements fyne.Layout.
func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := theme.Padding()
	c.stacked = !c.fits(objs, size.Width)
	if !c.stacked {
		half := (size.Width - pad) / 2
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(half, size.Height))
		objs[1].Move(fyne.NewPos(half+pad, 0))
		objs[1].Resize(fyne.NewSize(half, size.Height))
		return
	}
	h0 := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h0))
	objs[1].Move(fyne.NewPos(0, h0+pad))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h0-pad))
}

// MinSize implements fyne.Layout: as wide as the wider of the two (so the
// window may narrow), as tall as the last layout needed.
func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return fyne.Size{}
	}
	a, b := objs[0].MinSize(), objs[1].MinSize()
	w := fyne.Max(a.Width, b.Width)
	if c.stacked {
		return fyne.NewSize(w, a.Height+theme.Padding()+b.Height)
	}
	return fyne.NewSize(w, fyne.Max(a.Height, b.Height))
}

// besideOrUnder puts its second object (the colour badge and target) to
// the right of its first (the patient and NEWS2) while the first keeps at
// least half the width, and under it otherwise: each then gets its own
// minimum height, never the other's (at 2.5x text the badge beside a
// wrapped name took the whole window's height).
type besideOrUnder struct {
	under bool // the last layout put the second under the first
}

// Layout implements fyne.Layout.
func (b *besideOrUnder) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	pad := theme.Padding()
	side := objs[1].MinSize()
	b.under = side.Width > (size.Width-pad)/2
	if !b.under {
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(size.Width-side.Width-pad, size.Height))
		objs[1].Move(fyne.NewPos(size.Width-side.Width, 0))
		objs[1].Resize(fyne.NewSize(side.Width, size.Height))
		return
	}
	// A wrapping label knows its height only at its width: resize, then
	// ask.
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, objs[0].MinSize().Height))
	h0 := objs[0].MinSize().Height
	objs[0].Resize(fyne.NewSize(size.Width, h0))
	objs[1].Move(fyne.NewPos(0, h0+pad))
	objs[1].Resize(fyne.NewSize(min(side.Width, size.Width), side.Height))
}

// MinSize implements fyne.Layout: the wider of the two, and the height as
// the last layout placed them.
func (b *besideOrUnder) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return fyne.Size{}
	}
	a, s := objs[0].MinSize(), objs[1].MinSize()
	if b.under {
		return fyne.NewSize(max(a.Width, s.Width), a.Height+theme.Padding()+s.Height)
	}
	return fyne.NewSize(max(a.Width, s.Width), max(a.Height, s.Height))
}
