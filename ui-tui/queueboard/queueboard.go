// Package queueboard is the terminal app's queue board: the shared
// waiting list in the store's order, live as other workstations change it,
// with each waiting patient's triage level in text, waiting time against
// the target, due reassessments and a risen monitor NEWS2; calls are ended
// and reopened, and patients sent on, from it. It reads the queue only
// through Source and changes it only through OutcomeService, which is
// workstation/disposition (the desk's send-on too), so it is tested with
// fakes.
package queueboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/disposition"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/recordstate"
)

// Source is the shared queue: a snapshot in the store's order, and a
// channel that ticks whenever another workstation changed it.
// queuefeed.Feed (the workstation layer's live queue) implements it.
type Source interface {
	// AppendQueue appends the snapshot to dst and returns it, dst unchanged
	// on error (store.AppendQueue): the board passes an array it no longer
	// shows, so a re-read of a long queue does not allocate.
	AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error)
	Changes(ctx context.Context) (<-chan struct{}, error)
}

// RecordState is the transfer to the patient record per patient and the
// outbox's health line; *recordstate.Reader implements it.
type RecordState interface {
	Patients(ctx context.Context, encounterIDs []ids.Encounter) (map[ids.Encounter]recordstate.Patient, error)
	HealthLine(ctx context.Context) (string, error)
	Unknown() recordstate.Patient
	Heading() string
}

// RecordsLoaded carries the record state of the shown queue.
type RecordsLoaded struct {
	Patients map[ids.Encounter]recordstate.Patient
	Err      error // the per-patient read failed: every row shows Unknown
	Health   string
}

// OutcomeService ends and reopens calls and sends patients on, each
// through workstation/disposition acting as the user logged in (the
// desk's board sends on through the same use-case; ui-tui/wire implements
// it), and lists the calls ended in the last day. A change another
// workstation made first is a *disposition.StaleError and nothing is
// written.
type OutcomeService interface {
	// End ends or reopens a call (disposition.End).
	End(ctx context.Context, e disposition.Ending) error
	// Send sends a waiting patient on (disposition.Send).
	Send(ctx context.Context, m disposition.Move) error
	Ended(ctx context.Context, now time.Time) ([]queue.Item, error)
}

// KeyMap holds the keys of the queue board.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// HandOver, Close and Expect end the selected call (handed to AMK,
	// closed with advice, expected at the clinic); Ended shows the calls
	// ended in the last day, where Reopen puts one back in the queue.
	HandOver, Close, Expect, Ended, Reopen key.Binding
	// SendOn offers the destinations of the selected patient (the desk's:
	// disposition.Destinations), Choose picks one by its number, Apply
	// sends; "left without being seen" asks once more (Yes, or No).
	SendOn, Choose, Yes, No key.Binding
	Apply, Cancel           key.Binding
}

// DefaultKeyMap returns the keys of the queue board.
func DefaultKeyMap(c *screen.Context) KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓/jk", c.T("k.scroll"))),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("k.page"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", c.T("k.top"))),
		Bottom:   key.NewBinding(key.WithKeys("end", "G")),
		HandOver: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("k.handover"))),
		Close:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", c.T("k.close"))),
		Expect:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", c.T("k.expect"))),
		Ended:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", c.T("k.ended"))),
		Reopen:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", c.T("k.reopen"))),
		SendOn:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("k.sendon"))),
		Choose:   key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1–4", c.T("k.choose"))),
		Yes:      key.NewBinding(key.WithKeys("j", "y"), key.WithHelp(c.T("k.yes.key"), c.T("k.yes"))),
		No:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("k.no"))),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("k.apply"))),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("k.cancel"))),
	}
}

// Loaded carries a fresh snapshot of the queue.
type Loaded struct {
	Entries []queue.Entry
	Err     error
	At      time.Time
	// Own marks a snapshot that the board's load read into an array of
	// its Own (on error: handed back unchanged), which it may reuse once
	// it no longer shows it. Snapshots from elsewhere are never written.
	Own bool
}

// Changed says another workstation (or this one) changed the queue.
type Changed struct{}

// Watching hands over the change channel once Watch has started.
type Watching struct {
	Ch  <-chan struct{}
	err error
}

