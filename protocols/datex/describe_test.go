package datex

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeGivesTheBasicGroupsByNameAndTheRestAsNotUnderstood(t *testing.T) {
	var sub PHDBSubrecord
	sub.Type = Displayed
	b := Basic{}
	b.ECG.Status, b.ECG.HR = GroupExists|GroupActive, 72
	b.Put(&sub.Data)
	sub.Data[200], sub.Data[201] = 0xAB, 0xCD // a group of a class this package does not read
	d, ok := Describe(&PHDB{Header: Header{Number: 4}, Subrecords: []PHDBSubrecord{sub}}).(Described)
	require.True(t, ok)
	assert.Equal(t, uint8(4), d.Header.Number)
	require.Len(t, d.Subrecords, 1)
	require.NotNil(t, d.Subrecords[0].Basic)
	assert.Equal(t, Value(72), d.Subrecords[0].Basic.ECG.HR)
	assert.Equal(t, []string{"@200 abcd"}, d.Subrecords[0].NotUnderstood)
}
