package intellivue

import (
	"time"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// streamCodec adapts Decoder to codec.Decoder and stamps the device id.
type streamCodec struct {
	d      Decoder
	source string
}

// NewCodec returns the IntelliVue decoder behind the protocols/codec
// contract. Observations and waves carry cfg.DeviceID as their source.
func NewCodec(cfg codec.Config) codec.Decoder { return &streamCodec{source: cfg.DeviceID} }

func (c *streamCodec) Feed(p []byte)      { c.d.Feed(p) }
func (c *streamCodec) Scan() bool         { return c.d.Scan() }
func (c *streamCodec) Stats() codec.Stats { return c.d.Stats() }

// Record returns the current Record (one of the record types of this
// package, as a pointer), or nil.
func (c *streamCodec) Record() any {
	if r := c.d.Record(); r != nil {
		return r
	}
	return nil
}

func (c *streamCodec) Observations(hostTime time.Time) []vitals.Observation {
	r := c.d.Record()
	if r == nil {
		return nil
	}
	out := Observations(r, hostTime)
	for i := range out {
		out[i].Source = c.source
	}
	return out
}

func (c *streamCodec) Waves(hostTime time.Time) []vitals.Wave {
	out := c.d.Waves(hostTime)
	for i := range out {
		out[i].Source = c.source
	}
	return out
}
