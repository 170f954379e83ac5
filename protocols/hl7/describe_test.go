package hl7

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/protocols/codec"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeNamesTheResultsAndListsWhatIsNotRead(t *testing.T) {
	m, _, err := ParseMessage([]byte("MSH|^~\\&|MON|ICU|||20261122140000||ORU^R01|1|P|2.6\rPID|||123\rOBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F\rOBX|2|NM|99999^Mystery^L||5|1|||||F\r"))
	require.NoError(t, err)
	d, ok := Describe(m).(Described)
	require.True(t, ok)
	assert.Equal(t, "ORU", d.Header.MessageCode)
	require.Len(t, d.Results, 2)
	assert.Equal(t, []string{"segment PID (3 fields)", "OBX 2: 99999^Mystery^L maps to no vital"}, d.NotUnderstood)
}

func TestAnAlarmOBXBecomesATechnicalOrAlarmEvent(t *testing.T) {
	m, _, err := ParseMessage([]byte("MSH|^~\\&|MON|ICU|||20261122140000||ORU^R01|1|P|2.6\rOBX|7|ST|0002-4182^MDC_ATTR_ALARM^MDC|1.1|lead off\\.br\\check electrodes|||||||F\rOBX|8|ST|0002-4182^MDC_ATTR_ALARM^MDC|1.2|HR HIGH 150|||||||F\r"))
	require.NoError(t, err)
	texts := TextsIn(m, time.Time{}, time.UTC)
	require.Len(t, texts, 2)
	assert.Equal(t, codec.EventTechnical, texts[0].Kind)
	assert.Equal(t, "lead off; check electrodes", texts[0].Text)
	assert.Equal(t, "1.1", texts[0].Param)
	assert.Equal(t, codec.EventAlarm, texts[1].Kind)
	assert.Equal(t, "HR HIGH 150", texts[1].Text)
	d := Describe(m).(Described)
	assert.Empty(t, d.NotUnderstood, "alarm OBX are read")
}
