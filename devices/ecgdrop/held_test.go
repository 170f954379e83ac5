package ecgdrop

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
)

// A handler's error wrapping ErrHeld moves the file to held/ with its
// reason, not to rejected/, and the result says so; any other error still
// rejects.
func TestAFileTheHandlerHoldsMovesToHeldWithItsReason(t *testing.T) {
	data := sample(t)
	dir := t.TempDir()
	w, err := New(dir, func(_ context.Context, name string, _ []byte, _ *ecg12.Recording) error {
		if name == "hold.scp" {
			return fmt.Errorf("%w: recorded_old", ErrHeld)
		}
		return fmt.Errorf("refused")
	})
	require.NoError(t, err)
	for _, n := range []string{"hold.scp", "refuse.scp"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), data, 0o644))
	}
	ctx := context.Background()
	_, err = w.Scan(ctx)
	require.NoError(t, err)
	rs, err := w.Scan(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Result{
		{Name: "hold.scp", Held: true, Reason: "held for confirmation: recorded_old"},
		{Name: "refuse.scp", Reason: "refused"},
	}, rs)
	fi, err := os.Stat(filepath.Join(dir, HeldDir, "hold.scp"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "held files hold patient data: owner-only")
	reason, err := os.ReadFile(filepath.Join(dir, HeldDir, "hold.scp.reason.txt"))
	require.NoError(t, err)
	assert.Equal(t, "held for confirmation: recorded_old\n", string(reason))
	_, err = os.Stat(filepath.Join(dir, RejectedDir, "refuse.scp"))
	assert.NoError(t, err)
	di, err := os.Stat(filepath.Join(dir, HeldDir))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
}
