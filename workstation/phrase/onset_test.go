package phrase

import (
	"errors"
	"testing"
	"time"
)

// when is a window of the onset table: from and to, equal for a minute.
type when struct{ from, to time.Time }

func minute(t time.Time) when { return when{t, t} }

func TestParseOnsetNamesATimeOrAWindowNeverAnInventedMinute(t *testing.T) {
	loc := time.UTC
	d := func(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, loc) }
	for _, c := range []struct {
		now  time.Time
		in   string
		want when
	}{
		// A clock time or a span ago: one minute.
		{d(7, 0, 10), "00:05", minute(d(7, 0, 5))},
		{d(7, 0, 10), "23:30", minute(d(6, 23, 30))}, // said after midnight: yesterday
		{d(7, 0, 10), "kl 14", minute(d(6, 14, 0))},
		{d(7, 0, 10), "kl. 7.45", minute(d(6, 7, 45))},
		{d(7, 0, 10), "1420", minute(d(6, 14, 20))},
		{d(7, 0, 10), "for 20 min siden", minute(d(6, 23, 50))},
		{d(7, 0, 10), "20 minutter", minute(d(6, 23, 50))},
		{d(7, 0, 10), "for 2 timer siden", minute(d(6, 22, 10))},
		{d(7, 0, 10), "1,5 t siden", minute(d(6, 22, 40))},
		{d(7, 0, 10), "40 min ago", minute(d(6, 23, 30))},
		{d(7, 0, 10), "2 hours ago", minute(d(6, 22, 10))},
		{d(7, 0, 10), "2 døgn", minute(d(5, 0, 10))},
		{d(7, 0, 10), "i dag kl 0", minute(d(7, 0, 0))},
		{d(7, 0, 10), "I dag kl. 00.05", minute(d(7, 0, 5))},
		{d(7, 0, 10), "today at 00:02", minute(d(7, 0, 2))},
		{d(7, 0, 10), "i går kl 7", minute(d(6, 7, 0))},
		{d(7, 9, 0), "i dag kl 7", minute(d(7, 7, 0))},
		{d(7, 9, 0), "yesterday 22:15", minute(d(6, 22, 15))},
		// A day or a part of one: its window, up to now.
		{d(7, 15, 0), "i går", when{d(6, 0, 0), d(7, 0, 0)}},
		{d(7, 15, 0), "igår", when{d(6, 0, 0), d(7, 0, 0)}},
		{d(7, 15, 0), "I går.", when{d(6, 0, 0), d(7, 0, 0)}},
		{d(7, 15, 0), "yesterday", when{d(6, 0, 0), d(7, 0, 0)}},
		{d(7, 15, 0), "i forgårs", when{d(5, 0, 0), d(6, 0, 0)}},
		{d(7, 15, 0), "i dag", when{d(7, 0, 0), d(7, 15, 0)}},
		{d(7, 15, 0), "today", when{d(7, 0, 0), d(7, 15, 0)}},
		{d(7, 15, 0), "i morges", when{d(7, 6, 0), d(7, 10, 0)}},
		{d(7, 8, 30), "i morges", when{d(7, 6, 0), d(7, 8, 30)}},
		{d(7, 15, 0), "this morning", when{d(7, 6, 0), d(7, 10, 0)}},
		{d(7, 15, 0), "i formiddag", when{d(7, 10, 0), d(7, 12, 0)}},
		{d(7, 15, 0), "i ettermiddag", when{d(7, 12, 0), d(7, 15, 0)}},
		{d(7, 21, 0), "i kveld", when{d(7, 18, 0), d(7, 21, 0)}},
		{d(7, 21, 0), "this evening", when{d(7, 18, 0), d(7, 21, 0)}},
		{d(7, 21, 0), "tonight", when{d(7, 18, 0), d(7, 21, 0)}},
		{d(7, 9, 0), "i går kveld", when{d(6, 18, 0), d(7, 0, 0)}},
		{d(7, 9, 0), "yesterday evening", when{d(6, 18, 0), d(7, 0, 0)}},
		{d(7, 9, 0), "i natt", when{d(6, 22, 0), d(7, 6, 0)}},
		{d(7, 9, 0), "last night", when{d(6, 22, 0), d(7, 6, 0)}},
		{d(7, 3, 0), "i natt", when{d(6, 22, 0), d(7, 3, 0)}},   // the night under way
		{d(7, 23, 0), "i natt", when{d(6, 22, 0), d(7, 23, 0)}}, // this night or the one before
		{d(7, 15, 0), "for 3 dager siden", when{d(4, 0, 0), d(5, 0, 0)}},
		{d(7, 15, 0), "3 dager", when{d(4, 0, 0), d(5, 0, 0)}},
		{d(7, 15, 0), "3 days ago", when{d(4, 0, 0), d(5, 0, 0)}},
		{d(7, 15, 0), "1 dag siden", when{d(6, 0, 0), d(7, 0, 0)}},
		{d(15, 15, 0), "for 14 dager siden", when{d(1, 0, 0), d(2, 0, 0)}},
	} {
		o, err := ParseOnset(c.in, c.now, loc)
		if err != nil || !o.Derived() || !o.From.Equal(c.want.from) || !o.To.Equal(c.want.to) {
			t.Errorf("at %s ParseOnset(%q) = %+v, %v; want %s–%s", c.now.Format("02 15:04"), c.in, o, err,
				c.want.from.Format("02 15:04"), c.want.to.Format("02 15:04"))
			continue
		}
		if o.Exact() != c.want.from.Equal(c.want.to) {
			t.Errorf("ParseOnset(%q).Exact() = %v", c.in, o.Exact())
		}
		if o.Said != c.in && o.Said != "I går." {
			t.Errorf("ParseOnset(%q) keeps %q as said", c.in, o.Said)
		}
	}
}