// outcomeDoneMsg reports a change from the board: what it was in words
// (an outcome, or where the patient was sent), and its error.
type outcomeDoneMsg struct {
	patient string
	what    string
	err     error
}

// sendChoice is the send-on choice open for one patient.
type sendChoice struct {
	it queue.Item
	// dests are the destinations offered, numbered from 1: the desk's,
	// less the status the patient has (no move).
	dests   []disposition.Destination
	chosen  disposition.Destination // "" until a number is pressed
	confirm bool                    // asking once more before "left without being seen"
}

// endedMsg brings the calls ended in the last day.
type endedMsg struct {
	items []queue.Item
	err   error
}

// queueRefresh is how often the queue is re-read without a change notice,
// so waiting times and "reassessment due" flags move on, and the board
// still works where the store cannot notify.
const queueRefresh = 10 * time.Second

// Refresh asks for the periodic re-read.
type Refresh struct{}

// Scope is the part of the queue the logged-in user is shown (the store
// decides it by the user's service; the board only names it).
type Scope int

// The scopes: both channels (a physician, or no access control), the
// phone centre's calls, reception's walk-ins and callers told to come in.
const (
	ScopeAll Scope = iota
	ScopePhone
	ScopeReception
)

// titles are the title's text ids by scope.
var titles = [...]string{ScopeAll: "q.title", ScopePhone: "q.title.phone", ScopeReception: "q.title.reception"}

// Model is the queue board: every waiting patient the user may see (of
// both channels, or of the user's service) in the store's order.
type Model struct {
	ctx     *screen.Context
	scope   Scope
	keys    KeyMap
	src     Source
	entries []queue.Entry
	// spare is an array no snapshot on screen uses, for the next load to
	// read into; ownEntries says whether entries' array is the board's own
	// (so that it becomes the spare when replaced). With loads overlapping
	// the later ones get a new array: a shown array is never written.
	spare      []queue.Entry
	ownEntries bool
	err        error
	loaded     time.Time
	live       bool
	cursor     int
	offset     int
	watch      <-chan struct{}
	// deteriorated says whether a waiting patient's monitor NEWS2 has risen
	// since their last assessment (MonitorModel.Deteriorated); nil: none.
	deteriorated func(enc ids.Encounter) (from, to int, ok bool)

	// rec reads the record state (nil: no record column); records and
	// recHealth are its latest answer.
	rec       RecordState
	records   RecordsLoaded
	recLoaded bool

	outcomes OutcomeService
	// ending is the outcome the nurse is writing a note for (with
	// endingFor the call); "" when no prompt is open.
	ending    phonecall.Outcome
	endingFor queue.Item
	endNote   widget.LineInput
	// sending is the send-on choice; nil when none is open.
	sending *sendChoice
	message string // the last outcome change, or why it failed
	msgErr  bool
	// showEnded lists the calls ended in the last day instead of the
	// queue, with its own cursor.
	showEnded bool
	ended     []queue.Item
	endedSel  int
	cb        callBackState // dropped calls' call-backs (callback.go)
}

// New returns the queue board reading from src (nil: empty).
func New(c *screen.Context, src Source) *Model {
	return &Model{ctx: c, keys: DefaultKeyMap(c), src: src, endNote: widget.LineInput{Limit: 300}}
}

// SetOutcomes gives the board the service that ends and reopens calls
// (nil: the board only shows).
func (m *Model) SetOutcomes(o OutcomeService) { m.outcomes = o }

// SetScope says which part of the queue the logged-in user sees, so the
// title words it (a phone nurse sees phone calls only, not both channels).
func (m *Model) SetScope(s Scope) {
	if s >= ScopeAll && int(s) < len(titles) {
		m.scope = s
	}
}

// SetRecordState gives the board the record state to show: a column per
// patient and the outbox's health line (nil: neither).
func (m *Model) SetRecordState(r RecordState) { m.rec = r }

// loadRecords reads the record state of the entries shown.
func (m *Model) loadRecords() tea.Cmd {
	if m.rec == nil {
		return nil
	}
	rec := m.rec
	encs := make([]ids.Encounter, len(m.entries))
	for i, e := range m.entries {
		encs[i] = e.EncounterID
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var out RecordsLoaded
		out.Patients, out.Err = rec.Patients(ctx, encs)
		h, err := rec.HealthLine(ctx)
		if err != nil {
			h = rec.Unknown().Lines[0]
		}
		out.Health = h
		return out
	}
}

