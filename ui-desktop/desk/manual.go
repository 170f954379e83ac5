package desk

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-desktop/deskwidget"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// manualVital is one vital measured by hand: the value as typed, when it
// was measured (typed HH:MM, else the moment it was typed), and what is
// wrong with it, shown next to the field at once.
type manualVital struct {
	kind  vitals.Kind
	entry *deskwidget.Entry
	at    *deskwidget.Entry // "TT:MM"; empty: when the value was typed
	// typedAt is when the value was last changed (zero while empty): the
	// default measurement time, kept by drafts.
	typedAt time.Time
	// confirm is ticked to confirm a value outside a live person's
	// plausible range; shown only then.
	confirm *deskwidget.Check
	// useDevice is ticked to score the monitor's value instead of the
	// typed one; shown only when both exist.
	useDevice *deskwidget.Check
	note      *widget.Label // the error or the two values, beside the field
	row       fyne.CanvasObject
}

// typedReading is what a manual field holds now.
type typedReading struct {
	obs []vitals.Observation // the observations to score (two for blood pressure)
	// problem says in the screen's language what is wrong ("" when
	// nothing is): not a number, outside the accepted range, an
	// unconfirmed implausible value, a bad time.
	problem string
	// implausible is set when only a confirmation is missing.
	implausible bool
}

// errNotNumber: the text is no number.
var errNotNumber = errors.New("not a number")

// read parses the field at now. plausible, when not nil, gives a live
// person's plausible range of a kind.
func (m *manualVital) read(l i18n.Lang, now time.Time, plausible PlausibleFunc) typedReading {
	text := strings.TrimSpace(m.entry.Text)
	if text == "" {
		return typedReading{}
	}
	at := m.typedAt
	if at.IsZero() {
		at = now
	}
	var atProblem string
	if t := strings.TrimSpace(m.at.Text); t != "" {
		typed, err := parseArrival(t, now)
		if err != nil {
			atProblem = l.T("manual.err.at", t)
		} else {
			at = typed
		}
	}
	r := m.readValue(l, text, at, plausible)
	if atProblem != "" {
		// Both said when both are wrong: a wrong time hid the value's
		// own error until the time was cleared (QA G10).
		if r.problem != "" {
			return typedReading{problem: r.problem + "; " + atProblem}
		}
		return typedReading{problem: atProblem}
	}
	return r
}

// readValue parses the field's text measured at at.
func (m *manualVital) readValue(l i18n.Lang, text string, at time.Time, plausible PlausibleFunc) typedReading {
	kinds, parts := []vitals.Kind{m.kind}, []string{text}
	if pair, ok := typedPair[m.kind]; ok {
		parts = strings.Split(text, "/")
		if len(parts) != 2 {
			return typedReading{problem: l.T("manual.err.bp", text)}
		}
		kinds = []vitals.Kind{m.kind, pair}
	}
	var out typedReading
	for i, k := range kinds {
		r, _ := vitals.ValidRange(k)
		v, err := parseNumber(parts[i])
		if err != nil || !r.Contains(v) {
			// What was typed, the field and the accepted range, in words.
			if len(kinds) == 2 && err != nil {
				return typedReading{problem: l.T("manual.err.bp", text)}
			}
			return typedReading{problem: l.T("manual.err.range", wording.Capital(paramName(l, string(k))), strings.TrimSpace(parts[i]),
				rangeEnd(l, k, r.Min), rangeEnd(l, k, r.Max), unitOf(k, r.Unit))}
		}
		if plausible != nil && !m.confirm.Checked {
			// A kind without a plausible range (lo and hi 0: one only
			// shown, never asked on the phone) has nothing to ask.
			if lo, hi, ok := plausible(k, v); !ok && (lo != 0 || hi != 0) {
				out.problem = l.T("manual.plausible", wording.Capital(paramName(l, string(k))), wording.Number(v, -1, l), rangeEnd(l, k, lo), rangeEnd(l, k, hi))
				out.implausible = true
			}
		}
		out.obs = append(out.obs, vitals.Observation{Kind: k, Value: v, Unit: r.Unit, Source: vitals.SourceManual, HostTime: at, Quality: vitals.Valid})
	}
	if len(out.obs) == 2 && out.obs[0].Value <= out.obs[1].Value {
		return typedReading{problem: l.T("manual.err.bp.order", wording.Number(out.obs[0].Value, -1, l), wording.Number(out.obs[1].Value, -1, l))}
	}
	if out.implausible {
		out.obs = nil // scored only once confirmed
	}
	return out
}

