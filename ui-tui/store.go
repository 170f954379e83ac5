package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/triage/queue"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/workstation/queuefeed"
)

// StoreCalls is the CallStore and QueueSource on triage/store.
type StoreCalls struct {
	Store   store.Interface
	Actor   store.Actor
	Targets triage.Targets
	Index   *phone.Index
	Lang    string
}

// changeObservations is the store's change kind for new observations with
// at least one device value (the monitor board shows nothing else).
const changeObservations = store.ChangeObservations

// historyLimit is how many earlier contacts a returning caller shows.
const historyLimit = 10

// PhoneResult is the Result JSON of a phone assessment in the store: the
// phone decision, and the engine's assessment of the reported vitals.
type PhoneResult struct {
	Phone  phone.Decision  `json:"phone"`
	Engine json.RawMessage `json:"engine,omitempty"`
}

// PhoneInput is the Input JSON of a phone assessment in the store.
type PhoneInput struct {
	Complaint string         `json:"complaint"`
	Yes       []phone.Code   `json:"yes"`
	AgeYears  int            `json:"age_years"`
	Caller    string         `json:"caller,omitempty"`
	Phone     string         `json:"phone,omitempty"`
	Vitals    map[string]any `json:"vitals,omitempty"`
	Started   time.Time      `json:"started"`
}

// PhoneColour is the triage colour a phone level puts on the queue: the
// NIMN response colours, akutt red, haster yellow, vanlig green.
func PhoneColour(l phone.Level) triage.Colour {
	if int(l) < len(phoneColour) {
		return phoneColour[l]
	}
	return triage.Red
}

// History lists the earlier contacts of the patient with identity number
// nid, newest first; none when the number is not registered.
func (s StoreCalls) History(ctx context.Context, nid string) ([]PastContact, error) {
	p, err := s.Store.FindPatientByNID(ctx, s.Actor, nid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find patient: %w", err)
	}
	encs, err := s.Store.EncountersForPatient(ctx, s.Actor, p.ID)
	if err != nil {
		return nil, fmt.Errorf("encounters of patient %d: %w", p.ID, err)
	}
	var out []PastContact
	for _, e := range encs {
		pc := PastContact{At: e.ArrivedAt, Channel: string(e.Channel), Summary: e.Complaint}
		if len(out) >= historyLimit {
			out = append(out, pc) // counted and dated; its assessments are not read
			continue
		}
		as, err := s.Store.Assessments(ctx, s.Actor, e.ID)
		if err != nil {
			return nil, fmt.Errorf("assessments of encounter %d: %w", e.ID, err)
		}
		if n := len(as); n > 0 {
			last := as[n-1]
			pc.Nurse = last.Actor.User
			pc.Label = last.Effective().Label(s.Lang)
			var pr PhoneResult
			if json.Unmarshal(last.Result, &pr) == nil && pr.Phone.IndexID != "" {
				pc.Label = strings.TrimSpace(pr.Phone.Level.Label(s.Lang) + " " + codesText(pr.Phone.Codes))
			}
		}
		out = append(out, pc)
	}
	return out, nil
}

