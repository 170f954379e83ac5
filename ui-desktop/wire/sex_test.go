package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// The sex chosen for an unknown patient at one workstation is stored with
// the patient, so another workstation's queue and form show it with the
// temporary id (issue 12 item 8), not only the session that chose it.
func TestAChosenSexReachesAnotherWorkstation(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "sex.db")
	open := func(user string) *Store {
		st, err := store.Open(ctx, dsn)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return &Store{S: st, Actor: fixed{User: user, Workstation: user + "-pc"}}
	}
	reception, other := open("kari"), open("ola")
	e, err := reception.Register(ctx, desk.Registration{Arrived: time.Now().Add(-time.Minute), Channel: desk.ChannelWalkIn, Sex: patient.Male})
	require.NoError(t, err)
	require.NotEmpty(t, e.TempID)

	q, err := other.AppendQueue(ctx, time.Now(), nil)
	require.NoError(t, err)
	require.Len(t, q, 1)
	assert.Equal(t, patient.Male, q[0].Sex)
	assert.Equal(t, e.TempID, q[0].TempID)

	got, err := other.Encounter(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, patient.Male, got.Sex)
	assert.Equal(t, e.TempID, got.TempID)
}
