package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
)

func init() {
	register(command{name: "users", summary: "personal accounts: users add|disable|reset|list (an administrator's login)", run: runUsers})
}

const usersUsage = `usage: triagectl users add|disable|reset|list [--db DSN] [--user ADMIN] ...

  users add NAME --role ROLE[,ROLE] [--service reception|phone] [--display-name TEXT] [--totp]
            [--oidc-issuer URL --oidc-subject SUB]   (logs in at the identity provider; no password)
  users disable NAME        (also: users enable NAME)
  users reset NAME [--totp | --no-totp]   a new password; ends a lock
  users list

Roles: reception_nurse, phone_nurse, physician, biomed_engineer, administrator, integration
(integration: the record sender's service identity, alone, no service; docs/records.md).
Every command asks for an administrator's password (--user pre-fills the
name only). The very first account, on a database without accounts, is
made without a login and must be an administrator's.`

// runUsers manages accounts. Exit 0 done, 1 refused or failed, 2 usage.
func runUsers(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, usersUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("users "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "database: a SQLite file path or a postgres:// URL")
	insecure := store.AddInsecurePlaintextFlag(fs)
	admin := fs.String("user", "", "the administrator's user name (the password is still asked for)")
	roles := fs.String("role", "", "roles, comma-separated")
	service := fs.String("service", "", "reception or phone: the queue the user works in")
	display := fs.String("display-name", "", "the user's full name as shown")
	withTOTP := fs.Bool("totp", false, "give the account a TOTP second factor (prints the otpauth:// URL)")
	noTOTP := fs.Bool("no-totp", false, "reset: remove the TOTP second factor")
	oidcIssuer := fs.String("oidc-issuer", "", "add: the identity provider (OpenID Connect issuer URL) of an account that logs in there")
	oidcSubject := fs.String("oidc-subject", "", "add: the user's subject (sub) at that provider; no password is set")
	switch sub {
	case "add", "disable", "enable", "reset", "list":
	default:
		fmt.Fprintln(stderr, usersUsage)
		return 2
	}
	// The account name comes first or after the flags.
	rest := args[1:]
	var name string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triagectl users %s: unexpected argument %q\n", sub, fs.Arg(0))
		return 2
	}
	if (sub == "list") != (name == "") {
		fmt.Fprintln(stderr, usersUsage)
		return 2
	}
	var rs []store.Role
	if sub == "add" {
		for _, r := range strings.Split(*roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				if !store.Role(r).Valid() {
					fmt.Fprintf(stderr, "triagectl users add: --role %q: want one or more of reception_nurse, phone_nurse, physician, biomed_engineer, administrator, integration\n", r)
					return 2
				}
				rs = append(rs, store.Role(r))
			}
		}
		if len(rs) == 0 {
			fmt.Fprintln(stderr, "triagectl users add: --role is required (a user without a role can do nothing)")
			return 2
		}
		if *service != "" && *service != string(store.ServiceReception) && *service != string(store.ServicePhone) {
			fmt.Fprintf(stderr, "triagectl users add: --service %q: want reception or phone\n", *service)
			return 2
		}
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *db, insecure.Options(stderr)...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl users: %v\n", err)
		return 1
	}
	defer s.Close()
	p := newPrompter(stdin, stderr)

	first := false
	if sub == "add" {
		first = !s.AccessControl()
	}
	var actor store.Actor
	if first {
		// No account yet: the first one is made by whoever runs this
		// with access to the database, and must be an administrator's.
		actor, err = store.CurrentActor("")
	} else {
		var sess *identity.Session
		sess, err = login(ctx, s, p, *admin, store.RoleAdmin)
		if err == nil {
			actor, err = sess.Actor()
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl users %s: %v\n", sub, err)
		return 1
	}
	oid := [2]string{*oidcIssuer, *oidcSubject}
	if err := usersDo(ctx, s, p, actor, sub, name, rs, store.Service(*service), *display, *withTOTP, *noTOTP, oid, stdout); err != nil {
		fmt.Fprintf(stderr, "triagectl users %s: %v\n", sub, err)
		return 1
	}
	return 0
}

// newPassword asks for a new password twice.
func newPassword(p *prompter, name string) (string, error) {
	pw, err := p.line("New password for "+name+": ", true)
	if err != nil {
		return "", err
	}
	again, err := p.line("Again: ", true)
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("the two passwords differ")
	}
	return identity.HashPassword(pw)
}

func usersDo(ctx context.Context, s *store.Store, p *prompter, actor store.Actor, sub, name string, rs []store.Role,
	svc store.Service, display string, withTOTP, noTOTP bool, oid [2]string, stdout io.Writer) error {
	switch sub {
	case "list":
		us, err := s.Users(ctx, actor)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USER\tNAME\tROLES\tSERVICE\tLOGIN\tSTATE")
		for _, u := range us {
			var roles []string
			for _, r := range u.Roles {
				roles = append(roles, string(r))
			}
			login := "password"
			if u.OIDCSubject != "" {
				login = "oidc"
			}
			if u.HasTOTP {
				login += "+totp"
			}
			state := "active"
			if u.Disabled {
				state = "disabled"
			} else if !u.LockedUntil.IsZero() {
				state = "locked until " + u.LockedUntil.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, strings.Join(roles, ","), u.Service, login, state)
		}
		return w.Flush()
	case "add":
		nu := store.NewUser{Username: name, DisplayName: display, Roles: rs, Service: svc, OIDCIssuer: oid[0], OIDCSubject: oid[1]}
		if (oid[0] == "") != (oid[1] == "") {
			return fmt.Errorf("--oidc-issuer and --oidc-subject go together")
		}
		if oid[1] == "" {
			hash, err := newPassword(p, name)
			if err != nil {
				return err
			}
			nu.PasswordHash = hash
		}
		var err error
		url := ""
		if withTOTP {
			if nu.TOTPSecret, url, err = identity.NewTOTP("Legevakt", name); err != nil {
				return err
			}
		}
		if _, err := s.CreateUser(ctx, actor, nu); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s\n", name)
		if url != "" {
			// Shown once, to the administrator setting the phone up.
			fmt.Fprintf(stdout, "TOTP: add this to the user's authenticator app: %s\n", url)
		}
	case "disable", "enable":
		v := sub == "disable"
		if _, err := s.ChangeUser(ctx, actor, name, store.AccountChange{Disabled: &v}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd %s (running sessions are refused within a minute)\n", sub, name)
	case "reset":
		hash, err := newPassword(p, name)
		if err != nil {
			return err
		}
		c := store.AccountChange{PasswordHash: &hash}
		url := ""
		switch {
		case withTOTP:
			var secret string
			if secret, url, err = identity.NewTOTP("Legevakt", name); err != nil {
				return err
			}
			c.TOTPSecret = &secret
		case noTOTP:
			empty := ""
			c.TOTPSecret = &empty
		}
		if _, err := s.ChangeUser(ctx, actor, name, c); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "reset %s\n", name)
		if url != "" {
			fmt.Fprintf(stdout, "TOTP: add this to the user's authenticator app: %s\n", url)
		}
	}
	return nil
}
