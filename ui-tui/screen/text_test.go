package screen

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/wording"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryTextIDUsedExists reads the package's sources for c.T("id") and
// screen.Text(lang, "id") calls and checks each id is in the table, so no screen
// can show a raw id.
func TestEveryTextIDUsedExists(t *testing.T) {
	files, err := filepath.Glob("../*.go")
	require.NoError(t, err)
	sub, err := filepath.Glob("../*/*.go")
	require.NoError(t, err)
	files = append(files, sub...)
	use := regexp.MustCompile(`(?:\.T|[tT]ext\([a-zA-Z.]+,) ?\("?([a-z0-9.\-]+)"\)`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			seen++
			_, ok := texts[m[1]]
			assert.True(t, ok, "%s uses text id %q, which has no entry", f, m[1])
		}
	}
	assert.Greater(t, seen, 50, "the scan found the calls")
	for _, prefix := range []string{"f.", "h."} {
		for _, id := range []string{"nid", "name", "age", "caller", "phone", "temp", "hr", "spo2", "rr", "sbp", "dbp"} {
			_, ok := texts[prefix+id]
			assert.True(t, ok, "field %s has no %s text", id, prefix)
		}
	}
	for _, id := range []string{"ch.phone", "ch.walk_in", "band.low", "band.low-medium", "band.medium", "band.high", "quality.questionable", "quality.invalid", "quality.demo"} {
		_, ok := texts[id]
		assert.True(t, ok, id)
	}
}

func TestEveryTextIDHasBothLanguages(t *testing.T) {
	for id, tx := range texts {
		if strings.HasPrefix(id, "h.") {
			continue // hints may be empty
		}
		assert.NotEmpty(t, tx[0], "%s has no bokmål", id)
		assert.NotEmpty(t, tx[1], "%s has no English", id)
	}
}

// The emergency medical communication centre has one name per language on
// every screen: AMK in bokmål, EMCC in English (as triage/phone's actions
// say it), never the other language's.
func TestTheEMCCHasOneNamePerLanguage(t *testing.T) {
	for id, tx := range texts {
		assert.NotContains(t, tx[0], "EMCC", id)
		assert.NotContains(t, tx[1], "AMK", id)
	}
	for _, code := range []string{"waiting", "expected", "handed_over", "closed"} {
		assert.NotContains(t, wording.Outcome(code, wording.NB), "EMCC", code)
		assert.NotContains(t, wording.Outcome(code, wording.EN), "AMK", code)
	}
	assert.Contains(t, wording.Outcome("handed_over", wording.EN), "EMCC (113)")
}

// The phone form's fields are labelled from the vitals table as the phone
// asks them: "hr" is the pulse a caller counts, not a monitor's heart rate.
func TestVitalFieldsAreLabelledFromTheTable(t *testing.T) {
	assert.Equal(t, "Pulse (/min)", Text(wording.EN, "f.hr"))
	assert.Equal(t, "Puls (/min)", Text(wording.NB, "f.hr"))
	assert.Equal(t, "Temperatur (°C)", Text(wording.NB, "f.temp_c"))
	assert.Equal(t, "f.eks. 38,5", Text(wording.NB, "h.temp_c"))
	assert.Equal(t, "Reagerer på smerte", Text(wording.NB, "c.consciousness.P"))
	assert.Equal(t, "air (no oxygen)", Text(wording.EN, "c.oxygen.air"))
}
