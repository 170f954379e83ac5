package desk

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// Sex, age and the temporary id of every patient on the board come from
// the queue, so patients registered on another workstation are told apart
// too (issue 12 item 8), in words in the screen's language.
func TestBoardShowsIdentityOfPatientsRegisteredElsewhere(t *testing.T) {
	cases := []struct {
		lang i18n.Lang
		item queue.Item
		want string
	}{
		{i18n.NB, queue.Item{Patient: "UKJENT-7K2Q", TempID: "UKJENT-7K2Q", Sex: patient.Female}, "kvinne"},
		{i18n.EN, queue.Item{Patient: "UKJENT-7K2Q", TempID: "UKJENT-7K2Q", Sex: patient.Male}, "male"},
		{i18n.NB, queue.Item{Patient: "Ukjent kvinne", TempID: "UKJENT-7K2Q", Sex: patient.Female}, "kvinne, midlertidig ID UKJENT-7K2Q"},
		{i18n.EN, queue.Item{Patient: "Ukjent", TempID: "UKJENT-AB12"}, "temporary id UKJENT-AB12"},
		{i18n.NB, queue.Item{Patient: "Kari", Sex: patient.Female, BirthDate: time.Date(1990, 6, 1, 0, 0, 0, 0, time.UTC)}, "kvinne, 36 år"},
		{i18n.EN, queue.Item{Patient: "Ola", Sex: patient.Male, BirthDate: time.Date(1990, 6, 1, 0, 0, 0, 0, time.UTC)}, "male, 36 y"},
		{i18n.NB, queue.Item{Patient: "Per"}, ""},
	}
	for _, c := range cases {
		r := newRig(t, c.lang, nil)
		now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		it := c.item
		it.EncounterID, it.Channel, it.Status, it.ArrivedAt = 99, "walk_in", "waiting", now.Add(-time.Minute)
		rows := r.app.Rows(queue.Order([]queue.Item{it}, now, queue.DefaultPolicy()), now)
		assert.Equal(t, c.want, rows[0].Ident, "%s %+v", c.lang, c.item)
	}
}

// A phone call's row names the level the caller was told beside its
// colour, as the phone centre's queue does, so the level reads the same
// on both front ends; a walk-in's row names only its colour.
func TestBoardNamesThePhoneLevelBesideTheColour(t *testing.T) {
	cases := []struct {
		lang    i18n.Lang
		channel string
		colour  triage.Colour
		want    string
	}{
		{i18n.NB, "phone", triage.Red, "RØD · AKUTT"},
		{i18n.NB, "phone", triage.Yellow, "GUL · HASTER"},
		{i18n.NB, "phone", triage.Green, "GRØNN · VANLIG"},
		{i18n.EN, "phone", triage.Yellow, "YELLOW · URGENT"},
		{i18n.EN, "phone", triage.Green, "GREEN · NON-URGENT"},
		{i18n.NB, "walk_in", triage.Yellow, "GUL"},
	}
	for _, c := range cases {
		r := newRig(t, c.lang, nil)
		now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		it := queue.Item{EncounterID: 7, Patient: "Kari", Channel: c.channel, Status: "waiting", ArrivedAt: now.Add(-time.Minute),
			Triaged: true, Colour: c.colour}
		rows := r.app.Rows(queue.Order([]queue.Item{it}, now, queue.DefaultPolicy()), now)
		assert.Equal(t, c.want, rows[0].Colour, "%s %s %s", c.lang, c.channel, c.colour)
	}
}
