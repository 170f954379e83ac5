package call

import (
	"context"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unknownCaller is the G3 trial: call 6 (Jon Øye, unknown identity
// number, 65, male, AKUTT A.18.01 handed to AMK) three minutes ago from
// 96789012.
func unknownCaller(t *testing.T) phonecall.Caller {
	age, err := phrase.ParseAge("65")
	require.NoError(t, err)
	at := testNow.Add(-3 * time.Minute)
	return phonecall.Caller{Name: "Jon Øye", Relation: "kone", At: at, PatientID: 809, TempID: "UKJENT-F68B9A", Encounter: 809,
		Sex: store.SexMale, Age: age, Contacts: []phonecall.Contact{{Encounter: 809, At: at, Channel: store.Phone, IsCall: true,
			Level: phone.Akutt, Codes: []phone.Code{code(t, "A.18.01")}, Summary: "Øye", Outcome: store.OutcomeHandedOver, Age: age}}}
}

// finishCall takes a call from the complaint step to saved: headache,
// every question no, none of the vanlig criteria fits, no vitals.
func finishCall(t *testing.T, m *Model) {
	t.Helper()
	require.Equal(t, "complaint", m.Step(), plain(m))
	typeText(m, "hodepine")
	press(m, "enter")
	for m.qi < len(m.questions) {
		press(m, "n")
	}
	for m.vsel < len(m.vanligs) {
		press(m, "down")
	}
	press(m, "enter", "ctrl+s", "enter")
	require.Equal(t, "saved", m.Step(), plain(m))
}

// G3 (QA session 6) on the screen: the number finds the unknown patient
// of the earlier call; the earlier AKUTT call is listed with the repeat
// flag, the age and sex then said are filled in, and the nurse must say
// whether it is the same patient before the call goes on. Yes saves the
// call on that patient; no clears what the earlier call filled in.
func TestAReturningCallerAboutAnUnknownPatientIsAskedAbout(t *testing.T) {
	for _, tc := range []struct {
		lang                                              wording.Lang
		repeat, question, unanswered, contact, age, phone string
	}{
		{"nb", "GJENTATT HENVENDELSE: forrige for 3 min siden", "Gjaldt UKJENT-F68B9A, 65 år, mann: spør innringer (←/→)",
			"Samme pasient: svar ja eller nei", "AKUTT A.18.01", "65 år", "Har ringt før (22.11 14:27) om Jon Øye"},
		{"en", "REPEAT CONTACT: the last one 3 min ago", "Was about UKJENT-F68B9A, 65 years, male: ask the caller (←/→)",
			"Same patient: answer yes or no", "ACUTE A.18.01", "65 years", "Called before (22.11 14:27) about Jon Øye"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			calls := &fakeCalls{Callers: map[string]phonecall.Caller{"96789012": unknownCaller(t)}}
			m := newCall(tc.lang, calls)
			toField(t, m, &m.who, "phone")
			typeText(m, "96789012")
			press(m, "enter")
			screen := plain(m)
			assert.Equal(t, "same", m.who.Fields[m.who.Focus].ID, "the question comes next")
			assert.Contains(t, screen, tc.repeat)
			assert.Contains(t, screen, tc.contact)
			assert.Equal(t, tc.question, m.who.Field("same").Note)
			assert.Contains(t, screen, tc.phone)
			assert.Equal(t, tc.age, m.who.Value("age"), "the age said then")
			assert.Equal(t, "male", m.who.Value("sex"), "the sex said then")
			assert.Equal(t, "Jon Øye", m.who.Value("name"))
			assert.Empty(t, m.who.Field("age").Err, "no 'age needed'")

			press(m, "ctrl+s")
			assert.Equal(t, "caller", m.Step(), "not on until the nurse answers")
			assert.Contains(t, plain(m), tc.unanswered)
			press(m, "pgdown")
			require.Equal(t, "complaint", m.Step())
			typeText(m, "hodepine")
			press(m, "enter")
			for m.qi < len(m.questions) {
				press(m, "n")
			}
			for m.vsel < len(m.vanligs) {
				press(m, "down")
			}
			press(m, "enter", "ctrl+s", "enter")
			assert.Equal(t, "caller", m.Step(), "a save never decides by default: back to the question")
			assert.Empty(t, calls.Saved)

			press(m, "right") // yes
			assert.Equal(t, "yes", m.who.Value("same"))
			press(m, "ctrl+s")
			finishCall(t, m)
			r := calls.Last()
			require.NotNil(t, r.SameAs, "confirmed")
			assert.Equal(t, unknownCaller(t).Encounter, r.SameAs.Encounter)
			assert.Equal(t, 65, r.Age.Years())
			assert.Equal(t, phonecall.SexAsked, r.SexSource)

			// No: a patient of its own, nothing of Jon's kept.
			press(m, "enter")
			toField(t, m, &m.who, "phone")
			typeText(m, "96789012")
			press(m, "enter", "left") // no
			assert.Equal(t, "no", m.who.Value("same"))
			assert.Equal(t, "", m.who.Value("age"))
			assert.Equal(t, "", m.who.Value("sex"))
			assert.Equal(t, "", m.who.Value("name"))
			assert.Equal(t, "", m.who.Value("caller"))
			assert.NotContains(t, plain(m), tc.contact, "another patient's contacts are not shown")
			press(m, "right", "right") // back to yes: filled in again
			assert.Equal(t, "Jon Øye", m.who.Value("name"))
			press(m, "right") // no
			m.who.Field("age").Input.SetValue("30")
			press(m, "ctrl+s")
			finishCall(t, m)
			assert.Nil(t, calls.Last().SameAs)

			// Another number drops the question and what it filled in.
			press(m, "enter")
			toField(t, m, &m.who, "phone")
			typeText(m, "96789012")
			press(m, "enter")
			require.NotNil(t, m.who.Field("same"))
			press(m, "shift+tab", "end", "ctrl+u") // back to the phone
			typeText(m, "45678901")
			press(m, "enter")
			assert.Nil(t, m.who.Field("same"))
			assert.Equal(t, "", m.who.Value("name"))
			assert.NotContains(t, plain(m), tc.repeat)
		})
	}
}

// The same through the real phone call service and store (SQLite and,
// with DATABASE_URL, PostgreSQL): the first call about an unknown
// patient, then the same number again; confirmed, both calls are one
// patient's, with the confirmation audited; not confirmed, two.
func TestAConfirmedReturningCallerIsOnePatientInTheStore(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			calls := realCalls(st, actor)
			number := "96789012"
			call := func(answer string) phonecall.Saved {
				m := newCall("nb", calls)
				m.ctx.Now = time.Now
				m.reset() // the call starts now
				m.who.Field("name").Input.SetValue("Jon Øye")
				toField(t, m, &m.who, "phone")
				typeText(m, number)
				press(m, "enter")
				if answer != "" {
					require.NotNil(t, m.who.Field("same"), plain(m))
					assert.Contains(t, plain(m), "GJENTATT HENVENDELSE")
					press(m, answer)
					if answer == "left" { // no: the age is asked anew
						m.who.Field("age").Input.SetValue("30")
					}
				} else {
					m.who.Field("age").Input.SetValue("65")
					m.who.Field("sex").Choose("male")
				}
				press(m, "ctrl+s")
				finishCall(t, m)
				return m.saved
			}
			first := call("")
			second := call("right") // yes
			assert.Equal(t, first.PatientID, second.PatientID, "one patient")
			third := call("left") // no
			assert.NotEqual(t, first.PatientID, third.PatientID, "another patient")

			log, err := st.AuditLog(ctx, actor, 0, 10000)
			require.NoError(t, err)
			var confirmed []store.AuditEntry
			for _, e := range log {
				if e.Action == "patient.confirm" {
					confirmed = append(confirmed, e)
				}
			}
			require.Len(t, confirmed, 1)
			assert.Equal(t, first.PatientID, confirmed[0].PatientID)
			assert.Equal(t, "sykepleier.test", confirmed[0].Actor)
		})
	}
}

// A baby's age said on the earlier call has grown since: "5 dager" said
// three days ago is filled in as 8 days (the criteria and the vitals of
// a baby follow its days); an age in years is filled in as said.
func TestAReturningCallersBabyIsTheAgeItIsNow(t *testing.T) {
	for said, want := range map[string]string{"5 dager": "8 dager", "3 uker": "24 dager", "6 uker": "1 mnd", "2 mnd": "2 mnd", "65": "65 år"} {
		age, err := phrase.ParseAge(said)
		require.NoError(t, err)
		c := unknownCaller(t)
		c.Age, c.At = age, testNow.Add(-72*time.Hour)
		m := newCall("nb", &fakeCalls{Callers: map[string]phonecall.Caller{"96789012": c}})
		toField(t, m, &m.who, "phone")
		typeText(m, "96789012")
		press(m, "enter")
		assert.Equal(t, want, m.who.Value("age"), "said %q three days ago", said)
		assert.Contains(t, m.who.Field("same").Note, want)
	}
}
