package ecgdrop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/sharedfiles"
)

// sample is a real cart file of shared/ecg12.
func sample(t *testing.T) []byte {
	t.Helper()
	return sharedfiles.Read(t, "ecg12", "ecgtoolkit_example.scp")
}

func TestAFinishedFileIsHandedOnceAndMovedToImported(t *testing.T) {
	data := sample(t)
	dir := t.TempDir()
	var got []string
	w, err := New(dir, func(_ context.Context, name string, b []byte, rec *ecg12.Recording) error {
		got = append(got, name)
		assert.Equal(t, data, b)
		assert.Equal(t, ecg12.FormatSCP, rec.Format)
		return nil
	})
	require.NoError(t, err)
	ctx := context.Background()
	p := filepath.Join(dir, "0001.scp")
	// The cart writes half the file...
	require.NoError(t, os.WriteFile(p, data[:len(data)/2], 0o644))
	rs, err := w.Scan(ctx)
	require.NoError(t, err)
	assert.Empty(t, rs, "first sight: not taken")
	// ...then the rest.
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.Write(data[len(data)/2:])
	require.NoError(t, err)
	require.NoError(t, f.Close())
	rs, err = w.Scan(ctx)
	require.NoError(t, err)
	assert.Empty(t, rs, "it grew since the last scan: not taken")
	rs, err = w.Scan(ctx)
	require.NoError(t, err)
	require.Equal(t, []Result{{Name: "0001.scp", Imported: true}}, rs)
	assert.Equal(t, []string{"0001.scp"}, got)
	fi, err := os.Stat(filepath.Join(dir, ImportedDir, "0001.scp"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	rs, err = w.Scan(ctx)
	require.NoError(t, err)
	assert.Empty(t, rs, "handed once")
}

func TestFilesThatAreNotECGsAreRejectedWithAReason(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, func(_ context.Context, name string, _ []byte, _ *ecg12.Recording) error {
		return errors.New("no open contact for patient SBJ-123")
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".partial"), []byte("x"), 0o644))
	ctx := context.Background()
	_, err = w.Scan(ctx)
	require.NoError(t, err)
	rs, err := w.Scan(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, rs)
	for _, r := range rs {
		assert.False(t, r.Imported)
		reason, err := os.ReadFile(filepath.Join(dir, RejectedDir, r.Name+".reason.txt"))
		require.NoError(t, err)
		assert.Equal(t, r.Reason+"\n", string(reason))
	}
	assert.Contains(t, rs[len(rs)-1].Reason, "not a recognised 12-lead ECG file")
	_, err = os.Stat(filepath.Join(dir, ".partial"))
	assert.NoError(t, err, "hidden files are left alone")
}

func TestAnECGTheHandlerRefusesIsRejectedWithItsReason(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, func(_ context.Context, name string, _ []byte, _ *ecg12.Recording) error {
		return errors.New("no open contact for patient SBJ-123")
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "0002.scp"), sample(t), 0o644))
	ctx := context.Background()
	_, err = w.Scan(ctx)
	require.NoError(t, err)
	rs, err := w.Scan(ctx)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.False(t, rs[0].Imported)
	assert.Contains(t, rs[0].Reason, "no open contact for patient SBJ-123")
	reason, err := os.ReadFile(filepath.Join(dir, RejectedDir, "0002.scp.reason.txt"))
	require.NoError(t, err)
	assert.Equal(t, rs[0].Reason+"\n", string(reason))
}

func TestASecondFileOfTheSameNameIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, func(context.Context, string, []byte, *ecg12.Recording) error { return nil })
	require.NoError(t, err)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "x.bin"), []byte{byte(i)}, 0o644))
		_, err = w.Scan(ctx)
		require.NoError(t, err)
		_, err = w.Scan(ctx)
		require.NoError(t, err)
	}
	for _, n := range []string{"x.bin", "x.bin.1"} {
		_, err := os.Stat(filepath.Join(dir, RejectedDir, n))
		assert.NoError(t, err, n)
	}
}

func TestRunStopsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, func(context.Context, string, []byte, *ecg12.Recording) error { return nil })
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.NoError(t, w.Run(ctx, time.Millisecond, func(Result) {}))
	assert.Error(t, w.Run(context.Background(), 0, func(Result) {}))
}
