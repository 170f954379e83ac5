package main

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
	"github.com/legevakt/workstation/ui-desktop/deskshell"
	"github.com/legevakt/workstation/ui-desktop/desktheme"
	"github.com/legevakt/workstation/ui-desktop/i18n"
)

// loginShots are the screenshots of personal login copied into
// docs/screenshots with -update-docs.
var loginShots = []string{"login.png", "lock-alert.png", "basis.png", "find-emergency.png", "admin-review.png", "switch-user.png", "lock-en-high-contrast.png"}

// anyImage takes the picture as it is: the state waited for is the check.
func anyImage(image.Image) bool { return true }

// phonePatient registers, as the demo's physician at the phone centre, a
// caller with an identity number: a patient outside reception's queue.
func phonePatient(t *testing.T, home string) string {
	t.Helper()
	dbs, err := filepath.Glob(filepath.Join(home, "triage-desk-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1)
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	nid := syntheticNID(t, 3)
	_, err = st.Register(ctx, demoActor(t, st, "lege"), store.Registration{Patient: store.NewPatient{NID: nid, Name: "Per Telefon"},
		Encounter: store.NewEncounter{Channel: store.Phone, ArrivedAt: time.Now().Add(-20 * time.Minute)}})
	require.NoError(t, err)
	return nid
}

// observationsOf counts the stored values of an encounter (as the demo's
// physician).
func observationsOf(t *testing.T, home string, enc ids.Encounter) int {
	t.Helper()
	dbs, err := filepath.Glob(filepath.Join(home, "triage-desk-demo-*", "demo.db"))
	require.NoError(t, err)
	require.Len(t, dbs, 1)
	ctx := context.Background()
	st, err := store.Open(ctx, dbs[0], store.WithoutCheckpoints())
	require.NoError(t, err)
	defer st.Close()
	obs, err := st.Observations(ctx, demoActor(t, st, "lege"), enc, time.Time{})
	require.NoError(t, err)
	return len(obs)
}

// TestLoginLockSwitchAndAdminUnderXvfb drives personal login as a nurse
// would, keyboard only: a wrong password, the right one; a monitored
// patient triaged, the screen locked at once (Ctrl+Shift+L) while the
// patient deteriorates: the monitor keeps recording and the lock screen
// flags the alert; unlock with the same password; a phone patient looked
// up by identity number (Ctrl+F) needs a basis, opened with emergency
// access; switch user (Ctrl+Shift+U) to the administrator, who sees only
// log review with that access listed and marks it reviewed; back to the
// nurse, whose half-typed registration comes back; the lock screen in
// English and high contrast.
func TestLoginLockSwitchAndAdminUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app under Xvfb")
	}
	dir := filepath.Join("testdata", "xvfb")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	d := startDemo(t, dir, 4*time.Minute, "--demo-patients", "40", "--demo-deterioration", "25s")
	home := d.home
	th := desktheme.New(false, 1)
	alertPainted := func(img image.Image) bool { return count(img, th.AlertSwatch().Fill) > 1000 }

	// The login page: the demo's nurse filled in, the password focused.
	onLogin := func(s deskshell.State) bool {
		return s.Screen == deskshell.ScreenLogin && s.Focused == "login.password"
	}
	d.until("the login page", 60*time.Second, onLogin)
	d.calmShot("login.png", 20*time.Second, onLogin, anyImage)
	d.typeText("feil-passord")
	d.key("Return")
	s := d.until("a wrong password refused", 20*time.Second, func(s deskshell.State) bool { return s.Message == "Feil brukernavn eller passord." })
	assert.Equal(t, deskshell.ScreenLogin, s.Screen)
	d.logIn("resepsjon")
	d.until("the desktop with its monitors", 30*time.Second, func(s deskshell.State) bool {
		return s.Screen == deskshell.ScreenDesk && s.Monitors > 0 && s.Focused == "reg.id"
	})

	// A monitored patient triaged and saved.
	enc := d.registerOnSepticMonitor(syntheticNID(t, 2), "Siri Sepsis")
	d.until("values in", 20*time.Second, func(s deskshell.State) bool { return s.Consciousness == "A" && s.Vitals >= 4 })
	d.key("ctrl+s")
	d.until("saved", 10*time.Second, func(s deskshell.State) bool { return s.Saved == 1 })
	// Unsaved work for later: half a registration.
	d.key("ctrl+n")
	d.until("registration", 10*time.Second, func(s deskshell.State) bool { return s.Focused == "reg.id" })
	d.typeText("1585")
	d.until("four digits typed", 10*time.Second, func(s deskshell.State) bool { return s.RegIDLen == 4 })

	// Lock at once; the patient deteriorates behind the lock.
	d.key("ctrl+shift+l")
	d.until("locked", 10*time.Second, func(s deskshell.State) bool {
		return s.Screen == deskshell.ScreenLocked && s.Focused == "lock.password"
	})
	before := observationsOf(t, home, enc)
	flagged := func(s deskshell.State) bool { return s.Screen == deskshell.ScreenLocked && s.LockAlerts != "" }
	s = d.until("the alert flagged on the lock screen", 90*time.Second, flagged)
	assert.Regexp(t, regexp.MustCompile(`^Åpne forverringsvarsler: \d+ `), s.LockAlerts)
	d.calmShot("lock-alert.png", 20*time.Second, flagged, alertPainted)
	end := time.Now().Add(30 * time.Second)
	for observationsOf(t, home, enc) <= before && time.Now().Before(end) {
		time.Sleep(500 * time.Millisecond)
	}
	assert.Greater(t, observationsOf(t, home, enc), before, "the monitor's values are recorded while the screen is locked")

	// Unlock with the same password: the alert is on the desktop.
	d.typeText("demo-legevakt")
	d.key("Return")
	s = d.until("unlocked", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenDesk })
	assert.Positive(t, s.OpenAlerts, "the alert is on the desktop's banner")
	assert.Equal(t, 4, s.RegIDLen, "the half-typed registration is kept")

	// A phone patient by identity number: the basis, emergency access.
	nid := phonePatient(t, home)
	d.key("ctrl+f")
	d.until("the look-up", 10*time.Second, func(s deskshell.State) bool { return s.Find })
	d.typeText(nid)
	d.until("the number typed", 10*time.Second, func(s deskshell.State) bool { return s.FindNIDLen == 11 })
	d.key("Return")
	d.until("the basis asked", 20*time.Second, func(s deskshell.State) bool { return s.Basis })
	d.shot("basis.png")
	d.key("Tab", "Tab", "Tab", "space") // from the note: open, cancel, emergency access
	s = d.until("opened with emergency access", 20*time.Second, func(s deskshell.State) bool { return s.Found && !s.Basis })
	assert.Equal(t, string(store.BasisEmergency), s.FoundBasis)
	d.shot("find-emergency.png")
	d.key("Escape")
	d.until("the look-up closed", 10*time.Second, func(s deskshell.State) bool { return !s.Find })

	// Switch user: the administrator sees log review only.
	d.key("ctrl+shift+u")
	s = d.until("the switch-user page", 10*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenSwitch && s.Focused == "login.user" })
	d.calmShot("switch-user.png", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenSwitch }, anyImage)
	d.logIn("admin")
	s = d.until("the administrator's screen", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenAdmin })
	assert.Regexp(t, regexp.MustCompile(`^\d+ oppføringer trenger oppfølging\.`), s.Message)
	d.calmShot("admin-review.png", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenAdmin }, anyImage)
	d.key("Down", "Return", "Tab")
	d.typeText("Kontrollert: pasienten ringte tilbake")
	d.key("ctrl+Return")
	d.until("marked as reviewed", 20*time.Second, func(s deskshell.State) bool {
		return regexp.MustCompile(`^Oppføring #\d+ er merket som kontrollert\.`).MatchString(s.Message)
	})

	// Back to the nurse: her half-typed registration is hers again.
	d.key("ctrl+shift+u")
	d.logIn("resepsjon")
	s = d.until("the nurse's desktop", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenDesk && s.User == "resepsjon" })
	assert.Equal(t, 4, s.RegIDLen)

	// English and high contrast, then the lock screen.
	d.key("ctrl+l", "ctrl+h")
	d.until("English, high contrast", 10*time.Second, func(s deskshell.State) bool { return s.Lang == i18n.EN && s.HighContrast })
	d.key("ctrl+shift+l")
	d.calmShot("lock-en-high-contrast.png", 20*time.Second, func(s deskshell.State) bool { return s.Screen == deskshell.ScreenLocked }, anyImage)

	if *updateDocs {
		for _, n := range loginShots {
			b, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", n), b, 0o644))
		}
	}
}
