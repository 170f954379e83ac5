package recordstate

import (
	"context"
	"errors"
	"testing"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/stretchr/testify/assert"
)

type locked struct{}

func (locked) Quiet() (store.Actor, error) { return store.Actor{}, errors.New("session locked") }

// A locked session reads nothing: the store (nil here) is never asked,
// and the error says why.
func TestAsUserReadsNothingWithoutAUser(t *testing.T) {
	r := AsUser{Actor: locked{}, Lang: "en"}
	_, err := r.Patients(context.Background(), []ids.Encounter{1})
	assert.ErrorContains(t, err, "record state: session locked")
	_, err = r.HealthLine(context.Background())
	assert.ErrorContains(t, err, "session locked")
	assert.Equal(t, Reader{Lang: "en"}.Unknown(), r.Unknown())
	assert.Equal(t, Reader{Lang: "en"}.Heading(), r.Heading())
}
