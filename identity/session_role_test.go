package identity

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
)

func TestInRoleOnlyGivesARoleTheAccountHolds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sess, err := f.auth.Login(ctx, LoginRequest{Username: "admin", Password: "administrator passord"})
	require.NoError(t, err)
	_, err = sess.InRole(store.RolePhysician)
	assert.ErrorIs(t, err, ErrNoRole)
	same, err := sess.InRole(store.RoleAdmin)
	require.NoError(t, err)
	a, err := same.Actor()
	require.NoError(t, err)
	assert.Equal(t, store.Actor{User: "admin", Workstation: "resepsjon-1", Role: store.RoleAdmin}, a)
	sess.Lock()
	_, err = sess.InRole(store.RoleAdmin)
	assert.ErrorIs(t, err, ErrSessionLocked, "a locked session gives no other")
}
