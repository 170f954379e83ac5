package wire

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// Raising the colour is free (no reason needed: triage.Override, the
// form, docs/desktop.md), so a raised triage without a reason must save.
func TestARaisedColourWithoutAReasonIsSaved(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	require.NoError(t, err)
	defer st.Close()
	s := &Store{S: st, Actor: fixed{User: "kari", Workstation: "pc1"}}
	e, err := s.Register(ctx, desk.Registration{Name: "Kari", Arrived: now.Add(-time.Minute), Channel: desk.ChannelWalkIn, AgeYears: 40, AgeKnown: true})
	require.NoError(t, err)
	sc := Scorer{Engine: triage.NewEngine(rules.Default())}
	in := fullSet(98)
	r, err := sc.Score(in, now)
	require.NoError(t, err)
	up, err := sc.Override(r, triage.Red, "")
	require.NoError(t, err, "raising is free")
	require.NoError(t, s.SaveTriage(ctx, desk.Saved{Encounter: e, Input: in, Result: up, Observations: in.Observations, By: "kari", At: now}))
	as, err := st.Assessments(ctx, store.Actor(s.Actor.(fixed)), e.ID)
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, triage.Red, as[0].Effective())
}
