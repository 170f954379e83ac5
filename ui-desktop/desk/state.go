package desk

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// State is a snapshot of what the screens show, for automation and for
// tests that drive the real app (cmd/triage-desk's Xvfb test): each step
// waits until the state the next key needs is there, instead of sleeping.
// It holds no patient data: lengths of what was typed, never the text, and
// the encounter id, never the name.
type State struct {
	Lang          i18n.Lang     `json:"lang"`
	Tab           string        `json:"tab"`     // "register", "triage" or "board"
	Focused       string        `json:"focused"` // a stable name of the focused widget ("form.monitor", "menu"), "" for none
	Overlays      int           `json:"overlays"`
	RegIDLen      int           `json:"reg_id_len"`   // characters in the identity field
	RegNameLen    int           `json:"reg_name_len"` // characters in the name field
	EncounterID   ids.Encounter `json:"encounter_id"` // the form's patient, 0 for none
	Monitor       string        `json:"monitor"`      // the form's monitor id, "" for none
	Device        string        `json:"device"`       // its link state
	Consciousness string        `json:"consciousness"`
	Vitals        int           `json:"vitals"`    // vital tiles showing a value
	ECGRate       bool          `json:"ecg_rate"`  // the ECG analyser has found beats and gives a heart rate
	ECGBeats      int           `json:"ecg_beats"` // beats marked on the strip now (it is empty after a rebuild)
	Acks          int           `json:"acks"`      // acknowledgements the form lists for its patient
	OpenAlerts    int           `json:"open_alerts"`
	BoardRows     int           `json:"board_rows"`
	Monitors      int           `json:"monitors"` // monitors the picker offers
	HighContrast  bool          `json:"high_contrast"`
	Scale         float32       `json:"scale"`
	Saved         int           `json:"saved"` // triages saved in this session
	// NEWS2 and Complete are the form's live score (no patient data).
	NEWS2    int  `json:"news2"`
	Complete bool `json:"complete"`
	// Typed counts the hand-measured fields that read; Problems those
	// marked with an error or a question.
	Typed    int `json:"typed"`
	Problems int `json:"problems"`
	// The board's send-on action (sendon.go; CONTRACTS 2a): the row with
	// the focus mark (-1 on an empty board), the dialog's step ("",
	// "choose", "confirm"), the destination chosen in it, the patients sent
	// on in this session and what the last attempt came to ("" after a
	// success, "stale", "refused", "store").
	BoardRow     int    `json:"board_row"`
	SendOn       string `json:"send_on"`
	SendOnChoice string `json:"send_on_choice"`
	SentOn       int    `json:"sent_on"`
	SendOnError  string `json:"send_on_error"`
}

var tabNames = []string{"register", "triage", "board"}

// State returns the current snapshot. Call it on the UI goroutine.
func (a *App) State() State {
	s := State{Lang: a.lang, OpenAlerts: len(a.watch.Open()), BoardRows: len(a.queue), Monitors: len(a.form.choices),
		HighContrast: a.th.HighContrast, Scale: a.th.Scale, Saved: a.savedCount,
		RegIDLen: len([]rune(a.reg.id.Text)), RegNameLen: len([]rune(a.reg.name.Text))}
	if i := a.tabs.SelectedIndex(); i >= 0 && i < len(tabNames) {
		s.Tab = tabNames[i]
	}
	a.form.fillState(&s)
	if a.win != nil {
		c := a.win.Canvas()
		s.Overlays = len(c.Overlays().List())
		s.Focused = a.focusName(c.Focused())
	}
	a.sendOnState(&s)
	return s
}

// focusName names a focused widget for State.
func (a *App) focusName(o fyne.Focusable) string {
	if o == nil {
		return ""
	}
	r := a.reg
	names := map[fyne.Focusable]string{
		r.id: "reg.id", r.unknown: "reg.unknown", r.name: "reg.name", r.age: "reg.age", r.arrival: "reg.arrival",
		r.channel: "reg.channel", r.sex: "reg.sex",
		a.brd.list: "board.list",
	}
	a.form.focusNames(names)
	if a.ecg != nil {
		a.ecg.focusNames(names)
	}
	if a.al.reason != nil {
		names[a.al.reason] = "alert.reason"
	}
	if n, ok := names[o]; ok {
		return n
	}
	switch fmt.Sprintf("%T", o) {
	case "*widget.PopUpMenu":
		return "menu"
	case "*widget.Button", "*deskwidget.Button":
		return "button"
	}
	return fmt.Sprintf("%T", o)
}
