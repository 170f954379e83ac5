// Command triage-desk is the reception desktop of the legevakt triage
// workstation: registration, triage with live monitor vitals, the waiting
// board and the deterioration watch. The screens live in ui-desktop/desk;
// this file only reads flags and wires.
//
//	triage-desk [--db DSN] [--devices FILE] [--lang nb|en] [--high-contrast] [--scale 1.2] [--user NAME]
//	triage-desk --demo      # temporary seeded database and simulated monitors
//
// Build with -tags accessibility to expose the widgets' labels to screen
// readers (fyne 2.8; implemented by fyne on macOS and Windows).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/legevakt/workstation/ui-desktop/desk"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/wire"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	start := time.Now()
	if os.Getenv("GOGC") == "" {
		// The heap is small and mostly short-lived raster and text
		// garbage; collecting at +50% instead of +100% costs little CPU
		// and keeps the workstation well inside its 200 MB budget
		// (docs/PERFORMANCE.md).
		debug.SetGCPercent(50)
	}
	var o wire.Options
	var timing bool
	var scale float64
	fs := flag.NewFlagSet("triage-desk", flag.ContinueOnError)
	fs.StringVar(&o.DB, "db", "", "SQLite file or postgres:// URL (default: the user's data directory)")
	fs.BoolVar(&o.Demo, "demo", false, "temporary seeded database and simulated monitors; removed on exit")
	fs.IntVar(&o.DemoPatients, "demo-patients", 120, "encounters in the demo day")
	fs.DurationVar(&o.DemoDeterioration, "demo-deterioration", wire.DemoDeterioration, "how long the demo's septic patient takes to deteriorate")
	fs.StringVar(&o.Lang, "lang", "nb", "language: nb (bokmål) or en")
	fs.BoolVar(&o.HighContrast, "high-contrast", false, "start in the high-contrast theme (Ctrl+H toggles)")
	fs.Float64Var(&scale, "scale", 1, "text scale, 0.8-2.5 (Ctrl+= and Ctrl+- change it)")
	fs.StringVar(&o.DevicesFile, "devices", "", "the workstation's device file (TOML, docs/devices.md)")
	fs.StringVar(&o.ECGDir, "ecg-dir", "", "folder the ECG file picker starts in (the carts' export folder; default: the home folder)")
	fs.StringVar(&o.User, "user", "", "who is working (default: the operating-system user)")
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
	if pprofAddr != "" {
		if err := servePprof(pprofAddr); err != nil {
			fmt.Fprintln(os.Stderr, "triage-desk:", err)
			return 2
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	deps, closeAll, err := wire.Setup(ctx, o)
	defer closeAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 1
	}
	setup := time.Since(start)
	a := app.NewWithID("no.legevakt.triage-desk")
	desktheme.LeaveOutEmojiFont()                     // docs/PERFORMANCE.md, memory
	desktheme.ReleaseFontsOnThemeChange(a.Settings()) // docs/PERFORMANCE.md, memory
	d, err := desk.New(deps)
	if err != nil {
		fmt.Fprintln(os.Stderr, "triage-desk:", err)
		return 1
	}
	w := a.NewWindow("")
	d.Install(w)
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
	d.Start()
	if stateFile != "" {
		go writeState(ctx, d, stateFile)
	}
	w.ShowAndRun()
	d.Stop()
	return 0
}

// writeState keeps stateFile up to date with the app's State, read on the
// UI goroutine every 50 ms and written (atomically, owner-only) when it
// changed, so a driver can wait for exactly the state its next key needs.
func writeState(ctx context.Context, d *desk.App, stateFile string) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	got := make(chan desk.State, 1)
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
		var st desk.State
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