// Entries is the queue the board shows, in the store's order.
func (m *Model) Entries() []queue.Entry { return m.entries }

// Reload reads the queue again (nil without a source), e.g. when this
// workstation saved a call.
func (m *Model) Reload() tea.Cmd {
	if m.src == nil {
		return nil
	}
	return m.load()
}

// SetDeteriorated gives the board the monitor board's answer to whether a
// waiting patient's NEWS2 has risen since their last assessment.
func (m *Model) SetDeteriorated(f func(enc ids.Encounter) (from, to int, ok bool)) {
	m.deteriorated = f
}

// Init loads the queue and subscribes to changes.
func (m *Model) Init() tea.Cmd {
	if m.src == nil {
		return nil
	}
	src := m.src
	watch := func() tea.Msg {
		ch, err := src.Changes(context.Background())
		return Watching{Ch: ch, err: err}
	}
	return tea.Batch(m.load(), watch, m.refreshLater())
}

func (m *Model) load() tea.Cmd {
	src, now := m.src, m.ctx.Now()
	dst := m.spare[:0]
	m.spare = nil
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e, err := src.AppendQueue(ctx, now, dst)
		return Loaded{Entries: e, Err: err, At: now, Own: true}
	}
}

func (m *Model) refreshLater() tea.Cmd {
	return tea.Tick(queueRefresh, func(time.Time) tea.Msg { return Refresh{} })
}

// WaitChange receives one change notice, then the model re-subscribes.
func WaitChange(ch <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return Watching{err: fmt.Errorf("queue watch ended")}
		}
		return Changed{}
	}
}

// SetEntries replaces the queue (used by tests and benchmarks).
func (m *Model) SetEntries(e []queue.Entry, at time.Time) {
	m.Update(Loaded{Entries: e, At: at})
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case Loaded:
		if msg.At.Before(m.loaded) {
			// An older read that overlapped a newer one and ended last.
			if msg.Own && m.spare == nil {
				m.spare = msg.Entries[:0]
			}
			return m, nil
		}
		m.err = msg.Err
		if msg.Err != nil {
			if msg.Own && m.spare == nil {
				m.spare = msg.Entries // handed back unchanged
			}
			return m, nil
		}
		// The selection stays on the patient, not on the row number: a
		// live list reorders under the nurse's cursor (a new arrival,
		// another workstation's change), and a key meant for her must not
		// reach the patient who moved into her place.
		var selected ids.Encounter
		if m.cursor < len(m.entries) {
			selected = m.entries[m.cursor].EncounterID
		}
		if m.ownEntries {
			m.spare = m.entries[:0]
		}
		m.ownEntries = msg.Own
		m.entries, m.loaded = msg.Entries, msg.At
		for i, e := range m.entries {
			if selected != 0 && e.EncounterID == selected {
				m.cursor = i
			}
		}
		m.cursor = min(m.cursor, max(0, len(m.entries)-1))
		m.clampOffset()
		return m, m.loadRecords()
	case RecordsLoaded:
		m.records, m.recLoaded = msg, true
		return m, nil
	case Watching:
		m.live = msg.err == nil && msg.Ch != nil
		m.watch = msg.Ch
		if m.live {
			return m, WaitChange(msg.Ch)
		}
		return m, nil
	case Changed:
		return m, tea.Batch(m.load(), WaitChange(m.watch))
	case Refresh:
		return m, tea.Batch(m.load(), m.refreshLater())
	case outcomeDoneMsg:
		m.msgErr = msg.err != nil
		var se *disposition.StaleError
		switch {
		case errors.As(msg.err, &se):
			// Another workstation was first: say how the patient stands
			// now and read the list again, so the nurse chooses on what
			// is true.
			m.message = se.Text(m.ctx.Lang, msg.patient)
		case msg.err != nil:
			m.message = m.ctx.T("q.outcome.failed") + ": " + screen.StoreReason(m.ctx, msg.err)
			return m, nil
		default:
			m.message = fmt.Sprintf(m.ctx.T("q.outcome.done"), msg.patient, msg.what)
		}
		cmds := []tea.Cmd{}
		if m.src != nil {
			cmds = append(cmds, m.load())
		}
		if m.showEnded {
			cmds = append(cmds, m.loadEnded())
		}
		return m, tea.Batch(cmds...)
	case callBackDoneMsg:
		return m, m.callBackDoneUpdate(msg)
	case endedMsg:
		if msg.err != nil {
			m.message, m.msgErr = m.ctx.T("q.outcome.failed")+": "+screen.StoreReason(m.ctx, msg.err), true
			return m, nil
		}
		m.ended = msg.items
		m.endedSel = min(m.endedSel, max(0, len(m.ended)-1))
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) rows() int {
	n := m.ctx.Height - screen.BodyChrome - 3
	if m.ending != "" {
		n--
	}
	if m.sending != nil {
		n -= strings.Count(m.renderSending(), "\n") + 1
	}
	n -= len(m.messageLines())
	if len(m.Worsened()) > 0 {
		n-- // the deterioration line
	}
	return max(3, n)
}

