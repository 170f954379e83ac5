package wire

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/workstation/session"
	"github.com/legevakt/workstation/workstation/session/sessiontest"
)

// restingECG is an HL7 aECG of leads I, II and V1-V6 (10 s at 500/s; the
// importer derives III, aVR, aVL and aVF), a beat every 0.8 s, as a cart
// exports it.
func restingECG() []byte { return restingECGOf("") }

// restingECGOf is restingECG whose subject carries identity number nid.
// It was recorded an hour ago on the cart's clock: the contacts the tests
// register arrive now, and a recording a day older would need the
// nurse's confirmation (ecgimport.Check).
func restingECGOf(nid string) []byte { return restingECGWith(nid, "", time.Now().Add(-time.Hour)) }

// restingECGWith is restingECG whose subject carries identity number nid
// and the demographic XML person (subjectDemographicPerson's content),
// recorded at the cart's wall-clock time at.
func restingECGWith(nid, person string, at time.Time) []byte {
	rec := at.Format("20060102150405")
	var b strings.Builder
	b.WriteString(`<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><effectiveTime><center value="` + rec + `"/></effectiveTime>`)
	if nid != "" || person != "" {
		b.WriteString(`<componentOf><timepointEvent><componentOf><subjectAssignment><subject><trialSubject><id extension="` + nid + `"/><subjectDemographicPerson>` + person + `</subjectDemographicPerson></trialSubject></subject></subjectAssignment></componentOf></timepointEvent></componentOf>`)
	}
	b.WriteString(`
<component><series><code code="RHYTHM"/><component><sequenceSet>
<component><sequence><code code="TIME_ABSOLUTE"/><value xsi:type="GLIST_TS"><head value="` + rec + `"/><increment value="0.002" unit="s"/></value></sequence></component>`)
	for k, lead := range []string{"I", "II", "V1", "V2", "V3", "V4", "V5", "V6"} {
		b.WriteString(`<component><sequence><code code="MDC_ECG_LEAD_` + lead + `"/><value xsi:type="SLIST_PQ"><origin value="0" unit="uV"/><scale value="1" unit="uV"/><digits>`)
		for i := 0; i < 5000; i++ {
			t := math.Mod(float64(i)/500, 0.8)
			v := 1000*math.Exp(-math.Pow((t-0.3)/0.012, 2)) + 250*math.Exp(-math.Pow((t-0.55)/0.05, 2)) + 100*math.Exp(-math.Pow((t-0.15)/0.025, 2))
			fmt.Fprintf(&b, "%d ", int(v*(1-0.1*float64(k%3))))
		}
		b.WriteString(`</digits></value></sequence></component>`)
	}
	b.WriteString(`</sequenceSet></component></series></component></AnnotatedECG>`)
	return []byte(b.String())
}

// OneActor is an ECGActors that is always the same actor (the test's
// nurse or physician; triage-desk takes the logged-in session's).
type OneActor store.Actor

// Actor implements ECGActors.
func (o OneActor) Actor(context.Context) (store.Actor, error) { return store.Actor(o), nil }

// Quiet implements ECGActors.
func (o OneActor) Quiet() (store.Actor, error) { return store.Actor(o), nil }

// ecgDesk is one desk on a shared store, acting as actor.
type ecgDesk struct {
	a     *desk.App
	w     fyne.Window
	ecgs  *ECGs
	calls chan func()
}

func newECGDesk(t *testing.T, st *store.Store, actor store.Actor, dir string, lang i18n.Lang) *ecgDesk {
	t.Helper()
	return newECGDeskAt(t, st, actor, dir, lang, 1)
}

