package queueboard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/widget"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// Dropped calls in the ended calls (contract 1, owner: dropped): a call
// whose caller hung up waits at the top of the list, "RING NÅ" first
// (akutt was proposed), with the words "brutt – ring tilbake", until its
// call-back is marked done (x, with a note) or a new call started from it
// (r: the call screen opens prefilled with what was known) is saved.

// CallBackService marks a dropped call's call-back done;
// *phonecall.Service implements it. An OutcomeService that does not
// implement it shows dropped calls but cannot mark them.
type CallBackService interface {
	CallBackDone(ctx context.Context, id ids.Encounter, note string) error
}

// StartCallBack asks the app to open the call screen on a call-back of
// the dropped call Encounter.
type StartCallBack struct{ Encounter ids.Encounter }

// callBackDoneMsg reports a call-back marked done.
type callBackDoneMsg struct {
	patient string
	err     error
}

// callBackState is the board's state for marking a call-back done.
type callBackState struct {
	marking *queue.Item // the dropped call whose note is asked
	note    widget.LineInput
}

// The words of the dropped calls on the board (wording.Register).
var (
	nbCallBack = map[string]string{
		"qcb.k.callback": "ring tilbake",
		"qcb.k.done":     "tilbakeringt",
		"qcb.note":       "Tilbakeringt %s – notat (nådd, ikke svar …):",
		"qcb.done":       "Tilbakeringing registrert: %s",
		"qcb.failed":     "Tilbakeringing ikke registrert",
		"qcb.reopen":     "En brutt samtale gjenåpnes ikke: ring tilbake (r) eller registrer tilbakeringt (x).",
		"qcb.none":       "Ikke en brutt samtale.",
	}
	enCallBack = map[string]string{
		"qcb.k.callback": "call back",
		"qcb.k.done":     "called back",
		"qcb.note":       "Called back %s – note (reached, no answer …):",
		"qcb.done":       "Call-back recorded: %s",
		"qcb.failed":     "Call-back not recorded",
		"qcb.reopen":     "A dropped call is not reopened: call back (r) or record it called back (x).",
		"qcb.none":       "Not a dropped call.",
	}
)

func init() { wording.Register(nbCallBack, enCallBack) }

// say is the board's text key in l for the dropped calls' words.
func say(l wording.Lang, key string) string { return l.T(key) }

// The keys of a dropped call in the ended calls.
var (
	callBackKey = key.NewBinding(key.WithKeys("r"))
	doneKey     = key.NewBinding(key.WithKeys("x"))
)

// callBackHelp is the help of the ended calls' dropped-call keys.
func (m *Model) callBackHelp() []key.Binding {
	l := m.ctx.Lang
	if m.cb.marking != nil {
		return []key.Binding{m.keys.Apply, m.keys.Cancel}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r", say(l, "qcb.k.callback"))),
		key.NewBinding(key.WithKeys("x"), key.WithHelp("x", say(l, "qcb.k.done"))),
	}
}

// keyCallBack takes a key of the ended calls for a dropped call: r starts
// its call-back, x asks for the note and marks it done, o (reopen) is
// refused in words. ok is false when the key is not for it.
func (m *Model) keyCallBack(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.cb.marking != nil {
		switch {
		case key.Matches(k, m.keys.Cancel):
			m.cb.marking = nil
		case key.Matches(k, m.keys.Apply):
			it := *m.cb.marking
			m.cb.marking = nil
			return m.callBackDone(it, strings.TrimSpace(m.cb.note.Value())), true
		default:
			m.cb.note.Update(k)
		}
		return nil, true
	}
	if len(m.ended) == 0 {
		return nil, false
	}
	it := m.ended[m.endedSel]
	dropped := it.Outcome == string(phonecall.OutcomeDropped)
	switch {
	case key.Matches(k, m.keys.Reopen) && dropped:
		m.message, m.msgErr = say(m.ctx.Lang, "qcb.reopen"), true
		return nil, true
	case key.Matches(k, callBackKey), key.Matches(k, doneKey):
		if !dropped {
			m.message, m.msgErr = say(m.ctx.Lang, "qcb.none"), true
			return nil, true
		}
		if key.Matches(k, callBackKey) {
			m.message = ""
			id := it.EncounterID
			return func() tea.Msg { return StartCallBack{Encounter: id} }, true
		}
		if _, ok := m.outcomes.(CallBackService); !ok {
			return nil, true
		}
		m.cb.marking = &it
		m.cb.note = widget.LineInput{Limit: 300}
		m.message = ""
		return nil, true
	}
	return nil, false
}

// callBackDone marks the call-back of dropped call it (audited by the
// store), then reads the ended calls again.
func (m *Model) callBackDone(it queue.Item, note string) tea.Cmd {
	svc := m.outcomes.(CallBackService)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return callBackDoneMsg{patient: it.Patient, err: svc.CallBackDone(ctx, it.EncounterID, note)}
	}
}

// callBackDoneUpdate takes the answer of a call-back marked done.
func (m *Model) callBackDoneUpdate(msg callBackDoneMsg) tea.Cmd {
	m.msgErr = msg.err != nil
	if msg.err != nil {
		m.message = say(m.ctx.Lang, "qcb.failed") + ": " + screen.StoreReason(m.ctx, msg.err)
		return nil
	}
	m.message = fmt.Sprintf(say(m.ctx.Lang, "qcb.done"), msg.patient)
	return m.loadEnded()
}

// endedCell is the first column of an ended call: a dropped call's
// call-back priority (RING NÅ, RING SNART), never a level (nothing was
// decided), else the call's level as the board shows it.
func (m *Model) endedCell(it queue.Item) string {
	if it.Outcome != string(phonecall.OutcomeDropped) {
		return m.levelCell(it, levelW)
	}
	label := wording.CallBack(it.CallBack, m.ctx.Lang)
	if it.CallBack == "" {
		label = wording.Outcome(it.Outcome, m.ctx.Lang)
	}
	s := "[" + label + "]"
	if it.CallBack == phonecall.CallBackImmediate {
		s = m.ctx.Theme.Error.Render(s)
	}
	return widget.PadRight(s, levelW)
}

// callBackPrompt is the note line of a call-back being marked done.
func (m *Model) callBackPrompt() string {
	if m.cb.marking == nil {
		return ""
	}
	c := m.ctx
	return "> " + c.Theme.Focus.Render(fmt.Sprintf(say(c.Lang, "qcb.note"), truncate(m.cb.marking.Patient, 24))) + " " + m.cb.note.View(true)
}
