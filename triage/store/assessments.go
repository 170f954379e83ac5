package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
)

// Override is a nurse's deliberate change of the engine's colour.
type Override struct {
	Colour triage.Colour
	Reason string // required: why the nurse overrode the engine
}

// NewAssessment is one triage result to record. The engine's own types are
// marshalled by the caller into Input and Result, so the store does not
// depend on their layout and keeps exactly what the engine saw and said.
type NewAssessment struct {
	EncounterID ids.Encounter
	At          time.Time // when the assessment was made; zero means now

	Colour triage.Colour // the engine's colour
	// Target is the time to first clinician contact for the effective
	// colour (the override's colour when there is one).
	Target time.Duration
	// NEWS2 total (0-20) and band, nil/"" when not scored.
	NEWS2     *int
	NEWS2Band string
	// MonitorEvery is the NEWS2 minimum monitoring interval: the queue flags
	// "reassessment due" when it has passed since At. 0 means none.
	MonitorEvery time.Duration

	EngineVersion  string
	RuleSetVersion string
	Override       *Override

	Input  json.RawMessage // the engine's input, as JSON
	Result json.RawMessage // the engine's result, as JSON
}

// Assessment is a recorded, immutable triage result. A re-triage is a new
// Assessment; none is ever changed or deleted.
type Assessment struct {
	ID    int64
	Actor Actor // the nurse who made it
	NewAssessment
}

// Effective is the colour that counts: the override's, else the engine's.
func (a Assessment) Effective() triage.Colour {
	if a.Override != nil {
		return a.Override.Colour
	}
	return a.Colour
}

func (na *NewAssessment) validate() error {
	if int(na.Colour) >= len(triage.Colours) {
		return invalid("colour", "%d, want 0-4 (red to blue)", na.Colour)
	}
	if na.Target < 0 || na.Target > 24*time.Hour {
		return invalid("target", "%v, want 0 to 24h", na.Target)
	}
	if na.NEWS2 != nil && (*na.NEWS2 < 0 || *na.NEWS2 > 20) {
		return invalid("news2", "%d, want 0-20", *na.NEWS2)
	}
	if na.MonitorEvery < 0 || na.MonitorEvery > 24*time.Hour {
		return invalid("monitoring interval", "%v, want 0 to 24h", na.MonitorEvery)
	}
	if strings.TrimSpace(na.EngineVersion) == "" || strings.TrimSpace(na.RuleSetVersion) == "" {
		return invalid("versions", "engine version and rule-set version are required, so that the result can be reproduced")
	}
	if err := checkText("engine version", na.EngineVersion, 100); err != nil {
		return err
	}
	if err := checkText("rule-set version", na.RuleSetVersion, 100); err != nil {
		return err
	}
	if na.Override != nil {
		if int(na.Override.Colour) >= len(triage.Colours) {
			return invalid("override colour", "%d, want 0-4 (red to blue)", na.Override.Colour)
		}
		// Raising is free, lowering needs a written reason (triage.Override):
		// the store asks for what the engine asks for, no more.
		if strings.TrimSpace(na.Override.Reason) == "" && na.Colour.MoreUrgent(na.Override.Colour) {
			return invalid("override reason", "required when the colour is lowered (from %s to %s)", na.Colour, na.Override.Colour)
		}
		if err := checkText("override reason", na.Override.Reason, maxText); err != nil {
			return err
		}
	}
	if !json.Valid(na.Input) {
		return invalid("input", "not valid JSON")
	}
	if !json.Valid(na.Result) {
		return invalid("result", "not valid JSON")
	}
	return checkText("news2 band", na.NEWS2Band, 50)
}

// AddAssessment records an assessment and makes its effective colour,
// target, NEWS2 and monitoring interval the encounter's current ones
// (unless a later assessment already exists). The encounter's version is
// bumped, so an edit based on the old state gets a conflict.
func (s *Store) AddAssessment(ctx context.Context, a Actor, na NewAssessment) (Assessment, error) {
	if err := na.validate(); err != nil {
		return Assessment{}, err
	}
	var out Assessment
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, na.EncounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, na.EncounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "assessment.create", na.EncounterID)
		}
		as, err := t.addAssessment(ctx, enc, na)
		out = as
		return err
	})
	return out, err
}

