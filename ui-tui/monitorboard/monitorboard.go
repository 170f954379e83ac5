package monitorboard

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/deterioration"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/workstation/readings"
)

// KeyMap holds the keys of the monitor board.
type KeyMap struct {
	Up, Down key.Binding
}

// DefaultKeyMap returns the keys of the monitor board.
func DefaultKeyMap(c *screen.Context) KeyMap {
	return KeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓/jk", c.T("k.scroll"))),
		Down: key.NewBinding(key.WithKeys("down", "j")),
	}
}

// readingMsg carries one reading of the monitor feed; the model
// re-subscribes after each.
type readingMsg MonitorReading

// StatusChanged carries one status change of the monitor feed (a device
// live, silent or gone); the model re-subscribes after each.
type StatusChanged MonitorStatus
type feedEndedMsg struct{}

// trendLen is how many points of each kind the sparkline keeps, one per
// trendStep (the latest value in each step), so the line spans 8 minutes:
// long enough to show a deterioration, short enough to be "now".
const (
	trendLen  = 16
	trendStep = 30 * time.Second
)

// monitorKinds are shown in this order (the vitals table's Board
// order); HR falls back to PR.
var monitorKinds = wording.BoardKinds()

// bed is one monitored patient's state.
type bed struct {
	device                   ids.Device
	location, patient, state string
	hint                     string // the device layer's advice while not live
	latest                   map[vitals.Kind]vitals.Observation
	trend                    map[vitals.Kind][]float64
	trendAt                  map[vitals.Kind]time.Time // start of the last point's step
	// attached is the waiting patient on this monitor (nil: none known);
	// their last assessment completes NEWS2 and is the deterioration
	// baseline.
	attached *MonitoredPatient
	// worst is the highest NEWS2 of the deterioration alerts raised since
	// the last assessment; nil while none was raised.
	worst *deterioration.Reading
	// enc is the encounter whose values the bed holds (0: not known).
	enc ids.Encounter
}

// clear forgets the values, trends and flag of the patient who was on
// the bed, when the monitor is put on another patient.
func (b *bed) clear() {
	b.latest = map[vitals.Kind]vitals.Observation{}
	b.trend = map[vitals.Kind][]float64{}
	b.trendAt = map[vitals.Kind]time.Time{}
	b.worst = nil
}

// Model is the monitor board: live vitals of monitored patients
// with NEWS2, the age of each value, stale markers and sparkline trends.
type Model struct {
	ctx    *screen.Context
	keys   KeyMap
	feed   MonitorFeed
	news   NEWS2Scorer
	stale  vitals.StalePolicy
	beds   map[ids.Device]*bed
	order  []ids.Device
	offset int
	ended  bool
	// watch follows the attached patients' NEWS2 against their last
	// assessment (triage/deterioration), keyed by encounter id.
	watch *deterioration.Watch
	// names are the monitors' names on the screen (SetDeviceNames).
	names DeviceNames
}

// DeviceNames are the monitors' names for the nurse, per language, as the
// device configuration gives them ("Demo: sepsis"). The board shows a
// name only in the screen's own language and never a device id: a
// monitor with no name in it is known by its location.
type DeviceNames map[ids.Device]wording.Text

// name is device's name in lang, "" when it has none in lang (no
// fallback to the other language: no English word on a bokmål screen).
func (n DeviceNames) name(device ids.Device, lang wording.Lang) string {
	t := n[device]
	if lang == wording.EN {
		return t.EN
	}
	return t.NB
}

// SetDeviceNames gives the board the monitors' names.
func (m *Model) SetDeviceNames(n DeviceNames) { m.names = n }

// New returns the monitor board on feed (nil: no monitors),
// scoring with news (nil: no NEWS2 column).
func New(c *screen.Context, feed MonitorFeed, news NEWS2Scorer) *Model {
	// DefaultConfig is valid, so queueboard.New cannot fail here.
	w, _ := deterioration.New(deterioration.DefaultConfig())
	return &Model{ctx: c, keys: DefaultKeyMap(c), feed: feed, news: news,
		stale: vitals.DefaultStalePolicy(), beds: map[ids.Device]*bed{}, watch: w}
}

