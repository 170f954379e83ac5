package i18n

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/patient"
)

// QA G9 (the desk's side of G1): the numbers the QA registered at the
// desk, born 01.01.2027 and 01.01.1880, are refused by patient.Parse and
// worded by the desk as what is wrong with the date of birth (in the
// future; over 125 years), in both languages, never as the package's
// English.
func TestANumberNoLivingPatientHasIsAWrongDateAtTheDesk(t *testing.T) {
	now := time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)
	for nid, key := range map[string]string{"01012750036": "reg.err.id.future", "01018060031": "reg.err.id.old"} {
		_, err := patient.ParseAt(nid, now)
		require.ErrorIs(t, err, patient.ErrDate, nid)
		for _, l := range []Lang{NB, EN} {
			assert.Equal(t, l.T(key), NIDError(l, err), "%s in %s", nid, l)
		}
	}
}
