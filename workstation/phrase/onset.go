package phrase

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/wording"
)

// MaxOnsetAgo is the longest onset a call record takes ("for 14 dager
// siden"); older is a history, not an onset.
const MaxOnsetAgo = 14 * 24 * time.Hour

// Onset is the symptom onset as the caller said it, and the time it names.
//
// The rule, so that no precise time is ever invented: a clock time or a
// span ago ("14:20", "i går kl 22", "for 20 min siden") names one minute,
// From == To. A day or a part of a day names the window it covers, From
// its first minute and To its end (never after the moment it was said):
// "i dag" today from midnight; "i går" yesterday, midnight to midnight;
// "i forgårs" the day before; "for 3 dager siden" / "3 dager" / "3 days
// ago" that calendar day; "i morges" 06:00–10:00, "i formiddag"
// 10:00–12:00, "i ettermiddag" 12:00–18:00, "i kveld" 18:00–24:00 today
// (said between 00:00 and 06:00, before the night's sleep, the evening
// just past: yesterday 18:00–24:00, as "i natt" names the night under
// way); "i går kveld" 18:00–24:00 yesterday; "i natt" the night
// 22:00–06:00 just past (the night under way when said between 22:00 and
// 06:00, from 22:00 the day before). "nå" / "akkurat nå" / "now" is the
// minute said; a span may be said in words: "for en halvtime siden" (30
// min), "et kvarter siden" (15 min), "en time siden", "half an hour ago",
// "an hour ago". What names no time (or one in the future, or more than
// 14 days ago) is kept as said with From and To nil: the screen says that
// no time was derived, and a time in the future ("i morgen", "i kveld"
// said in the afternoon) is told apart (ErrOnsetFuture).
type Onset struct {
	Said string     `json:"said"`
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
}

// Derived reports whether the words named a time (or a window of time).
func (o Onset) Derived() bool { return o.From != nil && o.To != nil }

// Exact reports whether the words named one minute ("14:20", "for 20 min
// siden"), not a window ("i går").
func (o Onset) Exact() bool { return o.Derived() && o.From.Equal(*o.To) }

// ErrOnset is the reason no time was derived from an onset; the Onset
// returned with it still holds the words as said.
var ErrOnset = errors.New("onset: no time derived")

// ErrOnsetFuture is ErrOnset for words understood as a time still to
// come ("i morgen", "i dag kl 19" said at 15:00): a screen says so
// rather than list the forms it reads.
var ErrOnsetFuture = fmt.Errorf("onset in the future: %w", ErrOnset)

// OnsetForms words the forms an onset is read in, for the note shown when
// no time was derived.
var OnsetForms = wording.Text{
	NB: "14:20, nå, i går kl 22, for 20 min siden, for en halvtime siden, 2 timer siden, i dag, i går, i natt, i morges, i kveld, for 3 dager siden (høyst 14 dager)",
	EN: "14:20, now, yesterday 22:00, 20 min ago, half an hour ago, 2 hours ago, today, yesterday, last night, this morning, this evening, 3 days ago (at most 14 days)",
}

var (
	onsetClock = regexp.MustCompile(`^(?:kl\.?\s*|at\s+)?([0-2]?[0-9])(?:[:.]?([0-5][0-9]))?$`)
	onsetAgo   = regexp.MustCompile(`^(?:for\s+)?([0-9]+(?:[.,][0-9]+)?)\s*([a-zøæå]+)\.?(?:\s+(?:siden|ago))?$`)
	onsetUnits = map[string]time.Duration{
		"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minutt": time.Minute, "minutter": time.Minute, "minute": time.Minute, "minutes": time.Minute,
		"t": time.Hour, "h": time.Hour, "time": time.Hour, "timer": time.Hour, "hour": time.Hour, "hours": time.Hour, "hr": time.Hour, "hrs": time.Hour,
		"døgn": 24 * time.Hour, "halvtime": 30 * time.Minute, "halvtimer": 30 * time.Minute, "kvarter": 15 * time.Minute,
	}
	// onsetNumbers are the number words a span is said with ("for en
	// halvtime siden", "to timer siden", "an hour ago").
	onsetNumbers = map[string]string{
		"en": "1", "ett": "1", "et": "1", "a": "1", "an": "1", "one": "1", "to": "2", "two": "2", "tre": "3", "three": "3",
		"fire": "4", "four": "4", "fem": "5", "five": "5", "halvannen": "1,5",
	}
	// onsetNow are the words for the minute said.
	onsetNow = map[string]bool{"nå": true, "akkurat nå": true, "nettopp": true, "now": true, "just now": true, "right now": true}
	// onsetDays are the units of "for 3 dager siden": a calendar day,
	// whose time of day is not said.
	onsetDays = map[string]bool{"d": true, "dag": true, "dager": true, "day": true, "days": true}
)

// dayPart is a part of a day as the words name it: from and to in hours
// after the day's midnight (to may pass 24 for a night), days before
// today.
type dayPart struct {
	daysBack int
	from, to int
	night    bool // "i natt": the night just past, or the one under way
	evening  bool // "i kveld": said before 06:00, the evening just past
}

