package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/store"
)

// Issue 16 item 2: triage-tui refuses plain text to a remote database
// naming the flag, and with the flag warns loudly before it opens the
// database (an address where nobody listens: the open fails at once).
func TestTheInsecurePlaintextFlagReachesTheStore(t *testing.T) {
	var e bytes.Buffer
	code := run([]string{"--db", "postgres://u:secret@192.0.2.1/db?sslmode=disable"}, &e)
	if code != 1 || !strings.Contains(e.String(), "--"+store.InsecurePlaintextFlag) || strings.Contains(e.String(), "secret") {
		t.Errorf("remote without TLS: exit %d, %q; want 1 and a message naming the flag", code, e.String())
	}
	e.Reset()
	code = run([]string{"--" + store.InsecurePlaintextFlag, "--db", "postgres://u@127.0.0.1:1/db?sslmode=disable&connect_timeout=5"}, &e)
	if code != 1 || !strings.Contains(e.String(), store.InsecurePlaintextWarning) || strings.Contains(e.String(), store.ErrPlaintextRemote.Error()) {
		t.Errorf("with the flag: exit %d, %q; want the warning, then the server not reached", code, e.String())
	}
}
