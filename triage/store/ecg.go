package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"slices"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/wording"
)

// Resting 12-lead ECGs (schema 7): a nurse attaches the cart's file to the
// patient's contact; physicians see the unconfirmed ones ordered by the
// patient's triage urgency and waiting time, write an interpretation and
// sign; a signed ECG is immutable. Every attach, list, view and signature
// is audited. A signature with the finding "mistenkt STEMI" raises the
// contact's triage to red with that reason in the same transaction, and
// the change feed carries it to the reception board.

// MaxECGBytes bounds an attached file (resting ECG files are 30 KB to a
// few MB).
const MaxECGBytes = 16 << 20

// ECGStatus is where an ECG stands in review.
type ECGStatus string

// The statuses.
const (
	ECGUnconfirmed ECGStatus = "unconfirmed"
	ECGSigned      ECGStatus = "signed"
)

// ECGFinding is a quick finding a physician ticks.
type ECGFinding string

// The quick findings (worded by ECGFinding.Label).
const (
	FindingSinus        ECGFinding = "sinusrytme"
	FindingAF           ECGFinding = "atrieflimmer"
	FindingSTElevation  ECGFinding = "st_elevasjon"
	FindingSTDepression ECGFinding = "st_depresjon"
	FindingSTEMI        ECGFinding = "mistenkt_stemi"
	FindingLBBB         ECGFinding = "venstre_grenblokk"
	FindingAVBlock      ECGFinding = "av_blokk"
	FindingNormal       ECGFinding = "normalt_ekg"
)

// ECGFindings lists every quick finding.
var ECGFindings = []ECGFinding{FindingSinus, FindingAF, FindingSTElevation, FindingSTDepression, FindingSTEMI, FindingLBBB, FindingAVBlock, FindingNormal}

// Label gives a finding in bokmål ("nb") or English: the words are the
// wording layer's (wording.ECGFinding); the store keeps the code.
func (f ECGFinding) Label(lang wording.Lang) string { return wording.ECGFinding(string(f), lang) }

// ErrECGSigned: the ECG is signed and cannot change (SignECG wraps it
// together with ErrInvalid).
var ErrECGSigned = errors.New("a signed ECG cannot change")

// STEMIReason is the reason on the red override a suspected STEMI makes.
const STEMIReason = "EKG: mistenkt STEMI"

// EventECGSTEMI is the encounter event of a signed suspected STEMI (Ref the
// ECG id), which the reception board shows as an alert.
const EventECGSTEMI = "ecg.stemi"

// NewECG is a file to attach.
type NewECG struct {
	EncounterID ids.Encounter
	Format      string          // the importer's format name, e.g. "scp-ecg"
	SourceName  string          // the file's name as the cart wrote it
	AcquiredAt  time.Time       // the recording's start, zero if unknown
	Data        []byte          // the file as the cart wrote it
	Summary     json.RawMessage // measurements shown at attachment (ours and the cart's)
}

// Interpretation is what the physician signs.
type Interpretation struct {
	Text     string
	Findings []ECGFinding
}

// ECG is a stored ECG without its file bytes (ViewECG returns those).
type ECG struct {
	ID          int64
	EncounterID ids.Encounter
	PatientID   ids.Patient
	AttachedAt  time.Time
	AttachedBy  string
	Workstation string
	Format      string
	SourceName  string
	AcquiredAt  time.Time
	SHA256      string
	Size        int
	Summary     json.RawMessage
	Status      ECGStatus
	Interpretation
	STEMI    bool
	SignedBy string
	SignedAt time.Time
}

// ECGReview is one ECG waiting for a physician, with the contact's
// triage: the list is ordered by urgency (red first; untriaged contacts
// after triaged ones), then by how long the ECG has waited.
type ECGReview struct {
	ECG
	// Patient names the patient as the queue does (name, else the
	// temporary id).
	Patient   string
	Triaged   bool
	Colour    triage.Colour
	ArrivedAt time.Time
	Waiting   time.Duration
}

