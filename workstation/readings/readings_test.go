package readings

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/deterioration"
)

func TestFromNEWS2ClaimsABandOnlyForACompleteKnownSet(t *testing.T) {
	at := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		total    int
		band     string
		complete bool
		want     deterioration.Reading
	}{
		{5, "medium", true, deterioration.Reading{At: at, Total: 5, Band: deterioration.BandMedium, Complete: true}},
		{7, "high", true, deterioration.Reading{At: at, Total: 7, Band: deterioration.BandHigh, Complete: true}},
		{3, "low-medium", false, deterioration.Reading{At: at, Total: 3}},
		{3, "", true, deterioration.Reading{At: at, Total: 3}},
		{3, "middels", true, deterioration.Reading{At: at, Total: 3}},
	} {
		assert.Equal(t, c.want, FromNEWS2(c.total, c.band, c.complete, at), "%d %q %v", c.total, c.band, c.complete)
	}
}
