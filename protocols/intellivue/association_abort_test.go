package intellivue

import (
	"testing"
	"time"
)

// A monitor may answer the association request with an abort (0x19) as
// well as with a refusal (0x0C) (protocols.md §b step 2). The host must not
// answer every such abort with a new request at once: that hammers the
// line at the rate limit (4 frames / 128 ms) for as long as the monitor
// keeps aborting, which AssociationRetry / RefusedRetry were chosen to
// prevent ("5 s keeps a wrongly set MIB port from being flooded").
func TestAMonitorThatAbortsEveryAssociationRequestIsNotFlooded(t *testing.T) {
	h := NewMIBHost()
	t0 := time.Unix(1_700_000_000, 0)
	requests := 0
	pendingAbort := false
	count := func(frames [][]byte) {
		d := NewDecoder()
		for _, f := range frames {
			d.Feed(f)
		}
		for d.Scan() {
			if _, ok := d.Record().(*AssociationRequest); ok {
				requests++
				pendingAbort = true
			}
		}
	}
	count(h.Open(t0))
	for i := 1; i <= 1000; i++ { // 10 s in 10 ms steps
		now := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		if pendingAbort { // the monitor answers each request with an abort
			pendingAbort = false
			count(h.Received(&Abort{}, now))
		}
		count(h.Tick(now))
	}
	if requests > 3 {
		t.Fatalf("%d association requests in 10 s to a monitor that aborts each one; want at most 3 (one per AssociationRetry)", requests)
	}
}