// dayParts are the words for a day or a part of one.
var dayParts = map[string]dayPart{
	"i dag": {0, 0, 24, false, false}, "idag": {0, 0, 24, false, false}, "today": {0, 0, 24, false, false},
	"i går": {1, 0, 24, false, false}, "igår": {1, 0, 24, false, false}, "yesterday": {1, 0, 24, false, false},
	"i forgårs": {2, 0, 24, false, false}, "iforgårs": {2, 0, 24, false, false}, "the day before yesterday": {2, 0, 24, false, false},
	"i morges": {0, 6, 10, false, false}, "i morgest": {0, 6, 10, false, false}, "imorges": {0, 6, 10, false, false}, "this morning": {0, 6, 10, false, false},
	"i formiddag": {0, 10, 12, false, false}, "this forenoon": {0, 10, 12, false, false}, "late this morning": {0, 10, 12, false, false},
	"i ettermiddag": {0, 12, 18, false, false}, "this afternoon": {0, 12, 18, false, false},
	"i kveld": {0, 18, 24, false, true}, "ikveld": {0, 18, 24, false, true}, "this evening": {0, 18, 24, false, true}, "tonight": {0, 18, 24, false, true},
	"i går kveld": {1, 18, 24, false, false}, "igår kveld": {1, 18, 24, false, false}, "yesterday evening": {1, 18, 24, false, false},
	"i natt": {0, 0, 0, true, false}, "inatt": {0, 0, 0, true, false}, "last night": {0, 0, 0, true, false}, "during the night": {0, 0, 0, true, false},
	// Still to come: understood, and told as the future (ErrOnsetFuture).
	"i morgen": {-1, 0, 24, false, false}, "imorgen": {-1, 0, 24, false, false}, "tomorrow": {-1, 0, 24, false, false},
}

// ParseOnset reads a symptom onset as a nurse types it (see Onset for
// what each form names), said at now in the clinic's time zone loc. The
// Onset always holds the words as said; with ErrOnset (wrapped) it names
// no time. Empty words are no onset, and no error.
func ParseOnset(s string, now time.Time, loc *time.Location) (Onset, error) {
	o := Onset{Said: strings.TrimSpace(s)}
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	in = strings.TrimSuffix(in, ".")
	if in == "" {
		return o, nil
	}
	from, to, ok := onsetTimes(in, now, loc)
	if ok && (to.After(now) || from.After(to)) {
		return o, errors.Join(ErrOnsetFuture, errors.New(strconv.Quote(o.Said)))
	}
	if !ok || now.Sub(to) > MaxOnsetAgo {
		return o, errors.Join(ErrOnset, errors.New(strconv.Quote(o.Said)))
	}
	from, to = from.Truncate(time.Minute), to.Truncate(time.Minute)
	o.From, o.To = &from, &to
	return o, nil
}

// onsetTimes is the window the words name (from == to for a minute), in
// the clinic's zone; false when they name none.
func onsetTimes(s string, now time.Time, loc *time.Location) (from, to time.Time, ok bool) {
	n := now.In(loc)
	midnight := func(back int) time.Time { return time.Date(n.Year(), n.Month(), n.Day()-back, 0, 0, 0, 0, loc) }
	at := func(back, hour int) time.Time {
		return time.Date(n.Year(), n.Month(), n.Day()-back, hour, 0, 0, 0, loc)
	}
	if onsetNow[s] {
		return now, now, true
	}
	if p, ok := dayParts[s]; ok {
		switch {
		case p.evening && n.Hour() < 6:
			return at(1, 18), at(0, 0), true // the evening just past
		case p.night && n.Hour() >= 22:
			return at(1, 22), now, true // the night under way, or the one before
		case p.night && n.Hour() < 6:
			return at(1, 22), now, true
		case p.night:
			return at(1, 22), at(0, 6), true
		}
		from, to := at(p.daysBack, p.from), at(p.daysBack, p.to)
		if to.After(now) {
			to = now // a part of today still under way: up to now
		}
		return from, to, true
	}
	days, today := 0, false
	for _, y := range []string{"i går ", "igår ", "yesterday "} {
		if rest, ok := strings.CutPrefix(s, y); ok {
			s, days = strings.TrimPrefix(rest, "at "), 1
		}
	}
	for _, y := range []string{"i dag ", "idag ", "today "} {
		if rest, ok := strings.CutPrefix(s, y); ok {
			s, today = strings.TrimPrefix(rest, "at "), true
		}
	}
	if m := onsetClock.FindStringSubmatch(s); m != nil && (m[2] != "" || strings.HasPrefix(s, "kl") || strings.HasPrefix(s, "at ") || days > 0 || today) {
		h, _ := strconv.Atoi(m[1])
		mi := 0
		if m[2] != "" {
			mi, _ = strconv.Atoi(m[2])
		}
		if h > 23 {
			return time.Time{}, time.Time{}, false
		}
		t := time.Date(n.Year(), n.Month(), n.Day()-days, h, mi, 0, 0, loc)
		if days == 0 && !today && t.After(n) {
			t = t.AddDate(0, 0, -1) // 23:30 said at 00:10 is yesterday's
		}
		return t, t, true // a later time "i dag" is in the future: refused
	}
	if days > 0 || today {
		return time.Time{}, time.Time{}, false
	}
	s = strings.Replace(s, "half an hour", "30 min", 1)
	if w := strings.Fields(s); len(w) > 1 {
		i := 0
		if w[0] == "for" {
			i = 1
		}
		if d, ok := onsetNumbers[w[i]]; ok {
			w[i] = d
			s = strings.Join(w, " ")
		}
	}
	m := onsetAgo.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, time.Time{}, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
	if err != nil || v < 0 {
		return time.Time{}, time.Time{}, false
	}
	if onsetDays[m[2]] {
		if v != float64(int(v)) || v > MaxOnsetAgo.Hours()/24 {
			return time.Time{}, time.Time{}, false // "1,5 dager": say it in hours
		}
		back := int(v)
		return midnight(back), midnight(back - 1), true
	}
	unit, ok := onsetUnits[m[2]]
	if !ok || v*float64(unit) > float64(MaxOnsetAgo) {
		return time.Time{}, time.Time{}, false
	}
	t := now.Add(-time.Duration(v * float64(unit)))
	return t, t, true
}
