package call

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/triage/wording"
	"github.com/legevakt/workstation/workstation/phonecall"
)

// dropCalls is the fake service with dropped calls kept.
type dropCalls struct {
	*fakeCalls
	mu      sync.Mutex
	dropped []phonecall.DroppedRecord
}

func newDropCalls() *dropCalls { return &dropCalls{fakeCalls: &fakeCalls{}} }

func (f *dropCalls) Drop(_ context.Context, r phonecall.DroppedRecord) (phonecall.Saved, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dropped = append(f.dropped, r)
	return phonecall.Saved{EncounterID: ids.Encounter(100 + len(f.dropped)), Patient: "Test", Outcome: phonecall.OutcomeDropped}, nil
}

func (f *dropCalls) StartCallBack(context.Context, ids.Encounter) (phonecall.CallBack, error) {
	return phonecall.CallBack{}, nil
}

// ctrl+r is taken by nothing else: not by a call screen key, not by line
// editing in a field, so typing never drops a call by accident.
func TestTheDroppedKeyIsFreeEverywhere(t *testing.T) {
	for _, lang := range wording.Langs {
		m := newCall(lang, nil)
		v := reflect.ValueOf(m.keys)
		for i := range v.NumField() {
			b := v.Field(i).Interface().(key.Binding)
			if v.Type().Field(i).Name == "Dropped" {
				continue
			}
			assert.NotContains(t, b.Keys(), "ctrl+r", "call key %s", v.Type().Field(i).Name)
		}
		// In a field it is no editing key: nothing is typed or changed.
		toField(t, m, &m.who, "name")
		typeText(m, "Kari")
		press(m, "ctrl+r")
		assert.Equal(t, "Kari", m.who.Value("name"))
		assert.Contains(t, plain(m), say(lang, "call.drop.confirm")[:20])
	}
}

// At every step the help line offers ctrl+r, the first press asks, any
// other key cancels the question (and does what it does), and the second
// press saves what the call holds as dropped, with the step it was at.
func TestACallIsDroppedAtEveryStep(t *testing.T) {
	steps := []struct {
		step string
		to   func(m *Model)
	}{
		{"caller", func(m *Model) {}},
		{"complaint", func(m *Model) { press(m, "ctrl+s") }},
		{"criteria", func(m *Model) { press(m, "ctrl+s"); typeText(m, "brystsmerter"); press(m, "enter") }},
		{"vitals", func(m *Model) { press(m, "ctrl+s"); typeText(m, "hodepine"); press(m, "enter", "pgdown") }},
		{"result", func(m *Model) { press(m, "ctrl+s"); typeText(m, "brystsmerter"); press(m, "enter", "j") }},
	}
	for _, lang := range wording.Langs {
		for _, s := range steps {
			t.Run(string(lang)+"/"+s.step, func(t *testing.T) {
				calls := newDropCalls()
				m := newCall(lang, calls)
				typeText(m, "")
				toField(t, m, &m.who, "age")
				typeText(m, "72")
				toField(t, m, &m.who, "phone")
				typeText(m, "91234567")
				s.to(m)
				require.Equal(t, s.step, m.Step(), plain(m))
				help := ""
				for _, b := range m.ShortHelp() {
					help += b.Help().Key + " " + b.Help().Desc + " "
				}
				assert.Contains(t, help, "ctrl+r "+say(lang, "call.k.dropped"))

				press(m, "ctrl+r")
				assert.Contains(t, plain(m), say(lang, "call.drop.confirm")[:20])
				press(m, "tab") // another key cancels the question and works
				assert.NotContains(t, plain(m), say(lang, "call.drop.confirm")[:20])
				assert.Empty(t, calls.dropped)
				require.Equal(t, s.step, m.Step())

				press(m, "ctrl+r", "ctrl+r")
				require.Len(t, calls.dropped, 1)
				r := calls.dropped[0]
				assert.Equal(t, s.step, r.Step)
				assert.Equal(t, "91234567", r.CallerPhone)
				assert.Equal(t, 72, r.AgeYears)
				assert.Equal(t, "saved", m.Step())
				assert.Contains(t, plain(m), wording.Outcome("dropped", lang))
				if s.step == "result" {
					require.NotNil(t, r.Proposed)
					assert.Equal(t, phone.Akutt, r.Proposed.Level)
					assert.Contains(t, plain(m), say(lang, "call.drop.now"))
				}
			})
		}
	}
}

