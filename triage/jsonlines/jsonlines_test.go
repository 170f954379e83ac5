package jsonlines

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

type failWriter struct{}

var errFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errFull }

func TestRun(t *testing.T) {
	echo := func(line []byte) ([]byte, bool) {
		return []byte(`"` + string(line) + `"`), string(line) != "bad"
	}
	long := strings.Repeat("x", 11)
	cases := []struct {
		name, in, want string
		failed         int
	}{
		{"empty", "", "", 0},
		{"blank lines give nothing", "\n  \n\t", "", 0},
		{"last line without newline", "a\nb", "\"a\"\n\"b\"\n", 0},
		{"failed line counted", "a\nbad\n", "\"a\"\n\"bad\"\n", 1},
		{"too long line is an error object", "a\n" + long + "\nb\n",
			"\"a\"\n{\"id\":null,\"error\":{\"field\":\"line\",\"message\":\"line longer than 10 bytes\"}}\n\"b\"\n", 1},
		{"too long at end", long, "{\"id\":null,\"error\":{\"field\":\"line\",\"message\":\"line longer than 10 bytes\"}}\n", 1},
	}
	for _, c := range cases {
		var out bytes.Buffer
		failed, err := Run(strings.NewReader(c.in), &out, 10, echo)
		if err != nil || failed != c.failed || out.String() != c.want {
			t.Errorf("%s: got %q failed %d err %v; want %q failed %d", c.name, out.String(), failed, err, c.want, c.failed)
		}
	}
}

func TestRunWriteError(t *testing.T) {
	_, err := Run(strings.NewReader("a\n"), failWriter{}, 10, func(l []byte) ([]byte, bool) { return l, true })
	var ioe *IOError
	if !errors.As(err, &ioe) || ioe.Op != "write" || !errors.Is(err, errFull) || err.Error() != "write: disk full" {
		t.Fatalf("err = %v, want write IOError wrapping errFull", err)
	}
}

func TestErrorLineIDs(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`{"id":"p1","x":[}`, `{"id":null,"error":{"field":"f","message":"m"}}`},
		{`{"id":"p1","x":1}`, `{"id":"p1","error":{"field":"f","message":"m"}}`},
		{`[1]`, `{"id":null,"error":{"field":"f","message":"m"}}`},
	} {
		if got := string(ErrorLine(PeekID([]byte(c.line)), "f", "m")); got != c.want {
			t.Errorf("%s: got %s, want %s", c.line, got, c.want)
		}
	}
}
