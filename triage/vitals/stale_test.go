package vitals

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestStaleByAgeSourceAndKind(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	p := DefaultStalePolicy()
	at := func(k Kind, source string, age time.Duration) Observation {
		return Observation{Kind: k, Source: source, HostTime: now.Add(-age), Quality: Valid}
	}
	cases := []struct {
		name  string
		o     Observation
		stale bool
	}{
		{"a monitor pulse 60 s old is at its limit, not stale", at(HR, "mon-1", 60*time.Second), false},
		{"a monitor pulse 61 s old is stale", at(HR, "mon-1", 61*time.Second), true},
		{"a monitor NIBP 9 min old is fresh", at(SBP, "mon-1", 9*time.Minute), false},
		{"a monitor NIBP 11 min old is stale", at(SBP, "mon-1", 11*time.Minute), true},
		{"an unlisted device kind uses the device default", at(MAP+"x", "mon-1", 61*time.Second), true},
		{"a nurse's entry 29 min old is fresh", at(HR, SourceManual, 29*time.Minute), false},
		{"a nurse's entry 31 min old is stale", at(HR, SourceManual, 31*time.Minute), true},
		{"a phone report 59 min old is fresh", at(HR, SourcePhone, 59*time.Minute), false},
		{"a phone report 61 min old is stale", at(HR, SourcePhone, 61*time.Minute), true},
		{"a monitor pulse stamped 5 s ahead (clock skew) is fresh", at(HR, "mon-1", -5*time.Second), false},
		{"a monitor pulse stamped 60 s ahead is at the limit, fresh", at(HR, "mon-1", -60*time.Second), false},
		{"a monitor pulse stamped an hour ahead (clock stepped back) is stale", at(HR, "mon-1", -time.Hour), true},
		{"a nurse's entry stamped 10 min ahead is within its limit", at(HR, SourceManual, -10*time.Minute), false},
	}
	for _, c := range cases {
		assert.Equal(t, c.stale, p.Stale(c.o, now), c.name)
	}
}

func TestInRange(t *testing.T) {
	cases := []struct {
		name string
		o    Observation
		want bool
	}{
		{"SpO2 97 %", Observation{Kind: SpO2, Value: 97, Unit: Percent}, true},
		{"SpO2 120 % is a faulty reading", Observation{Kind: SpO2, Value: 120, Unit: Percent}, false},
		{"98.6 °F is 37 °C", Observation{Kind: Temp, Value: 98.6, Unit: DegF}, true},
		{"98.6 Cel is never guessed to be °F", Observation{Kind: Temp, Value: 98.6, Unit: Cel}, false},
		{"a unit that cannot be converted", Observation{Kind: HR, Value: 70, Unit: Percent}, false},
		{"an unknown kind", Observation{Kind: "glucose", Value: 5}, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, InRange(c.o), c.name)
	}
}