const ecgColumns = `id, encounter_id, patient_id, attached_at, attached_by, workstation, format, source_name, acquired_at, sha256, length(data),
	summary, status, interpretation, findings, stemi, signed_by, signed_at`

// AttachECG stores a cart's file on a contact (audited "ecg.attach").
func (s *Store) AttachECG(ctx context.Context, a Actor, ne NewECG) (ECG, error) {
	if len(ne.Data) == 0 || len(ne.Data) > MaxECGBytes {
		return ECG{}, invalid("ecg file", "%d bytes, want 1..%d", len(ne.Data), MaxECGBytes)
	}
	if err := checkText("ecg format", ne.Format, 50); err != nil {
		return ECG{}, err
	}
	if strings.TrimSpace(ne.Format) == "" {
		return ECG{}, invalid("ecg format", "required")
	}
	if err := checkText("ecg file name", ne.SourceName, 255); err != nil {
		return ECG{}, err
	}
	if len(ne.Summary) == 0 {
		ne.Summary = json.RawMessage("{}")
	}
	if !json.Valid(ne.Summary) {
		return ECG{}, invalid("ecg summary", "not valid JSON")
	}
	sum := sha256.Sum256(ne.Data)
	var out ECG
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, ne.EncounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, ne.EncounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "ecg.attach", ne.EncounterID)
		}
		var acquired any
		if !ne.AcquiredAt.IsZero() {
			acquired = micros(ne.AcquiredAt)
		}
		var id int64
		if err := t.queryRow(ctx, `INSERT INTO ecgs (encounter_id, patient_id, attached_at, attached_by, workstation, format, source_name, acquired_at, sha256, data, summary)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			enc.ID, enc.PatientID, micros(t.at), t.actor.User, t.actor.Workstation, ne.Format, ne.SourceName, acquired,
			hex.EncodeToString(sum[:]), ne.Data, string(ne.Summary)).Scan(&id); err != nil {
			return fmt.Errorf("attach ECG to encounter %d: %w", enc.ID, err)
		}
		if err := t.audit(ctx, "ecg.attach", "ecg", id, enc.PatientID, "encounter="+fmt.Sprint(enc.ID)+" format="+ne.Format); err != nil {
			return err
		}
		t.changed("ecg", enc.ID)
		out, err = t.ecg(ctx, id)
		return err
	})
	return out, err
}

// ECGsForReview lists the unconfirmed ECGs, most urgent first (audited
// "ecg.list" with the patients listed, as a list read: auditList). A
// user with a service sees those of patients in the service's queue
// unless a basis is stated (need-to-know, needToKnowReviewSQL).
func (s *Store) ECGsForReview(ctx context.Context, a Actor, now time.Time) ([]ECGReview, error) {
	var out []ECGReview
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "ecg", 0); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT e.id, c.colour, c.last_assessed_at, c.arrived_at, p.name, p.temp_id
			FROM ecgs e JOIN encounters c ON c.id = e.encounter_id JOIN patients p ON p.id = e.patient_id
			WHERE e.status = 'unconfirmed'`+t.needToKnowReviewSQL())
		if err != nil {
			return fmt.Errorf("ECG review list: %w", err)
		}
		type head struct {
			id      int64
			colour  sql.NullInt64
			triaged bool
			arrived int64
			patient string
		}
		var heads []head
		for rows.Next() {
			var h head
			var assessed sql.NullInt64
			var name string
			var temp sql.NullString
			if err := rows.Scan(&h.id, &h.colour, &assessed, &h.arrived, &name, &temp); err != nil {
				rows.Close()
				return err
			}
			h.triaged = assessed.Valid && h.colour.Valid
			h.patient = name
			if name == "" {
				h.patient = temp.String
			}
			heads = append(heads, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, h := range heads {
			e, err := t.ecg(ctx, h.id)
			if err != nil {
				return err
			}
			r := ECGReview{ECG: e, Patient: h.patient, Triaged: h.triaged, ArrivedAt: fromMicros(h.arrived), Waiting: now.Sub(e.AttachedAt)}
			if h.triaged {
				r.Colour = triage.Colour(h.colour.Int64)
			}
			out = append(out, r)
		}
		slices.SortStableFunc(out, func(x, y ECGReview) int {
			switch {
			case x.Triaged != y.Triaged:
				if x.Triaged {
					return -1
				}
				return 1
			case x.Triaged && x.Colour != y.Colour:
				return int(x.Colour) - int(y.Colour) // red (0) first
			case !x.AttachedAt.Equal(y.AttachedAt):
				return x.AttachedAt.Compare(y.AttachedAt) // waited longest first
			}
			return int(x.ID - y.ID)
		})
		return t.auditList(ctx, ecgReviewView(out))
	})
	return out, err
}

