package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/queue"
)

// QueueKeyMap holds the keys of the queue board.
type QueueKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// DefaultQueueKeyMap returns the keys of the queue board.
func DefaultQueueKeyMap(c *Context) QueueKeyMap {
	return QueueKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓/jk", c.T("k.scroll"))),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("k.page"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", c.T("k.top"))),
		Bottom:   key.NewBinding(key.WithKeys("end", "G")),
	}
}

// queueLoadedMsg carries a fresh snapshot of the queue.
type queueLoadedMsg struct {
	entries []queue.Entry
	err     error
	at      time.Time
	// own marks a snapshot that the board's load read into an array of
	// its own (on error: handed back unchanged), which it may reuse once
	// it no longer shows it. Snapshots from elsewhere are never written.
	own bool
}

// queueChangedMsg says another workstation (or this one) changed the queue.
type queueChangedMsg struct{}

// queueWatchMsg hands over the change channel once Watch has started.
type queueWatchMsg struct {
	ch  <-chan struct{}
	err error
}

// queueRefresh is how often the queue is re-read without a change notice,
// so waiting times and "reassessment due" flags move on, and the board
// still works where the store cannot notify.
const queueRefresh = 10 * time.Second

// queueRefreshMsg asks for the periodic re-read.
type queueRefreshMsg struct{}

// QueueModel is the queue board: every waiting patient of both channels in
// the store's order.
type QueueModel struct {
	ctx     *Context
	keys    QueueKeyMap
	src     QueueSource
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
	deteriorated func(enc int64) (from, to int, ok bool)
}

// NewQueueModel returns the queue board reading from src (nil: empty).
func NewQueueModel(c *Context, src QueueSource) *QueueModel {
	return &QueueModel{ctx: c, keys: DefaultQueueKeyMap(c), src: src}
}

// Init loads the queue and subscribes to changes.
func (m *QueueModel) Init() tea.Cmd {
	if m.src == nil {
		return nil
	}
	src := m.src
	watch := func() tea.Msg {
		ch, err := src.Watch(context.Background())
		return queueWatchMsg{ch: ch, err: err}
	}
	return tea.Batch(m.load(), watch, m.refreshLater())
}

func (m *QueueModel) load() tea.Cmd {
	src, now := m.src, m.ctx.Now()
	dst := m.spare[:0]
	m.spare = nil
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		e, err := src.AppendQueue(ctx, now, dst)
		return queueLoadedMsg{entries: e, err: err, at: now, own: true}
	}
}

func (m *QueueModel) refreshLater() tea.Cmd {
	return tea.Tick(queueRefresh, func(time.Time) tea.Msg { return queueRefreshMsg{} })
}

// waitChange receives one change notice, then the model re-subscribes.
func waitChange(ch <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return queueWatchMsg{err: fmt.Errorf("queue watch ended")}
		}
		return queueChangedMsg{}
	}
}

// SetEntries replaces the queue (used by tests and benchmarks).
func (m *QueueModel) SetEntries(e []queue.Entry, at time.Time) {
	m.Update(queueLoadedMsg{entries: e, at: at})
}

// Update implements tea.Model.
func (m *QueueModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case queueLoadedMsg:
		if msg.at.Before(m.loaded) {
			// An older read that overlapped a newer one and ended last.
			if msg.own && m.spare == nil {
				m.spare = msg.entries[:0]
			}
			return m, nil
		}
		m.err = msg.err
		if msg.err != nil {
			if msg.own && m.spare == nil {
				m.spare = msg.entries // handed back unchanged
			}
			return m, nil
		}
		if m.ownEntries {
			m.spare = m.entries[:0]
		}
		m.ownEntries = msg.own
		m.entries, m.loaded = msg.entries, msg.at
		m.cursor = min(m.cursor, max(0, len(m.entries)-1))
		m.clampOffset()
		return m, nil
	case queueWatchMsg:
		m.live = msg.err == nil && msg.ch != nil
		m.watch = msg.ch
		if m.live {
			return m, waitChange(msg.ch)
		}
		return m, nil
	case queueChangedMsg:
		return m, tea.Batch(m.load(), waitChange(m.watch))
	case queueRefreshMsg:
		return m, tea.Batch(m.load(), m.refreshLater())
	case tea.KeyPressMsg:
		m.key(msg)
	}
	return m, nil
}

