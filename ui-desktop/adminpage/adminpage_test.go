package adminpage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// fakeAdmin keeps review marks and accounts as the store would.
type fakeAdmin struct {
	items []store.ReviewItem
	users []store.User
	pw    map[string]string
}

func (f *fakeAdmin) Review(_ context.Context, all bool) ([]store.ReviewItem, error) {
	var out []store.ReviewItem
	for _, it := range f.items {
		if all || !it.Reviewed() {
			out = append(out, it)
		}
	}
	return out, nil
}

func (f *fakeAdmin) MarkReviewed(_ context.Context, seq int64, note string) error {
	for i := range f.items {
		if f.items[i].Entry.Seq == seq {
			f.items[i].ReviewedBy, f.items[i].ReviewedAt, f.items[i].Note = "admin", time.Now(), note
			return nil
		}
	}
	return store.ErrNotFound
}

func (f *fakeAdmin) Users(context.Context) ([]store.User, error) {
	return append([]store.User(nil), f.users...), nil
}

func (f *fakeAdmin) SetDisabled(_ context.Context, name string, d bool) error {
	for i := range f.users {
		if f.users[i].Username == name {
			f.users[i].Disabled = d
			return nil
		}
	}
	return errors.New("no such user")
}

func (f *fakeAdmin) ResetPassword(_ context.Context, name, pw string) error {
	f.pw[name] = pw
	return nil
}

func newFake() *fakeAdmin {
	at := time.Date(2026, 12, 7, 23, 10, 0, 0, time.Local)
	return &fakeAdmin{pw: map[string]string{},
		items: []store.ReviewItem{
			{Entry: store.AuditEntry{Seq: 41, At: at, Actor: "kari", Workstation: "resepsjon-1", Role: "reception_nurse", Action: "patient.find",
				PatientID: 7, Basis: "nodtilgang: bevisstløs"}, Reasons: []string{store.FollowEmergency, store.FollowNight}},
			{Entry: store.AuditEntry{Seq: 42, At: at, Actor: "per", Workstation: "resepsjon-2", Role: "reception_nurse", Action: "access.denied"},
				Reasons: []string{store.FollowDenied}},
		},
		users: []store.User{
			{Username: "admin", DisplayName: "Ada Admin", Roles: []store.Role{store.RoleAdmin}},
			{Username: "kari", DisplayName: "Kari Nordmann", Roles: []store.Role{store.RoleReception}, HasTOTP: true},
		}}
}

func TestReviewRowsAreWordedAndMarkedWithANote(t *testing.T) {
	test.NewTempApp(t)
	for _, l := range i18n.Langs {
		f := newFake()
		p := New(context.Background(), l, f, "admin")
		require.Equal(t, 2, p.ReviewCount())
		row := p.ReviewRow(0)
		if l == i18n.NB {
			assert.Contains(t, row, "NØDTILGANG")
			assert.Contains(t, row, "NATT UTENFOR KØEN")
			assert.Contains(t, row, "sykepleier i resepsjonen")
			assert.Contains(t, row, "nødtilgang: bevisstløs")
			assert.NotContains(t, row, "patient.find", "no internal codes on a bokmål screen")
			assert.Contains(t, row, "slo opp en pasient med fødselsnummer (pasient nr. 7)")
			assert.Contains(t, p.ReviewRow(1), "avvist")
		} else {
			assert.Contains(t, row, "EMERGENCY ACCESS")
			assert.Contains(t, row, "reception nurse")
		}
		p.MarkReviewed()
		assert.Equal(t, l.T("admin.review.pick"), p.ReviewMessage())
		p.SelectReview(0)
		p.MarkReviewed()
		assert.Equal(t, l.T("admin.review.neednote"), p.ReviewMessage(), "a mark needs a note")
		p.SetNote("kontrollert: pasienten var bevisstløs")
		p.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		assert.Equal(t, "admin", f.items[0].ReviewedBy)
		assert.Equal(t, "kontrollert: pasienten var bevisstløs", f.items[0].Note)
		assert.Equal(t, 1, p.ReviewCount(), "a reviewed entry leaves the list")
		assert.True(t, strings.HasPrefix(p.ReviewMessage(), l.T("admin.review.marked", 41)), p.ReviewMessage())
		test.Tap(p.all)
		assert.Equal(t, 2, p.ReviewCount(), "shown again with the reviewed ones")
		assert.Contains(t, p.ReviewRow(0), "kontrollert: pasienten var bevisstløs")
	}
}

func TestUsersDisableEnableAndResetUnderThePasswordRules(t *testing.T) {
	test.NewTempApp(t)
	f := newFake()
	p := New(context.Background(), i18n.NB, f, "admin")
	require.Equal(t, 2, p.UserCount())
	assert.Contains(t, p.UserRow(1), "kari (med engangskode) · Kari Nordmann · sykepleier i resepsjonen · aktiv")
	p.ToggleDisabled()
	assert.Equal(t, i18n.NB.T("admin.users.pick"), p.UserMessage())
	p.SelectUser(0)
	p.ToggleDisabled()
	assert.Equal(t, i18n.NB.T("admin.users.err.self"), p.UserMessage(), "no administrator locks themself out")
	assert.False(t, f.users[0].Disabled)

	p.SelectUser(1)
	test.Tap(p.toggle)
	assert.True(t, f.users[1].Disabled)
	assert.Contains(t, p.UserRow(1), "DEAKTIVERT")
	assert.Equal(t, "kari er deaktivert og blir låst ute av løpende økter innen ett minutt.", p.UserMessage())
	test.Tap(p.toggle)
	assert.False(t, f.users[1].Disabled)

	p.SetNewPassword("kort")
	p.ResetPassword()
	assert.Equal(t, "Passordet må ha 10 til 256 tegn.", p.UserMessage())
	assert.Empty(t, f.pw, "a password outside the rules never reaches the store")
	p.SetNewPassword("et langt nytt passord")
	test.Tap(p.reset)
	assert.Equal(t, "et langt nytt passord", f.pw["kari"])
	assert.Empty(t, p.password.Text, "the typed password does not stay on screen")
	assert.NotContains(t, p.UserMessage(), "et langt nytt passord")
}