// Attach puts a waiting patient on a monitor: the board names them, their
// last assessment's air/oxygen and consciousness complete the monitor's
// NEWS2 while recent (AssessedContextMaxAge), and its NEWS2 is the
// baseline of the deterioration watch. A patient whose assessment scored
// no NEWS2 is shown but not watched: there is nothing to rise from.
func (m *Model) Attach(p MonitoredPatient) {
	b := m.bed(p.Device, p.Location)
	if b.enc != 0 && b.enc != p.EncounterID {
		// The monitor moved to another patient: the last one is no longer
		// on it, and none of their values are the new patient's.
		m.watch.Untrack(b.enc)
		b.clear()
	}
	b.enc = p.EncounterID
	b.attached = &p
	b.patient = p.Label
	b.worst = nil
	enc := p.EncounterID
	if p.Assessed.NEWS2 == nil || p.Assessed.At.IsZero() {
		m.watch.Untrack(enc)
		return
	}
	// A stored band is only there for a complete set; an unknown name
	// claims no band.
	base := readings.FromNEWS2(*p.Assessed.NEWS2, p.Assessed.Band, true, p.Assessed.At)
	if m.watch.Track(enc, base) != nil {
		m.watch.Untrack(enc) // a total outside 0-20 is not a baseline
	}
}

// Deteriorated says whether the patient of encounter enc is on a monitor
// whose NEWS2 has risen by 2 or more, or into a higher band, since their
// last assessment (triage/deterioration), with the NEWS2 of that
// assessment and the monitor's NEWS2 now. It stays until the patient is
// assessed again, even if the score falls back: a nurse must look.
func (m *Model) Deteriorated(enc ids.Encounter) (from, now int, ok bool) {
	for _, id := range m.order {
		b := m.beds[id]
		if b.attached != nil && b.attached.EncounterID == enc && b.worst != nil && b.attached.Assessed.NEWS2 != nil {
			now = b.worst.Total
			if last, ok := m.watch.Last(enc); ok {
				now = last.Total
			}
			return *b.attached.Assessed.NEWS2, now, true
		}
	}
	return 0, 0, false
}

// Watches reports whether the encounter's patient is on a monitor of
// this board and so watched for deterioration.
func (m *Model) Watches(enc ids.Encounter) bool { return m.watch.Tracking(enc) }

// QueueChanged follows the queue: an attached patient assessed again gets
// the new assessment as baseline (the flag clears, the air/oxygen and
// consciousness are reloaded by the returned patients' caller). An
// attached patient the queue does not list is read again from the store
// (returned for reload) and stays watched, flag and all, until that read
// says the patient has left: the queue a user sees is only their
// service's (need-to-know), so a walk-in on the observation post's
// monitor is missing from a phone nurse's queue while still waiting, and
// dropping the watch then lost her deterioration for every later user.
// It returns the patients to reload.
func (m *Model) QueueChanged(entries []queue.Entry) []MonitoredPatient {
	// A workstation has a few monitors and the queue up to a thousand
	// patients: look the few up in one pass, without building an index.
	var beds []*bed
	for _, id := range m.order {
		if b := m.beds[id]; b.attached != nil {
			beds = append(beds, b)
		}
	}
	if len(beds) == 0 {
		return nil
	}
	found := make([]*queue.Entry, len(beds))
	for i := range entries {
		for j, b := range beds {
			if entries[i].EncounterID == b.attached.EncounterID {
				found[j] = &entries[i]
			}
		}
	}
	var reload []MonitoredPatient
	for j, b := range beds {
		e := found[j]
		switch {
		case e == nil:
			reload = append(reload, *b.attached)
		case e.LastAssessedAt.After(b.attached.Assessed.At):
			p := *b.attached
			// Until the new assessment is read, nothing of the old one
			// completes NEWS2: the board shows the honest lower bound.
			p.Assessed = AssessedContext{At: e.LastAssessedAt, NEWS2: e.NEWS2, Band: e.NEWS2Band}
			m.Attach(p)
			reload = append(reload, p)
		}
	}
	return reload
}

