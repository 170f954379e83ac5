package capped_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/legevakt/workstation/capped"
	"github.com/legevakt/workstation/capped/cappedtest"
)

func TestReadFileReadsAFileUpToTheCap(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	for _, size := range []int{0, 1, 4096} {
		want := strings.Repeat("x", size)
		if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := capped.ReadFile(path, 4096)
		if err != nil || string(got) != want {
			t.Errorf("size %d: %d bytes, %v; want the whole file", size, len(got), err)
		}
	}
}

func TestReadFileRefusesALargerFileWithoutReadingIt(t *testing.T) {
	// A sparse file of 1 TiB: reading it would take minutes and the
	// memory of the machine.
	path := filepath.Join(t.TempDir(), "huge")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 1<<40); err != nil {
		t.Skipf("no sparse files here: %v", err)
	}
	err := cappedtest.Refuses(t, nil, capped.ErrTooLarge, func() error {
		_, err := capped.ReadFile(path, 1<<20)
		return err
	})
	var tl *capped.TooLargeError
	if !errors.As(err, &tl) || tl.Size != 1<<40 || tl.Limit != 1<<20 || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v: want the path, the size and the cap", err)
	}
}

func TestReadFileEndsAnEndlessStream(t *testing.T) {
	p := cappedtest.EndlessFile(t, "zero", []byte{0}, 0)
	err := cappedtest.Refuses(t, p, capped.ErrTooLarge, func() error {
		_, err := capped.ReadFile(p.Path, 1<<20)
		return err
	})
	if !strings.Contains(err.Error(), "more than 1048576 bytes") {
		t.Errorf("error %q: want the cap named", err)
	}
}

func TestReadRefusesAnEndlessReader(t *testing.T) {
	s := cappedtest.Endless([]byte("# comment\n"), 0)
	cappedtest.Refuses(t, s, capped.ErrTooLarge, func() error {
		_, err := capped.Read(s, "stdin", 1<<20)
		return err
	})
}

func TestReadFileRefusesADirectory(t *testing.T) {
	if _, err := capped.ReadFile(t.TempDir(), 1<<20); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("error %v: want a directory refused", err)
	}
}

func TestReadRegularFileRefusesAPipeBeforeReading(t *testing.T) {
	p := cappedtest.EndlessFile(t, "ecg.xml", []byte("<a>"), 0)
	cappedtest.Refuses(t, p, capped.ErrNotRegular, func() error {
		_, err := capped.ReadRegularFile(p.Path, 64<<20)
		return err
	})
	if p.BytesWritten() > 1<<20 {
		t.Errorf("%d bytes went into the pipe: it was read", p.BytesWritten())
	}
}

func TestLineLimitEndsALineThatNeverEnds(t *testing.T) {
	s := cappedtest.EndlessAfter([]byte("{\"id\":1}\n{\"id\":2}\n{\"note\":\""), []byte("x"), 0)
	err := cappedtest.Refuses(t, s, capped.ErrTooLarge, func() error {
		_, err := io.Copy(io.Discard, capped.LineLimit(s, 1<<20))
		return err
	})
	var le *capped.LineTooLongError
	if !errors.As(err, &le) || le.Line != 3 {
		t.Errorf("error %v: want line 3 named", err)
	}
	// Lines within the limit pass through untouched, however many.
	in := strings.Repeat(strings.Repeat("y", 100)+"\n", 100000)
	out, err := io.ReadAll(capped.LineLimit(strings.NewReader(in), 100))
	if err != nil || string(out) != in {
		t.Errorf("%d bytes, %v; want the input back", len(out), err)
	}
}
