// Command triage-tui is the phone-triage terminal for the nurses of the
// 116117 phone centre: call flow, queue board and monitor board.
//
//	triage-tui [--db DSN] [--config FILE] [--lang nb|en] [--nurse NAME] [--index FILE]
//	           [--idle-lock DURATION] [--oidc-issuer URL --oidc-client ID]
//	triage-tui --demo
//
// Every nurse logs in with their own account (docs/tui.md): --nurse only
// pre-fills the user name. A database without accounts is refused. The
// screen locks after --idle-lock without a key (default 5m, 10s to 1h).
//
// --demo runs on a fresh temporary SQLite database seeded with a realistic
// day, demo accounts (telefon and lege, password demo-legevakt) and
// simulated monitors on pseudo-terminals; everything is removed on exit. The screens live in ui-tui, the wiring in ui-tui/wire; this
// command only reads its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-tui/wire"
)

// The accepted inactivity lock: long enough to type a call, short enough
// that an unattended screen does not stay open for long (Normen fact
// sheet 14).
const (
	minIdle = 10 * time.Second
	maxIdle = time.Hour
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("triage-tui", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o wire.Options
	fs.BoolVar(&o.Demo, "demo", false, "fresh temporary database with a seeded queue and simulated monitors")
	fs.StringVar(&o.DB, "db", "", "database: a SQLite file path or a postgres:// URL (default: the user's data directory)")
	insecure := store.AddInsecurePlaintextFlag(fs)
	fs.StringVar(&o.Config, "config", "", "device configuration file (TOML, docs/devices.md): the monitors attached to this workstation")
	fs.StringVar(&o.Lang, "lang", "", "language: nb (bokmål) or en (default: from LC_ALL/LC_MESSAGES/LANG, else nb)")
	fs.StringVar(&o.Nurse, "nurse", "", "pre-fills the user name on the login screen (the password is still asked for)")
	idle := fs.String("idle-lock", "5m", "lock the screen after this long without a key (10s to 1h, e.g. 2m)")
	fs.StringVar(&o.OIDCIssuer, "oidc-issuer", "", "the clinic's identity provider (OpenID Connect issuer URL), offered beside password login")
	fs.StringVar(&o.OIDCClient, "oidc-client", "", "this program's client id at the identity provider")
	fs.StringVar(&o.Index, "index", "", "the clinic's licensed phone criteria index file (default: the built-in demonstration index)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triage-tui: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	switch strings.ToLower(o.Lang) {
	case "", "nb", "no", "nob", "en":
	default:
		// A typo must not quietly give another language than asked for.
		fmt.Fprintf(stderr, "triage-tui: --lang %q: want nb (bokmål) or en\n", o.Lang)
		return 2
	}
	d, err := time.ParseDuration(strings.TrimSpace(*idle))
	if err != nil || d < minIdle || d > maxIdle {
		fmt.Fprintf(stderr, "triage-tui: --idle-lock %q: want a duration from %s to %s, e.g. 5m\n", *idle, minIdle, maxIdle)
		return 2
	}
	o.Idle = d
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	o.DBOptions = insecure.Options(stderr)
	w, err := wire.Setup(ctx, o, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "triage-tui: %v\n", err)
		return 1
	}
	defer w.Close()
	p := tea.NewProgram(w.App, tea.WithContext(ctx))
	w.Start(ctx, p.Send)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil {
		fmt.Fprintf(stderr, "triage-tui: %v\n", err)
		return 1
	}
	return 0
}
