package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The queue board's title says what the logged-in user sees: a phone
// nurse's board shows phone calls only, a physician's both channels; in
// bokmål and English. (Reception accounts cannot log in to the phone
// app; their title is the board's ScopeReception.)
func TestQueueBoardTitleNamesWhatTheUserSees(t *testing.T) {
	st := openStores(t)["sqlite"]
	loginAccounts(t, st)
	for _, c := range []struct{ lang, user, pw, want, not string }{
		{"nb", "tina", tinaPW, "Venteliste, telefonsamtaler (", "begge kanaler"},
		{"en", "tina", tinaPW, "Waiting list, phone calls (", "both channels"},
		{"nb", "lars", larsPW, "Venteliste, begge kanaler (", "telefonsamtaler"},
	} {
		la := newLoginApp(t, st, c.lang, c.user)
		la.password(c.pw)
		la.keys("f2")
		scr := la.screen()
		assert.Contains(t, scr, c.want, c.user+" "+c.lang)
		assert.NotContains(t, scr, c.not, c.user+" "+c.lang)
	}
}
