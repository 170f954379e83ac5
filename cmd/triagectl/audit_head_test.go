package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

// "audit verify" prints "head N HASH" to be written down elsewhere as an
// anchor: on a database in use, HASH is the hash of entry N, read before
// the verified walk, never of a later entry.
func TestAuditVerifyPrintsAMatchingHead(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "day.db")
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"seed", "--db", db, "--patients", "5", "--monitors", "0"}, nil, &out, &errb), errb.String())

	s, err := store.Open(ctx, db)
	require.NoError(t, err)
	defer s.Close()
	me := store.Actor{User: "desk"}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a workstation reading the queue, as boards do all day
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, _ = s.Queue(ctx, me, time.Now())
			time.Sleep(200 * time.Microsecond)
		}
	}()
	re := regexp.MustCompile(`head (\d+) ([0-9a-f]{64})`)
	type rec struct {
		seq  int64
		hash string
	}
	var got []rec
	for range 300 {
		out.Reset()
		errb.Reset()
		code := run([]string{"audit", "verify", "--db", db}, nil, &out, &errb)
		if code != 0 {
			close(stop)
			wg.Wait()
			t.Fatalf("verify of an untampered, busy database: exit %d: %s%s", code, out.String(), errb.String())
		}
		m := re.FindStringSubmatch(out.String())
		require.NotNil(t, m, out.String())
		n, _ := strconv.ParseInt(m[1], 10, 64)
		got = append(got, rec{n, m[2]})
	}
	close(stop)
	wg.Wait()
	for _, r := range got {
		log, err := s.AuditLog(ctx, me, r.seq-1, 1)
		require.NoError(t, err)
		require.Len(t, log, 1)
		require.Equal(t, log[0].Hash, r.hash, "printed head %d must carry the hash of entry %d", r.seq, r.seq)
	}
}
