package wire

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// G4 (QA session 6): a returning caller found by the phone number, about
// a patient out of the phone queue (the earlier call was handed to AMK),
// is ONE look-up for the nurse: one basis dialog, after which the caller,
// the identity number and the earlier contacts are all filled in; one
// refusal in the audit log and every read of the look-up under the basis
// given. The earlier call shows one time, in the phone note and in the
// contacts.
func TestAReturningCallerIsOneLookUpWithOneBasis(t *testing.T) {
	for name, st := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			loginAccounts(t, st)
			nid := validNID(t)
			tina, err := mustGate(t, st).Login(ctx, "tina", tinaPW, "", "")
			require.NoError(t, err)
			actor, err := tina.Actor()
			require.NoError(t, err)
			ix := phone.DemoIndex()
			cp, ok := ix.Complaint("chest-pain")
			require.True(t, ok)
			heart, err := phone.ParseCode("A.02.01")
			require.NoError(t, err)
			d, err := phone.Decide(ix, cp, phone.Call{AgeYears: 46, Yes: []phone.Code{heart}})
			require.NoError(t, err)
			at := time.Date(2026, 12, 7, 19, 40, 0, 0, time.UTC)
			earlier, err := realCalls(st, actor).Save(ctx, phonecall.Record{NID: nid, Name: "Kåre Rygg", AgeYears: 46,
				Sex: store.SexUnknown, SexSource: store.SexNotRecorded, CallerPhone: "45678901", CallerRelation: "selv",
				StartedAt: at, DecidedAt: at.Add(90 * time.Second), Complaint: cp, Decision: d})
			require.NoError(t, err)
			require.Equal(t, store.OutcomeHandedOver, earlier.Outcome, "out of the phone queue: a basis is needed")
			after, _, err := st.AuditHead(ctx)
			require.NoError(t, err)

			la := newLoginApp(t, st, "nb", "tina")
			la.password(tinaPW)
			la.keys("tab", "tab", "tab", "tab", "tab")
			la.typeText("45678901")
			la.keys("enter")
			la.requireShows("Grunnlag for å åpne journalen")
			la.keys("enter") // Akutt behov
			scr := la.screen()
			assert.NotContains(t, scr, "Grunnlag for å åpne journalen", "one basis question for one look-up")
			assert.Contains(t, scr, "Kåre Rygg")
			assert.Contains(t, scr, "Tidligere henvendelser (1)")
			assert.Contains(t, scr, "Samme pasient?")
			note := regexp.MustCompile(`Har ringt før \(\d\d\.\d\d (\d\d:\d\d)\)`).FindStringSubmatch(scr)
			listed := regexp.MustCompile(`\d\d\.\d\d\.\d\d (\d\d:\d\d)  telefon`).FindStringSubmatch(scr)
			require.Len(t, note, 2, scr)
			require.Len(t, listed, 2, scr)
			assert.Equal(t, listed[1], note[1], "one call, one time")

			log, err := st.AuditLog(ctx, sessiontest.AdminActor(), after, 10000)
			require.NoError(t, err)
			denied, read := 0, 0
			for _, e := range log {
				if e.Actor != "tina" || e.PatientID != earlier.PatientID {
					continue
				}
				if e.Action == "access.denied" {
					denied++
					continue
				}
				read++
				assert.Equal(t, string(store.BasisAcute), e.Basis, "%s under the basis given", e.Action)
			}
			assert.Equal(t, 1, denied, "one refusal: the look-up asked once")
			assert.Positive(t, read)
		})
	}
}
