package screen

import (
	"image/color"
	"sync"

	"charm.land/lipgloss/v2"
	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// Theme holds the styles of every screen. Colour is never the only
// signal: every coloured cell also carries its text label, so the NoColor
// theme (and a colour-blind nurse) loses nothing.
type Theme struct {
	NoColor  bool
	Title    lipgloss.Style
	TabOn    lipgloss.Style
	TabOff   lipgloss.Style
	Label    lipgloss.Style
	Focus    lipgloss.Style
	Error    lipgloss.Style
	Faint    lipgloss.Style
	Warn     lipgloss.Style
	Selected lipgloss.Style
	Help     lipgloss.Style
	Notice   lipgloss.Style

	// swatches caches rendered colour swatches: the queue board draws the
	// same five on every row of every frame.
	swatches *swatchCache
}

type swatchKey struct {
	colour triage.Colour
	lang   wording.Lang
	width  int
}

type swatchCache struct {
	mu sync.Mutex
	m  map[swatchKey]string
}

// Triage colour swatches: foreground on background, chosen for contrast.
var colourBG = [...]color.Color{
	triage.Red:    lipgloss.Color("#C62828"),
	triage.Orange: lipgloss.Color("#EF6C00"),
	triage.Yellow: lipgloss.Color("#F9D71C"),
	triage.Green:  lipgloss.Color("#2E7D32"),
	triage.Blue:   lipgloss.Color("#1565C0"),
}
var colourFG = [...]color.Color{
	triage.Red:    lipgloss.Color("#FFFFFF"),
	triage.Orange: lipgloss.Color("#000000"),
	triage.Yellow: lipgloss.Color("#000000"),
	triage.Green:  lipgloss.Color("#FFFFFF"),
	triage.Blue:   lipgloss.Color("#FFFFFF"),
}

// NewTheme builds the styles; noColor keeps only bold, faint and reverse.
func NewTheme(noColor bool) Theme {
	s := lipgloss.NewStyle
	t := Theme{
		NoColor:  noColor,
		Title:    s().Bold(true),
		TabOn:    s().Bold(true).Reverse(true).Padding(0, 1),
		TabOff:   s().Padding(0, 1),
		Label:    s().Bold(true),
		Focus:    s().Bold(true),
		Error:    s().Bold(true),
		Faint:    s().Faint(true),
		Warn:     s().Bold(true),
		Selected: s().Reverse(true),
		Help:     s().Faint(true),
		Notice:   s().Bold(true),
		swatches: &swatchCache{m: map[swatchKey]string{}},
	}
	if !noColor {
		t.Title = t.Title.Foreground(lipgloss.Color("#4FC3F7"))
		t.Focus = t.Focus.Foreground(lipgloss.Color("#4FC3F7"))
		t.Error = t.Error.Foreground(lipgloss.Color("#FF5252"))
		t.Warn = t.Warn.Foreground(lipgloss.Color("#FFB300"))
		t.Notice = t.Notice.Foreground(lipgloss.Color("#FFB300"))
	}
	return t
}

// Colour renders a triage colour's text label as a swatch, e.g. " RØD ",
// padded to width (0: no padding).
func (t Theme) Colour(c triage.Colour, lang wording.Lang, width int) string {
	if t.swatches == nil {
		return t.renderColour(c, lang, width)
	}
	k := swatchKey{c, lang, width}
	t.swatches.mu.Lock()
	defer t.swatches.mu.Unlock()
	s, ok := t.swatches.m[k]
	if !ok {
		s = t.renderColour(c, lang, width)
		t.swatches.m[k] = s
	}
	return s
}

func (t Theme) renderColour(c triage.Colour, lang wording.Lang, width int) string {
	st := lipgloss.NewStyle().Bold(true)
	if width > 0 {
		st = st.Width(width)
	}
	if t.NoColor || int(c) >= len(colourBG) {
		return st.Render("[" + c.Label(lang) + "]")
	}
	return st.Background(colourBG[c]).Foreground(colourFG[c]).Render(" " + c.Label(lang) + " ")
}

// Level renders a phone level's text label as a swatch, e.g. " AKUTT ".
func (t Theme) Level(l phone.Level, lang wording.Lang) string {
	st := lipgloss.NewStyle().Bold(true)
	if t.NoColor || l > phone.Vanlig {
		return st.Render("[" + l.Label(lang) + "]")
	}
	c := phonecall.Colour(l)
	return st.Background(colourBG[c]).Foreground(colourFG[c]).Render(" " + l.Label(lang) + " ")
}
