package main

import (
	"context"
	"fmt"
	"io"

	"github.com/legevakt/workstation/triage/store"
)

// recordsActor is who the outbox and export commands act as: the
// operating-system user while the database has no accounts; once it has
// (access control), a personal login with a clinical role (the outbox
// holds patient data), asked for on the terminal like every login.
func recordsActor(ctx context.Context, st *store.Store, user, role string, stdin io.Reader, stderr io.Writer) (store.Actor, error) {
	if !st.AccessControl() {
		return store.CurrentActor("")
	}
	r := store.Role(role)
	if r != store.RoleReception && r != store.RolePhone && r != store.RolePhysician {
		return store.Actor{}, fmt.Errorf("this database has personal logins: give --user and --role (reception_nurse, phone_nurse or physician; the outbox holds patient data)")
	}
	sess, err := login(ctx, st, newPrompter(stdin, stderr), user, r)
	if err != nil {
		return store.Actor{}, err
	}
	return sess.Actor()
}