// reloaded takes a patient read again from the store. One whose monitor
// has since moved to another patient is old news. One who has left the
// queue is no longer watched. A newer assessment is the new baseline. The
// same assessment only completes the context (air/oxygen, consciousness)
// and keeps the watch and its flag: a re-read must never clear a
// deterioration nobody has answered.
func (m *Model) reloaded(p MonitoredPatient) {
	b := m.bed(p.Device, p.Location)
	switch {
	case b.attached == nil || b.attached.EncounterID != p.EncounterID:
	case p.Left:
		m.watch.Untrack(p.EncounterID)
		b.worst = nil
	case !p.Assessed.At.Equal(b.attached.Assessed.At) || !sameScore(p.Assessed, b.attached.Assessed):
		m.Attach(p)
	default:
		b.attached.Assessed, b.attached.Label, b.patient = p.Assessed, p.Label, p.Label
	}
}

// sameScore reports whether two contexts of one assessment name the same
// NEWS2 total and band.
func sameScore(a, b AssessedContext) bool {
	if (a.NEWS2 == nil) != (b.NEWS2 == nil) || a.NEWS2 != nil && *a.NEWS2 != *b.NEWS2 {
		return false
	}
	return a.Band == b.Band
}

// Reloaded carries a reloaded attached patient.
type Reloaded struct{ P MonitoredPatient }

// Init subscribes to the feed.
func (m *Model) Init() tea.Cmd {
	if m.feed == nil {
		return nil
	}
	return tea.Batch(m.nextReading(), m.nextStatus())
}

func (m *Model) nextReading() tea.Cmd {
	if m.feed == nil {
		return nil
	}
	ch := m.feed.Readings()
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return feedEndedMsg{}
		}
		return readingMsg(r)
	}
}

func (m *Model) nextStatus() tea.Cmd {
	if m.feed == nil {
		return nil
	}
	ch := m.feed.Statuses()
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return nil
		}
		return StatusChanged(s)
	}
}

func (m *Model) bed(device ids.Device, location string) *bed {
	b, ok := m.beds[device]
	if !ok {
		b = &bed{device: device, location: location, latest: map[vitals.Kind]vitals.Observation{},
			trend: map[vitals.Kind][]float64{}, trendAt: map[vitals.Kind]time.Time{}}
		m.beds[device] = b
		m.order = append(m.order, device)
	}
	if location != "" && location != b.location {
		b.location = location
	}
	// Beds in the order the nurses walk them: by location, then device.
	sort.Slice(m.order, func(i, j int) bool {
		a, c := m.beds[m.order[i]], m.beds[m.order[j]]
		if a.location != c.location {
			return a.location < c.location
		}
		return a.device < c.device
	})
	return b
}

// Add records one reading (used by the feed and by tests).
func (m *Model) Add(r MonitorReading) {
	b := m.bed(r.Device, r.Location)
	if r.EncounterID != 0 && r.EncounterID != b.enc {
		if b.attached != nil {
			return // another patient's value on this patient's monitor id
		}
		if b.enc != 0 {
			b.clear() // the monitor moved to another patient
		}
		b.enc = r.EncounterID
	}
	if r.Patient != "" && b.attached == nil {
		b.patient = r.Patient
	}
	defer m.observe(b)
	k := r.Obs.Kind
	if k == vitals.PR {
		if _, hasHR := b.latest[vitals.HR]; hasHR && r.Obs.Source != vitals.SourcePhone {
			// A monitor with ECG gives HR; its oximeter pulse is not shown twice.
			b.latest[vitals.PR] = r.Obs
			return
		}
	}
	b.latest[k] = r.Obs
	if r.Obs.Quality == vitals.Valid {
		t := b.trend[k]
		if at, ok := b.trendAt[k]; ok && len(t) > 0 && r.Obs.HostTime.Sub(at) < trendStep && !r.Obs.HostTime.Before(at) {
			t[len(t)-1] = r.Obs.Value // same step: the latest value stands for it
		} else {
			t = append(t, r.Obs.Value)
			b.trendAt[k] = r.Obs.HostTime
		}
		if len(t) > trendLen {
			t = t[len(t)-trendLen:]
		}
		b.trend[k] = t
	}
}

