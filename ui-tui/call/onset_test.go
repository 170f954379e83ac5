package call

import (
	"testing"
	"time"
)

// "i dag kl 7" is read like "kl 7", at 09:00: the nurse's words for a
// morning onset.
func TestParseOnsetToday(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, loc)
	for _, in := range []string{"kl 7", "i dag kl 7", "i dag kl. 7", "i dag 07:00", "today 7:00", "idag kl 7"} {
		got, err := ParseOnset(in, now, loc)
		if want := time.Date(2026, 12, 7, 7, 0, 0, 0, loc); err != nil || !got.Equal(want) {
			t.Errorf("ParseOnset(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseOnset(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 12, 7, 0, 10, 0, 0, loc)
	for in, want := range map[string]time.Time{
		"00:05":             time.Date(2026, 12, 7, 0, 5, 0, 0, loc),
		"23:30":             time.Date(2026, 12, 6, 23, 30, 0, 0, loc), // said after midnight: yesterday
		"kl 14":             time.Date(2026, 12, 6, 14, 0, 0, 0, loc),
		"kl. 7.45":          time.Date(2026, 12, 6, 7, 45, 0, 0, loc),
		"1420":              time.Date(2026, 12, 6, 14, 20, 0, 0, loc),
		"for 20 min siden":  now.Add(-20 * time.Minute),
		"20 minutter":       now.Add(-20 * time.Minute),
		"for 2 timer siden": now.Add(-2 * time.Hour),
		"1,5 t siden":       now.Add(-90 * time.Minute),
		"3 dager":           now.Add(-72 * time.Hour),
		"40 min ago":        now.Add(-40 * time.Minute),
		"2 hours ago":       now.Add(-2 * time.Hour),
		"i dag kl 0":        time.Date(2026, 12, 7, 0, 0, 0, 0, loc),
		"I dag kl. 00.05":   time.Date(2026, 12, 7, 0, 5, 0, 0, loc),
		"idag 00:01":        time.Date(2026, 12, 7, 0, 1, 0, 0, loc),
		"today at 00:02":    time.Date(2026, 12, 7, 0, 2, 0, 0, loc),
		"i går kl 7":        time.Date(2026, 12, 6, 7, 0, 0, 0, loc),
	} {
		got, err := ParseOnset(in, now, loc)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseOnset(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "i går", "i går kveld", "25:00", "14:75", "for 20 år siden", "15 dager siden", "-3 min", "20", "snart", "i dag", "i dag kl 7", "today 14:20", "i dag for 20 min siden"} {
		if got, err := ParseOnset(in, now, loc); err == nil {
			t.Errorf("ParseOnset(%q) = %v, want an error", in, got)
		}
	}
}