// Words that name no time, or one in the future or over 14 days ago, are
// kept as said with no time, and ErrOnset says so; nothing is refused.
func TestParseOnsetKeepsWhatItCannotReadAsSaid(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, loc)
	for _, in := range []string{"snart", "i går ved lunsjtider", "25:00", "14:75", "for 20 år siden", "15 dager siden",
		"-3 min", "20", "i kveld", "i dag kl 19", "for 1,5 dager siden", "0 dager", "i dag for 20 min siden", "forrige uke", "9999999999 timer"} {
		o, err := ParseOnset(in, now, loc)
		if !errors.Is(err, ErrOnset) || o.Derived() || o.From != nil || o.To != nil {
			t.Errorf("ParseOnset(%q) = %+v, %v; want no time and ErrOnset", in, o, err)
		}
		if o.Said != in {
			t.Errorf("ParseOnset(%q) keeps %q", in, o.Said)
		}
	}
	if o, err := ParseOnset("  ", now, loc); err != nil || o.Derived() || o.Said != "" {
		t.Errorf("empty onset = %+v, %v; want nothing and no error", o, err)
	}
}

// The clinic's zone decides the day: "i går" said at 00:30 in Oslo is
// the Oslo day before, across the end of summer time too.
func TestParseOnsetCountsDaysInTheClinicsZone(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 10, 26, 0, 30, 0, 0, oslo) // the night after summer time ended
	o, err := ParseOnset("i går", now, oslo)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 25, 0, 0, 0, 0, oslo); !o.From.Equal(want) || o.To.Sub(*o.From) != 25*time.Hour {
		t.Errorf("i går = %s–%s, want from %s, 25 hours long", o.From, o.To, want)
	}
}

func FuzzParseOnset(f *testing.F) {
	for _, s := range []string{"i går", "14:20", "for 20 min siden", "3 dager", "i natt", "yesterday 7:00", "snart", "1,5 t"} {
		f.Add(s, int64(1_796_680_800)) // 2026-12-07 22:00 UTC
	}
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		now := time.Unix(unix%4_000_000_000, 0).UTC()
		o, err := ParseOnset(s, now, time.UTC)
		if err != nil {
			if !errors.Is(err, ErrOnset) || o.Derived() {
				t.Fatalf("ParseOnset(%q) = %+v, %v", s, o, err)
			}
			return
		}
		if !o.Derived() {
			return // empty words
		}
		if o.From.After(*o.To) || o.To.After(now) || now.Sub(*o.To) > MaxOnsetAgo {
			t.Fatalf("at %s ParseOnset(%q) = %s–%s: not a window before now within 14 days", now, s, o.From, o.To)
		}
	})
}
