package deterioration

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A monitor taken off a patient (Untrack) and put back on (Track) must not
// reuse alert ids: Alert.ID is "<encounter>#<n>, n counting from 1 per
// encounter", and Acknowledge finds alerts by id.
func TestAlertIDsStayUniqueAfterUntrackAndTrack(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 1, BandLow)))
	first, raised, err := w.Observe(enc, rd(1, 4, BandLow))
	require.NoError(t, err)
	require.True(t, raised)

	w.Untrack(enc) // monitor taken over by another patient; alert still open
	require.NoError(t, w.Track(enc, rd(10, 1, BandLow)))
	folded, raised, err := w.Observe(enc, rd(11, 7, BandHigh))
	require.NoError(t, err)
	require.True(t, raised)
	assert.Equal(t, first.ID, folded.ID, "one open alert per patient, across untrack and track")

	_, err = w.Acknowledge(folded.ID, "kari", rd(12, 0, BandLow).At, "")
	require.NoError(t, err)
	w.Untrack(enc)
	require.NoError(t, w.Track(enc, rd(20, 1, BandLow)))
	second, raised, err := w.Observe(enc, rd(21, 7, BandHigh))
	require.NoError(t, err)
	require.True(t, raised)
	assert.NotEqual(t, first.ID, second.ID, "two alerts of one encounter share an id")
	_, err = w.Acknowledge(second.ID, "kari", rd(22, 0, BandLow).At, "")
	require.NoError(t, err, "acknowledge %s", second.ID)
	assert.Empty(t, w.Open(), "an open alert could not be acknowledged")
}
