package screentest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/phone"
	"github.com/legevakt/workstation/workstation/phonecall"
	"github.com/legevakt/workstation/workstation/phrase"
	"github.com/stretchr/testify/require"
)

// SyntheticNID builds a valid synthetic test identity number (month + 80,
// Tenor style) for a birth date in 1900-1999.
func SyntheticNID(t testing.TB, day, month, year2, individual int) string {
	t.Helper()
	s := fmt.Sprintf("%02d%02d%02d%03d", day, month+80, year2, individual)
	var nine [9]int
	for i := range nine {
		nine[i] = int(s[i] - '0')
	}
	k1, k2, ok := patient.ControlDigits(nine)
	require.True(t, ok, "no valid control digits for %s; pick another individual number", s)
	nid := fmt.Sprintf("%s%d%d", s, k1, k2)
	_, err := patient.Parse(nid)
	require.NoError(t, err, nid)
	return nid
}

// Code parses a criterion code of the test index.
func Code(t testing.TB, s string) phone.Code {
	t.Helper()
	c, err := phone.ParseCode(s)
	require.NoError(t, err)
	return c
}

// Calls is an in-memory phone call service (the call screen's Service) on the real engine's home rules
// (triage/homevitals).
type Calls struct {
	mu       sync.Mutex
	Contacts map[string][]phonecall.Contact
	Names    map[string]string
	Callers  map[string]phonecall.Caller
	Saved    []phonecall.Record
	FailAt   int // fail this many saves first
	// Refuse, when set, is returned by Assess (a value the rules refuse).
	Refuse error
}

// Engine is the real engine with the default rule set.
var Engine = triage.NewEngine(nil)

// Assess implements the call screen's Service.
func (f *Calls) Assess(v phone.Vitals, age phrase.Age, confirmed []string, now time.Time) (phone.VitalsFinding, *triage.Assessment, error) {
	if f.Refuse != nil {
		return phone.VitalsFinding{}, nil, f.Refuse
	}
	fd, a, err := phonecall.EngineVitals(Engine)(v, age, confirmed, now)
	if err != nil {
		return phone.VitalsFinding{}, nil, err
	}
	return fd, &a, nil
}

// History implements the call screen's Service.
func (f *Calls) History(_ context.Context, nid string) (string, []phonecall.Contact, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Names[nid], f.Contacts[nid], nil
}

// RepeatCaller implements the call screen's Service.
func (f *Calls) RepeatCaller(_ context.Context, number string) (phonecall.Caller, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.Callers[number]
	return c, ok, nil
}

// Save implements the call screen's Service.
func (f *Calls) Save(_ context.Context, r phonecall.Record) (phonecall.Saved, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailAt > 0 {
		f.FailAt--
		return phonecall.Saved{}, fmt.Errorf("database is locked")
	}
	f.Saved = append(f.Saved, r)
	out := r.Outcome
	if out == "" {
		out = phonecall.DefaultOutcome(r.Decision.Level)
	}
	return phonecall.Saved{EncounterID: ids.Encounter(len(f.Saved)), Patient: "Test", Outcome: out}, nil
}

// Last is the last call saved.
func (f *Calls) Last() phonecall.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Saved[len(f.Saved)-1]
}
