package monitoring

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// memStore is a store in memory that refuses whole batches at random, as
// a database that comes and goes; it counts every value it took.
type memStore struct {
	mu   sync.Mutex
	rng  *rand.Rand
	fail float64
	got  map[ids.Encounter]map[time.Time]int
}

func (m *memStore) AddObservations(_ context.Context, enc ids.Encounter, obs []vitals.Observation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rng.Float64() < m.fail {
		return errors.New("database is locked")
	}
	if m.got[enc] == nil {
		m.got[enc] = map[time.Time]int{}
	}
	for _, o := range obs {
		m.got[enc][o.HostTime]++
	}
	return nil
}

// Over random outages, batch sizes, memory bounds and patients, with and
// without a spool and a restart in between: every value the recorder took
// reaches the store exactly once.
func TestEveryValueIsStoredExactlyOnceWhateverTheOutages(t *testing.T) {
	at := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 17))
		st := &memStore{rng: rand.New(rand.NewPCG(seed, 99)), fail: rng.Float64() * 0.8, got: map[ids.Encounter]map[time.Time]int{}}
		opt := Options{Every: time.Hour, MaxPending: 1 + rng.IntN(300)}
		if rng.IntN(2) == 0 {
			opt.SpoolDir = filepath.Join(t.TempDir(), "spool")
		}
		r := New(context.Background(), st, opt)
		want := map[ids.Encounter]int{}
		n := rng.IntN(2000)
		for i := range n {
			enc := ids.Encounter(1 + rng.IntN(4))
			o := value(i, at)
			require.True(t, r.Add(enc, o))
			want[enc]++
			if rng.IntN(50) == 0 {
				_ = r.Flush(context.Background())
			}
			if opt.SpoolDir != "" && rng.IntN(800) == 0 {
				// A restart: what is left is spooled and taken up again.
				_ = r.Close()
				r = New(context.Background(), st, opt)
			}
		}
		st.mu.Lock()
		st.fail = 0 // the database is back for good
		st.mu.Unlock()
		require.NoError(t, r.Close(), "seed %d", seed)
		for enc, w := range want {
			require.Len(t, st.got[enc], w, "seed %d encounter %d: every value stored", seed, enc)
			for ts, c := range st.got[enc] {
				require.Equal(t, 1, c, "seed %d encounter %d value at %v stored once", seed, enc, ts)
			}
		}
	}
}