// ctrl+r on an empty call saves nothing and says so; ctrl+n mid-call
// offers ctrl+r beside discarding.
func TestAnEmptyCallIsNotDroppedAndDiscardOffersDropped(t *testing.T) {
	calls := newDropCalls()
	m := newCall("nb", calls)
	press(m, "ctrl+r", "ctrl+r")
	assert.Empty(t, calls.dropped)
	assert.Contains(t, plain(m), say(wording.NB, "call.drop.empty"))
	typeText(m, "0")
	press(m, "ctrl+n")
	assert.Contains(t, plain(m), "ctrl+r for å lagre den som brutt – ring tilbake")
	press(m, "ctrl+r", "ctrl+r")
	require.Len(t, calls.dropped, 1)
}

// Over every complaint and random partial calls, the dropped call's
// screen never shows vanlig (a proposed vanlig reads "no urgency
// decided"), shows a proposed akutt with its immediate call-back, and
// the level stored is the one proposed, marked incomplete.
func TestNothingDroppedIsShownAsVanlig(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 13))
	ix := phone.DemoIndex()
	for _, lang := range wording.Langs {
		for i := range ix.Complaints {
			for range 1 {
				calls := newDropCalls()
				m := newCall(lang, calls)
				toField(t, m, &m.who, "age")
				typeText(m, "40")
				press(m, "ctrl+s")
				m.complaint = &ix.Complaints[i]
				m.enterCriteria()
				m.step = stepCriteria
				for range len(m.questions) + 1 {
					if m.step != stepCriteria || rng.IntN(5) == 0 {
						break
					}
					press(m, []string{"n", "n", "n", "j"}[rng.IntN(4)])
				}
				if m.step == stepCriteria && m.qi >= len(m.questions) && rng.IntN(2) == 0 {
					press(m, "enter") // a vanlig criterion affirmed, or none fits
				}
				press(m, "ctrl+r", "ctrl+r")
				require.Len(t, calls.dropped, 1)
				r := calls.dropped[0]
				shown := plain(m)
				what := ix.Complaints[i].ID + " " + string(lang)
				assert.NotContains(t, shown, wording.Level("vanlig", lang), what)
				assert.NotContains(t, strings.ToLower(shown), strings.ToLower(wording.Outcome("closed", lang)), what)
				if r.Proposed != nil && r.Proposed.Level == phone.Akutt || anyAkuttYes(r.Answers) {
					assert.Contains(t, shown, say(lang, "call.drop.now"), what)
				}
				if r.Proposed != nil && r.Proposed.Level != phone.Vanlig {
					assert.Contains(t, shown, r.Proposed.Level.Label(lang), what)
				}
			}
		}
	}
}

func anyAkuttYes(a map[phone.Code]phone.Answer) bool {
	for c, x := range a {
		if x == phone.Yes && c.Level == phone.Akutt {
			return true
		}
	}
	return false
}

// Through the real store: a call dropped after AKUTT was proposed is
// stored untriaged with what was known, flagged for an immediate
// call-back, and listed first in the ended calls.
func TestADroppedAkuttCallIsStored(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			m := newCall("nb", realCalls(st, actor))
			toField(t, m, &m.who, "age")
			typeText(m, "72")
			toField(t, m, &m.who, "phone")
			typeText(m, "91234567")
			press(m, "ctrl+s")
			typeText(m, "brystsmerter")
			press(m, "enter", "j")
			require.Equal(t, "result", m.Step())
			press(m, "ctrl+r", "ctrl+r")
			require.Equal(t, "saved", m.Step(), plain(m))
			enc := m.saved.EncounterID
			e, err := st.GetEncounter(ctx, actor, enc)
			require.NoError(t, err)
			assert.False(t, e.Triaged)
			assert.Equal(t, store.OutcomeDropped, e.Outcome)
			d, err := st.DroppedCallOf(ctx, actor, enc)
			require.NoError(t, err)
			assert.Equal(t, "akutt", d.LevelProposed)
			assert.Equal(t, store.CallBackImmediate, d.CallBackPriority)
			assert.Equal(t, "result", d.Step)
			assert.Equal(t, "91234567", d.CallerPhone)
			assert.Equal(t, actor.User, d.Actor.User)
			assert.Equal(t, "yes", d.Answers["A.02.01"], "the akutt criterion answered yes")
			assert.Contains(t, string(d.Partial), `"incomplete":true`)
			ended, err := st.EndedCalls(ctx, actor, e.ArrivedAt.Add(-1), 10)
			require.NoError(t, err)
			require.NotEmpty(t, ended)
			assert.Equal(t, enc, ended[0].EncounterID)
			assert.Equal(t, store.CallBackImmediate, ended[0].CallBack)
		})
	}
}

