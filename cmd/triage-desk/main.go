// Command triage-desk is the reception desktop of the legevakt triage
// workstation: personal login, registration, triage with live monitor
// vitals, the waiting board and the deterioration watch, the lock screen
// and switching user, and the administrator's screen. The screens live in
// ui-desktop (deskshell is the window); this file only reads flags and
// wires.
//
//	triage-desk [--db DSN] [--devices FILE] [--lang nb|en] [--high-contrast] [--scale 1.2] [--user NAME] [--idle-lock 5m]
//	            [--oidc-issuer URL --oidc-client ID]
//	triage-desk --demo      # temporary seeded database, demo accounts and simulated monitors
//
// Build with -tags accessibility to expose the widgets' labels to screen
// readers (fyne 2.8; implemented by fyne on macOS and Windows).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/legevakt/workstation/identity"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/cmalloc"
	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/deskshell"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
	"github.com/legevakt/workstation/ui-desktop/wire"
	login "github.com/legevakt/workstation/workstation/session"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	start := time.Now()
	if os.Getenv("GOGC") == "" {
		// The heap is small (10-17 MB live, most of it parsed fonts) and
		// mostly short-lived raster and text garbage; collecting at +25%
		// instead of Go's +100% keeps 3-4 MiB less resident than +50%
		// for no measurable CPU, and scales with the heap, unlike a
		// fixed memory limit (docs/PERFORMANCE.md, "Memory, third pass").
		debug.SetGCPercent(25)
	}
	// Before the OpenGL driver starts its threads (docs/PERFORMANCE.md,
	// "Memory, third pass"): fewer malloc arenas, large blocks mapped
	// apart; the free pages are given back every minute below.
	if _, err := cmalloc.LimitArenas(cArenas); err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 1
	}
	if _, err := cmalloc.FixMmapThreshold(cMmapThreshold); err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 1
	}
	var o wire.Options
	var timing bool
	var scale float64
	fs := flag.NewFlagSet("triage-desk", flag.ContinueOnError)
	fs.StringVar(&o.DB, "db", "", "SQLite file or postgres:// URL (default: the user's data directory)")
	insecure := store.AddInsecurePlaintextFlag(fs)
	fs.BoolVar(&o.Demo, "demo", false, "temporary seeded database and simulated monitors; removed on exit")
	fs.IntVar(&o.DemoPatients, "demo-patients", 120, "encounters in the demo day")
	fs.DurationVar(&o.DemoDeterioration, "demo-deterioration", wire.DemoDeterioration, "how long the demo's septic patient takes to deteriorate")
	fs.StringVar(&o.Lang, "lang", "nb", "language: nb (bokmål) or en")
	fs.BoolVar(&o.HighContrast, "high-contrast", false, "start in the high-contrast theme (Ctrl+H toggles)")
	fs.Float64Var(&scale, "scale", 1, "text scale, 0.8-2.5 (Ctrl+= and Ctrl+- change it)")
	fs.StringVar(&o.DevicesFile, "devices", "", "the workstation's device file (TOML, docs/devices.md)")
	fs.StringVar(&o.ECGDir, "ecg-dir", "", "folder the ECG file picker starts in (the carts' export folder; default: the home folder)")
	fs.StringVar(&o.User, "user", "", "pre-fill the login page's user name (the password is still needed)")
	fs.StringVar(&o.OIDCIssuer, "oidc-issuer", "", "the clinic's identity provider (OpenID Connect issuer URL), offered beside password login")
	fs.StringVar(&o.OIDCClient, "oidc-client", "", "this program's client id at the identity provider")
	fs.DurationVar(&o.IdleLock, "idle-lock", identity.DefaultIdle, fmt.Sprintf("lock the screen after this long without use (%s to %s)", minIdle, maxIdle))
	fs.BoolVar(&timing, "timing", false, "print the time from start to a shown window on stderr")
	var pprofAddr string
	fs.StringVar(&pprofAddr, "pprof", "", "serve Go's runtime profiles (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6061, for memory measurements (docs/PERFORMANCE.md)")
	var stateFile string
	fs.StringVar(&stateFile, "state-file", "", "keep a JSON snapshot of the screens' state (no patient data) in this file, for automation and tests")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "triage-desk: unexpected argument %q (flags start with --)\n", fs.Arg(0))
		return 2
	}
	o.Scale = float32(scale)
	if o.IdleLock < minIdle || o.IdleLock > maxIdle {
		fmt.Fprintf(os.Stderr, "triage-desk: --idle-lock %s: want %s to %s (e.g. 5m)\n", o.IdleLock, minIdle, maxIdle)
		return 2
	}
	lang, err := i18n.Parse(o.Lang)
	if err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 2
	}
	if o.Demo && o.User == "" {
		o.User = "resepsjon" // the demo's reception nurse; the page shows the demo password
	}
	if pprofAddr != "" {
		if err := servePprof(pprofAddr); err != nil {
			fmt.Fprintln(os.Stderr, "triage-desk:", err)
			return 2
		}
	}

	// The identity provider's login page opens in the system browser
	// (RFC 8252), through fyne once the app runs.
	o.OpenBrowser = func(s string) error {
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		return fyne.CurrentApp().OpenURL(u)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go cmalloc.TrimEvery(ctx, cTrimEvery)
	o.DBOptions = insecure.Options(os.Stderr)
	wired, closeAll, err := wire.Setup(ctx, o)
	defer closeAll()
	if errors.Is(err, login.ErrNoAccounts) {
		fmt.Fprintln(os.Stderr, "triage-desk:", lang.T("login.noaccounts"))
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 1
	}
	setup := time.Since(start)
	a := app.NewWithID("no.legevakt.triage-desk")
	desktheme.LeaveOutEmojiFont()                     // docs/PERFORMANCE.md, memory
	desktheme.ReleaseFontsOnThemeChange(a.Settings()) // docs/PERFORMANCE.md, memory
	a.Settings().SetTheme(wired.Deps.Theme)           // the login page in the chosen theme too
	w := a.NewWindow("")
	var sh *deskshell.Shell
	sh = deskshell.New(deskshell.Config{Window: w, Gate: wired.Gate, Current: wired.Current, Lang: lang,
		Workstation: wired.Workstation, User: o.User, Demo: o.Demo, Roles: wire.DeskRoles, Idle: wired.Gate.Idle(),
		NewDesk: func(user string) (*desk.App, error) { return desk.New(wired.Desk(user, sh.Actions())) },
		Drafts:  wired.Drafts, Admin: wired.Admin, Lookup: wired.Lookup, Logf: log.Printf})
	w.Resize(fyne.NewSize(1280, 860))
	if timing {
		a.Lifecycle().SetOnStarted(func() {
			fmt.Fprintf(os.Stderr, "triage-desk: window shown %d ms after start (store and wiring %d ms)\n",
				time.Since(start).Milliseconds(), setup.Milliseconds())
		})
	}
	// fyne quits on SIGINT and SIGTERM; a closed terminal (SIGHUP) must
	// end the same way, so that the demo's files are removed.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		select {
		case <-hup:
			fyne.Do(a.Quit)
		case <-ctx.Done():
		}
	}()
	sh.Start()
	if stateFile != "" {
		go writeState(ctx, sh, stateFile)
	}
	w.ShowAndRun()
	sh.Stop()
	return 0
}