// ViewECG returns one ECG with its file (audited "ecg.read").
func (s *Store) ViewECG(ctx context.Context, a Actor, id int64) (ECG, []byte, error) {
	var out ECG
	var data []byte
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "ecg", id); err != nil {
			return err
		}
		e, err := t.ecg(ctx, id)
		if err != nil {
			return t.auditNotFound(ctx, err, "ecg.read", "ecg", id)
		}
		if err := t.queryRow(ctx, "SELECT data FROM ecgs WHERE id = ?", id).Scan(&data); err != nil {
			return fmt.Errorf("ECG %d file: %w", id, err)
		}
		out = e
		return t.audit(ctx, "ecg.read", "ecg", id, e.PatientID, "")
	})
	return out, data, err
}

// SignECG records a physician's interpretation and signature; afterwards
// the ECG cannot change. Only an actor in the role physician may sign,
// also in a store without accounts (anyone else gets ErrForbidden, and
// the refusal is audited); a signed ECG is refused with ErrInvalid. The finding
// FindingSTEMI raises the contact's triage to red with STEMIReason (a new
// assessment overriding the last one) and records an EventECGSTEMI event,
// in the same transaction.
func (s *Store) SignECG(ctx context.Context, a Actor, id int64, in Interpretation) (ECG, error) {
	in.Text = strings.TrimSpace(in.Text)
	if err := checkText("interpretation", in.Text, maxText); err != nil {
		return ECG{}, err
	}
	seen := map[ECGFinding]bool{}
	for _, f := range in.Findings {
		if !slices.Contains(ECGFindings, f) {
			return ECG{}, invalid("finding", "%q, want one of %v", f, ECGFindings)
		}
		if seen[f] {
			return ECG{}, invalid("finding", "%q twice", f)
		}
		seen[f] = true
	}
	if in.Text == "" && len(in.Findings) == 0 {
		return ECG{}, invalid("interpretation", "required: free text or at least one finding")
	}
	if a.Role != RolePhysician {
		// Only a physician signs, whether or not the database has
		// accounts yet: an actor without a role (the operating-system
		// user of a stand-alone store) cannot sign either. Recorded like
		// every refusal, in a transaction of its own.
		s.recordDenied(ctx, a, []AuditEntry{{Action: "access.denied", Entity: "ecg", EntityID: id, Detail: "action=ecg.sign role=" + string(a.Role)}})
		return ECG{}, fmt.Errorf("%s may not sign an ECG (physicians only): %w", roleName(a.Role), ErrForbidden)
	}
	stemi := seen[FindingSTEMI]
	var out ECG
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermWriteClinical, "ecg", id); err != nil {
			return err
		}
		e, err := t.ecg(ctx, id)
		if err != nil {
			return t.auditNotFound(ctx, err, "ecg.sign", "ecg", id)
		}
		if e.Status == ECGSigned {
			return fmt.Errorf("ecg: ECG %d was signed by %s at %s and is immutable: %w (%w)", id, e.SignedBy, e.SignedAt.Format(time.RFC3339), ErrECGSigned, ErrInvalid)
		}
		findings, _ := json.Marshal(in.Findings)
		if in.Findings == nil {
			findings = []byte("[]")
		}
		st := 0
		if stemi {
			st = 1
		}
		if _, err := t.exec(ctx, `UPDATE ecgs SET status = 'signed', interpretation = ?, findings = ?, stemi = ?, signed_by = ?, signed_at = ? WHERE id = ? AND status = 'unconfirmed'`,
			in.Text, string(findings), st, t.actor.User, micros(t.at), id); err != nil {
			return fmt.Errorf("sign ECG %d: %w", id, err)
		}
		if err := t.audit(ctx, "ecg.sign", "ecg", id, e.PatientID, fmt.Sprintf("findings=%s stemi=%t", findings, stemi)); err != nil {
			return err
		}
		if stemi {
			if err := t.raiseForSTEMI(ctx, e); err != nil {
				return err
			}
		}
		t.changed("ecg", e.EncounterID)
		out, err = t.ecg(ctx, id)
		return err
	})
	return out, err
}