// newsOf scores a bed's fresh values at now, completed by its patient's
// recent assessment; completed says whether the assessment was used.
func (m *Model) newsOf(b *bed, now time.Time) (r NEWS2Result, fresh int, completed bool, err error) {
	var obs []vitals.Observation
	for _, o := range b.latest {
		if o.Scorable() && !m.stale.Stale(o, now) {
			obs = append(obs, o)
		}
	}
	if len(obs) == 0 || m.news == nil {
		return NEWS2Result{}, len(obs), false, nil
	}
	if b.attached != nil {
		if cs, ok := m.news.(NEWS2ContextScorer); ok {
			nc, used := b.attached.Assessed.news2Context(now)
			r, err = cs.NEWS2Assessed(obs, nc, now)
			return r, len(obs), used && err == nil, err
		}
	}
	r, err = m.news.NEWS2(obs, now)
	return r, len(obs), false, err
}

// observe gives the deterioration watch the bed's NEWS2 after a reading.
func (m *Model) observe(b *bed) {
	if b.attached == nil {
		return
	}
	enc := b.attached.EncounterID
	if !m.watch.Tracking(enc) {
		return
	}
	now := m.ctx.Now()
	r, fresh, _, err := m.newsOf(b, now)
	if err != nil || fresh == 0 || r.NotApplicable {
		return
	}
	rd := readings.FromNEWS2(r.Total, r.Band, r.Complete, now)
	if a, raised, err := m.watch.Observe(enc, rd); err == nil && raised {
		if b.worst == nil || a.Reading.Total > b.worst.Total {
			w := a.Reading
			b.worst = &w
		}
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case readingMsg:
		m.Add(MonitorReading(msg))
		return m, m.nextReading()
	case StatusChanged:
		b := m.bed(msg.Device, msg.Location)
		b.state, b.hint = msg.State, msg.Hint
		return m, m.nextStatus()
	case feedEndedMsg:
		m.ended = true
	case Reloaded:
		m.reloaded(msg.P)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.offset = max(0, m.offset-1)
		case key.Matches(msg, m.keys.Down):
			m.offset = min(max(0, len(m.order)-1), m.offset+1)
		}
	}
	return m, nil
}

// ShortHelp lists the keys of the monitor board.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up} }

// View implements tea.Model; it is pure.
func (m *Model) View() tea.View { return tea.NewView(m.Render()) }

