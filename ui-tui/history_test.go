package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A frequent caller with 14 earlier contacts: the screen counts all 14 and
// says "… 9 more" (only the first ten have their assessments read).
func TestHistoryCountsEveryEarlierContact(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			nid := freshNID(t, st, actor)
			p, err := st.CreatePatient(ctx, actor, store.NewPatient{NID: nid, Name: "Ofte Ringer"})
			require.NoError(t, err)
			for i := range 14 {
				_, err := st.CreateEncounter(ctx, actor, store.NewEncounter{PatientID: p.ID, Channel: store.Phone,
					ArrivedAt: time.Now().Add(-time.Duration(i+1) * 24 * time.Hour), Complaint: fmt.Sprintf("kontakt %d", i)})
				require.NoError(t, err)
			}
			m := newCall("nb", realCalls(st, actor))
			m.ctx.Now = time.Now
			typeText(m, nid)
			press(m, "enter")
			s := plain(m)
			assert.Contains(t, s, "Tidligere henvendelser (14)", s)
			assert.Contains(t, s, "… 11 flere", s)
		})
	}
}
