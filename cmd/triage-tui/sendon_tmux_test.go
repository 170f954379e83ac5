package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/session"
)

// TestSendOnFromTheQueueBoardUnderTmux runs `triage-tui --demo` in
// bokmål as a physician at 80x24 and sends patients on from the queue
// board with its keys (s, the number, enter), through the one send-on
// use-case the desk uses too (workstation/disposition): one patient goes
// in to the doctor, stored and audited as the logged-in user; another,
// moved by another workstation while the choice was open, is refused in
// words and the other workstation's decision stands.
func TestSendOnFromTheQueueBoardUnderTmux(t *testing.T) {
	s := underTmux(t, "sendon", "LANG=nb_NO.UTF-8 NO_COLOR=1", "--demo")

	s.waitFor("Logg inn – telefontriage")
	s.keys("Up", "C-u")
	s.typeText("lege")
	s.keys("Enter")
	s.typeText("demo-legevakt")
	s.keys("Enter")
	s.waitForWithin("F1 Samtale", 3*time.Minute) // the login waits for the demo's seed
	s.keys("F2")
	s.waitFor("Venteliste, begge kanaler")
	s.waitFor("  1 [") // "›  1 [" when the first row is selected

	dbs, err := filepath.Glob(filepath.Join(s.home, "triage-tui-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1)
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCreate(), store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	lege := physician(t, st, "lege", "demo-legevakt")
	other := lege
	other.Workstation = "mottak-2"

	// Two walk-ins in the queue, with names no other row has; the demo's seed may still be committing (the board follows it
	// live), so the queue is read until they are there.
	var picked []queue.Entry
	for deadline := time.Now().Add(2 * time.Minute); len(picked) < 2 && time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		q, err := st.Queue(ctx, lege, time.Now())
		require.NoError(t, err)
		count := map[string]int{}
		for _, e := range q {
			count[e.Patient]++
		}
		picked = picked[:0]
		for _, e := range q {
			if len(picked) < 2 && e.Channel == string(store.WalkIn) && count[e.Patient] == 1 {
				picked = append(picked, e)
			}
		}
	}
	require.Len(t, picked, 2, "the demo seeds walk-ins waiting")

	// open selects who on the board and opens the send-on choice; it
	// returns the number of "hos lege" in it.
	open := func(who string) string {
		t.Helper()
		s.keys("g")
		time.Sleep(200 * time.Millisecond) // g drawn; the loop below waits on each move
		for range 80 {
			sel := selectedRow(s.screen())
			if strings.Contains(sel, who) {
				break
			}
			// One row down, and wait until it is drawn, so that no key
			// is sent on a screen that lags behind (an overshoot).
			s.keys("j")
			for deadline := time.Now().Add(2 * time.Second); selectedRow(s.screen()) == sel && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
		}
		require.Contains(t, selectedRow(s.screen()), who)
		s.keys("s")
		scr := s.waitFor("> Send " + who + " videre:")
		m := regexp.MustCompile(`(\d) hos lege`).FindStringSubmatch(strings.Join(strings.Fields(scr), " ")) // the choice wraps at 80
		require.NotNil(t, m, "the choice offers hos lege:\n%s", scr)
		return m[1]
	}

	a := picked[0]
	n := open(a.Patient)
	s.keys(n, "Enter")
	s.waitFor(a.Patient + ": hos lege (logget)")
	got, err := st.GetEncounter(ctx, lege, a.EncounterID)
	require.NoError(t, err)
	assert.Equal(t, store.WithDoctor, got.Status, "stored")
	log, err := st.AuditLog(ctx, adminOf(t, st), 0, 10000)
	require.NoError(t, err)
	var last store.AuditEntry
	for _, e := range log {
		if e.Action == "encounter.update" && e.EntityID == int64(a.EncounterID) {
			last = e
		}
	}
	assert.Equal(t, "lege", last.Actor, "audited as the logged-in user")
	assert.Equal(t, "status=with_doctor from="+a.Status, last.Detail)

	// The choice is open for the second patient when another workstation
	// sends her home: the board's choice is refused, said in words, and
	// the list is read again.
	b := picked[1]
	n = open(b.Patient)
	e, err := st.GetEncounter(ctx, other, b.EncounterID)
	require.NoError(t, err)
	e.Status = store.Done
	_, err = st.UpdateEncounter(ctx, other, e)
	require.NoError(t, err)
	s.keys(n, "Enter")
	scr := s.waitFor("! Ikke endret: " + b.Patient + " er alt flyttet av en annen arbeidsstasjon")
	t.Logf("queue board after the stale choice:\n%s", scr)
	assert.Contains(t, strings.Join(strings.Fields(scr), " "), "(står nå som: ferdig). Ventelisten er lest på nytt", "said whole, wrapped at 80 columns")
	got, err = st.GetEncounter(ctx, lege, b.EncounterID)
	require.NoError(t, err)
	assert.Equal(t, store.Done, got.Status, "the other workstation's decision stands")
	// The list was read again: the rows named as she is are at most the
	// patients of that name the store has waiting now (the demo keeps
	// registering arrivals, so a namesake may come in meanwhile).
	q, err := st.Queue(ctx, lege, time.Now())
	require.NoError(t, err)
	namesakes := 0
	for _, e := range q {
		if e.Patient == b.Patient {
			namesakes++
		}
	}
	shown := 0
	for _, l := range strings.Split(s.waitFor("Venteliste"), "\n") {
		if strings.Contains(l, b.Patient) && !strings.HasPrefix(l, "!") && !strings.HasPrefix(l, "som:") {
			shown++
		}
	}
	assert.LessOrEqual(t, shown, namesakes, "the list was read again: %s, sent home by the other workstation, is not shown", b.Patient)
	s.keys("C-c")
	s.waitFor("EXIT=0")
}

// selectedRow is the board's row marked ›.
func selectedRow(scr string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.HasPrefix(l, "›") {
			return l
		}
	}
	return ""
}

// adminOf is the demo administrator, who reads the audit log.
func adminOf(t *testing.T, st *store.Store) store.Actor {
	t.Helper()
	g, err := session.New(session.Config{Store: st, Workstation: "test", Service: store.ServicePhone, Roles: []store.Role{store.RoleAdmin}})
	require.NoError(t, err)
	s, err := g.Login(context.Background(), "admin", session.DemoPassword, "", "")
	require.NoError(t, err)
	a, err := s.Actor()
	require.NoError(t, err)
	return a
}
