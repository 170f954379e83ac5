package outbox

import (
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Backoff doubles from Min to Max, and the jitter keeps every wait within
// [d/2, d) of the attempt's d, for any random draw.
func TestBackoffDoublesToMaxWithJitterInsideItsBand(t *testing.T) {
	b := Backoff{Min: time.Second, Max: 5 * time.Minute}
	r := rand.New(rand.NewPCG(1, 2))
	for attempt := 1; attempt <= 30; attempt++ {
		d := time.Second << min(attempt-1, 20)
		d = min(d, 5*time.Minute)
		for range 200 {
			w := b.Wait(attempt, r.Float64)
			require.GreaterOrEqual(t, w, d/2, "attempt %d", attempt)
			require.Less(t, w, d, "attempt %d", attempt)
		}
	}
	require.Equal(t, 500*time.Millisecond, b.Wait(1, func() float64 { return 0 }))
	require.Equal(t, 150*time.Second, b.Wait(99, func() float64 { return 0 }), "capped at Max")
}

func TestRetryAfterReadsSecondsAndDatesAndCapsAtAnHour(t *testing.T) {
	now := time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"999999", time.Hour},
	} {
		require.Equal(t, tc.want, retryAfter(tc.in, now), "Retry-After %q", tc.in)
	}
}

func TestOutcomeTextNamesTheIssues(t *testing.T) {
	require.Equal(t, "invalid: Missing required property at Observation.status; business-rule: ukjent avdeling (Bundle.entry[2])",
		outcomeText([]byte(`{"resourceType":"OperationOutcome","issue":[
			{"severity":"error","code":"invalid","details":{"text":"Missing required property"},"expression":["Observation.status"]},
			{"severity":"error","code":"business-rule","details":{"text":"ukjent avdeling"},"diagnostics":"Bundle.entry[2]"}]}`)))
	require.Equal(t, "", outcomeText([]byte(`<html>502</html>`)))
	require.LessOrEqual(t, len(outcomeText([]byte(`{"resourceType":"OperationOutcome","issue":[{"code":"x","diagnostics":"`+strings.Repeat("a", 5000)+`"}]}`))), 400)
}

func TestConfigCheckNamesTheWrongSetting(t *testing.T) {
	good := `[clinic]
system = "https://legevakt.example.kommune.no/fhir"
org_number = "974567890"
[[destination]]
name = "dips.fhir"
type = "fhir"
url = "https://fhir.example.no/r4"
kinds = ["patient", "observations"]
`
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "records.toml")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	c, err := LoadConfig(write(good))
	require.NoError(t, err)
	_, err = c.ClinicFor("0123456789abcdef")
	require.NoError(t, err)
	for _, tc := range []struct{ edit, want string }{
		{strings.Replace(good, `https://fhir.example.no/r4`, `http://fhir.example.no/r4`, 1), "want https://"},
		{strings.Replace(good, `"patient", `, `"labs", `, 1), `kind "labs"`},
		{strings.Replace(good, `type = "fhir"`, `type = "x400"`, 1), `type "x400"`},
		{good + "token = \"secret\"\n", "unknown setting"},
		{strings.Replace(good, `type = "fhir"`, `type = "hl7v2"`+"\naddress = \"gw:2575\"", 1), `kind "patient" does not go as ORU^R01`},
		{good + "[[destination]]\nname = \"dips.fhir\"\ntype = \"fhir\"\nurl = \"https://b/\"\nkinds = [\"patient\"]\n", "used twice"},
		{strings.Replace(good, `kinds = ["patient", "observations"]`, `kinds = []`, 1), "kinds is empty"},
	} {
		_, err := LoadConfig(write(tc.edit))
		require.ErrorContains(t, err, tc.want)
	}
	// Only the clinic: enough for a bulk export, not for sending.
	clinicOnly, err := LoadConfig(write(good[:strings.Index(good, "[[destination]]")]))
	require.NoError(t, err, "a file naming only the clinic serves an export")
	require.ErrorContains(t, clinicOnly.CheckSending(), "no [[destination]]")
	require.NoError(t, c.CheckSending())
	c.Clinic.OrgNumber = "12345"
	_, err = c.ClinicFor("0123456789abcdef")
	require.ErrorContains(t, err, "org_number")
}

func TestSecretsMustBeOwnerOnly(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(p, []byte("abc\n"), 0o644))
	_, err := ReadSecret(p)
	require.ErrorContains(t, err, "readable by others")
	require.NoError(t, os.Chmod(p, 0o600))
	tok, err := ReadSecret(p)
	require.NoError(t, err)
	require.Equal(t, "abc", tok)
	require.NoError(t, os.WriteFile(p, []byte(" \n"), 0o600))
	_, err = ReadSecret(p)
	require.ErrorContains(t, err, "empty")
}
