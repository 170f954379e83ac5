package screentest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/store/storetest"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/stretchr/testify/require"
)

// Stores gives a fresh SQLite store, and a PostgreSQL one when
// DATABASE_URL is set (make test always sets it).
func Stores(t *testing.T) map[string]*store.Store {
	t.Helper()
	out := map[string]*store.Store{}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "tui.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	out["sqlite"] = st
	if url := os.Getenv("DATABASE_URL"); url != "" {
		pg, err := store.Open(ctx, storetest.Schema(t, url))
		require.NoError(t, err)
		t.Cleanup(func() { _ = pg.Close() })
		out["postgres"] = pg
	}
	return out
}

// RealCalls is the phone call use-case on a real store and engine.
func RealCalls(st *store.Store, a store.Actor) *phonecall.Service {
	return &phonecall.Service{Store: st, Actor: a, Targets: triage.DefaultTargets(), Index: phone.DemoIndex(), Vitals: phonecall.EngineVitals(Engine)}
}
