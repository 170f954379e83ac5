package call

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxOnsetAgo is the longest onset the call record takes ("for 14 dager
// siden"); older is a history, not an onset.
const maxOnsetAgo = 14 * 24 * time.Hour

// errOnset is a symptom onset the screen cannot read.
var errOnset = errors.New("onset: want a clock time (14:20) or how long ago (for 20 min siden, 2 timer siden)")

var (
	onsetClock = regexp.MustCompile(`^(?:kl\.?\s*)?([0-2]?[0-9])(?:[:.]?([0-5][0-9]))?$`)
	onsetAgo   = regexp.MustCompile(`^(?:for\s+)?([0-9]+(?:[.,][0-9]+)?)\s*([a-zøæå]+)\.?(?:\s+(?:siden|ago))?$`)
	onsetUnits = map[string]time.Duration{
		"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minutt": time.Minute, "minutter": time.Minute, "minute": time.Minute, "minutes": time.Minute,
		"t": time.Hour, "h": time.Hour, "time": time.Hour, "timer": time.Hour, "hour": time.Hour, "hours": time.Hour, "hr": time.Hour, "hrs": time.Hour,
		"d": 24 * time.Hour, "døgn": 24 * time.Hour, "dag": 24 * time.Hour, "dager": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	}
)

// ParseOnset reads a symptom onset as a nurse types it: a clock time
// ("14:20", "kl 14", "1420"; the latest such time not after now, so
// 23:30 said at 00:10 is yesterday), today's ("i dag kl 7", "today
// 7:30"; a time later today is refused), yesterday's ("i går kl 14",
// "yesterday 14:20"), or a span ago in bokmål or English
// ("for 20 min siden", "2 timer siden", "3 dager", "40 min ago"), up to
// 14 days. loc is the clinic's time zone.
func ParseOnset(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return time.Time{}, errOnset
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
	if m := onsetClock.FindStringSubmatch(s); m != nil && (m[2] != "" || strings.HasPrefix(s, "kl") || days > 0 || today) {
		h, _ := strconv.Atoi(m[1])
		mi := 0
		if m[2] != "" {
			mi, _ = strconv.Atoi(m[2])
		}
		if h > 23 {
			return time.Time{}, errOnset
		}
		n := now.In(loc)
		at := time.Date(n.Year(), n.Month(), n.Day(), h, mi, 0, 0, loc)
		if days > 0 {
			return at.AddDate(0, 0, -days), nil
		}
		if at.After(n) {
			if today {
				// "i dag kl 7" said before 7: not an onset yet.
				return time.Time{}, errOnset
			}
			at = at.AddDate(0, 0, -1)
		}
		return at, nil
	}
	if days > 0 || today {
		return time.Time{}, errOnset
	}
	if m := onsetAgo.FindStringSubmatch(s); m != nil {
		unit, ok := onsetUnits[m[2]]
		if !ok {
			return time.Time{}, errOnset
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
		if err != nil {
			return time.Time{}, errOnset
		}
		d := time.Duration(v * float64(unit))
		if d < 0 || d > maxOnsetAgo {
			return time.Time{}, errOnset
		}
		return now.Add(-d).Truncate(time.Minute), nil
	}
	return time.Time{}, errOnset
}
