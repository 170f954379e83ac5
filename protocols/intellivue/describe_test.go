package intellivue

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeNamesWhatItReadsAndListsTheRestAsNotUnderstood(t *testing.T) {
	p := &PollResult{InvokeID: 3, PollNumber: 1, ObjectType: 6, Contexts: []PollContext{{Objects: []PollObject{{
		Handle: 7,
		Attributes: []Attribute{
			{ID: AttrNuObs, Value: AppendNuObs(nil, PhysioECGHR, 0, 0x0AA0, 0x00000048)},
			{ID: 0x0911, Value: []byte{0xCA, 0xFE}},
		},
	}}}}}
	d, ok := Describe(p).(Described)
	require.True(t, ok)
	require.NotNil(t, d.Poll)
	require.Len(t, d.Poll.Objects, 1)
	o := d.Poll.Objects[0]
	require.Len(t, o.Numerics, 1)
	assert.Equal(t, uint16(PhysioECGHR), o.Numerics[0].PhysioID)
	assert.Equal(t, []string{"0x0950 NOM_ATTR_NU_VAL_OBS (10 bytes)"}, o.Attributes)
	assert.Equal(t, []string{"attribute 0x0911: cafe"}, o.NotUnderstood)
	assert.Equal(t, Described{Record: &ReleaseRequest{}}, Describe(&ReleaseRequest{}))
}
