package codec_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/codec"
	"github.com/legevakt/workstation/triage/vitals"
)

// lines is a toy protocol for the adapter: every byte is one record.
type lines struct {
	in    []byte
	cur   *byte
	stats codec.Stats
}

func (l *lines) Feed(p []byte) { l.in = append(l.in, p...); l.stats.Bytes += uint64(len(p)) }

func (l *lines) Scan() bool {
	if len(l.in) == 0 {
		return false
	}
	b := l.in[0]
	l.cur, l.in = &b, l.in[1:]
	l.stats.Records++
	return true
}

func (l *lines) Record() *byte      { return l.cur }
func (l *lines) Stats() codec.Stats { return l.stats }

// anyRecord has an interface as its record type, like datex and intellivue.
type anyRecord struct{ lines }

func (a *anyRecord) Record() any {
	if a.cur == nil {
		return nil
	}
	return *a.cur
}

func TestAdaptStampsTheDeviceIDOnEveryObservationAndWave(t *testing.T) {
	host := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	d := codec.Adapt[*byte](&lines{}, "bed-3", codec.Mapping[*byte]{
		Observations: func(r *byte, h time.Time) []vitals.Observation {
			return []vitals.Observation{{Kind: vitals.HR, Value: float64(*r), HostTime: h, Source: "mapping"}, {Kind: vitals.SpO2, Value: 97}}
		},
		Waves: func(r *byte, h time.Time) []vitals.Wave {
			return []vitals.Wave{{Kind: vitals.WaveECG, Samples: []float64{float64(*r)}, HostTime: h}}
		},
	})
	d.Feed([]byte{72, 73})
	require.True(t, d.Scan())
	obs := d.Observations(host)
	require.Len(t, obs, 2)
	for _, o := range obs {
		assert.Equal(t, "bed-3", o.Source, "observation %s carries the configured device id", o.Kind)
	}
	assert.Equal(t, 72.0, obs[0].Value, "HR of the first record")
	assert.Equal(t, host, obs[0].HostTime, "the host time is passed to the mapping")
	waves := d.Waves(host)
	require.Len(t, waves, 1)
	assert.Equal(t, "bed-3", waves[0].Source, "the wave carries the configured device id")
	require.True(t, d.Scan())
	assert.Equal(t, 73.0, d.Observations(host)[0].Value, "HR of the second record")
	assert.False(t, d.Scan(), "two bytes are two records")
	assert.Equal(t, codec.Stats{Bytes: 2, Records: 2}, d.Stats(), "stats are the protocol decoder's own")
}

func TestAdaptWithoutAMappingGivesNothing(t *testing.T) {
	d := codec.Adapt[*byte](&lines{}, "ecg", codec.Mapping[*byte]{})
	d.Feed([]byte{1})
	require.True(t, d.Scan())
	assert.Nil(t, d.Observations(time.Time{}), "a protocol without numerics gives no observations")
	assert.Nil(t, d.Waves(time.Time{}), "a protocol without waveforms gives no waves")
	b, ok := d.Record().(*byte)
	require.True(t, ok, "the record keeps its protocol type behind any, got %T", d.Record())
	assert.Equal(t, byte(1), *b)
}

func TestAdaptOfAnInterfaceRecordIsNilBeforeTheFirstRecord(t *testing.T) {
	d := codec.Adapt[any](&anyRecord{}, "s5", codec.Mapping[any]{})
	assert.Nil(t, d.Record(), "no record yet must be a plain nil, not a typed nil")
	d.Feed([]byte{9})
	require.True(t, d.Scan())
	assert.Equal(t, byte(9), d.Record())
}
