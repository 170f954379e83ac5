package store

import (
	"bytes"
	"context"
	"flag"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16 item 2: the refusal of a plain-text remote database names the
// one flag that allows it, and the flag, given, warns loudly and lets the
// address through; not given, it changes nothing.
func TestTheInsecurePlaintextFlagIsNamedWarnsAndAllowsAPlaintextRemote(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, "postgres://u:secret@192.0.2.1/db?sslmode=disable")
	require.ErrorIs(t, err, ErrPlaintextRemote)
	assert.Contains(t, err.Error(), "--insecure-plaintext-db-for-testing", "the refusal names the flag")

	parse := func(args ...string) ([]Option, string) {
		fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
		f := AddInsecurePlaintextFlag(fs)
		require.NoError(t, fs.Parse(args))
		var w bytes.Buffer
		return f.Options(&w), w.String()
	}
	opts, warned := parse()
	assert.Empty(t, opts, "not given: no option")
	assert.Empty(t, warned, "not given: no warning")
	opts, warned = parse("--insecure-plaintext-db-for-testing")
	var c config
	for _, o := range opts {
		o(&c)
	}
	assert.True(t, c.insecureRemote, "given: plain text to a remote server is allowed")
	assert.Contains(t, warned, "WARNING")
	assert.Contains(t, warned, "NEVER IN A CLINIC")

	// Live, where it can be: the test server on loopback reached by this
	// machine's name, which the store cannot tell from another machine's.
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Skip("DATABASE_URL not set: the flag's option checked, no server reached through it")
	}
	host, err := os.Hostname()
	if err != nil || strings.EqualFold(host, "localhost") || net.ParseIP(host) != nil {
		t.Skipf("this machine's name (%q) does not stand for a remote host", host)
	}
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		t.Skipf("this machine's name does not resolve: %v", err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.Equal(net.IPv4(127, 0, 0, 1)) {
			t.Skipf("this machine's name resolves to %v, not only to the test server's 127.0.0.1", addrs)
		}
	}
	u, err := url.Parse(pgSchema(t, base))
	require.NoError(t, err)
	if h := u.Hostname(); h != "127.0.0.1" {
		t.Skipf("the test server is at %s, not 127.0.0.1", h)
	}
	u.Host = net.JoinHostPort(host, u.Port())
	remote := u.String()
	_, err = Open(ctx, remote)
	require.ErrorIs(t, err, ErrPlaintextRemote, "plain text to %s without the flag", host)
	s := open(t, remote, opts...)
	n, err := s.VerifyAudit(ctx)
	require.NoError(t, err, "the store works through the flag")
	assert.GreaterOrEqual(t, n, int64(0))
}
