package login

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/wording"
)

// Every text id the login, lock and basis screens (and the app's keys
// for them) use is in the catalogue in both languages, and no bokmål
// text is the English one.
func TestEveryTextIDUsedIsRegistered(t *testing.T) {
	files := []string{"login.go", "../basis/basis.go", "../app.go"}
	use := regexp.MustCompile(`"(tui\.[a-z0-9._]+)"`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(filepath.Clean(f))
		require.NoError(t, err)
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			seen++
			for _, l := range wording.Langs {
				got := l.T(m[1])
				assert.False(t, strings.HasPrefix(got, "!"), "%s uses %q, not registered in %s", f, m[1], l)
			}
		}
	}
	assert.Greater(t, seen, 15, "the scan found the uses")
	for k, nb := range nbTexts {
		assert.NotEmpty(t, enTexts[k], k)
		assert.NotEqual(t, nb, enTexts[k], "%s: bokmål is not English", k)
	}
	assert.Len(t, enTexts, len(nbTexts))
}