// rangeEnd writes a range limit of kind k: temperatures to one decimal,
// everything else whole.
func rangeEnd(l i18n.Lang, k vitals.Kind, v float64) string {
	return formatValue(l, vitals.Observation{Kind: k, Value: v})
}

// PlausibleFunc gives the range of kind k a living person's value lies in
// (triage/vitals's shared plausibility ranges); ok is false for v outside it.
type PlausibleFunc func(k vitals.Kind, v float64) (lo, hi float64, ok bool)

// newManualVital builds the field of kind k; changed runs after each edit.
func newManualVital(l i18n.Lang, k vitals.Kind, now func() time.Time, changed func()) *manualVital {
	m := &manualVital{kind: k}
	name := manualLabel(l, k)
	m.entry = deskwidget.NewEntry(name)
	m.at = deskwidget.NewEntry(l.T("manual.at.a11y", name))
	m.at.SetPlaceHolder(l.T("manual.at"))
	m.confirm = deskwidget.NewCheck(l.T("manual.confirm"), l.T("manual.confirm")+" "+name, l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	m.confirm.Hide()
	m.useDevice = deskwidget.NewCheck(l.T("manual.use.device"), l.T("manual.use.device")+" "+name, l.T("a11y.yes"), l.T("a11y.no"), func(bool) { changed() })
	m.useDevice.Hide()
	m.note = widget.NewLabel("")
	m.note.Wrapping = fyne.TextWrapWord
	m.note.Hide()
	m.entry.OnChanged = func(s string) {
		// The measurement time defaults to the moment it was typed.
		if strings.TrimSpace(s) == "" {
			m.typedAt = time.Time{}
		} else {
			m.typedAt = now()
		}
		m.confirm.SetChecked(false) // a new value needs its own confirmation
		changed()
	}
	m.at.OnChanged = func(string) { changed() }
	fields := container.NewGridWithColumns(2, m.entry, m.at)
	m.row = container.NewVBox(fields, m.note, m.confirm, m.useDevice)
	return m
}

// show paints the field's note: its problem in red, or, when the monitor
// gives the same vital, both values and which is scored.
func (m *manualVital) show(l i18n.Lang, r typedReading, device *vitals.Observation) {
	switch {
	case r.problem != "":
		m.note.Importance = widget.DangerImportance
		m.note.SetText(r.problem)
		m.note.Show()
	case device != nil && len(r.obs) > 0:
		m.note.Importance = widget.WarningImportance
		text := l.T("manual.both", wording.Number(r.obs[0].Value, -1, l), formatValue(l, *device))
		if m.useDevice.Checked {
			text = l.T("manual.both.device", wording.Number(r.obs[0].Value, -1, l), formatValue(l, *device))
		}
		m.note.SetText(text)
		m.note.Show()
	default:
		m.note.SetText("")
		m.note.Hide()
	}
	// The confirm box stays on screen while ticked, so a confirmed value
	// can be un-confirmed; a new value clears it (OnChanged).
	if r.implausible || m.confirm.Checked {
		m.confirm.Show()
	} else {
		m.confirm.Hide()
	}
	if device != nil && len(r.obs) > 0 {
		m.useDevice.Show()
	} else {
		m.useDevice.Hide()
	}
}

// clear empties the field.
func (m *manualVital) clear() {
	m.entry.SetText("")
	m.at.SetText("")
	m.typedAt = time.Time{}
	m.confirm.SetChecked(false)
	m.confirm.Hide()
	m.useDevice.SetChecked(false)
	m.useDevice.Hide()
	m.note.SetText("")
	m.note.Hide()
}
