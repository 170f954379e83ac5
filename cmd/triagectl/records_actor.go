package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/records/outbox"
	"github.com/legevakt/workstation/triage/store"
)

// recordsActor is who the outbox and export commands act as: the
// operating-system user while the database has no accounts; once it has
// (access control), a personal login in one of roles (the outbox holds
// patient data; bulk export is the integration role's duty), asked for
// on the terminal like every login. The store checks the role again.
func recordsActor(ctx context.Context, st *store.Store, user, role string, roles []store.Role, stdin io.Reader, stderr io.Writer) (store.Actor, error) {
	if !st.AccessControl() {
		return store.CurrentActor("")
	}
	r := store.Role(role)
	if !slices.Contains(roles, r) {
		names := make([]string, len(roles))
		for i, x := range roles {
			names[i] = string(x)
		}
		return store.Actor{}, fmt.Errorf("this database has personal logins: give --user and --role (%s; docs/records.md)", strings.Join(names, ", "))
	}
	sess, err := login(ctx, st, newPrompter(stdin, stderr), user, r)
	if err != nil {
		return store.Actor{}, err
	}
	return sess.Actor()
}

// senderActor logs the record sender in as its service identity: the
// account in [sender] of the records configuration, in the role
// integration, with the password from its owner-only file. The store
// re-checks the account on every call, so disabling it stops the sender
// within a minute (docs/security.md).
func senderActor(ctx context.Context, st *store.Store, configPath string) (store.Actor, error) {
	cfg, err := outbox.LoadConfig(configPath)
	if err != nil {
		return store.Actor{}, err
	}
	pw, err := cfg.Sender.Password()
	if err != nil {
		return store.Actor{}, err
	}
	host, _ := os.Hostname()
	auth := &identity.Authenticator{Accounts: st, Workstation: host}
	sess, err := auth.Login(ctx, identity.LoginRequest{Username: cfg.Sender.User, Password: pw, Role: store.RoleIntegration})
	if err != nil {
		return store.Actor{}, fmt.Errorf("the sender's service identity %q: %w", cfg.Sender.User, err)
	}
	// The session's idle lock is for people at a screen; the sender is
	// checked by the store instead (account enabled, role held).
	return sess.Actor()
}
