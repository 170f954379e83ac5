package i18n

import (
	"errors"

	"github.com/legevakt/workstation/triage/patient"
)

// NIDError says in l what is wrong with a typed identity number
// (patient.Parse's error): the same words on every screen that asks for
// one. An error it does not know is shown as it comes, after the field's
// name.
func NIDError(l Lang, err error) string {
	for _, k := range []struct {
		err error
		key string
	}{
		{patient.ErrLength, "reg.err.id.length"},
		{patient.ErrNotDigit, "reg.err.id.digit"},
		{patient.ErrControlDigit, "reg.err.id.control"},
		{patient.ErrFuture, "reg.err.id.future"}, // before ErrDate, which they wrap
		{patient.ErrTooOld, "reg.err.id.old"},
		{patient.ErrDate, "reg.err.id.date"},
		{patient.ErrIndividual, "reg.err.id.individual"},
	} {
		if errors.Is(err, k.err) {
			return l.T(k.key)
		}
	}
	return l.T("reg.err.id", err.Error())
}
