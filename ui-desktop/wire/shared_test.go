package wire

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// TestAQueueChangeOnOneWorkstationReachesAnother opens the same database
// twice, as two workstations would, and checks that a registration on one
// is signalled to the other's board within a second and shows in its queue.
// SQLite always; PostgreSQL when DATABASE_URL is set (make test sets it).
func TestAQueueChangeOnOneWorkstationReachesAnother(t *testing.T) {
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "shared.db")}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		dsns["postgres"] = storetest.Schema(t, u)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			open := func(user string) *Store {
				st, err := store.Open(ctx, dsn)
				require.NoError(t, err)
				t.Cleanup(func() { st.Close() })
				return &Store{S: st, Actor: fixed{User: user, Workstation: user + "-pc"}}
			}
			reception, phone := open("kari"), open("ola")
			changes, err := reception.Changes(ctx)
			require.NoError(t, err)
			for len(changes) > 0 { // a first poll may report what is already there
				<-changes
			}
			e, err := phone.Register(ctx, desk.Registration{Name: "Delt Kø", Arrived: time.Now().Add(-time.Minute), Channel: desk.ChannelPhone})
			require.NoError(t, err)
			select {
			case <-changes:
			case <-time.After(3 * time.Second):
				t.Fatal("the other workstation's registration was not signalled")
			}
			q, err := reception.AppendQueue(ctx, time.Now(), nil)
			require.NoError(t, err)
			found := false
			for _, en := range q {
				found = found || en.EncounterID == e.ID
			}
			assert.True(t, found, "the new encounter is in the other workstation's queue")
		})
	}
}
