package main

import (
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/store"
)

// Issue 16 item 2: every command that opens a database from a URL takes
// the one loudly named flag that allows plain text to a remote server,
// and names it when it refuses one; given, it warns on stderr before the
// database is opened (here an address where nobody listens, so the open
// fails at once after the warning).
func TestEveryDatabaseCommandTakesTheInsecurePlaintextFlag(t *testing.T) {
	flagArg := "--" + store.InsecurePlaintextFlag
	found := 0
	for _, inv := range invocations(t) {
		help := helpOf(inv)
		if !strings.Contains(help, "postgres://") {
			continue
		}
		found++
		if !strings.Contains(help, store.InsecurePlaintextFlag) {
			t.Errorf("%s: no %s in its help", strings.Join(inv, " "), flagArg)
		}
	}
	if found < 5 {
		t.Fatalf("found only %d commands that open a database", found)
	}
	for _, args := range [][]string{
		{"audit", "verify"},
		{"users", "list"},
		{"ecg12", "review"},
		{"ecg12", "watch", "--dir", t.TempDir()},
	} {
		name := strings.Join(args, " ")
		refused := append(append([]string(nil), args...), "--db", "postgres://u:secret@192.0.2.1/db?sslmode=disable")
		code, _, errOut := runTC(refused...)
		if code == 0 || !strings.Contains(errOut, flagArg) || strings.Contains(errOut, "secret") {
			t.Errorf("%s, plain text to a remote server: exit %d, %q; want a refusal naming %s", name, code, firstLines(errOut), flagArg)
		}
		given := append(append([]string(nil), args...), flagArg, "--db", "postgres://u@127.0.0.1:1/db?sslmode=disable&connect_timeout=5")
		_, _, errOut = runTC(given...)
		if !strings.Contains(errOut, store.InsecurePlaintextWarning) {
			t.Errorf("%s %s: no warning on stderr: %q", name, flagArg, firstLines(errOut))
		}
	}
}