// WorsenedPatient is a deteriorated patient named above the board.
type WorsenedPatient struct {
	pos, from, to int
	name          string
}

// Worsened lists the waiting patients whose monitor NEWS2 has risen since
// their last assessment, in queue order: they are named above the rows so
// that a patient far down the list is not missed.
func (m *Model) Worsened() []WorsenedPatient {
	if m.deteriorated == nil {
		return nil
	}
	var out []WorsenedPatient
	for _, e := range m.entries {
		if from, to, ok := m.deteriorated(e.EncounterID); ok {
			out = append(out, WorsenedPatient{pos: e.Position, from: from, to: to, name: e.Patient})
		}
	}
	return out
}

// loadEnded reads the calls ended in the last day.
func (m *Model) loadEnded() tea.Cmd {
	o, now := m.outcomes, m.ctx.Now()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		items, err := o.Ended(ctx, now)
		return endedMsg{items: items, err: err}
	}
}

// OutcomeRefusal words, in the nurse's language, why outcome o does not fit
// queue item it (phonecall.AllowedOutcomes: the outcomes that end a call are
// for phone calls only, closed only for vanlig, handed over for akutt or
// haster, expected for haster or vanlig); "" when it fits.
func OutcomeRefusal(c *screen.Context, it queue.Item, o phonecall.Outcome) string {
	level := ""
	if it.Triaged {
		level = phonecall.LevelOfColour(it.Colour)
	}
	allowed := phonecall.AllowedOutcomes(phonecall.Channel(it.Channel), level)
	if slices.Contains(allowed, o) {
		return ""
	}
	what := wording.Outcome(string(o), c.Lang)
	switch {
	case it.Channel != string(phonecall.Phone):
		return fmt.Sprintf(c.T("q.outcome.walkin"), what)
	case level == "":
		return fmt.Sprintf(c.T("q.outcome.untriaged"), what)
	}
	var ok []string
	for _, a := range allowed {
		if a != phonecall.OutcomeWaiting {
			ok = append(ok, wording.Outcome(string(a), c.Lang))
		}
	}
	l, _ := phone.ParseLevel(level)
	return fmt.Sprintf(c.T("q.outcome.level"), what, l.Label(c.Lang), strings.Join(ok, c.T("q.outcome.or")))
}

// setOutcome ends or reopens call it as the board shows it (audited by
// the store).
func (m *Model) setOutcome(it queue.Item, o phonecall.Outcome, note string) tea.Cmd {
	svc, what := m.outcomes, wording.Outcome(string(o), m.ctx.Lang)
	e := disposition.EndingOf(it, o, note)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return outcomeDoneMsg{patient: it.Patient, what: what, err: svc.End(ctx, e)}
	}
}

// sendOn sends patient it, as the board shows her, on to to (audited by
// the store).
func (m *Model) sendOn(it queue.Item, to disposition.Destination) tea.Cmd {
	svc, what := m.outcomes, wording.Status(string(to), m.ctx.Lang)
	mv := disposition.MoveOf(it, to)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return outcomeDoneMsg{patient: it.Patient, what: what, err: svc.Send(ctx, mv)}
	}
}

