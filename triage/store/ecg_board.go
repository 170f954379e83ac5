package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"
)

// ECGBoardState is what the reception board shows of a contact's ECGs:
// how many wait for a physician, and the signed suspected STEMI, if any.
type ECGBoardState struct {
	// Unconfirmed counts the contact's ECGs not yet signed.
	Unconfirmed int
	// STEMI is the signed ECG marked suspected STEMI (the latest, when
	// there are several); zero ID when none.
	STEMI ECGSignature
}

// ECGSignature names a signed ECG, who signed it and when.
type ECGSignature struct {
	ID       int64
	SignedBy string
	SignedAt time.Time
}

// maxBoardEncounters bounds one ECGBoard call (a queue longer than this is
// read in several calls by the caller).
const maxBoardEncounters = 1000

// ECGBoard returns the ECG state of the given contacts (those with no
// unconfirmed ECG and no suspected STEMI are left out of the map). It is
// what keeps a suspected STEMI visible on every reception board for as
// long as the patient is in the queue: read from the store on every queue
// refresh, never held only in one workstation's memory. Audited
// "ecg.list" ("board", the number of contacts and their patients) as a
// list read: a board re-reading the same state within ListReadWindow is
// not logged again (auditList). A contact outside the actor's
// need-to-know (its patient not in the actor's service queue, no basis)
// is left out and its refusal audited (needToKnowEncounters).
func (s *Store) ECGBoard(ctx context.Context, a Actor, encounterIDs []ids.Encounter) (map[ids.Encounter]ECGBoardState, error) {
	if len(encounterIDs) > maxBoardEncounters {
		return nil, invalid("encounters", "%d, want at most %d per call", len(encounterIDs), maxBoardEncounters)
	}
	out := map[ids.Encounter]ECGBoardState{}
	if len(encounterIDs) == 0 {
		return out, nil
	}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermReadClinical, "ecg", 0); err != nil {
			return err
		}
		var err error
		if encounterIDs, err = t.needToKnowEncounters(ctx, "ecg.list", encounterIDs); err != nil || len(encounterIDs) == 0 {
			return err
		}
		args := make([]any, len(encounterIDs))
		for i, id := range encounterIDs {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(encounterIDs)), ", ")
		rows, err := t.query(ctx, `SELECT id, encounter_id, status, stemi, signed_by, signed_at FROM ecgs
			WHERE encounter_id IN (`+marks+`) AND (status = 'unconfirmed' OR stemi = 1) ORDER BY id`, args...)
		if err != nil {
			return fmt.Errorf("ECG board: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var enc ids.Encounter
			var status string
			var stemi int
			var by sql.NullString
			var at sql.NullInt64
			if err := rows.Scan(&id, &enc, &status, &stemi, &by, &at); err != nil {
				return fmt.Errorf("ECG board: %w", err)
			}
			st := out[enc]
			if ECGStatus(status) == ECGUnconfirmed {
				st.Unconfirmed++
			} else if stemi == 1 && at.Valid {
				st.STEMI = ECGSignature{ID: id, SignedBy: by.String, SignedAt: fromMicros(at.Int64)}
			}
			out[enc] = st
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("ECG board: %w", err)
		}
		patients, err := t.encounterPatients(ctx, encounterIDs)
		if err != nil {
			return fmt.Errorf("ECG board: %w", err)
		}
		return t.auditList(ctx, encountersView("ecg-board", "ecg.list", "ecg", fmt.Sprintf("board encounters=%d", len(encounterIDs)),
			encounterIDs, patients, func(h *viewHash, enc ids.Encounter) {
				st := out[enc]
				h.int(int64(st.Unconfirmed))
				h.int(st.STEMI.ID)
				h.str(st.STEMI.SignedBy)
				h.time(st.STEMI.SignedAt)
			}))
	})
	return out, err
}

// ECGsOfEncounter lists a contact's ECGs, signed or not, newest first,
// without their files (audited "ecg.list", with the contact).
func (s *Store) ECGsOfEncounter(ctx context.Context, a Actor, encounterID ids.Encounter) ([]ECG, error) {
	var out []ECG
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "ecg.list", encounterID)
		}
		rows, err := t.query(ctx, "SELECT id FROM ecgs WHERE encounter_id = ? ORDER BY id DESC", encounterID)
		if err != nil {
			return fmt.Errorf("ECGs of encounter %d: %w", encounterID, err)
		}
		var idList []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			idList = append(idList, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range idList {
			e, err := t.ecg(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return t.auditEncounter(ctx, "ecg.list", encounterID, enc.PatientID, fmt.Sprintf("ecgs=%d", len(out)))
	})
	return out, err
}