// Render draws four lines per monitored patient.
func (m *Model) Render() string {
	c := m.ctx
	now := c.Now()
	lines := []string{c.Theme.Label.Render(fmt.Sprintf(c.T("m.title"), len(m.order)))}
	if m.ended {
		lines = append(lines, c.Theme.Warn.Render(c.T("m.ended")))
	}
	if len(m.order) == 0 {
		return strings.Join(append(lines, c.T("m.none")), "\n")
	}
	if m.offset > 0 {
		lines[0] += "  " + c.Theme.Faint.Render(fmt.Sprintf(c.T("m.above"), m.offset))
	}
	// One line is kept for saying that more monitors are below, so that
	// a small window never hides a patient without a word.
	room := max(4, c.Height-screen.BodyChrome-1)
	shown := 0
	for _, id := range m.order[m.offset:] {
		b := m.beds[id]
		block := m.renderBed(b, now)
		if len(lines)+len(block) > room {
			break
		}
		lines = append(lines, block...)
		shown++
	}
	if rest := len(m.order) - m.offset - shown; rest > 0 {
		lines = append(lines, c.Theme.Warn.Render(fmt.Sprintf(c.T("m.below"), rest)))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) renderBed(b *bed, now time.Time) []string {
	c := m.ctx
	// Who first, then where and what: the nurse looks for the patient.
	var head []string
	if b.location != "" && b.location != b.patient {
		head = append(head, c.Theme.Label.Render(b.location))
	}
	if b.patient != "" {
		head = append(head, c.Theme.Label.Render(b.patient))
	} else {
		head = append(head, c.Theme.Faint.Render(c.T("m.nopatient")))
	}
	if name := m.names.name(b.device, c.Lang); name != "" {
		head = append(head, name)
	}
	if b.state != "" {
		st := c.Word("dev.", b.state) // a state with no words: "ukjent", never its code
		if b.state == "live" {
			head = append(head, "["+st+"]")
		} else {
			head = append(head, c.Theme.Warn.Render("["+st+"]"))
		}
	}
	news := ""
	if b.attached != nil {
		if from, to, ok := m.Deteriorated(b.attached.EncounterID); ok {
			// First on the line, so that a narrow window never cuts it.
			news = c.Theme.Error.Render(fmt.Sprintf("%s %d→%d", c.T("m.deteriorated"), from, to)) + "  "
		}
	}
	if m.news != nil {
		news += m.newsText(b, now)
	}
	var vals, trends []string
	for _, k := range monitorKinds {
		o, ok := b.latest[k]
		if !ok && k == vitals.HR {
			o, ok = b.latest[vitals.PR]
		}
		if !ok {
			continue
		}
		v := fmt.Sprintf("%s %s%s %s", kindLabel(k, c.Lang), formatValue(o, c.Lang), unitLabel(o), age(o.Age(now)))
		if k == vitals.SBP {
			if d, ok := b.latest[vitals.DBP]; ok {
				v = fmt.Sprintf("%s %s/%s %s", kindLabel(k, c.Lang), formatValue(o, c.Lang), formatValue(d, c.Lang), age(o.Age(now)))
			}
		}
		switch {
		case m.stale.Stale(o, now):
			v += " " + c.Theme.Warn.Render(c.T("m.stale"))
		case o.Quality != vitals.Valid:
			v += " " + c.Theme.Warn.Render("["+c.Word("quality.", o.Quality.String())+"]")
		case !vitals.InRange(o):
			// A faulty reading the engine leaves out: said, not hidden.
			v += " " + c.Theme.Warn.Render(c.T("m.range"))
		}
		vals = append(vals, v)
		if t := b.trend[k]; len(t) > 1 && (k == vitals.HR || k == vitals.SpO2 || k == vitals.RR) {
			trends = append(trends, kindLabel(k, c.Lang)+" "+sparkline(t, minSpan[k]))
		}
	}
	if len(b.trend[vitals.HR]) < 2 && len(b.trend[vitals.PR]) > 1 {
		trends = append([]string{kindLabel(vitals.HR, c.Lang) + " " + sparkline(b.trend[vitals.PR], minSpan[vitals.HR])}, trends...)
	}
	if len(trends) == 0 {
		trends = []string{c.Theme.Faint.Render("(" + c.T("m.collecting") + ")")}
	}
	lines := []string{strings.Join(head, "  ")}
	if b.state != "live" && b.hint != "" {
		// Why the link is down and what to check, as the device layer
		// says it (an engineer's detail, so not translated).
		lines = append(lines, "  "+c.Theme.Faint.Render(b.hint))
	}
	return append(lines, "  "+news, "  "+strings.Join(vals, "  "), "  "+c.Theme.Faint.Render(c.T("m.trend"))+" "+strings.Join(trends, "  "), "")
}

func (m *Model) newsText(b *bed, now time.Time) string {
	c := m.ctx
	r, fresh, completed, err := m.newsOf(b, now)
	if fresh == 0 {
		return c.T("m.news") + " - (" + c.T("m.nofresh") + ")"
	}
	if err != nil {
		return c.T("m.news") + " ?"
	}
	if r.NotApplicable {
		return c.T("m.news") + " - (" + c.T("m.notapplicable") + ")"
	}
	// Where air/oxygen and consciousness came from, or why they are not used.
	var from string
	switch {
	case completed:
		from = fmt.Sprintf(c.T("m.fromassess"), b.attached.Assessed.At.In(c.Zone()).Format("15:04"))
	case b.attached != nil && !b.attached.Assessed.At.IsZero() && now.Sub(b.attached.Assessed.At) > AssessedContextMaxAge:
		from = fmt.Sprintf(c.T("m.assessold"), int(AssessedContextMaxAge/time.Minute))
	}
	if !r.Complete {
		missing := make([]string, len(r.Missing))
		for i, p := range r.Missing {
			missing[i] = paramLabel(p, c.Lang)
		}
		note := c.T("m.incomplete") + ": " + strings.Join(missing, ",")
		if from != "" {
			note += "; " + from
		}
		return fmt.Sprintf("%s %d+ (%s)", c.T("m.news"), r.Total, note)
	}
	out := fmt.Sprintf("%s %d %s", c.T("m.news"), r.Total, strings.ToUpper(wording.Band(r.Band, c.Lang)))
	if from != "" {
		out += " (" + from + ")"
	}
	return out
}

// paramLabel names a NEWS2 parameter the way the board labels values, by
// its row's abbreviation in the vitals table (rr -> RF, consciousness ->
// ACVPU).
func paramLabel(p string, lang wording.Lang) string {
	if v, ok := wording.NEWS2Vital(p); ok {
		return v.Abbr.In(lang)
	}
	return p
}

// kindLabel is a kind's abbreviation in the vitals table (Puls, RF, BT).
func kindLabel(k vitals.Kind, lang wording.Lang) string {
	if v, ok := wording.VitalOf(k); ok {
		return v.Abbr.In(lang)
	}
	return string(k)
}

// unitLabel is the unit a board row writes after a value ("%", "°"): its
// row's, when the value is in its kind's canonical unit; none otherwise
// (a temperature a device sends in °F is not written as °C).
func unitLabel(o vitals.Observation) string {
	v, _ := wording.VitalOf(o.Kind)
	if o.Unit != vitals.CanonicalUnit(o.Kind) {
		return ""
	}
	return v.AbbrUnit
}

// formatValue writes a value in its row's decimals, with a decimal comma
// in bokmål.
func formatValue(o vitals.Observation, lang wording.Lang) string {
	v, ok := wording.VitalOf(o.Kind)
	if !ok {
		return wording.Number(o.Value, 0, lang)
	}
	return v.Format(o.Value, lang)
}

// age writes how old a value is: 5s, 3m, 2h.
func age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh", int(d/time.Hour))
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// minSpan is the smallest range a sparkline is scaled to, per kind: a
// monitor's beat-to-beat noise (a pulse of 96 then 97) drawn over its own
// range would fill the whole height and look like a trend. Smaller changes
// than these are drawn near flat; larger ones use the full height.
var minSpan = map[vitals.Kind]float64{vitals.HR: 10, vitals.SpO2: 4, vitals.RR: 6}

// sparkline draws values scaled between their minimum and maximum, over at
// least span (centred on the values) so that noise stays flat.
func sparkline(v []float64, span float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if hi-lo < span {
		mid := (lo + hi) / 2
		lo, hi = mid-span/2, mid+span/2
	}
	out := make([]rune, len(v))
	for i, x := range v {
		j := len(sparks) / 2 // a flat trend is drawn mid-height
		if hi > lo {
			j = int(math.Round((x - lo) / (hi - lo) * float64(len(sparks)-1)))
		}
		out[i] = sparks[j]
	}
	return string(out)
}

// Resize implements Screen; the board reads the size when it draws.
func (m *Model) Resize() {}

// TitleID implements Screen.
func (m *Model) TitleID() string { return "tab.monitor" }
