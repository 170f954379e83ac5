// Package readings turns scores into the deterioration watch's readings,
// once for both front ends: an engine assessment (deterioration's
// FromAssessment) or a bare NEWS2 score from a monitor board or a stored
// assessment's total and band.
package readings

import (
	"time"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/deterioration"
)

// FromAssessment is the reading of an engine assessment at at.
func FromAssessment(a triage.Assessment, at time.Time) deterioration.Reading {
	return deterioration.FromAssessment(a, at)
}

// FromNEWS2 is the reading of a NEWS2 total at at. A band is claimed only
// for a complete set whose band name the watch knows (low, low-medium,
// medium, high); an incomplete set's total is a lower bound and claims no
// band, as in FromAssessment.
func FromNEWS2(total int, band string, complete bool, at time.Time) deterioration.Reading {
	r := deterioration.Reading{At: at, Total: total}
	if !complete {
		return r
	}
	if b, err := deterioration.ParseBand(band); err == nil && b != deterioration.BandUnknown {
		r.Band, r.Complete = b, true
	}
	return r
}
