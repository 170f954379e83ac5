package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

// prompter asks for input on stderr: from the terminal without echo for
// secrets, or one line at a time from a piped stdin (scripts, tests).
type prompter struct {
	in     io.Reader
	out    io.Writer
	lines  *bufio.Reader
	isTerm bool
	fd     int
}

func newPrompter(in io.Reader, out io.Writer) *prompter {
	p := &prompter{in: in, out: out}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.isTerm, p.fd = true, int(f.Fd())
	}
	if in != nil {
		p.lines = bufio.NewReaderSize(in, 1024)
	}
	return p
}

// line reads one answer; secret ones are not echoed on a terminal.
func (p *prompter) line(prompt string, secret bool) (string, error) {
	fmt.Fprint(p.out, prompt)
	if p.isTerm && secret {
		b, err := term.ReadPassword(p.fd)
		fmt.Fprintln(p.out)
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", strings.TrimSuffix(prompt, ": "), err)
		}
		return string(b), nil
	}
	if p.lines == nil {
		return "", fmt.Errorf("%sno input", prompt)
	}
	s, err := p.lines.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", fmt.Errorf("%sno input", prompt)
	}
	if !p.isTerm {
		fmt.Fprintln(p.out)
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// login asks for the password of user (a pre-filled name: it still needs
// the password; empty asks for the name too) and, when the account has
// one, the TOTP code. No flag or environment variable replaces this.
func login(ctx context.Context, s *store.Store, p *prompter, user string, role store.Role) (*identity.Session, error) {
	host, _ := os.Hostname()
	auth := &identity.Authenticator{Accounts: s, Workstation: host}
	if user == "" {
		var err error
		if user, err = p.line("User name: ", false); err != nil {
			return nil, err
		}
	}
	pw, err := p.line("Password for "+user+": ", true)
	if err != nil {
		return nil, err
	}
	req := identity.LoginRequest{Username: user, Password: pw, Role: role}
	sess, err := auth.Login(ctx, req)
	if errors.Is(err, identity.ErrTOTPRequired) {
		if req.TOTP, err = p.line("Code from your authenticator app: ", true); err != nil {
			return nil, err
		}
		sess, err = auth.Login(ctx, req)
	}
	return sess, err
}