// newECGDeskAt is newECGDesk with the text at scale (1 the usual size).
func newECGDeskAt(t *testing.T, st *store.Store, actor store.Actor, dir string, lang i18n.Lang, scale float32) *ecgDesk {
	t.Helper()
	d := &ecgDesk{calls: make(chan func(), 1024)}
	d.ecgs = &ECGs{S: st, Actors: OneActor(actor), Dir: dir}
	a, err := desk.New(desk.Deps{
		Scorer: Scorer{Engine: triage.NewEngine(rules.Default())},
		Store:  &Store{S: st, Actor: fixed(actor)},
		ECGs:   d.ecgs,
		Drafts: &desk.MemoryDrafts{},
		Do:     func(f func()) { d.calls <- f },
		User:   actor.User, Lang: lang, Theme: desktheme.New(false, scale),
	})
	require.NoError(t, err)
	d.a = a
	d.w = test.NewTempWindow(t, a.Content())
	d.w.Resize(fyne.NewSize(1400, 900))
	a.Install(d.w)
	t.Cleanup(a.Stop)
	return d
}

// key sends a key to whatever has the focus, as the keyboard would.
func (d *ecgDesk) key(t *testing.T, k fyne.KeyName) {
	t.Helper()
	f := d.w.Canvas().Focused()
	require.NotNil(t, f, "something has the focus")
	f.TypedKey(&fyne.KeyEvent{Name: k})
}

// typeText types s into whatever has the focus, a rune at a time.
func (d *ecgDesk) typeText(t *testing.T, s string) {
	t.Helper()
	f := d.w.Canvas().Focused()
	require.NotNil(t, f, "something has the focus")
	for _, r := range s {
		f.TypedRune(r)
	}
}