// raiseForSTEMI adds an assessment overriding the contact's last one to
// red with STEMIReason, and an EventECGSTEMI event for the board.
func (t *txn) raiseForSTEMI(ctx context.Context, e ECG) error {
	enc, err := t.encounter(ctx, e.EncounterID)
	if err != nil {
		return err
	}
	na := NewAssessment{EncounterID: enc.ID, Colour: enc.Colour, Target: enc.Target, MonitorEvery: enc.MonitorEvery,
		EngineVersion: "ecg-review", RuleSetVersion: "ecg-review-1", NEWS2: enc.NEWS2, NEWS2Band: enc.NEWS2Band,
		Input:    json.RawMessage(fmt.Sprintf(`{"ecg_id":%d}`, e.ID)),
		Result:   json.RawMessage(`{"finding":"mistenkt_stemi"}`),
		Override: &Override{Colour: triage.Red, Reason: STEMIReason}}
	if !enc.Triaged {
		// No triage yet: the override is the triage; its base is red too.
		na.Colour = triage.Red
		na.Target = triage.DefaultTargets().For(triage.Red)
	}
	na.Target = min(na.Target, triage.DefaultTargets().For(triage.Red))
	if err := na.validate(); err != nil {
		return err
	}
	if _, err := t.addAssessment(ctx, enc, na); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "INSERT INTO encounter_events (encounter_id, at, actor, workstation, kind, ref, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
		enc.ID, micros(t.at), t.actor.User, t.actor.Workstation, EventECGSTEMI, fmt.Sprint(e.ID), STEMIReason); err != nil {
		return fmt.Errorf("STEMI event of encounter %d: %w", enc.ID, err)
	}
	return nil
}

// ecg reads one ECG without its file.
func (t *txn) ecg(ctx context.Context, id int64) (ECG, error) {
	var e ECG
	var acquired, signedAt sql.NullInt64
	var signedBy sql.NullString
	var attached int64
	var summary, findings, status string
	var stemi int
	err := t.queryRow(ctx, "SELECT "+ecgColumns+" FROM ecgs WHERE id = ?", id).Scan(&e.ID, &e.EncounterID, &e.PatientID, &attached,
		&e.AttachedBy, &e.Workstation, &e.Format, &e.SourceName, &acquired, &e.SHA256, &e.Size, &summary, &status, &e.Text,
		&findings, &stemi, &signedBy, &signedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return ECG{}, fmt.Errorf("ECG %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ECG{}, fmt.Errorf("ECG %d: %w", id, err)
	}
	e.AttachedAt = fromMicros(attached)
	if acquired.Valid {
		e.AcquiredAt = fromMicros(acquired.Int64)
	}
	e.Summary = json.RawMessage(summary)
	e.Status = ECGStatus(status)
	if err := json.Unmarshal([]byte(findings), &e.Findings); err != nil {
		return ECG{}, fmt.Errorf("ECG %d findings: %w", id, err)
	}
	e.STEMI = stemi == 1
	e.SignedBy = signedBy.String
	if signedAt.Valid {
		e.SignedAt = fromMicros(signedAt.Int64)
	}
	return e, nil
}
