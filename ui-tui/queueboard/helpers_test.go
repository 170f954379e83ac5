package queueboard

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/ui-tui/screen"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
)

// The board's tests drive it with screentest, as the app's tests do; the
// periodic re-read only re-arms itself and is not fed back.
var (
	testNow = screentest.Now
	drive   = screentest.Driver{Skip: func(msg tea.Msg) bool { _, ok := msg.(Refresh); return ok }}
)

func newTestContext(lang wording.Lang, noColor bool) *screen.Context {
	return screentest.Context(lang, noColor)
}

func typeText(m tea.Model, s string) tea.Model { return drive.Type(m, s) }

func press(m tea.Model, keys ...string) tea.Model { return drive.Press(m, keys...) }

func plain(m interface{ Render() string }) string { return screentest.Plain(m) }

// flatView is plain with every run of spaces and line breaks made one space,
// for a message wrapped at the window's width.
func flatView(m interface{ Render() string }) string {
	return strings.Join(strings.Fields(plain(m)), " ")
}

func requireGolden(t *testing.T, screen string) { screentest.RequireGolden(t, screen) }

func sampleQueue() []queue.Entry { return screentest.SampleQueue() }

func bigQueue(n int) []queue.Entry { return screentest.BigQueue(n) }