func TestANurseAttachesAnECGWithTheKeyboardAndAPhysicianReadsSignsAndTheBoardIsAlerted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	carts := filepath.Join(dir, "carts")
	require.NoError(t, os.Mkdir(carts, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(carts, "cart-0001.xml"), restingECG(), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(carts, "notes.txt"), []byte("not an ECG"), 0o600))
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)

	// Two other patients already have ECGs waiting: green for 20 minutes
	// and yellow for 5; the review order is the triage urgency first.
	nurseActor := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
	for _, p := range []struct {
		name   string
		colour triage.Colour
	}{{"Grønn Ventesen", triage.Green}, {"Gul Hastesen", triage.Yellow}} {
		reg, err := st.Register(ctx, nurseActor, store.Registration{Patient: store.NewPatient{Name: p.name}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
		require.NoError(t, err)
		n := 1
		_, err = st.AddAssessment(ctx, nurseActor, store.NewAssessment{EncounterID: reg.Encounter.ID, Colour: p.colour,
			Target: triage.DefaultTargets().For(p.colour), NEWS2: &n, NEWS2Band: "low", EngineVersion: "t", RuleSetVersion: "t", Input: []byte(`{}`), Result: []byte(`{}`)})
		require.NoError(t, err)
		_, err = (&ECGs{S: st, Actors: OneActor(nurseActor)}).Attach(ctx, reg.Encounter.ID, filepath.Join(carts, "cart-0001.xml"), false)
		require.NoError(t, err)
	}

	// The nurse: register, Ctrl+E, type the carts' folder, Enter; the
	// list has the focus: down to the file, Enter attaches it.
	nurse := newECGDesk(t, st, nurseActor, dir, i18n.NB)
	e, err := nurse.a.RegisterPatient(desk.Registration{Name: "Per Brystsmerte", AgeYears: 61, AgeKnown: true, Arrived: time.Now().Add(-10 * time.Minute), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	nurse.a.ShowECG()
	nurse.typeText(t, "carts")
	nurse.key(t, fyne.KeyReturn)
	nurse.key(t, fyne.KeyDown) // past ".. (mappen over)"
	nurse.key(t, fyne.KeyDown) // past cart-0001.xml to notes.txt
	nurse.key(t, fyne.KeyReturn)
	assert.Contains(t, nurse.a.ECGMessage(), "ble ikke lagt ved: filen kunne ikke leses som EKG", "a file that is no ECG is refused in words")
	nurse.key(t, fyne.KeyUp)
	nurse.key(t, fyne.KeyReturn)
	assert.Contains(t, nurse.a.ECGMessage(), "EKG-et fra cart-0001.xml er lagt ved Per Brystsmerte")
	assert.Contains(t, nurse.a.ECGMessage(), "venter på tolkning (nr. 3 av 3 i listen)", "untriaged, so after the triaged ones")
	waiting, err := st.ECGsForReview(ctx, nurseActor, time.Now())
	require.NoError(t, err)
	require.Len(t, waiting, 3)
	assert.Equal(t, e.ID, waiting[2].EncounterID)
	assert.Contains(t, strings.Join(nurse.a.BoardText(), "\n"), "EKG venter", "the board shows it waits for review")

	// The nurse may open it but not sign: the form says so, and the store
	// refuses a signature she would try anyway.
	require.Len(t, nurse.a.ECGReviewText(), 3)
	nurse.w.Canvas().Focus(nil)
	id := waiting[2].ID
	_, err = nurse.ecgs.Sign(ctx, id, "ser normalt ut", nil)
	require.ErrorIs(t, err, desk.ErrECGNotPhysician)

	// The physician: Ctrl+E lands in the review list, most urgent first.
	doctorActor := store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}
	doctor := newECGDesk(t, st, doctorActor, dir, i18n.NB)
	doctor.a.ShowECG()
	lines := doctor.a.ECGReviewText()
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], "GUL | Gul Hastesen"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "GRØNN | Grønn Ventesen"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "IKKE TRIAGERT | Per Brystsmerte"), lines[2])
	doctor.key(t, fyne.KeyDown)
	doctor.key(t, fyne.KeyDown)
	doctor.key(t, fyne.KeyReturn)
	v := doctor.a.ECGView()
	require.NotNil(t, v)
	assert.True(t, v.Focused(), "the page has the keys once open")
	assert.Contains(t, doctor.a.ECGState(), "IKKE BEKREFTET")
	assert.Contains(t, v.Status(), "25 mm/s · 10 mm/mV · ikke bekreftet")
	doctor.typeText(t, "2+")
	assert.Equal(t, 50.0, v.Speed())
	assert.Equal(t, 20.0, v.Gain())
	assert.Contains(t, v.Status(), "50 mm/s · 20 mm/mV")
	// A language switch rebuilds the screens: the open ECG stays, at its
	// speed and gain, now in English.
	doctor.a.ToggleLanguage()
	v = doctor.a.ECGView()
	require.NotNil(t, v)
	assert.Equal(t, 50.0, v.Speed())
	assert.Contains(t, v.Status(), "50 mm/s · 20 mm/mV · unconfirmed")
	assert.Contains(t, doctor.a.ECGState(), "UNCONFIRMED")
	doctor.a.ToggleLanguage()
	v = doctor.a.ECGView()
	doctor.w.Canvas().Focus(v)
	doctor.typeText(t, "1-")
	assert.Equal(t, 25.0, v.Speed())
	assert.Equal(t, 10.0, v.Gain())
	b := v.Image().Bounds()
	assert.Equal(t, 297*4, b.Dx(), "a whole number of pixels per millimetre: squares stay square")
	assert.Equal(t, 210*4, b.Dy())

	// Tab to the form: the interpretation, then the findings (Space
	// ticks), ST elevation and suspected STEMI, then the Sign button.
	form := doctor.a.ECGSignForm()
	require.NotNil(t, form)
	doctor.w.Canvas().FocusNext()
	require.Equal(t, fyne.Focusable(form.Text), doctor.w.Canvas().Focused())
	doctor.typeText(t, "ST-elevasjon V2-V4 med resiprok ST-senkning. Sendes akutt.")
	for i := 0; i < 3; i++ { // sinusrytme, atrieflimmer, ST-elevasjon
		doctor.w.Canvas().FocusNext()
	}
	doctor.typeText(t, " ")
	doctor.w.Canvas().FocusNext() // ST-depresjon
	doctor.w.Canvas().FocusNext() // Mistenkt STEMI
	doctor.typeText(t, " ")
	assert.True(t, form.Checks[2].Checked && form.Checks[4].Checked, "ST-elevasjon and Mistenkt STEMI ticked by keyboard")
	for i := 0; i < 4; i++ {
		doctor.w.Canvas().FocusNext()
	}
	require.Equal(t, fyne.Focusable(form.Button), doctor.w.Canvas().Focused())
	doctor.key(t, fyne.KeySpace)
	require.True(t, form.Signed(), "signed: %s", form.Msg.Text)

	// Signed: read-only, the page and state say who signed, and the ECG
	// left the review list.
	assert.True(t, form.Text.Disabled() && form.Button.Disabled() && form.Checks[0].Disabled())
	assert.Contains(t, doctor.a.ECGState(), "BEKREFTET – signert av lege")
	assert.Contains(t, v.Status(), "· bekreftet")
	assert.Len(t, doctor.a.ECGReviewText(), 2)
	g, _, err := st.ViewECG(ctx, doctorActor, id)
	require.NoError(t, err)
	assert.Equal(t, store.ECGSigned, g.Status)
	assert.True(t, g.STEMI)
	assert.Equal(t, "lege", g.SignedBy)

	// No second signature is possible.
	_, err = doctor.ecgs.Sign(ctx, id, "endret", nil)
	require.ErrorIs(t, err, desk.ErrECGSigned)

	// Later, on the nurse's desk: the contact's list has it signed, and
	// Enter opens it read-only with the signer.
	nurse.a.ShowECG()
	nurse.w.Canvas().FocusNext() // Tab: path -> files
	nurse.w.Canvas().FocusNext() // Tab: files -> the contact's ECGs
	focused, ok := nurse.w.Canvas().Focused().(fyne.Accessible)
	require.True(t, ok)
	assert.Contains(t, focused.AccessibilityLabel(), "Kontaktens EKG: EKG for denne kontakten: 1")
	assert.Contains(t, nurse.a.ECGContactText()[0], "cart-0001.xml · signert av lege")
	nurse.key(t, fyne.KeyReturn)
	nform := nurse.a.ECGSignForm()
	require.NotNil(t, nform)
	assert.Contains(t, nurse.a.ECGState(), "BEKREFTET – signert av lege")
	assert.True(t, nform.Signed() && nform.Text.Disabled() && nform.Button.Disabled(), "read-only")
	assert.Equal(t, "ST-elevasjon V2-V4 med resiprok ST-senkning. Sendes akutt.", nform.Text.Text)
	assert.True(t, nform.Checks[4].Checked, "mistenkt STEMI shown ticked")
	assert.True(t, nurse.a.ECGView().Signed())

	// The reception board (the nurse's desk, another workstation) reads
	// the store: the patient is red with the reason, flagged, and the
	// banner names them.
	nurse.a.RefreshQueue()
	board := nurse.a.BoardText()
	require.NotEmpty(t, board)
	assert.True(t, strings.HasPrefix(board[0], "RØD | Per Brystsmerte"), "first and red: %s", board[0])
	assert.Contains(t, board[0], "EKG: MISTENKT STEMI")
	assert.Contains(t, nurse.a.ECGBannerText(), "MISTENKT STEMI: Per Brystsmerte")
	assert.Contains(t, nurse.a.ECGBannerText(), "signert av lege")
	as, err := st.Assessments(ctx, nurseActor, e.ID)
	require.NoError(t, err)
	var reasons []string
	for _, x := range as {
		if x.Override != nil {
			reasons = append(reasons, x.Override.Reason)
		}
	}
	assert.Contains(t, reasons, store.STEMIReason)

	// The banner survives a restart of the desk and a language switch:
	// it is read from the store, not kept in memory.
	again := newECGDesk(t, st, nurseActor, dir, i18n.EN)
	again.a.RefreshQueue()
	assert.Contains(t, again.a.ECGBannerText(), "SUSPECTED STEMI: Per Brystsmerte")

	// It goes when the patient leaves the queue.
	enc, err := st.GetEncounter(ctx, nurseActor, e.ID)
	require.NoError(t, err)
	enc.Status = store.WithDoctor
	_, err = st.UpdateEncounter(ctx, nurseActor, enc)
	require.NoError(t, err)
	again.a.RefreshQueue()
	assert.Empty(t, again.a.ECGBannerText())

	// Every view and the signature are in the audit log.
	log, err := st.AuditLog(ctx, store.Actor{User: "revisor", Workstation: "kontor", Role: store.RoleAdmin}, 0, 1000)
	require.NoError(t, err)
	var got []string
	for _, en := range log {
		if en.Action == "ecg.read" || en.Action == "ecg.sign" {
			got = append(got, en.Action+" "+en.Actor)
		}
	}
	assert.Equal(t, []string{"ecg.read lege", "ecg.sign lege", "ecg.read lege", "ecg.read kari"}, got,
		"the physician's view, the signature, the test's own read, the nurse's view")
}