// The C allocator's settings (package cmalloc; measured in
// docs/PERFORMANCE.md, "Memory, third pass").
const (
	cArenas        = 2
	cMmapThreshold = 128 << 10
	cTrimEvery     = time.Minute
)

// The accepted inactivity lock: below half a minute the screen would lock
// while a nurse reads; above 8 hours (a shift) it would never lock.
const (
	minIdle = 30 * time.Second
	maxIdle = 8 * time.Hour
)

// writeState keeps stateFile up to date with the app's State, read on the
// UI goroutine every 50 ms and written (atomically, owner-only) when it
// changed, so a driver can wait for exactly the state its next key needs.
func writeState(ctx context.Context, d *deskshell.Shell, stateFile string) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	got := make(chan deskshell.State, 1)
	var last []byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fyne.Do(func() {
			select {
			case got <- d.State():
			default:
			}
		})
		var st deskshell.State
		select {
		case <-ctx.Done():
			return
		case st = <-got:
		}
		b, err := json.Marshal(st)
		if err != nil || bytes.Equal(b, last) {
			continue
		}
		tmp := filepath.Join(filepath.Dir(stateFile), "."+filepath.Base(stateFile)+".tmp")
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "triage-desk: state file:", err)
			return
		}
		if err := os.Rename(tmp, stateFile); err != nil {
			fmt.Fprintln(os.Stderr, "triage-desk: state file:", err)
			return
		}
		last = b
	}
}
