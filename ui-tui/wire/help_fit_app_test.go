package wire

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// At 80x24, logged in, every key of the help fits on every screen, in
// bokmål and English: when one line is too narrow the keys go on to a
// second line (taking the blank line under the tabs), none is cut.
func TestHelpFitsAt80x24WithLockAndSwitchUser(t *testing.T) {
	st := openStores(t)["sqlite"]
	loginAccounts(t, st)
	want := map[string][]string{
		"nb": {"↑↓ felt", "enter neste", "ctrl+n ny", "F1-3 skjerm", "ctrl+l lås", "ctrl+x bytt bruker", "ctrl+c slutt"},
		"en": {"↑↓ field", "enter next", "ctrl+n new", "F1-3 screen", "ctrl+l lock", "ctrl+x switch user", "ctrl+c quit"},
	}
	for _, lang := range []string{"nb", "en"} {
		la := newLoginApp(t, st, lang, "tina")
		la.password(tinaPW)
		for _, f := range []string{"f1", "f2", "f3"} {
			la.keys(f)
			lines := strings.Split(la.screen(), "\n")
			require.Len(t, lines, 24, lang+" "+f)
			help := strings.Join(lines[22:], "\n")
			assert.NotContains(t, help, "…", "%s %s: no key cut", lang, f)
			for _, k := range []string{want[lang][4], want[lang][5], want[lang][6]} {
				assert.Contains(t, help, k, "%s %s", lang, f)
			}
			for _, l := range lines {
				assert.LessOrEqual(t, len([]rune(l)), 80)
			}
			if f == "f1" {
				for _, k := range want[lang] {
					assert.Contains(t, help, k, lang)
				}
				assert.Contains(t, lines[2], "›", "%s: the body moved up under the tabs", lang)
			}
		}
	}
}