// twoNIDs are two valid identity numbers (control digits computed).
func twoNIDs(t *testing.T) (string, string) {
	t.Helper()
	var out []string
	for i := 100; len(out) < 2 && i < 1000; i++ {
		s := fmt.Sprintf("020375%03d", i)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			out = append(out, fmt.Sprintf("%s%d%d", s, k1, k2))
		}
	}
	require.Len(t, out, 2)
	return out[0], out[1]
}

func TestAnECGFileOfAnotherPatientIsNotAttached(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)
	mine, other := twoNIDs(t)
	nurseActor := store.Actor{User: "kari", Workstation: "mottak-1", Role: store.RoleReception}
	for name, nid := range map[string]string{"other.xml": other, "mine.xml": mine, "local.xml": "9999"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), restingECGOf(nid), 0o600))
	}
	d := newECGDesk(t, st, nurseActor, dir, i18n.NB)
	_, err = d.a.RegisterPatient(desk.Registration{NID: mine, Name: "Per Hansen", Arrived: time.Now(), Channel: desk.ChannelWalkIn})
	require.NoError(t, err)
	d.a.ShowECG()
	d.typeText(t, "other.xml")
	d.key(t, fyne.KeyReturn)
	assert.Contains(t, d.a.ECGMessage(), "EKG-et ble ikke lagt ved: fødselsnummeret i filen er en annen pasients")
	assert.NotContains(t, d.a.ECGMessage(), other, "the number is not shown")
	d.w.Canvas().Focus(nil)
	d.a.ShowECG()
	d.typeText(t, "mine.xml")
	d.key(t, fyne.KeyReturn)
	assert.Contains(t, d.a.ECGMessage(), "er lagt ved Per Hansen")
	d.a.ShowECG()
	d.typeText(t, "local.xml")
	d.key(t, fyne.KeyReturn)
	assert.Contains(t, d.a.ECGMessage(), "er lagt ved Per Hansen", "a cart's local number: nothing to compare")
	assert.Len(t, d.a.ECGContactText(), 2)

	// The nurse opens one from the contact's list: she may read it, the
	// form says why she cannot sign, in words.
	d.a.ShowECG()
	d.w.Canvas().FocusNext() // path -> files
	d.w.Canvas().FocusNext() // files -> the contact's ECGs
	d.key(t, fyne.KeyReturn)
	form := d.a.ECGSignForm()
	require.NotNil(t, form)
	assert.True(t, form.Button.Disabled() && form.Text.Disabled())
	assert.Equal(t, "Bare lege kan signere EKG. Du er logget inn som kari (resepsjonssykepleier).", form.Msg.Text)
	assert.False(t, form.Signed())
}

