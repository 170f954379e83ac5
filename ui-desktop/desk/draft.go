package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sync"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// Draft is everything a nurse has typed and not yet saved. It is written
// on every change, so a crash, a closed window or a dropped monitor loses
// nothing; it is cleared when the form is saved.
type Draft struct {
	Version int `json:"version"`
	// Registration form. The identity number and the name are kept in
	// memory only (a language switch rebuilds from them) and never written
	// to the draft file: no patient identity in plain text outside the
	// database. A crash loses only the half-typed registration.
	RegID      string `json:"-"`
	RegUnknown bool   `json:"reg_unknown,omitempty"`
	RegName    string `json:"-"`
	RegAge     string `json:"reg_age,omitempty"`
	RegArrival string `json:"reg_arrival,omitempty"`
	RegChannel string `json:"reg_channel,omitempty"`
	RegSex     int    `json:"reg_sex,omitempty"` // patient.Sex chosen for an unknown patient, 0 for none
	// Triage form.
	EncounterID    ids.Encounter `json:"encounter_id,omitempty"`
	Age            string        `json:"age,omitempty"` // as typed or prefilled
	Pregnant       bool          `json:"pregnant,omitempty"`
	Scale2Dropped  bool          `json:"scale2_dropped,omitempty"` // the nurse unticked a carried scale 2 decision
	Monitor        string        `json:"monitor,omitempty"`        // MonitorChoice.ID
	Consciousness  string        `json:"consciousness,omitempty"`
	Oxygen         bool          `json:"oxygen,omitempty"`
	OxygenKnown    bool          `json:"oxygen_known,omitempty"`
	TempByHand     string        `json:"temp_by_hand,omitempty"` // read from older drafts only; Manual holds it now
	NurseConcern   bool          `json:"nurse_concern,omitempty"`
	Complaint      string        `json:"complaint,omitempty"`
	Override       string        `json:"override,omitempty"` // colour name
	OverrideReason string        `json:"override_reason,omitempty"`
	// Manual are the hand-measured vitals typed, each by its kind and with
	// the time it was measured, in the form's order; a field left empty
	// has no entry.
	Manual []DraftVital `json:"manual,omitempty"`
}

// DraftVital is one hand-measured vital as typed: its kind, the value, the
// typed measurement time (HH:MM, "" for when it was typed), when it was
// typed (RFC 3339), and the nurse's confirmation and choice of the
// monitor's value.
type DraftVital struct {
	// Kind is the field's vital (SBP for a blood pressure "sys/dia"). A
	// draft written before kinds were named lists all five fields by
	// position, in legacyManual order.
	Kind      vitals.Kind `json:"kind,omitempty"`
	Text      string      `json:"text,omitempty"`
	At        string      `json:"at,omitempty"`
	TypedAt   string      `json:"typed_at,omitempty"`
	Confirmed bool        `json:"confirmed,omitempty"`
	UseDevice bool        `json:"use_device,omitempty"`
}

// legacyManual is the order of the five hand-entry fields in a draft
// written before each named its kind.
var legacyManual = []vitals.Kind{vitals.RR, vitals.SpO2, vitals.SBP, vitals.HR, vitals.Temp}

// vital returns the draft's entry for the field of kind k (zero if none).
func (d Draft) vital(k vitals.Kind) DraftVital {
	for i, v := range d.Manual {
		if v.Kind == k || v.Kind == "" && i < len(legacyManual) && legacyManual[i] == k {
			return v
		}
	}
	return DraftVital{}
}

// same reports whether d and o hold the same input.
func (d Draft) same(o Draft) bool { return reflect.DeepEqual(d, o) }

// DraftVersion is the current draft file layout.
const DraftVersion = 1

// FileDrafts keeps the draft in one JSON file, written atomically (a
// temporary file renamed over the old one) and readable by the owner only,
// since it holds patient data.
type FileDrafts struct {
	Path string
	mu   sync.Mutex
	// unreadable is set when Load found a file it cannot read (corrupt, or
	// a newer program's): the next Save moves it aside first, so it stays
	// on disk for a person to look at.
	unreadable bool
}

// maxDraftBytes bounds the draft file: one form's typed text is a few
// kilobytes, so a larger file (or a pipe that never ends) is not a draft
// and is refused, then moved aside like any unreadable draft.
const maxDraftBytes = 1 << 20

// Load reads the draft; a missing file is an empty draft.
func (f *FileDrafts) Load() (Draft, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, err := capped.ReadFile(f.Path, maxDraftBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return Draft{Version: DraftVersion}, nil
	}
	if errors.Is(err, capped.ErrTooLarge) {
		f.unreadable = true
	}
	if err != nil {
		return Draft{}, fmt.Errorf("read draft %s: %w", f.Path, err)
	}
	var d Draft
	if err := json.Unmarshal(b, &d); err != nil {
		f.unreadable = true
		return Draft{}, fmt.Errorf("draft %s is not a draft file: %w", f.Path, err)
	}
	if d.Version != DraftVersion {
		f.unreadable = true
		return Draft{}, fmt.Errorf("draft %s: version %d, this program reads version %d", f.Path, d.Version, DraftVersion)
	}
	return d, nil
}

// Save writes the draft.
func (f *FileDrafts) Save(d Draft) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d.Version = DraftVersion
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return fmt.Errorf("draft folder: %w", err)
	}
	if f.unreadable {
		keep := f.Path + ".unreadable"
		if err := os.Rename(f.Path, keep); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("keep unreadable draft: %w", err)
		}
		f.unreadable = false
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".draft-*")
	if err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write draft: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync draft: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close draft: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("replace draft: %w", err)
	}
	return nil
}

// MemoryDrafts keeps the draft in memory (tests, and --demo runs that must
// leave nothing behind).
type MemoryDrafts struct {
	mu    sync.Mutex
	d     Draft
	Saves int // how many times Save was called
}

// Load returns the last saved draft.
func (m *MemoryDrafts) Load() (Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.d, nil
}

// Save keeps d.
func (m *MemoryDrafts) Save(d Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d.Version = DraftVersion
	m.d = d
	m.Saves++
	return nil
}