// openSendOn opens the send-on choice for it: the desk's destinations,
// less where the patient is.
func (m *Model) openSendOn(it queue.Item) {
	var dests []disposition.Destination
	for _, d := range disposition.Destinations {
		if string(d) != it.Status {
			dests = append(dests, d)
		}
	}
	m.sending = &sendChoice{it: it, dests: dests}
	m.message = ""
}

// keySending handles the send-on choice: a number chooses, enter sends
// (after one more question for "left without being seen"), esc cancels.
// Nothing is sent by a number alone.
func (m *Model) keySending(k tea.KeyPressMsg) tea.Cmd {
	sc := m.sending
	if sc.confirm {
		switch {
		case key.Matches(k, m.keys.Yes):
			m.sending = nil
			return m.sendOn(sc.it, sc.chosen)
		case key.Matches(k, m.keys.No), key.Matches(k, m.keys.Cancel):
			sc.confirm = false
		}
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.sending = nil
	case key.Matches(k, m.keys.Choose):
		if i := int(k.String()[0] - '1'); i >= 0 && i < len(sc.dests) {
			sc.chosen = sc.dests[i]
		}
	case key.Matches(k, m.keys.Apply) && sc.chosen != "":
		if sc.chosen == disposition.LeftWithoutBeingSeen {
			sc.confirm = true
			return nil
		}
		m.sending = nil
		return m.sendOn(sc.it, sc.chosen)
	}
	return nil
}

// keyEnding edits the note of an outcome change; enter applies it (closing
// needs the advice given), esc cancels.
func (m *Model) keyEnding(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.ending = ""
	case key.Matches(k, m.keys.Apply):
		note := strings.TrimSpace(m.endNote.Value())
		if m.ending == phonecall.OutcomeClosed && note == "" {
			m.message, m.msgErr = m.ctx.T("e.advice"), true
			return nil
		}
		o, it := m.ending, m.endingFor
		m.ending = ""
		m.message, m.msgErr = "", false
		return m.setOutcome(it, o, note)
	default:
		m.endNote.Update(k)
	}
	return nil
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.ending != "" {
		return m.keyEnding(k)
	}
	if m.outcomes != nil && m.showEnded {
		if cmd, ok := m.keyCallBack(k); ok {
			return cmd
		}
	}
	if m.sending != nil {
		return m.keySending(k)
	}
	if m.outcomes != nil {
		switch {
		case key.Matches(k, m.keys.Ended):
			m.showEnded = !m.showEnded
			m.message = ""
			if m.showEnded {
				return m.loadEnded()
			}
			return nil
		case m.showEnded:
			switch {
			case key.Matches(k, m.keys.Up):
				m.endedSel = max(0, m.endedSel-1)
			case key.Matches(k, m.keys.Down):
				m.endedSel = min(max(0, len(m.ended)-1), m.endedSel+1)
			case key.Matches(k, m.keys.Reopen) && len(m.ended) > 0:
				return m.setOutcome(m.ended[m.endedSel], phonecall.OutcomeWaiting, "")
			}
			return nil
		case len(m.entries) > 0 && (key.Matches(k, m.keys.HandOver) || key.Matches(k, m.keys.Close) || key.Matches(k, m.keys.Expect)):
			it := m.entries[m.cursor].Item
			o := phonecall.OutcomeExpected
			switch {
			case key.Matches(k, m.keys.HandOver):
				o = phonecall.OutcomeHandedOver
			case key.Matches(k, m.keys.Close):
				o = phonecall.OutcomeClosed
			}
			if why := OutcomeRefusal(m.ctx, it, o); why != "" {
				// The store would refuse it too: say why before the
				// nurse types a note.
				m.message, m.msgErr = why, true
				return nil
			}
			m.endingFor, m.ending = it, o
			m.endNote.SetValue("")
			m.message = ""
			return nil
		case len(m.entries) > 0 && key.Matches(k, m.keys.SendOn):
			m.openSendOn(m.entries[m.cursor].Item)
			return nil
		}
	}
	n := len(m.entries)
	switch {
	case key.Matches(k, m.keys.Up):
		m.cursor--
	case key.Matches(k, m.keys.Down):
		m.cursor++
	case key.Matches(k, m.keys.PageUp):
		// A page turns the view with the cursor, so the nurse sees the
		// next page, not the same rows with the cursor at the bottom.
		m.cursor -= m.rows()
		m.offset -= m.rows()
	case key.Matches(k, m.keys.PageDown):
		m.cursor += m.rows()
		m.offset += m.rows()
	case key.Matches(k, m.keys.Top):
		m.cursor = 0
	case key.Matches(k, m.keys.Bottom):
		m.cursor = n - 1
	}
	m.cursor = max(0, min(m.cursor, n-1))
	m.clampOffset()
	return nil
}

