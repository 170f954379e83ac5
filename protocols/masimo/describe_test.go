package masimo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeListsThePairsItDoesNotRead(t *testing.T) {
	d, ok := Describe(Record{Extra: []Field{{Key: "RESVD", Value: "00"}}, BadExc: true}).(Described)
	require.True(t, ok)
	assert.Equal(t, []string{"RESVD=00", "EXC (not a hex word)"}, d.NotUnderstood)
}
