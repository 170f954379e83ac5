package desk

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// waitingAs registers a patient straight in the fake store and gives it
// the colour of an earlier triage (as the demo's seeded triages do).
func (r *rig) waitingAs(name string, c triage.Colour) ids.Encounter {
	r.t.Helper()
	e, err := r.store.Register(context.Background(), Registration{Name: name, AgeYears: 40, AgeKnown: true, Arrived: r.now, Channel: "walk_in"})
	require.NoError(r.t, err)
	r.store.mu.Lock()
	it := r.store.items[e.ID]
	it.Triaged, it.Colour, it.Target, it.LastAssessedAt = true, c, time.Hour, r.now
	r.store.mu.Unlock()
	return e.ID
}

// F12: Emma waits GUL; a re-triage on the monitor gets SpO2 only (the
// rest never assessed), so the colour is "at least GRØNN". Saving it would
// lower her: the save asks for a reason, says the set is incomplete and
// what is missing, in bokmål, and stores nothing until the reason is
// written; then the lowering is saved with the reason.
func TestARetriageOnIncompleteValuesDoesNotLowerTheColourWithoutAReason(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	id := r.waitingAs("Emma Dahl", triage.Yellow)
	r.app.Retriage(id)
	require.NotNil(t, r.app.form.enc)
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	r.send(vitals.SpO2, 98, vitals.Percent)
	require.Equal(t, "MINST GRØNN", r.app.form.colour.Text())

	want := "Hastegraden senkes fra GUL til GRØNN. Skriv en begrunnelse i «Begrunnelse for å senke» før du lagrer. " +
		"NEWS2 er ufullstendig (mangler " + paramList(i18n.NB, []string{"rr"}) + "): den nye hastegraden er bare et minimum."
	r.app.SaveTriage()
	assert.Equal(t, want, r.app.form.msg.Text)
	assert.Equal(t, r.app.form.why, r.win.Canvas().Focused(), "the focus goes to the reason")
	r.app.SaveTriage() // the second Ctrl+S the QA pressed
	assert.Empty(t, r.store.saved, "no reason, no lowering: nothing saved")
	assert.Equal(t, want, r.app.form.msg.Text)

	test.Type(r.app.form.why, "RF ikke målt, pasienten er sendt til lab")
	r.save()
	require.Len(t, r.store.saved, 1)
	s := r.store.saved[0]
	assert.Equal(t, triage.Green, s.Result.Colour)
	require.NotNil(t, s.Lowered)
	assert.Equal(t, Lowering{From: triage.Yellow, To: triage.Green, Reason: "RF ikke målt, pasienten er sendt til lab",
		Incomplete: true, Missing: []string{"rr"}}, *s.Lowered)
	assert.True(t, s.IncompleteChosen)
}

// fixedScorer gives the colour and completeness a case asks for, whatever
// the values: the property below is about the save, not the engine.
type fixedScorer struct {
	colour   triage.Colour
	complete bool
}

func (s fixedScorer) Score(FormInput, time.Time) (Result, error) {
	r := Result{NEWS2Applicable: true, NEWS2Complete: s.complete, Colour: s.colour, Target: time.Hour}
	if !s.complete {
		r.Missing = []string{"sbp", "consciousness"}
	}
	return r, nil
}

func (s fixedScorer) Override(r Result, to triage.Colour, reason string) (Result, error) {
	return fakeScorer{}.Override(r, to, reason)
}

