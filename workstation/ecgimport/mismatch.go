package ecgimport

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

// The limits of a recording's time against the contact (issue 15, QA: a
// cart's ECG of 2010 was attached to a contact of today without a word).
// An ECG taken for this contact is taken after the patient arrived, or
// shortly before by an ambulance crew or the GP who sent them; one older
// than a day belongs to another episode. A recording in the future is a
// wrong clock or another file; a few minutes are allowed for the cart's
// clock running ahead of ours. Exported as the documented limits a
// refusal names (Mismatch.Text, docs/ecg.md), so go doc shows them
// beside the mismatches they decide.
const (
	MaxBeforeArrival = 24 * time.Hour
	FutureTolerance  = 10 * time.Minute
)

// Mismatch is one way a file disagrees with the contact it is attached
// to. The codes are stored with a confirmed ECG and named on screen.
type Mismatch string

// Mismatches.
const (
	MismatchBirthDate = Mismatch("birth_date")   // the file's birth date is not the patient's
	MismatchSex       = Mismatch("sex")          // the file's sex is not the patient's
	MismatchOld       = Mismatch("recorded_old") // recorded more than MaxBeforeArrival before arrival
	MismatchFuture    = Mismatch("recorded_future")
)

// Text is the mismatch in English words (the CLI's message); no identity
// number and no birth date is in it.
func (m Mismatch) Text() string {
	switch m {
	case MismatchBirthDate:
		return "the birth date in the file is not the patient's"
	case MismatchSex:
		return "the sex in the file is not the patient's"
	case MismatchOld:
		return fmt.Sprintf("the ECG was recorded more than %d hours before the patient arrived", int(MaxBeforeArrival.Hours()))
	case MismatchFuture:
		return "the ECG's recording time is in the future (the cart's clock, or another file)"
	}
	return string(m)
}

// contact is what a file is compared with: the contact's patient (zero
// birth date and sex when not known) and arrival.
type contact struct {
	BirthDate time.Time   // the date of birth (any zone; only the date counts); zero unknown
	Sex       patient.Sex // 0 unknown
	Arrived   time.Time
}

// contactOf gives the contact's facts: birth date and sex from the
// identity number, or the sex chosen at registration.
func contactOf(p store.Patient, e store.Encounter) contact {
	c := contact{Arrived: e.ArrivedAt}
	if n, err := patient.Parse(p.NID); err == nil {
		c.BirthDate, c.Sex = n.BirthDate, n.Sex
		return c
	}
	switch p.Sex {
	case store.SexFemale:
		c.Sex = patient.Female
	case store.SexMale:
		c.Sex = patient.Male
	}
	return c
}

// check lists how rec disagrees with contact c at now, in a fixed order;
// nil when nothing does. What the file or the contact does not give is
// not compared. The recording's time is the cart's wall clock, read in
// loc (the clinic's zone; the files carry no zone).
func check(rec *ecg12.Recording, c contact, now time.Time, loc *time.Location) []Mismatch {
	var out []Mismatch
	if b, err := time.Parse("2006-01-02", strings.TrimSpace(rec.Patient.BirthDate)); err == nil && !c.BirthDate.IsZero() {
		y, m, d := c.BirthDate.Date()
		if b.Year() != y || b.Month() != m || b.Day() != d {
			out = append(out, MismatchBirthDate)
		}
	}
	if s := fileSex(rec.Patient.Sex); s != 0 && c.Sex != 0 && s != c.Sex {
		out = append(out, MismatchSex)
	}
	if !rec.Start.IsZero() {
		t := rec.Start
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
		if !c.Arrived.IsZero() && t.Before(c.Arrived.Add(-MaxBeforeArrival)) {
			out = append(out, MismatchOld)
		}
		if t.After(now.Add(FutureTolerance)) {
			out = append(out, MismatchFuture)
		}
	}
	return out
}

func fileSex(s string) patient.Sex {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M":
		return patient.Male
	case "F":
		return patient.Female
	}
	return 0
}

// MismatchError refuses a file that disagrees with the contact until the
// user confirms it deliberately. Its message names the mismatches in
// English words, never an identity number or a birth date.
type MismatchError struct{ Mismatches []Mismatch }

func (e *MismatchError) Error() string {
	words := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		words[i] = m.Text()
	}
	return "the ECG file does not match the contact: " + strings.Join(words, "; ")
}

// confirmed returns summary with the mismatches the user confirmed
// recorded in it ("confirmed_mismatches", the codes), so the stored ECG
// says it was attached in spite of them (by its attacher). No mismatch
// leaves summary unchanged.
func confirmed(summary []byte, ms []Mismatch) ([]byte, error) {
	if len(ms) == 0 {
		return summary, nil
	}
	var m map[string]any
	if err := json.Unmarshal(summary, &m); err != nil {
		return nil, fmt.Errorf("ECG summary: %w", err)
	}
	m["confirmed_mismatches"] = ms
	return json.Marshal(m)
}

// ConfirmedMismatches reads the mismatches recorded by Prepare (confirmed) from a
// stored summary (nil when none were confirmed).
func ConfirmedMismatches(summary []byte) []Mismatch {
	var m struct {
		C []Mismatch `json:"confirmed_mismatches"`
	}
	if json.Unmarshal(summary, &m) != nil {
		return nil
	}
	return m.C
}
