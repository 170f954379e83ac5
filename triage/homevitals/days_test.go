package homevitals

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
)

// A baby's age in days picks the rule set's age group: a temperature of
// 38.5 °C is orange at 2 months (infant 0–2 months: above 38.0) and not
// at 3 months (infant 3–5 months: above 39.0; RETTS-p), which an age in
// whole years (0) cannot tell apart.
func TestAssessDaysScoresABabyInTheGroupOfItsAge(t *testing.T) {
	e := triage.NewEngine(nil)
	now := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	temp := 38.5
	r := Reported{TempC: &temp}
	for _, c := range []struct {
		days   int
		orange bool
	}{{61, true}, {91, true}, {92, false}, {150, false}} {
		f, a, err := AssessDays(e, r, c.days, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		if f.Orange != c.orange {
			t.Errorf("38.5 °C at %d days: orange %v (colour %s), want %v", c.days, f.Orange, a.Colour, c.orange)
		}
	}
	if _, _, err := AssessDays(e, r, -2, nil, now); err == nil {
		t.Error("an age of -2 days was scored")
	}
}
