package phrase

import (
	"errors"
	"testing"
	"time"
)

// G6 (QA session 6), onset: "nå" and spans said in words are read;
// "i kveld" said after midnight is the evening just past; a time still to
// come is told apart from words that name none.
func TestParseOnsetReadsSpokenWordsAndTheEveningJustPast(t *testing.T) {
	loc := time.UTC
	d := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, loc) }
	for _, c := range []struct {
		now  time.Time
		in   string
		want when
	}{
		{d(8, 1, 20), "nå", minute(d(8, 1, 20))},
		{d(8, 1, 20), "akkurat nå", minute(d(8, 1, 20))},
		{d(8, 1, 20), "Nettopp", minute(d(8, 1, 20))},
		{d(8, 1, 20), "just now", minute(d(8, 1, 20))},
		{d(8, 1, 20), "for en halvtime siden", minute(d(8, 0, 50))},
		{d(8, 1, 20), "en halvtime siden", minute(d(8, 0, 50))},
		{d(8, 1, 20), "half an hour ago", minute(d(8, 0, 50))},
		{d(8, 1, 20), "et kvarter siden", minute(d(8, 1, 5))},
		{d(8, 1, 20), "for en time siden", minute(d(8, 0, 20))},
		{d(8, 1, 20), "an hour ago", minute(d(8, 0, 20))},
		{d(8, 1, 20), "to timer siden", minute(d(7, 23, 20))},
		{d(8, 1, 20), "halvannen time siden", minute(d(7, 23, 50))},
		{d(8, 15, 0), "for to dager siden", when{d(6, 0, 0), d(7, 0, 0)}},
		// The QA's case: "i kveld" at 01:19 is the evening just past.
		{d(8, 1, 19), "i kveld", when{d(7, 18, 0), d(8, 0, 0)}},
		{d(8, 5, 59), "this evening", when{d(7, 18, 0), d(8, 0, 0)}},
		{d(8, 21, 0), "i kveld", when{d(8, 18, 0), d(8, 21, 0)}}, // unchanged in the evening
	} {
		o, err := ParseOnset(c.in, c.now, loc)
		if err != nil || !o.Derived() || !o.From.Equal(c.want.from) || !o.To.Equal(c.want.to) {
			t.Errorf("at %s ParseOnset(%q) = %+v, %v; want %s–%s", c.now.Format("02 15:04"), c.in, o, err,
				c.want.from.Format("02 15:04"), c.want.to.Format("02 15:04"))
		}
	}
	for _, c := range []struct {
		now    time.Time
		in     string
		future bool
	}{
		{d(8, 15, 0), "i morgen", true},
		{d(8, 15, 0), "tomorrow", true},
		{d(8, 15, 0), "i kveld", true}, // said in the afternoon: still to come
		{d(8, 15, 0), "i dag kl 19", true},
		{d(8, 15, 0), "snart", false},
		{d(8, 15, 0), "for 20 dager siden", false},
		{d(8, 15, 0), "en stund siden", false},
	} {
		o, err := ParseOnset(c.in, c.now, loc)
		if !errors.Is(err, ErrOnset) || o.Derived() || o.Said != c.in || errors.Is(err, ErrOnsetFuture) != c.future {
			t.Errorf("at %s ParseOnset(%q) = %+v, %v; want no time, future %v", c.now.Format("02 15:04"), c.in, o, err, c.future)
		}
	}
}