func (m *Model) clampOffset() {
	rows := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.entries)-rows))
}

// ShortHelp lists the keys of the queue board.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.ending != "":
		return []key.Binding{m.keys.Apply, m.keys.Cancel}
	case m.sending != nil && m.sending.confirm:
		return []key.Binding{m.keys.Yes, m.keys.No}
	case m.sending != nil:
		n := fmt.Sprintf("1–%d", len(m.sending.dests))
		return []key.Binding{screen.WithHelp(m.keys.Choose, n, m.ctx.T("k.choose")), screen.WithHelp(m.keys.Apply, "enter", m.ctx.T("k.send")), m.keys.Cancel}
	case m.outcomes == nil:
		return []key.Binding{m.keys.Up, m.keys.PageUp, m.keys.Top}
	case m.showEnded:
		if m.cb.marking != nil {
			return m.callBackHelp()
		}
		return append([]key.Binding{m.keys.Up, m.keys.Reopen}, append(m.callBackHelp(), screen.WithHelp(m.keys.Ended, "h", m.ctx.T("k.queue")))...)
	}
	return []key.Binding{m.keys.Up, m.keys.HandOver, m.keys.Close, m.keys.Expect, m.keys.SendOn, m.keys.Ended}
}

// levelW is the width of the urgency column: the widest label with its
// swatch padding, " NON-URGENT " or "[NON-URGENT]", so no row pushes the
// patient column out of line.
const levelW = 12

// levelCell is the urgency column of a row: for a phone encounter the
// phone level, a walk-in's colour otherwise. The phone level is the one
// the store checks outcomes against (phonecall.LevelOfColour): the level
// told, which a saved call's colour maps back to, and for a phone
// encounter without a call record the level of its colour (orange
// haster, blue vanlig), so no phone row ever shows a colour name.
func (m *Model) levelCell(it queue.Item, width int) string {
	c := m.ctx
	if !it.Triaged {
		return widget.PadRight(c.T("q.untriaged"), width)
	}
	if it.Channel == string(phonecall.Phone) {
		l, err := phone.ParseLevel(phonecall.LevelOfColour(it.Colour))
		if err != nil {
			// A colour out of range: worded unknown, and no level is
			// claimed for it.
			return widget.PadRight("["+wording.Level("", c.Lang)+"]", width)
		}
		s := c.Theme.Level(l, c.Lang)
		return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
	}
	return c.Theme.Colour(it.Colour, c.Lang, width)
}