// SaveCall records a phone call: the patient (found by identity number,
// or registered, or unidentified with a temporary id), a phone encounter,
// the reported vitals as observations, and one assessment whose colour is
// the most urgent of the phone level's colour and the engine's colour.
func (s StoreCalls) SaveCall(ctx context.Context, c CallRecord) (string, error) {
	// A retry after a failure continues from what was already written
	// (c.Progress), so a call never leaves a second, untriaged encounter
	// in the queue.
	prog := c.Progress
	if prog == nil {
		prog = &SaveProgress{}
	}
	var pat store.Patient
	var err error
	switch {
	case prog.PatientID != 0:
		pat, err = s.Store.GetPatient(ctx, s.Actor, prog.PatientID)
	case c.Patient.NID != "":
		pat, err = s.Store.FindPatientByNID(ctx, s.Actor, c.Patient.NID)
		if errors.Is(err, store.ErrNotFound) {
			pat, err = s.Store.CreatePatient(ctx, s.Actor, store.NewPatient{NID: c.Patient.NID, Name: c.Patient.Name})
		}
	default:
		pat, err = s.Store.CreatePatient(ctx, s.Actor, store.NewPatient{Name: c.Patient.Name})
	}
	if err != nil {
		return "", fmt.Errorf("patient: %w", err)
	}
	prog.PatientID = pat.ID
	if prog.EncounterID == 0 {
		complaint := c.Complaint
		if ix := s.Index; ix != nil {
			if cp, ok := ix.Complaint(c.Complaint); ok {
				complaint = cp.Name.In(s.Lang)
				if len(c.Decision.Codes) > 0 {
					complaint += " (" + codesText(c.Decision.Codes) + ")"
				}
			}
		}
		enc, err := s.Store.CreateEncounter(ctx, s.Actor, store.NewEncounter{
			PatientID: pat.ID, Channel: store.Phone, ArrivedAt: c.StartedAt, Complaint: complaint,
		})
		if err != nil {
			return "", fmt.Errorf("encounter: %w", err)
		}
		prog.EncounterID = enc.ID
	}
	encID := prog.EncounterID
	if len(c.Vitals) > 0 && !prog.ObservationsSaved {
		if err := s.Store.AddObservations(ctx, s.Actor, encID, c.Vitals); err != nil {
			return "", fmt.Errorf("observations of encounter %d: %w", encID, err)
		}
		prog.ObservationsSaved = true
	}
	colour := PhoneColour(c.Decision.Level)
	na := store.NewAssessment{
		EncounterID:    encID,
		At:             c.DecidedAt,
		EngineVersion:  triage.EngineVersion,
		RuleSetVersion: "phone-index " + c.Decision.IndexID + " " + c.Decision.IndexVersion,
	}
	if len(c.Scored.Assessment) > 0 {
		var a triage.Assessment
		if err := json.Unmarshal(c.Scored.Assessment, &a); err != nil {
			return "", fmt.Errorf("engine assessment: %w", err)
		}
		colour = triage.MostUrgent(colour, a.Colour)
		na.RuleSetVersion += "; rules " + a.RulesVersion
		if a.NEWS2.Complete {
			t := a.NEWS2.Total
			na.NEWS2, na.NEWS2Band = &t, a.NEWS2.Band.String()
			na.MonitorEvery = a.NEWS2.Monitoring.Interval
		}
	}
	na.Colour = colour
	na.Target = s.Targets.For(colour)
	vit := map[string]any{}
	for _, o := range c.Vitals {
		vit[string(o.Kind)] = o.Value
	}
	if na.Input, err = json.Marshal(PhoneInput{
		Complaint: c.Complaint, Yes: c.Decision.Codes, AgeYears: c.Patient.AgeYears,
		Caller: c.Patient.Caller, Phone: c.Patient.Phone, Vitals: vit, Started: c.StartedAt,
	}); err != nil {
		return "", err
	}
	if na.Result, err = json.Marshal(PhoneResult{Phone: c.Decision, Engine: c.Scored.Assessment}); err != nil {
		return "", err
	}
	as, err := s.Store.AddAssessment(ctx, s.Actor, na)
	if err != nil {
		return "", fmt.Errorf("assessment of encounter %d: %w", encID, err)
	}
	label := pat.TempID
	if pat.Identified() {
		label = pat.Label()
	}
	return strings.TrimSpace(fmt.Sprintf("%s %d, %s %d %s", text(s.Lang, "r.encounter"), encID, text(s.Lang, "r.assessment"), as.ID, label)), nil
}

// AppendQueue reads the shared queue in the store's order into dst.
func (s StoreCalls) AppendQueue(ctx context.Context, now time.Time, dst []queue.Entry) ([]queue.Entry, error) {
	return queuefeed.Feed{Store: s.Store, Actor: s.Actor}.AppendQueue(ctx, now, dst)
}

// Watch turns the store's change feed into change ticks (queuefeed.Ticks);
// it ends when ctx ends or the store closes.
func (s StoreCalls) Watch(ctx context.Context) (<-chan struct{}, error) {
	return queuefeed.Ticks(ctx, s.Store)
}
