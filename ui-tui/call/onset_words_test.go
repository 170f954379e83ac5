package call

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
)

// G6 (QA session 6), the onset field: "i kveld" typed after midnight
// names the evening just past; "nå" and "for en halvtime siden" are read;
// a time still to come is said to be so, and the note never lists, as
// understood, the words just refused.
func TestTheOnsetFieldReadsWhatCallersSay(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2025, 11, 22, h, m, 0, 0, time.UTC) }
	for _, c := range []struct {
		lang wording.Lang
		now  time.Time
		in   string
		note string
	}{
		{"nb", at(1, 19), "i kveld", "Debut mellom 21.11 18:00 og 22.11 00:00 (klokkeslett ikke sagt)"},
		{"en", at(1, 19), "this evening", "Onset between 21.11 18:00 and 22.11 00:00 (time of day not said)"},
		{"nb", at(1, 19), "nå", "Debut 22.11 01:19 (for 0 min siden)"},
		{"nb", at(1, 19), "for en halvtime siden", "Debut 22.11 00:49 (for 30 min siden)"},
		{"en", at(1, 19), "half an hour ago", "Onset 22.11 00:49 (30 min ago)"},
		{"nb", at(15, 0), "i kveld", "! «i kveld» ligger fram i tid: ingen tid utledet, lagres som sagt. Mente du i går?"},
		{"nb", at(15, 0), "i morgen", "! «i morgen» ligger fram i tid: ingen tid utledet, lagres som sagt. Mente du i går?"},
		{"en", at(15, 0), "tomorrow", "! \"tomorrow\" is still to come: no time derived, kept as said. Did you mean yesterday?"},
	} {
		m := newCall(c.lang, &fakeCalls{})
		m.ctx.Now = clockAt(c.now)
		m.ctx.Loc = time.UTC
		toField(t, m, &m.who, "onset")
		typeText(m, c.in)
		press(m, "enter")
		assert.Equal(t, c.note, m.who.Field("onset").Note, "%s at %s", c.in, c.now.Format("15:04"))
		assert.Equal(t, c.in, m.who.Value("onset"), "kept as said")
	}
}
