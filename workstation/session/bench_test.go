package session_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// BenchmarkLogin is one password login at the real argon2id cost (64 MiB,
// 3 passes): the account read, the hash, the audited outcome. It is the
// wait after enter on the login and lock screens.
func BenchmarkLogin(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.WithoutCheckpoints())
	require.NoError(b, err)
	defer st.Close()
	sessiontest.Account(b, st, "tina", "bench-passord", store.ServicePhone, store.RolePhone)
	h, err := identity.HashPassword("bench-passord")
	require.NoError(b, err)
	_, err = st.ChangeUser(ctx, sessiontest.AdminActor(), "tina", store.AccountChange{PasswordHash: &h})
	require.NoError(b, err)
	g, err := session.New(session.Config{Store: st, Workstation: "bench", Service: store.ServicePhone, Roles: []store.Role{store.RolePhone}})
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Login(ctx, "tina", "bench-passord", "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is one poll of a running session (the account read).
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.WithoutCheckpoints())
	require.NoError(b, err)
	defer st.Close()
	sessiontest.Account(b, st, "tina", "bench-passord", store.ServicePhone, store.RolePhone)
	g, err := session.New(session.Config{Store: st, Workstation: "bench", Service: store.ServicePhone, Roles: []store.Role{store.RolePhone}})
	require.NoError(b, err)
	s, err := g.Login(ctx, "tina", "bench-passord", "", "")
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if s.Check(ctx) != session.Active {
			b.Fatal("not active")
		}
	}
}
