package call

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/queuefeed"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSavedCallsComeBackAsHistoryAndInTheQueue saves real calls through
// the call screen into a real store and reads them back.
func TestSavedCallsComeBackAsHistoryAndInTheQueue(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			calls := realCalls(st, actor)
			nid := freshNID(t, st, actor)
			_, hist, err := calls.History(ctx, nid)
			require.NoError(t, err)
			assert.Empty(t, hist, "a first-time caller has no history")

			// First call: haster from a criterion, vitals reported.
			m := newCall("nb", calls)
			m.ctx.Now = time.Now
			typeText(m, nid)
			press(m, "enter")
			typeText(m, "Test Testesen")
			press(m, "ctrl+s")
			typeText(m, "hodepine")
			press(m, "enter")
			for _, q := range m.questions {
				if q.Code.String() == "H.06.01" {
					press(m, "j")
				} else {
					press(m, "n")
				}
			}
			require.Equal(t, "vitals", m.Step(), plain(m))
			toField(t, m, &m.vit, "temp_c")
			typeText(m, "38,2")
			press(m, "ctrl+s", "enter")
			require.Equal(t, "saved", m.Step(), plain(m))

			name, hist, err := calls.History(ctx, nid)
			require.NoError(t, err)
			assert.Equal(t, "Test Testesen", name)
			require.Len(t, hist, 1)
			assert.Equal(t, store.Phone, hist[0].Channel)
			assert.True(t, hist[0].IsCall)
			assert.Equal(t, phone.Haster, hist[0].Level)
			assert.Equal(t, "H.06.01", codesText(hist[0].Codes))
			assert.Equal(t, "Hodepine", hist[0].Summary)
			assert.Equal(t, "sykepleier.test", hist[0].Nurse)
			assert.Equal(t, store.OutcomeExpected, hist[0].Outcome)

			// A second call for the same person shows the first one, and
			// fills in the name.
			press(m, "enter")
			typeText(m, nid)
			press(m, "enter")
			assert.Contains(t, plain(m), "Tidligere henvendelser (1)")
			assert.Contains(t, plain(m), "HASTER H.06.01")
			assert.Equal(t, "Test Testesen", m.who.Value("name"))

			p, err := st.FindPatientByNID(ctx, actor, nid)
			require.NoError(t, err)
			encs, err := st.EncountersForPatient(ctx, actor, p.ID)
			require.NoError(t, err)
			require.Len(t, encs, 1)
			assert.Equal(t, store.Phone, encs[0].Channel)
			assert.Equal(t, triage.Yellow, encs[0].Colour, "haster puts the call on the queue as yellow")
			assert.Equal(t, time.Hour, encs[0].Target, "with the yellow target")
			as, err := st.Assessments(ctx, actor, encs[0].ID)
			require.NoError(t, err)
			require.Len(t, as, 1)
			var res phonecall.Result
			require.NoError(t, json.Unmarshal(as[0].Result, &res))
			assert.Equal(t, phone.Haster, res.Phone.Level)
			assert.Equal(t, "demo", res.Phone.IndexID)
			assert.NotNil(t, res.Engine, "the engine's assessment of the reported vitals is kept")
			assert.Contains(t, as[0].RuleSetVersion, "phone-index demo "+phone.DemoIndex().Version)
			obs, err := st.Observations(ctx, actor, encs[0].ID, time.Time{})
			require.NoError(t, err)
			require.Len(t, obs, 1)
			assert.Equal(t, "phone", obs[0].Source)
			assert.Equal(t, 38.2, obs[0].Value)

			q, err := queuefeed.Feed{Store: st, Actor: actor}.AppendQueue(ctx, time.Now(), nil)
			require.NoError(t, err)
			found := false
			for _, e := range q {
				found = found || e.EncounterID == encs[0].ID
			}
			assert.True(t, found, "the expected haster call waits in the shared queue")
		})
	}
}

// freshNID finds a valid synthetic identity number not yet in st (a
// shared PostgreSQL test database keeps patients between runs).
func freshNID(t *testing.T, st *store.Store, a store.Actor) string {
	t.Helper()
	start := int(time.Now().UnixNano() % 400)
	for i := 0; i < 500; i++ {
		ind := (start + i) % 500
		s := fmt.Sprintf("0989%02d%03d", 61, ind)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		k1, k2, ok := patient.ControlDigits(nine)
		if !ok {
			continue
		}
		nid := fmt.Sprintf("%s%d%d", s, k1, k2)
		if _, err := st.FindPatientByNID(context.Background(), a, nid); errors.Is(err, store.ErrNotFound) {
			return nid
		}
	}
	t.Fatal("no free synthetic identity number left for 09.09.1961")
	return ""
}

// flakyStore fails the first registration as a lost connection would,
// after the transaction began.
type flakyStore struct {
	*store.Store
	failed bool
}

func (f *flakyStore) Register(ctx context.Context, a store.Actor, r store.Registration) (store.Registered, error) {
	if !f.failed {
		f.failed = true
		return store.Registered{}, fmt.Errorf("registration not stored: connection reset")
	}
	return f.Store.Register(ctx, a, r)
}

// TestARetriedSaveDoesNotWriteTheCallTwice: the first save fails; the
// call is saved in one transaction, so the retry leaves one encounter with
// one assessment and no untriaged twin waiting in the queue.
func TestARetriedSaveDoesNotWriteTheCallTwice(t *testing.T) {
	st := openStores(t)["sqlite"]
	actor := store.Actor{User: "x"}
	calls := realCalls(st, actor)
	calls.Store = &flakyStore{Store: st}
	m := newCall("nb", calls)
	m.ctx.Now = time.Now
	m.who.Field("age").Input.SetValue("40")
	press(m, "ctrl+s")
	typeText(m, "hodepine")
	press(m, "enter")
	for m.qi < len(m.questions) {
		press(m, "n")
	}
	for m.vsel < len(m.vanligs) {
		press(m, "down")
	}
	press(m, "enter")
	toField(t, m, &m.vit, "temp_c")
	typeText(m, "38")
	press(m, "ctrl+s", "enter")
	require.Equal(t, "result", m.Step())
	assert.Contains(t, plain(m), "Ikke lagret: databasen svarte ikke (ingenting er lagret)")
	press(m, "enter")
	require.Equal(t, "saved", m.Step(), plain(m))

	q, err := st.Queue(context.Background(), actor, time.Now())
	require.NoError(t, err)
	require.Len(t, q, 1, "one encounter, not an untriaged twin")
	assert.True(t, q[0].Triaged)
	assert.Equal(t, triage.Yellow, q[0].Colour, "the safe default haster, saved as the nurse's choice")
	as, err := st.Assessments(context.Background(), actor, q[0].EncounterID)
	require.NoError(t, err)
	assert.Len(t, as, 1)
	obs, err := st.Observations(context.Background(), actor, q[0].EncounterID, time.Time{})
	require.NoError(t, err)
	assert.Len(t, obs, 1, "the observations are not written twice")
}

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
