package datex

import "github.com/legevakt/workstation/protocols/codec"

// NewCodec returns the S/5 decoder behind the protocols/codec contract.
// Records are a *PHDBRequest, *WaveRequest, *PHDB or *WaveRecord.
// Observations and waves carry cfg.DeviceID as their source.
func NewCodec(cfg codec.Config) codec.Decoder {
	return codec.Adapt[Record](NewDecoder(), cfg.DeviceID, codec.Mapping[Record]{Observations: Observations, Waves: Waves})
}
