package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/legevakt/workstation/triage/store"
)

// ecg12Store opens the existing database and finds who the ECG command
// acts as (ecg12Actor); a failure is reported on stderr under the
// subcommand's name. flags holds --db, and --user and --role when given.
func ecg12Store(ctx context.Context, sub string, flags map[string]string, stdin io.Reader, stderr io.Writer) (*store.Store, store.Actor, bool) {
	opts := store.InsecurePlaintextOptions(flags[store.InsecurePlaintextFlag] != "", stderr)
	st, err := store.Open(ctx, flags["db"], append(opts, store.WithoutCreate())...)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 %s: %v\n", sub, err)
		return nil, store.Actor{}, false
	}
	me, err := ecg12Actor(ctx, st, flags["user"], store.Role(flags["role"]), stdin, stderr)
	if err != nil {
		st.Close()
		fmt.Fprintf(stderr, "triagectl ecg12 %s: %v\n", sub, err)
		return nil, store.Actor{}, false
	}
	return st, me, true
}

// ecg12Actor is who attach, review, watch and sign act as. Once the
// database has accounts (access control), a personal login asked for on
// the terminal: --user only fills in the name, which still needs the
// password (and the TOTP code when the account has one), and role chooses
// among the account's roles ("" the first). Without accounts, the
// operating-system user: --user never makes anyone else the actor.
func ecg12Actor(ctx context.Context, st *store.Store, user string, role store.Role, stdin io.Reader, stderr io.Writer) (store.Actor, error) {
	if role != "" && !role.Valid() {
		return store.Actor{}, fmt.Errorf("--role %q: want one of reception_nurse, phone_nurse, physician", role)
	}
	if !st.AccessControl() {
		me, err := store.CurrentActor("")
		if err == nil && user != "" && user != me.User {
			fmt.Fprintf(stderr, "triagectl ecg12: this database has no personal logins; acting as the operating-system user %s, not as --user %s\n", me.User, user)
		}
		return me, err
	}
	sess, err := login(ctx, st, newPrompter(stdin, stderr), user, role)
	if err != nil {
		return store.Actor{}, err
	}
	return sess.Actor()
}

const signUsage = "usage: triagectl ecg12 sign ID --db DSN --user NAME [--text TEXT] [--findings CODE,...]\n"

// runECG12Sign signs an ECG as a physician logged in personally: the
// store refuses anyone else (audited), also in a database without
// accounts, where the operating-system user has no role.
func runECG12Sign(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags, pos, err := splitArgs(args, map[string]bool{store.InsecurePlaintextFlag: true}, map[string]bool{"db": true, "user": true, "text": true, "findings": true})
	if flags["help"] != "" {
		fmt.Fprint(stdout, signUsage)
		return 0
	}
	if err == nil && (len(pos) != 1 || flags["db"] == "") {
		err = errors.New("ID and --db are required")
	}
	var id int64
	if err == nil {
		id, err = strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			err = fmt.Errorf("ECG id %q: a number, 1 or more", pos[0])
		}
	}
	in := store.Interpretation{Text: flags["text"]}
	if err == nil && flags["findings"] != "" {
		for _, f := range strings.Split(flags["findings"], ",") {
			in.Findings = append(in.Findings, store.ECGFinding(strings.TrimSpace(f)))
		}
	}
	if err == nil && strings.TrimSpace(in.Text) == "" && len(in.Findings) == 0 {
		err = errors.New("give the interpretation: --text, --findings or both")
	}
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 sign: %v\n%s", err, signUsage)
		return 2
	}
	ctx := context.Background()
	flags["role"] = string(store.RolePhysician)
	st, me, ok := ecg12Store(ctx, "sign", flags, stdin, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	g, err := st.SignECG(ctx, me, id, in)
	if err != nil {
		fmt.Fprintf(stderr, "triagectl ecg12 sign: %v\n", err)
		if errors.Is(err, store.ErrForbidden) && !st.AccessControl() {
			fmt.Fprintln(stderr, "triagectl ecg12 sign: signing needs a physician's personal login; add accounts with `triagectl users add`")
		}
		return 1
	}
	fmt.Fprintf(stdout, "ECG %d signed by %s at %s\n", g.ID, g.SignedBy, g.SignedAt.Local().Format("2006-01-02 15:04"))
	if g.STEMI {
		fmt.Fprintf(stdout, "suspected STEMI: contact %d raised to red (%s)\n", g.EncounterID, store.STEMIReason)
	}
	return 0
}