// Every text key the call screen says is registered in both languages,
// with the same format verbs, and no key is left unused.
func TestEveryCallTextIsInBothLanguages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	use := regexp.MustCompile(`say\([a-zA-Z.]+, "([a-z.]+)"\)`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	assert.Greater(t, len(used), 10, "the scan found the calls")
	verbs := regexp.MustCompile(`%[a-z]`)
	for k := range used {
		nb, en := nbTexts[k], enTexts[k]
		assert.NotEmpty(t, nb, "%s has no bokmål", k)
		assert.NotEmpty(t, en, "%s has no English", k)
		assert.Equal(t, verbs.FindAllString(nb, -1), verbs.FindAllString(en, -1), k)
		assert.Equal(t, nb, say(wording.NB, k))
		assert.Equal(t, en, say(wording.EN, k))
	}
	for k := range nbTexts {
		assert.True(t, used[k], "%s is never said", k)
	}
}

// A call-back starts from the dropped call: what it knew is filled in
// (caller, age, sex said, note, complaint, answers, reported values), the
// patient is the same (an unknown patient's temporary id too), and saving
// the new call records the call-back, so the dropped call leaves the
// ended calls. A call on the screen that is not saved is never replaced.
func TestACallBackStartsFromTheDroppedCall(t *testing.T) {
	for backend, st := range openStores(t) {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			actor := store.Actor{User: "sykepleier.test"}
			calls := realCalls(st, actor)
			m := newCall("nb", calls)
			toField(t, m, &m.who, "age")
			typeText(m, "58")
			toField(t, m, &m.who, "sex")
			press(m, "right")
			toField(t, m, &m.who, "phone")
			typeText(m, "91234567")
			toField(t, m, &m.who, "note")
			typeText(m, "Tung pust, la på")
			press(m, "ctrl+s")
			typeText(m, "brystsmerter")
			press(m, "enter", "n", "n")
			require.Equal(t, "criteria", m.Step())
			press(m, "ctrl+r", "ctrl+r")
			require.Equal(t, "saved", m.Step())
			dropped := m.saved
			d, err := st.DroppedCallOf(ctx, actor, dropped.EncounterID)
			require.NoError(t, err)
			assert.Equal(t, "criteria", d.Step)

			// A call typed meanwhile is kept.
			press(m, "enter")
			typeText(m, "0")
			m.StartCallBack(dropped.EncounterID)
			assert.Equal(t, "0", m.who.Value("nid"))
			assert.Contains(t, plain(m), "ikke lagret: lagre den")
			press(m, "ctrl+n", "ctrl+n")

			send(m, m.StartCallBack(dropped.EncounterID)())
			shown := plain(m)
			assert.Contains(t, shown, "Tilbakeringing av brutt samtale")
			assert.Contains(t, shown, "Samme ukjente pasient som den brutte samtalen: UKJENT-")
			assert.NotContains(t, shown, "får midlertidig id ved lagring")
			assert.Equal(t, "58 år", m.who.Value("age"))
			assert.Equal(t, "female", m.who.Value("sex"))
			assert.Equal(t, "91234567", m.who.Value("phone"))
			assert.Equal(t, "Tung pust, la på", m.who.Value("note"))
			require.NotNil(t, m.complaint)
			assert.Equal(t, d.Complaint, m.complaint.ID)
			assert.Len(t, m.answers, 2, "the two questions answered")

			press(m, "ctrl+s", "enter")
			require.Equal(t, "criteria", m.Step(), plain(m))
			assert.Equal(t, d.Complaint, m.complaint.ID, "enter on the complaint step keeps the one filled in")
			assert.Len(t, m.answers, 2, "and its answers")
			assert.Equal(t, 2, m.qi, "the next question is the first not answered")
			press(m, "j")
			require.Equal(t, "result", m.Step(), plain(m))
			press(m, "enter")
			require.Equal(t, "saved", m.Step(), plain(m))
			back := m.saved
			assert.Equal(t, dropped.PatientID, back.PatientID, "the same patient")
			d, err = st.DroppedCallOf(ctx, actor, dropped.EncounterID)
			require.NoError(t, err)
			require.NotNil(t, d.CallBack)
			assert.Equal(t, back.EncounterID, d.CallBack.NewEncounter)
			ended, err := st.EndedCalls(ctx, actor, d.StartedAt.Add(-1), 10)
			require.NoError(t, err)
			for _, it := range ended {
				assert.NotEqual(t, dropped.EncounterID, it.EncounterID, "called back: no longer listed")
			}
		})
	}
}
