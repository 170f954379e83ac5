package ansarb

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeListsTheLinesAndValuesThatAreNotMapped(t *testing.T) {
	m := Message{Params: []Param{
		{Name: "NIBP", Values: []string{"121", "75", "92", "80"}},
		{Name: "SPO2", Values: []string{"100"}, Label: "PR=80 "},
		{Name: "T1", Values: []string{"36.9"}},
	}}
	d, ok := Describe(m).(Described)
	require.True(t, ok)
	assert.Equal(t, []string{"line NIBP: value 4 not mapped (80)", "line T1 (values 36.9): not mapped"}, d.NotUnderstood)
	assert.Equal(t, 200, d.Waves["ecg"])
}