func TestASwitchOfUserTakesNothingOfTheOpenECG(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	test.NewTempApp(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cart.xml"), restingECG(), 0o600))
	doctor := store.Actor{User: "lege", Workstation: "legekontor", Role: store.RolePhysician}
	reg, err := st.Register(ctx, doctor, store.Registration{Patient: store.NewPatient{Name: "Per"}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	d := newECGDesk(t, st, doctor, dir, i18n.NB)
	_, err = d.ecgs.Attach(ctx, reg.Encounter.ID, filepath.Join(dir, "cart.xml"), false)
	require.NoError(t, err)
	d.a.ShowECG()
	d.key(t, fyne.KeyReturn)
	require.NotNil(t, d.a.ECGSignForm())
	d.a.ECGSignForm().Text.SetText("halvferdig tolkning")

	d.a.ToggleLanguage() // the same user: kept
	require.NotNil(t, d.a.ECGSignForm())
	assert.Equal(t, "halvferdig tolkning", d.a.ECGSignForm().Text.Text)

	d.a.SwitchUser("lege2", &desk.MemoryDrafts{}, desk.Draft{Version: desk.DraftVersion})
	assert.Nil(t, d.a.ECGView(), "the next user does not see what the last one opened")
	assert.Nil(t, d.a.ECGSignForm(), "nor sign what they typed")
}

// TestTheECGCallsActAsTheLoggedInSession puts the desk's real login in
// front of the ECG workflow (CONTRACTS §1): the actor of every call is
// the session in use; a physician's session signs, a nurse's is refused
// by the store, and a locked session acts as nobody.
func TestTheECGCallsActAsTheLoggedInSession(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "triage.db"))
	require.NoError(t, err)
	defer st.Close()
	sessiontest.Account(t, st, "kari", "riktig passord 1", store.ServiceReception, store.RoleReception)
	sessiontest.Account(t, st, "lege", "riktig passord 1", "", store.RolePhysician)
	gate, err := session.New(session.Config{Store: st, Workstation: "mottak-1", Service: store.ServiceReception,
		Roles: []store.Role{store.RoleReception, store.RolePhysician, store.RoleAdmin}})
	require.NoError(t, err)
	cur := &session.Current{}
	ecgs := &ECGs{S: st, Actors: cur, Dir: dir}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cart.xml"), restingECG(), 0o600))

	_, err = ecgs.Waiting(ctx, time.Now())
	require.ErrorIs(t, err, session.ErrNoSession, "nobody logged in: nobody acts")

	nurse, err := gate.Login(ctx, "kari", "riktig passord 1", "", "")
	require.NoError(t, err)
	cur.Set(nurse)
	na, err := nurse.Actor()
	require.NoError(t, err)
	reg, err := st.Register(ctx, na, store.Registration{Patient: store.NewPatient{Name: "Per"}, Encounter: store.NewEncounter{Channel: store.WalkIn}})
	require.NoError(t, err)
	g, err := ecgs.Attach(ctx, reg.Encounter.ID, filepath.Join(dir, "cart.xml"), false)
	require.NoError(t, err)
	assert.Equal(t, "kari", g.AttachedBy)
	ok, who := ecgs.MaySign(i18n.NB)
	assert.False(t, ok)
	assert.Equal(t, "kari (resepsjonssykepleier)", who)
	_, err = ecgs.Sign(ctx, g.ID, "Sinusrytme", nil)
	require.ErrorIs(t, err, desk.ErrECGNotPhysician, "the store refuses the nurse's session")

	doctor, err := gate.Login(ctx, "lege", "riktig passord 1", "", "")
	require.NoError(t, err)
	cur.Set(doctor)
	ok, _ = ecgs.MaySign(i18n.NB)
	assert.True(t, ok)
	doctor.Lock()
	_, err = ecgs.Sign(ctx, g.ID, "Sinusrytme", nil)
	require.Error(t, err, "a locked session signs nothing")
	ok, _ = ecgs.MaySign(i18n.NB)
	assert.False(t, ok, "nor may it")
	require.NoError(t, doctor.Unlock(ctx, "riktig passord 1", ""))
	signed, err := ecgs.Sign(ctx, g.ID, "Sinusrytme", []string{"sinusrytme"})
	require.NoError(t, err)
	assert.Equal(t, "lege", signed.SignedBy, "signed in the name of the physician logged in")
}
