package desk

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// failingStore refuses registrations, triages and encounter reads with err;
// everything else is the fake store's.
type failingStore struct {
	*fakeStore
	err error
}

func (s failingStore) Register(context.Context, Registration) (Encounter, error) {
	return Encounter{}, s.err
}
func (s failingStore) SaveTriage(context.Context, Saved) error { return s.err }
func (s failingStore) Encounter(context.Context, ids.Encounter) (Encounter, error) {
	return Encounter{}, s.err
}

// saveFailingStore refuses triages with err; everything else is the fake
// store's.
type saveFailingStore struct {
	*fakeStore
	err error
}

func (s saveFailingStore) SaveTriage(context.Context, Saved) error { return s.err }

// newFailingRig is a rig whose store starts to fail as failingStore does
// when the returned func is called.
func newFailingRig(t *testing.T, lang i18n.Lang) (*rig, func()) {
	r := newRig(t, lang, nil)
	fail := func() {
		s := failingStore{r.store, errors.New("dial tcp 10.0.0.5:5432: connection refused")}
		r.app.d.Store, r.app.form.d.store = s, s // the form was given its store when built
	}
	return r, fail
}

// A monitor that cannot be opened is explained in bokmål (what failed and
// what to do), with the technical detail after it.
func TestAMonitorErrorIsShownInTheNursesLanguage(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Ida")
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[1])) // mon-2 has no feed
	assert.Equal(t, "Monitor mon-2 kunne ikke åpnes. Sjekk at den er slått på og at kabelen sitter, og velg den igjen, eller velg en annen. (Detalj: open monitor mon-2: monitor mon-2: not found)",
		r.app.form.msg.Text)
}

// Without any monitor set up the form says so in bokmål, not "no monitors
// configured".
func TestNoMonitorsSetUpIsShownInTheNursesLanguage(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.start()
	r.register(validNIDAny(t), "Ida")
	r.app.d.Monitors = nil // the picker still lists what came before
	r.app.form.monitor.SetSelected(r.app.form.choiceLabel(r.mons.list[0]))
	assert.Equal(t, "Ingen monitorer er satt opp på denne arbeidsstasjonen. Triager uten monitor, og meld fra til IT. (Detalj: no monitors configured)",
		r.app.form.msg.Text)
}

// A registration the store refuses says what failed and what to do, in
// bokmål, and keeps what was typed.
func TestARegistrationTheStoreRefusesIsExplained(t *testing.T) {
	r, fail := newFailingRig(t, i18n.NB)
	fail()
	r.register(validNIDAny(t), "Kari")
	assert.Equal(t, "Pasienten ble ikke registrert: pasientlisten kunne ikke lagre. Det som er skrevet, er beholdt; prøv igjen (Ctrl+Enter), og meld fra til IT om det gjentar seg. (Detalj: dial tcp 10.0.0.5:5432: connection refused)",
		r.app.reg.msg.Text)
	assert.Equal(t, "Kari", r.app.reg.name.Text)
}

// A triage the store refuses is explained in bokmål and the form is kept.
func TestATriageTheStoreRefusesIsExplained(t *testing.T) {
	r := newRig(t, i18n.NB, nil)
	r.register(validNIDAny(t), "Kari")
	test.Type(r.app.form.complaint, "hodepine")
	// The save reads the patient's current colour, then is refused.
	r.app.form.d.store = saveFailingStore{r.store, errors.New("dial tcp 10.0.0.5:5432: connection refused")}
	r.save()
	assert.Equal(t, "Triagen ble ikke lagret: pasientlisten kunne ikke lagre. Skjemaet er beholdt; prøv igjen (Ctrl+S), og meld fra til IT om det gjentar seg. (Detalj: dial tcp 10.0.0.5:5432: connection refused)",
		r.app.form.msg.Text)
	assert.Equal(t, "hodepine", r.app.form.complaint.Text)
}

// A re-triage whose patient cannot be read is explained in English too.
func TestARetriageTheStoreCannotOpenIsExplained(t *testing.T) {
	r, fail := newFailingRig(t, i18n.EN)
	r.register(validNIDAny(t), "Kari")
	r.save()
	require.Len(t, r.store.saved, 1)
	fail()
	r.app.Retriage(1)
	assert.Equal(t, "The patient could not be opened: the patient list could not be read. Try again; tell IT if it happens again. (Detail: dial tcp 10.0.0.5:5432: connection refused)",
		r.app.form.msg.Text)
}

// A wrong identity number is explained in bokmål: what is wrong with it.
func TestAWrongIdentityNumberIsExplainedInTheNursesLanguage(t *testing.T) {
	for _, c := range []struct{ id, want string }{
		{"15038012345", "Fødselsnummer: kontrollsifrene stemmer ikke – sjekk at nummeret er skrevet riktig"},
		{"1503801", "Fødselsnummer: skriv nøyaktig 11 siffer"},
		{"1503801234x", "Fødselsnummer: skriv bare siffer"},
	} {
		r := newRig(t, i18n.NB, nil)
		r.register(c.id, "Ola")
		assert.Equal(t, c.want, r.app.reg.msg.Text, c.id)
	}
}
