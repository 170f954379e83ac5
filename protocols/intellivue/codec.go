package intellivue

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// NewCodec returns the IntelliVue decoder behind the protocols/codec
// contract. Records are the record types of this package, as pointers.
// Observations and waves carry cfg.DeviceID as their source. Waves come
// from the decoder, not the record alone: it keeps the sample period and
// scale the monitor announced earlier in the conversation. Likewise the
// ECG heart rate is Invalid while the decoder's ECG is lead-off
// (Decoder.ECGLeadsOff), whatever the numeric's own state says.
func NewCodec(cfg codec.Config) codec.Decoder {
	d := NewDecoder()
	return codec.Adapt[Record](d, cfg.DeviceID, codec.Mapping[Record]{
		Observations: func(r Record, hostTime time.Time) []vitals.Observation {
			obs := Observations(r, hostTime)
			if d.ECGLeadsOff() {
				for i := range obs {
					if obs[i].Kind == vitals.HR {
						obs[i].Quality = vitals.Invalid
					}
				}
			}
			return obs
		},
		Waves: func(_ Record, hostTime time.Time) []vitals.Wave { return d.Waves(hostTime) },
	})
}
