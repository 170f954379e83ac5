package call

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/legevakt/workstation/triage/phone"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contradiction says what on the screen, or in the call it holds,
// contradicts a yes to an akutt or haster criterion: a vanlig criterion
// or "none fits" ticked, offered to be ticked, or named as a reason. ""
// when nothing does.
func contradiction(m *Model) string {
	var yes []phone.Code
	for _, q := range m.questions {
		if m.answers[q.Code] == phone.Yes {
			yes = append(yes, q.Code)
		}
	}
	if len(yes) == 0 {
		return ""
	}
	if !m.vanlig.IsZero() || m.noneFits {
		return "the model holds a vanlig choice beside the yes to " + yes[0].String()
	}
	if c := m.call(); !c.Vanlig.IsZero() {
		return "the call carries vanlig " + c.Vanlig.String()
	}
	s := plain(m)
	if _, body, ok := strings.Cut(s, "\n"); ok {
		s = body // the step bar marks steps that hold data with ✓
	}
	switch {
	case m.step == stepCriteria && m.qi >= len(m.questions):
		if strings.Contains(s, "✓") {
			return "the vanlig choice shows a tick:\n" + s
		}
		flat := strings.Join(strings.Fields(s), " ")
		if !strings.Contains(s, "[gjelder ikke]") || !strings.Contains(flat, "gjelder ikke: "+yes[0].String()) || !strings.Contains(flat, "er besvart ja") {
			return "the vanlig choice is not marked as not applicable, in words:\n" + s
		}
		if strings.Contains(s, "›") {
			return "a vanlig row not applicable is offered with the cursor:\n" + s
		}
	case m.step == stepResult && m.decided:
		for _, r := range m.decision.Reasons {
			if r.Code.Level == phone.Vanlig {
				return "the result names the vanlig criterion " + r.Code.String()
			}
		}
		for _, c := range m.decision.Codes {
			if c.Level == phone.Vanlig {
				return "the decision affirms the vanlig criterion " + c.String()
			}
		}
	}
	return ""
}

// toVanligChoice answers every question no from the first and lands on
// the vanlig choice.
func toVanligChoice(t *testing.T, m *Model) {
	t.Helper()
	backTo(t, m, 0)
	for m.step == stepCriteria && m.qi < len(m.questions) {
		press(m, "n")
	}
	require.Equal(t, "criteria", m.Step())
	require.GreaterOrEqual(t, m.qi, len(m.questions))
}

// backTo goes back from any step to question i of the criteria.
func backTo(t *testing.T, m *Model, i int) {
	t.Helper()
	for m.step > stepCriteria {
		press(m, "pgup")
	}
	require.Equal(t, "criteria", m.Step())
	for m.qi > i {
		press(m, "up")
	}
	require.Equal(t, i, m.qi)
}

// Over every complaint of the index, four ages and every akutt and haster
// criterion asked at that age: the nurse ticks a vanlig choice (a vanlig
// criterion or "none fits"), then goes back and answers the criterion
// yes. The tick is taken back, the vanlig choice reads "gjelder ikke"
// with the criterion named, enter ticks nothing, and neither the result
// nor the stored answers name a vanlig criterion. Taking the yes back
// offers the choice again, and it can then be ticked and counts.
func TestNoVanligChoiceStandsBesideAYesToAMoreUrgentCriterion(t *testing.T) {
	ix := phone.DemoIndex()
	runs := 0
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		seen := map[string]bool{}
		for _, age := range []string{"0", "4", "40", "80"} {
			m := toCriteria(t, cp, age)
			set := fmt.Sprint(m.questions, m.vanligs)
			if len(m.questions) == 0 || seen[set] {
				continue // the same questions as at an age already walked
			}
			seen[set] = true
			for qi, q := range m.questions {
				runs++
				where := cp.ID + " age " + age + " " + q.Code.String()
				toVanligChoice(t, m)
				m.vsel = qi % (len(m.vanligs) + 1) // a vanlig criterion, or none fits
				press(m, "enter")
				require.Equal(t, "vitals", m.Step(), where)
				require.True(t, !m.vanlig.IsZero() || m.noneFits, where)

				backTo(t, m, qi)
				press(m, "j")
				assert.Empty(t, contradiction(m), where)
				if q.Code.Level == phone.Akutt {
					require.Equal(t, "result", m.Step(), where)
					press(m, "esc") // back to the questions from an akutt result
				}
				for m.step != stepCriteria || m.qi < len(m.questions) {
					if m.step != stepCriteria {
						press(m, "pgup")
						continue
					}
					press(m, "down")
				}
				assert.Empty(t, contradiction(m), where)
				press(m, "j")
				assert.True(t, m.vanlig.IsZero() && !m.noneFits, "%s: enter ticked a choice that does not apply", where)
				press(m, "ctrl+s")
				if m.step == stepVitals {
					press(m, "ctrl+s")
				}
				require.Equal(t, "result", m.Step(), where)
				assert.Empty(t, contradiction(m), where)
				assert.False(t, m.decision.Computed == phone.Vanlig, "%s: vanlig beside a yes", where)
				for code, a := range m.decision.Answers {
					if code.Level == phone.Vanlig {
						assert.Equal(t, phone.NotAsked, a, "%s: %s stored as %s beside a yes", where, code, a)
					}
				}

				// Taking the yes back (⌫, then no) offers the choice again.
				backTo(t, m, qi)
				press(m, "backspace", "n")
				for m.qi < len(m.questions) {
					press(m, "down")
				}
				s := plain(m)
				assert.NotContains(t, s, "gjelder ikke", where)
				assert.Contains(t, s, "Ingen av disse passer", where)
				m.vsel = 0
				press(m, "enter")
				assert.True(t, !m.vanlig.IsZero() || m.noneFits, "%s: the choice restored cannot be ticked", where)
			}
		}
	}
	require.Greater(t, runs, 100, "the index asks too few questions for this test to mean anything")
}

// Random key walks over every complaint: whatever the nurse presses, no
// screen shows a vanlig choice beside a yes to a more urgent criterion.
// The safe default holds all along: no vanlig level unless a vanlig
// criterion is affirmed.
func TestNoKeyWalkReachesAContradiction(t *testing.T) {
	keys := []string{"j", "n", "j", "n", "up", "down", "down", "enter", "backspace", "pgup", "pgdown", "esc", "ctrl+s"}
	ix := phone.DemoIndex()
	for i := range ix.Complaints {
		cp := &ix.Complaints[i]
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		age := []string{"0", "4", "40", "80"}[i%4]
		m := toCriteria(t, cp, age)
		var walk []string
		for range 150 {
			if m.step < stepCriteria || m.step > stepResult {
				press(m, "pgdown")
				continue
			}
			k := keys[rng.IntN(len(keys))]
			walk = append(walk, k)
			press(m, k)
			if why := contradiction(m); why != "" {
				t.Fatalf("%s age %s after %v: %s", cp.ID, age, walk, why)
			}
			if m.step == stepResult && m.decided && m.decision.Level == phone.Vanlig {
				c := m.call()
				require.False(t, c.Vanlig.IsZero() && m.override == nil, "%s after %v: vanlig with nothing affirmed", cp.ID, walk)
			}
		}
	}
}
