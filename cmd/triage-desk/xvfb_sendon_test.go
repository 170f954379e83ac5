package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/deskshell"
)

// TestSendOnWithTheContractKeysUnderXvfb presses, on the real app, the keys
// CONTRACTS.md 2a gives drivers (tools/desksoak): the first board row home,
// then the next one as gone without being seen (asked once more), and
// reads both changes back from the demo database's audit log as the
// reception nurse's, with the status each patient had.
func TestSendOnWithTheContractKeysUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app under Xvfb")
	}
	d := startDemo(t, t.TempDir(), 2*time.Minute)
	home := d.home

	d.logIn("resepsjon")
	s := d.until("the board loaded", 30*time.Second, func(s deskshell.State) bool { return s.BoardRows >= 2 })
	rows := s.BoardRows

	// The first row home: ctrl+b Home ctrl+shift+d 3 Tab space.
	d.key("ctrl+b")
	d.until("the board, list focused", 10*time.Second, func(s deskshell.State) bool { return s.Tab == "board" && s.Focused == "board.list" })
	d.key("Home")
	d.until("the first row marked", 10*time.Second, func(s deskshell.State) bool { return s.BoardRow == 0 })
	d.key("ctrl+shift+d")
	d.until("the send-on dialog", 10*time.Second, func(s deskshell.State) bool { return s.SendOn == "choose" && s.Focused == "sendon.list" })
	d.key("Return") // a stray Enter: nothing chosen
	d.key("3")
	d.until("done chosen", 10*time.Second, func(s deskshell.State) bool { return s.SendOnChoice == "done" })
	d.key("Tab", "space")
	s = d.until("sent home", 10*time.Second, func(s deskshell.State) bool { return s.SentOn == 1 || s.SendOnError != "" })
	require.Empty(t, s.SendOnError)
	d.until("the board one shorter", 10*time.Second, func(s deskshell.State) bool { return s.BoardRows == rows-1 && s.SendOn == "" })

	// The next first row left without being seen: 4 Tab space, then the
	// question (focus on No) and Tab space for Yes.
	d.key("Home", "ctrl+shift+d")
	d.until("the send-on dialog again", 10*time.Second, func(s deskshell.State) bool { return s.SendOn == "choose" })
	d.key("4")
	d.until("left without being seen chosen", 10*time.Second, func(s deskshell.State) bool { return s.SendOnChoice == "left_without_being_seen" })
	d.key("Tab", "space")
	d.until("asked once more, No focused", 10*time.Second, func(s deskshell.State) bool { return s.SendOn == "confirm" && s.Focused == "sendon.no" })
	d.key("Tab", "space")
	s = d.until("recorded", 10*time.Second, func(s deskshell.State) bool { return s.SentOn == 2 || s.SendOnError != "" })
	require.Empty(t, s.SendOnError)
	d.until("the board two shorter", 10*time.Second, func(s deskshell.State) bool { return s.BoardRows == rows-2 })

	dbs, err := filepath.Glob(filepath.Join(home, "triage-desk-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1, "the demo's database")
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	log, err := st.AuditLog(ctx, demoActor(t, st, "admin"), 0, 10000)
	require.NoError(t, err)
	var moves []string
	for _, e := range log {
		if e.Action == "encounter.update" && e.Actor == "resepsjon" {
			moves = append(moves, strings.Fields(e.Detail)[0])
		}
	}
	assert.Equal(t, []string{"status=done", "status=left_without_being_seen"}, moves, "both changes audited as the nurse's")
}