// addAssessment inserts a validated assessment of enc (audited) inside t
// and makes it the encounter's current triage unless a later one exists.
func (t *txn) addAssessment(ctx context.Context, enc Encounter, na NewAssessment) (Assessment, error) {
	if err := droppedNoDecision(enc, "assessment"); err != nil {
		return Assessment{}, err
	}
	na.EncounterID = enc.ID
	if na.At.IsZero() {
		na.At = t.at
	}
	as := Assessment{Actor: t.actor, NewAssessment: na}
	var news2, ovColour, ovReason any
	if na.NEWS2 != nil {
		news2 = *na.NEWS2
	}
	band := nullString(na.NEWS2Band)
	if na.Override != nil {
		ovColour, ovReason = int(na.Override.Colour), na.Override.Reason
	}
	if err := t.queryRow(ctx, `INSERT INTO assessments (encounter_id, at, actor, workstation, colour, target_s, news2, news2_band, monitor_every_s,
		engine_version, ruleset_version, override_colour, override_reason, input, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		na.EncounterID, micros(na.At), t.actor.User, t.actor.Workstation, int(na.Colour), int64(na.Target/time.Second), news2, band,
		int64(na.MonitorEvery/time.Second), na.EngineVersion, na.RuleSetVersion, ovColour, ovReason, string(na.Input), string(na.Result)).Scan(&as.ID); err != nil {
		return Assessment{}, fmt.Errorf("add assessment to encounter %d: %w", na.EncounterID, err)
	}
	if _, err := t.exec(ctx, `UPDATE encounters SET colour = ?, target_s = ?, last_assessed_at = ?, monitor_every_s = ?, news2 = ?, news2_band = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND (last_assessed_at IS NULL OR last_assessed_at <= ?)`,
		int(as.Effective()), int64(na.Target/time.Second), micros(na.At), int64(na.MonitorEvery/time.Second), news2, band,
		micros(t.at), na.EncounterID, micros(na.At)); err != nil {
		return Assessment{}, fmt.Errorf("add assessment: updating encounter %d: %w", na.EncounterID, err)
	}
	detail := "colour=" + as.Effective().String()
	if na.Override != nil {
		detail += " override"
	}
	if err := t.audit(ctx, "assessment.create", "assessment", as.ID, enc.PatientID, detail); err != nil {
		return Assessment{}, err
	}
	t.changed("assessment", na.EncounterID)
	if err := t.enqueue(ctx, OutboxAssessment, enc.PatientID, na.EncounterID, as.ID, as.ID); err != nil {
		return Assessment{}, err
	}
	// Round-trip the time through the stored precision.
	as.At = fromMicros(micros(na.At))
	return as, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Assessments lists the assessments of an encounter, oldest first
// (audited).
func (s *Store) Assessments(ctx context.Context, a Actor, encounterID ids.Encounter) ([]Assessment, error) {
	var out []Assessment
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			if aerr := t.auditEncounter(ctx, "assessment.list", encounterID, 0, "not found"); aerr != nil {
				return aerr
			}
			return err
		}
		rows, err := t.query(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE encounter_id = ? ORDER BY at, id", encounterID)
		if err != nil {
			return fmt.Errorf("assessments of encounter %d: %w", encounterID, err)
		}
		defer rows.Close()
		for rows.Next() {
			as, err := scanAssessment(rows)
			if err != nil {
				return fmt.Errorf("assessments of encounter %d: %w", encounterID, err)
			}
			out = append(out, as)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("assessments of encounter %d: %w", encounterID, err)
		}
		return t.auditEncounter(ctx, "assessment.list", encounterID, enc.PatientID, fmt.Sprintf("count=%d", len(out)))
	})
	return keep(out, err)
}

// assessmentCols are the columns scanAssessment reads, in its order.
const assessmentCols = `id, encounter_id, at, actor, workstation, colour, target_s, news2, news2_band, monitor_every_s,
	engine_version, ruleset_version, override_colour, override_reason, input, result`

// scanAssessment reads one assessment row of assessmentCols: one place
// for the list, the payload read and the export, so a column added to
// assessments is read the same way everywhere.
func scanAssessment(sc interface{ Scan(...any) error }) (Assessment, error) {
	var as Assessment
	var at, target, every int64
	var colour int
	var news2, ovColour sql.NullInt64
	var band, ovReason sql.NullString
	var input, result string
	if err := sc.Scan(&as.ID, &as.EncounterID, &at, &as.Actor.User, &as.Actor.Workstation, &colour, &target, &news2, &band, &every,
		&as.EngineVersion, &as.RuleSetVersion, &ovColour, &ovReason, &input, &result); err != nil {
		return Assessment{}, err
	}
	as.At, as.Colour, as.Target = fromMicros(at), triage.Colour(colour), time.Duration(target)*time.Second
	as.MonitorEvery, as.NEWS2Band = time.Duration(every)*time.Second, band.String
	if news2.Valid {
		v := int(news2.Int64)
		as.NEWS2 = &v
	}
	if ovColour.Valid {
		as.Override = &Override{Colour: triage.Colour(ovColour.Int64), Reason: ovReason.String}
	}
	as.Input, as.Result = json.RawMessage(input), json.RawMessage(result)
	return as, nil
}
