package devices

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestASimulatorPublishesItsPtyAndCleansUpOnClose(t *testing.T) {
	noLeaks(t)
	link := filepath.Join(t.TempDir(), "monitor")
	sim, err := StartSimulator(context.Background(), "masimo", nil, WithLinkPath(link))
	require.NoError(t, err)
	assert.Equal(t, link, sim.Path())
	target, err := os.Readlink(link)
	require.NoError(t, err)
	assert.Equal(t, sim.TTY(), target)
	assert.Contains(t, target, "/dev/pts/")
	require.NoError(t, sim.Close())
	_, err = os.Lstat(link)
	assert.ErrorIs(t, err, os.ErrNotExist, "the published path is removed")
	assert.NoError(t, sim.Err())
}

func TestASimulatorWithoutAReaderDropsBytesInsteadOfStalling(t *testing.T) {
	noLeaks(t)
	// At 50 times real time the ECG board's 250 lines/s fill the pty's
	// buffer within a second; nobody reads, so bytes are dropped and counted.
	sim, err := StartSimulator(context.Background(), "ecgascii", nil, WithClock(fastClock(50), nil))
	require.NoError(t, err)
	defer sim.Close()
	require.Eventually(t, func() bool { return sim.Stats().Dropped > 0 }, 30*time.Second, 10*time.Millisecond)
	assert.Positive(t, sim.Stats().BytesOut)
}

func TestStartSimulatorRefusesAnUnknownProfile(t *testing.T) {
	_, err := StartSimulator(context.Background(), "drager", nil)
	assert.ErrorContains(t, err, `unknown profile "drager"`)
}

func TestAPTYWithNoDriverDropsWritesAfterAShortWait(t *testing.T) {
	noLeaks(t)
	p, err := OpenPTY()
	require.NoError(t, err)
	defer p.Close()
	chunk := make([]byte, 4096)
	var werr error
	for range 64 { // 256 KiB: far more than the kernel buffers
		if _, werr = p.Write(chunk); werr != nil {
			break
		}
	}
	assert.ErrorIs(t, werr, errWriteTimeout)
}
