// Package screen holds what every screen of the terminal app shares: the
// Screen interface the app shell knows its tabs by, and the Context (size,
// language, theme, clock, nurse) with the wording of every text id in
// bokmål and English. Screens import it; it imports no screen.
package screen

import (
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/wording"
)

// Context is what every screen shares.
type Context struct {
	Width, Height int
	Lang          wording.Lang // wording.NB (default) or wording.EN
	Theme         Theme
	Now           func() time.Time
	Nurse         string         // who is logged in; stored with every assessment
	Loc           *time.Location // time zone for clock times on screen
	// IndexNotice is shown in the header while a demonstration criteria
	// index is in use ("" for a licensed index).
	IndexNotice string
}

// NewContext returns a Context for an 80x24 terminal with the given
// language and clock; noColor selects the theme without colours.
func NewContext(lang wording.Lang, noColor bool, now func() time.Time) *Context {
	if now == nil {
		now = time.Now
	}
	return &Context{Width: 80, Height: 24, Lang: wording.Of(string(lang)), Theme: NewTheme(noColor), Now: now, Loc: time.Local}
}

// Zone is the time zone for clock times on screen (Loc, else the
// machine's).
func (c *Context) Zone() *time.Location {
	if c.Loc == nil {
		return time.Local
	}
	return c.Loc
}

// T returns the text for id in the context's language.
func (c *Context) T(id string) string { return Text(c.Lang, id) }

// DetectLang chooses the language: the flag when given ("nb" or "en"),
// else English when LC_ALL, LC_MESSAGES or LANG (the first one set, as
// POSIX orders them) starts with "en", else bokmål.
func DetectLang(flag string, getenv func(string) string) wording.Lang {
	switch strings.ToLower(flag) {
	case "en":
		return wording.EN
	case "nb", "no", "nob":
		return wording.NB
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "en") {
				return wording.EN
			}
			return wording.NB
		}
	}
	return wording.NB
}

// NoColor reports whether the NO_COLOR convention (no-color.org) asks for
// no colour: the variable is set and not empty.
func NoColor(getenv func(string) string) bool { return getenv("NO_COLOR") != "" }
