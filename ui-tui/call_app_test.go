package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheQuestionAskedIsShownWhole: at 80 columns a long criterion is cut
// in the list, but the one being asked is wrapped, never cut, since the
// nurse reads it to the caller.
func TestTheQuestionAskedIsShownWhole(t *testing.T) {
	a := newTestApp("en", true, nil)
	press(a, "enter")
	typeText(a, "Per Test")
	press(a, "enter")
	typeText(a, "70")
	press(a, "ctrl+s")
	typeText(a, "chest")
	press(a, "enter")
	require.Equal(t, "criteria", a.Call().Step())
	screen := func() string { return strings.Join(strings.Fields(ansi.Strip(a.Render())), " ") }
	cp, ok := phone.DemoIndex().Complaint("chest-pain")
	require.True(t, ok)
	first := cp.Criteria[0]
	require.Greater(t, len(first.Text.In("en")), 60, "the test needs a criterion longer than the row")
	assert.Contains(t, screen(), "> "+first.Code.String()+" ACUTE "+first.Text.In("en"), "the whole question, wrapped")
	press(a, "n")
	assert.NotContains(t, screen(), first.Text.In("en"), "answered, it is cut to its row again")
}