// Over random earlier colours (or none), a colour another desk saves
// while the form is open (or none), new colours, complete or incomplete
// sets, with or without a written reason, and in both languages: no save ever lowers the patient's colour without a recorded
// reason, and a save that does not lower is never held up by this rule.
func TestNoSaveLowersTheColourWithoutARecordedReason(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.NB, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			rng := rand.New(rand.NewPCG(12, uint64(len(lang))))
			for n := range 60 {
				prev := triage.Colours[rng.IntN(len(triage.Colours))]
				triaged := rng.IntN(5) > 0
				sc := fixedScorer{colour: triage.Colours[rng.IntN(len(triage.Colours))], complete: rng.IntN(2) == 0}
				reason := ""
				if rng.IntN(2) == 0 {
					reason = fmt.Sprintf("grunn %d", n)
				}
				name := fmt.Sprintf("Pasient %d", n)
				var id ids.Encounter
				if triaged {
					id = r.waitingAs(name, prev)
				} else {
					e, err := r.store.Register(context.Background(), Registration{Name: name, AgeYears: 40, AgeKnown: true, Arrived: r.now})
					require.NoError(t, err)
					id = e.ID
				}
				r.app.form.d.scorer = sc
				r.app.Retriage(id)
				if r.app.form.enc == nil || r.app.form.enc.ID != id {
					r.app.Retriage(id) // the earlier case's refused form is discarded
				}
				require.Equal(t, id, r.app.form.enc.ID)
				opened := prev
				if rng.IntN(2) == 0 {
					// Another desk re-triages her while this form is open:
					// the save compares with what is saved then.
					prev, triaged = triage.Colours[rng.IntN(len(triage.Colours))], true
					r.store.mu.Lock()
					r.store.items[id].Triaged, r.store.items[id].Colour = true, prev
					r.store.mu.Unlock()
				}
				if reason != "" {
					test.Type(r.app.form.why, reason)
				}
				before := len(r.store.saved)
				r.save()
				lowers := triaged && prev.MoreUrgent(sc.colour)
				c := fmt.Sprintf("case %d: prev %v (triaged %v), new %v, complete %v, reason %q", n, prev, triaged, sc.colour, sc.complete, reason)
				if !lowers {
					require.Len(t, r.store.saved, before+1, c)
					assert.Nil(t, r.store.saved[before].Lowered, c)
					continue
				}
				if reason == "" {
					require.Len(t, r.store.saved, before, c+": saved a lowering without a reason")
					assert.Contains(t, r.app.form.msg.Text, prev.Label(lang), c)
					assert.Contains(t, r.app.form.msg.Text, sc.colour.Label(lang), c)
					if opened != prev || !r.app.form.enc.Triaged {
						assert.Contains(t, r.app.form.msg.Text, lang.T("triage.lower.changed", prev.Label(lang)), c+": says the colour changed since the form opened")
					}
					if !sc.complete {
						assert.Contains(t, r.app.form.msg.Text, paramList(lang, []string{"sbp", "consciousness"}), c+": the question names what is missing")
					}
					continue
				}
				require.Len(t, r.store.saved, before+1, c)
				lw := r.store.saved[before].Lowered
				require.NotNil(t, lw, c)
				assert.Equal(t, Lowering{From: prev, To: sc.colour, Reason: reason, Incomplete: !sc.complete,
					Missing: r.store.saved[before].Result.Missing}, *lw, c)
				assert.NotEmpty(t, strings.TrimSpace(lw.Reason), c)
			}
		})
	}
}

// A save that cannot read the patient's current colour is not made: the
// rule could not be checked. The form is kept and says so.
func TestASaveThatCannotReadTheCurrentColourIsRefused(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	id := r.waitingAs("Emma Dahl", triage.Yellow)
	r.app.Retriage(id)
	require.NotNil(t, r.app.form.enc)
	r.store.mu.Lock()
	r.store.encErr = fmt.Errorf("database is locked")
	r.store.mu.Unlock()
	r.save()
	assert.Empty(t, r.store.saved)
	assert.Equal(t, i18n.NB.T("triage.err.current", "database is locked"), r.app.form.msg.Text)
	assert.NotNil(t, r.app.form.enc, "the form is kept")
}

// QA G12: an untriaged patient with nothing measured was saved GRØNN by
// two Ctrl+S (the incomplete question, then the save). A save with no
// value measured at all is refused, in words, with the focus on the
// monitor picker, however often it is pressed; one value measured, or a
// colour the nurse sets herself, and the save goes on as before.
func TestASaveWithNothingMeasuredIsRefused(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			r := newRig(t, lang, nil)
			r.start()
			r.register(validNIDAny(t), "Feil Test")
			test.Type(r.app.form.complaint, "vondt i magen")
			for range 3 {
				r.app.SaveTriage()
				assert.Empty(t, r.store.saved, "nothing measured: nothing saved")
				assert.Equal(t, lang.T("triage.err.nothing"), r.app.form.msg.Text)
				assert.Equal(t, r.app.form.monitor, r.win.Canvas().Focused())
			}
			// The nurse sets the colour herself: saved (incomplete, asked once).
			r.app.form.override.SetSelected(triage.Red.Label(lang))
			r.app.SaveTriage()
			r.app.SaveTriage()
			require.Len(t, r.store.saved, 1)
			assert.Equal(t, triage.Red, r.store.saved[0].Result.Colour)

			// Another patient: one value typed, and the save goes on.
			r.register(validNIDAny(t), "Per")
			require.True(t, r.app.TypeVital(vitals.Temp, "38,2"))
			r.app.SaveTriage()
			r.app.SaveTriage()
			require.Len(t, r.store.saved, 2)
		})
	}
}