// renderEnded lists the calls ended in the last day, for reopening.
func (m *Model) renderEnded() string {
	c := m.ctx
	lines := []string{c.Theme.Label.Render(fmt.Sprintf(c.T("q.ended"), len(m.ended)))}
	if m.message != "" {
		lines = append(lines, m.renderMessage())
	}
	if p := m.callBackPrompt(); p != "" {
		lines = append(lines, p)
	}
	if len(m.ended) == 0 {
		lines = append(lines, c.T("q.ended.none"))
	}
	for i, it := range m.ended {
		row := fmt.Sprintf(" %s %-24s %-8s %s", m.endedCell(it), truncate(it.Patient, 24), wording.Channel(it.Channel, c.Lang), wording.Outcome(it.Outcome, c.Lang))
		if i == m.endedSel {
			row = c.Theme.Selected.Render("›" + row)
		} else {
			row = " " + row
		}
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

// View implements tea.Model; it is pure.
func (m *Model) View() tea.View { return tea.NewView(m.Render()) }

// Render draws the board: only the visible rows are formatted, so a long
// queue costs no more per keystroke than a short one.
func (m *Model) Render() string {
	c := m.ctx
	now := c.Now()
	if m.showEnded {
		return m.renderEnded()
	}
	var b strings.Builder
	status := c.T("q.live")
	if !m.live {
		status = fmt.Sprintf(c.T("q.nolive"), int(queueRefresh.Seconds()))
	}
	if !m.loaded.IsZero() {
		status = fmt.Sprintf(c.T("q.updated"), m.loaded.In(c.Zone()).Format("15:04:05")) + " · " + status
	}
	b.WriteString(c.Theme.Label.Render(fmt.Sprintf(c.T(titles[m.scope]), len(m.entries))) + "  " + c.Theme.Faint.Render(status) + "\n")
	if m.rec != nil && m.records.Health != "" {
		b.WriteString(c.Theme.Faint.Render(m.records.Health) + "\n")
	}
	if m.err != nil {
		b.WriteString(c.Theme.Error.Render("! "+c.T("q.error")+": "+m.err.Error()) + "\n")
	}
	if m.ending != "" {
		label := c.T("f.outnote")
		if m.ending == phonecall.OutcomeClosed {
			label = c.T("f.advice")
		}
		b.WriteString("> " + c.Theme.Focus.Render(fmt.Sprintf(c.T("q.ending"), truncate(m.endingFor.Patient, 24), wording.Outcome(string(m.ending), c.Lang))) + " " +
			c.Theme.Label.Render(label) + " " + m.endNote.View(true) + "\n")
	}
	if m.sending != nil {
		b.WriteString(m.renderSending() + "\n")
	}
	if m.message != "" {
		b.WriteString(m.renderMessage() + "\n")
	}
	if w := m.Worsened(); len(w) > 0 {
		parts := make([]string, len(w))
		for i, p := range w {
			parts[i] = fmt.Sprintf(c.T("q.worsened"), truncate(p.name, 24), p.pos, p.from, p.to)
		}
		b.WriteString(c.Theme.Error.Render("! "+c.T("q.deteriorated")+": "+strings.Join(parts, "; ")+" "+c.T("q.reassessnow")) + "\n")
	}
	nameW := min(32, max(8, c.Width-61))
	head := fmt.Sprintf("%4s %-12s %-*s %-8s %-11s %-5s %s", c.T("q.pos"), c.T("q.colour"), nameW, c.T("q.patient"),
		c.T("q.channel"), c.T("q.waited")+"/"+c.T("q.target"), "NEWS", m.recordHead()+c.T("q.flags"))
	b.WriteString(c.Theme.Faint.Render(head) + "\n")
	if len(m.entries) == 0 {
		b.WriteString(c.T("q.empty"))
		return b.String()
	}
	end := min(len(m.entries), m.offset+m.rows())
	for i := m.offset; i < end; i++ {
		e := m.entries[i]
		colour := m.levelCell(e.Item, levelW)
		waited := max(0, now.Sub(e.ArrivedAt))
		// The target the queue ordered by: the colour's, or the time to
		// first triage for a patient not yet assessed.
		target := e.Waited - e.Overdue
		wt := fmt.Sprintf("%s/%s", clock(waited), clock(target))
		news := "-"
		if e.NEWS2 != nil {
			news = fmt.Sprint(*e.NEWS2)
		}
		var flags []string
		if m.deteriorated != nil {
			// The monitor's NEWS2 beside the assessment's, and the flag
			// first: it is the newest and most urgent news on the row.
			if from, to, ok := m.deteriorated(e.EncounterID); ok {
				news = fmt.Sprintf("%d→%d", from, to)
				flags = append(flags, c.T("q.deteriorated"))
			}
		}
		if e.Outcome == string(phonecall.OutcomeExpected) {
			flags = append(flags, c.T("q.expected"))
		}
		if e.Breach || waited > target {
			flags = append(flags, c.T("q.breach"))
		}
		if e.ReassessmentDue || !e.ReassessAt.IsZero() && !now.Before(e.ReassessAt) {
			flags = append(flags, c.T("q.reassess"))
		}
		name := truncate(e.Patient, nameW)
		// The selected row carries a text marker in the position column,
		// so the selection shows without colour (NO_COLOR, a monochrome
		// terminal, a screen reader).
		mark := " "
		if i == m.cursor {
			mark = "›"
		}
		row := fmt.Sprintf("%s%3d %s %-*s %-8s %-11s %s ", mark, e.Position, colour, nameW, name, wording.Channel(e.Channel, c.Lang), wt, widget.PadRight(news, 5))
		row += m.recordCell(e.EncounterID)
		fl := strings.Join(flags, " ")
		if i == m.cursor {
			row = c.Theme.Selected.Render(row+fl) + "\n"
		} else {
			row += c.Theme.Warn.Render(fl) + "\n"
		}
		b.WriteString(row)
	}
	if len(m.entries) > m.rows() {
		b.WriteString(c.Theme.Faint.Render(fmt.Sprintf("%d–%d / %d", m.offset+1, end, len(m.entries))) + "\n")
	}
	if lines := m.recordLines(); len(lines) > 0 {
		b.WriteString(c.Theme.Faint.Render(truncate(m.entries[m.cursor].Patient, 24) + ": " + strings.Join(lines, " · ")))
	}
	return strings.TrimRight(b.String(), "\n")
}

// messageLines is the last change's message, wrapped at the window's
// width so that nothing of it is cut (a stale choice says where the
// patient is now at its end); an error starts with "!", as every error
// of the app does, so it shows without colour. None without a message.
func (m *Model) messageLines() []string {
	if m.message == "" {
		return nil
	}
	msg := m.message
	if m.msgErr {
		msg = "! " + msg
	}
	return strings.Split(ansi.Wrap(msg, max(20, m.ctx.Width), ""), "\n")
}

// renderMessage is messageLines, styled.
func (m *Model) renderMessage() string {
	st := m.ctx.Theme.Faint
	if m.msgErr {
		st = m.ctx.Theme.Error
	}
	lines := m.messageLines()
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return strings.Join(lines, "\n")
}

// renderSending is the send-on choice's line: the destinations by number,
// the chosen one marked with › (visible without colour), or the question
// before "left without being seen".
func (m *Model) renderSending() string {
	c, sc := m.ctx, m.sending
	who := truncate(sc.it.Patient, 24)
	if sc.confirm {
		return ansi.Wrap("> "+c.Theme.Focus.Render(fmt.Sprintf(c.T("q.sendon.confirm"), who)), max(20, c.Width), "")
	}
	parts := make([]string, len(sc.dests))
	for i, d := range sc.dests {
		mark := " "
		if d == sc.chosen {
			mark = "›"
		}
		parts[i] = fmt.Sprintf("%s%d %s", mark, i+1, wording.Status(string(d), c.Lang))
	}
	// Wrapped at the window's width: every destination is read whole.
	return ansi.Wrap("> "+c.Theme.Focus.Render(fmt.Sprintf(c.T("q.sendon"), who))+" "+strings.Join(parts, "  "), max(20, c.Width), "")
}

// recordW is the width of the record column ("venter", "waiting").
const recordW = 8

// showRecords: a record state was read and something is routed to a
// record system (a clinic without one sees no column).
func (m *Model) showRecords() bool { return m.rec != nil && m.recLoaded && m.records.Health != "" }

// recordHead is the record column's heading, "" without record state.
func (m *Model) recordHead() string {
	if !m.showRecords() {
		return ""
	}
	return widget.PadRight(m.rec.Heading(), recordW) + " "
}

// recordCell is one row's record state in words ("" without record
// state; Unknown's mark when the read failed).
func (m *Model) recordCell(enc ids.Encounter) string {
	if !m.showRecords() {
		return ""
	}
	cell := m.rec.Unknown().Cell
	if m.records.Err == nil {
		cell = "–"
		if p, ok := m.records.Patients[enc]; ok {
			cell = p.Cell
		}
	}
	return widget.PadRight(cell, recordW) + " "
}

// recordLines are the selected patient's record lines (sent, waiting,
// refused with reason), or Unknown's when the read failed.
func (m *Model) recordLines() []string {
	if !m.showRecords() || len(m.entries) == 0 {
		return nil
	}
	if m.records.Err != nil {
		return m.rec.Unknown().Lines
	}
	return m.records.Patients[m.entries[m.cursor].EncounterID].Lines
}

// clock writes a duration as h:mm.
func clock(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}

func truncate(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w <= 1 {
		return string(r[:w])
	}
	return string(r[:w-1]) + "…"
}

// Resize implements Screen: the visible rows follow the window.
func (m *Model) Resize() { m.clampOffset() }

// TitleID implements Screen.
func (m *Model) TitleID() string { return "tab.queue" }