func (m *QueueModel) rows() int {
	n := m.ctx.Height - bodyChrome - 3
	if len(m.worsened()) > 0 {
		n-- // the deterioration line
	}
	return max(3, n)
}

// worsenedPatient is a deteriorated patient named above the board.
type worsenedPatient struct {
	pos, from, to int
	name          string
}

// worsened lists the waiting patients whose monitor NEWS2 has risen since
// their last assessment, in queue order: they are named above the rows so
// that a patient far down the list is not missed.
func (m *QueueModel) worsened() []worsenedPatient {
	if m.deteriorated == nil {
		return nil
	}
	var out []worsenedPatient
	for _, e := range m.entries {
		if from, to, ok := m.deteriorated(e.EncounterID); ok {
			out = append(out, worsenedPatient{pos: e.Position, from: from, to: to, name: e.Patient})
		}
	}
	return out
}

func (m *QueueModel) key(k tea.KeyPressMsg) {
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
}

func (m *QueueModel) clampOffset() {
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
func (m *QueueModel) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Up, m.keys.PageUp, m.keys.Top}
}

// View implements tea.Model; it is pure.
func (m *QueueModel) View() tea.View { return tea.NewView(m.Render()) }

// Render draws the board: only the visible rows are formatted, so a long
// queue costs no more per keystroke than a short one.
func (m *QueueModel) Render() string {
	c := m.ctx
	now := c.Now()
	var b strings.Builder
	status := c.T("q.live")
	if !m.live {
		status = fmt.Sprintf(c.T("q.nolive"), int(queueRefresh.Seconds()))
	}
	if !m.loaded.IsZero() {
		status = fmt.Sprintf(c.T("q.updated"), m.loaded.In(localZone(c)).Format("15:04:05")) + " · " + status
	}
	b.WriteString(c.Theme.Label.Render(fmt.Sprintf(c.T("q.title"), len(m.entries))) + "  " + c.Theme.Faint.Render(status) + "\n")
	if m.err != nil {
		b.WriteString(c.Theme.Error.Render("! "+c.T("q.error")+": "+m.err.Error()) + "\n")
	}
	if w := m.worsened(); len(w) > 0 {
		parts := make([]string, len(w))
		for i, p := range w {
			parts[i] = fmt.Sprintf(c.T("q.worsened"), truncate(p.name, 24), p.pos, p.from, p.to)
		}
		b.WriteString(c.Theme.Error.Render("! "+c.T("q.deteriorated")+": "+strings.Join(parts, "; ")+" "+c.T("q.reassessnow")) + "\n")
	}
	nameW := min(32, max(8, c.Width-60))
	head := fmt.Sprintf("%4s %-11s %-*s %-8s %-11s %-5s %s", c.T("q.pos"), c.T("q.colour"), nameW, c.T("q.patient"),
		c.T("q.channel"), c.T("q.waited")+"/"+c.T("q.target"), "NEWS", c.T("q.flags"))
	b.WriteString(c.Theme.Faint.Render(head) + "\n")
	if len(m.entries) == 0 {
		b.WriteString(c.T("q.empty"))
		return b.String()
	}
	end := min(len(m.entries), m.offset+m.rows())
	for i := m.offset; i < end; i++ {
		e := m.entries[i]
		colour := padRight(c.T("q.untriaged"), 11)
		if e.Triaged {
			colour = c.Theme.Colour(e.Colour, c.Lang, 11)
		}
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
		if e.Breach || waited > target {
			flags = append(flags, c.T("q.breach"))
		}
		if e.ReassessmentDue || !e.ReassessAt.IsZero() && !now.Before(e.ReassessAt) {
			flags = append(flags, c.T("q.reassess"))
		}
		name := truncate(e.Patient, nameW)
		row := fmt.Sprintf("%4d %s %-*s %-8s %-11s %s ", e.Position, colour, nameW, name, c.T("ch."+e.Channel), wt, padRight(news, 5))
		fl := strings.Join(flags, " ")
		if i == m.cursor {
			row = c.Theme.Selected.Render(row+fl) + "\n"
		} else {
			row += c.Theme.Warn.Render(fl) + "\n"
		}
		b.WriteString(row)
	}
	if len(m.entries) > m.rows() {
		b.WriteString(c.Theme.Faint.Render(fmt.Sprintf("%d–%d / %d", m.offset+1, end, len(m.entries))))
	}
	return strings.TrimRight(b.String(), "\n")
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
