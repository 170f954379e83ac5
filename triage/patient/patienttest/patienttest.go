// Package patienttest makes identity numbers for tests: synthetic
// fødselsnumre with valid control digits, so that no real person's
// number appears in a test.
package patienttest

import (
	"fmt"
	"testing"

	"github.com/legevakt/workstation/triage/patient"
)

// NID is the first valid fødselsnummer born on date (DDMMYY) with an
// individual number from ind up (at most 100 tried); the test fails when
// there is none.
func NID(t testing.TB, date string, ind int) string {
	t.Helper()
	if len(date) != 6 {
		t.Fatalf("patienttest.NID: date %q: want DDMMYY", date)
	}
	for n := ind; n < ind+100 && n < 1000; n++ {
		s := fmt.Sprintf("%s%03d", date, n)
		var nine [9]int
		for i := range nine {
			if s[i] < '0' || s[i] > '9' {
				t.Fatalf("patienttest.NID: date %q: want digits", date)
			}
			nine[i] = int(s[i] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			return fmt.Sprintf("%s%d%d", s, k1, k2)
		}
	}
	t.Fatalf("patienttest.NID: no valid number born %s with individual number %d-%d", date, ind, ind+99)
	return ""
}
