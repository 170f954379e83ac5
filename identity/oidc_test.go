package identity

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/legevakt/workstation/triage/store"
)

var registerClient sync.Once

// provider runs zitadel/oidc's example OpenID provider in-process on
// loopback, with a native (PKCE, loopback redirect) client for us.
func provider(t *testing.T) (issuer string) {
	t.Helper()
	registerClient.Do(func() { storage.RegisterClients(storage.NativeClient("triage-workstation")) })
	ts := httptest.NewUnstartedServer(nil)
	issuer = "http://" + ts.Listener.Addr().String()
	st := storage.NewStorage(storage.NewUserStore(issuer))
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	ts.Start()
	t.Cleanup(ts.Close)
	return issuer
}

var idField = regexp.MustCompile(`name="id" value="([^"]+)"`)

// browser is the system browser of the test: it follows the provider's
// pages and submits the login form, as a user would.
func browser(t *testing.T, issuer, user, password string, tamper func(u *url.URL)) func(string) error {
	return func(authURL string) error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		if tamper != nil {
			// An attacker answering the loopback redirect directly.
			u, _ := url.Parse(authURL)
			cb, _ := url.Parse(u.Query().Get("redirect_uri"))
			q := cb.Query()
			q.Set("state", u.Query().Get("state"))
			cb.RawQuery = q.Encode()
			tamper(cb)
			go func() {
				if r, err := c.Get(cb.String()); err == nil {
					r.Body.Close()
				}
			}()
			return nil
		}
		go func() {
			r, err := c.Get(authURL)
			if err != nil {
				t.Error(err)
				return
			}
			page, _ := io.ReadAll(r.Body)
			r.Body.Close()
			m := idField.FindSubmatch(page)
			if m == nil {
				t.Errorf("no login form: %s", page)
				return
			}
			r, err = c.PostForm(issuer+"/login/username", url.Values{"id": {string(m[1])}, "username": {user}, "password": {password}})
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
		}()
		return nil
	}
}

// The whole login through a real OpenID provider: authorization code with
// PKCE, loopback redirect, ID token checked, the identity mapped to an
// account made by an administrator, the login audited.
func TestOIDCLoginThroughTheProvider(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	issuer := provider(t)
	_, err := f.s.CreateUser(ctx, f.admin, store.NewUser{Username: "lege.oidc", DisplayName: "Test User", Roles: []store.Role{store.RolePhysician},
		OIDCIssuer: issuer, OIDCSubject: "id1"})
	require.NoError(t, err)
	host := strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
	cfg := OIDC{Issuer: issuer, ClientID: "triage-workstation", OpenBrowser: browser(t, issuer, "test-user@"+host, "verysecure", nil)}

	sess, err := f.auth.LoginOIDC(ctx, cfg, "")
	require.NoError(t, err)
	a, err := sess.Actor()
	require.NoError(t, err)
	assert.Equal(t, "lege.oidc", a.User)
	assert.Equal(t, store.RolePhysician, a.Role)
	assert.Equal(t, "oidc", sess.Method())
	_, err = f.s.Queue(ctx, a, f.clk.now())
	require.NoError(t, err, "the store accepts the session's actor")

	// A user the provider knows but the clinic has no account for.
	cfg.OpenBrowser = browser(t, issuer, "test-user2", "verysecure", nil)
	_, err = f.auth.LoginOIDC(ctx, cfg, "")
	require.ErrorIs(t, err, ErrLoginFailed)

	// A forged code at the loopback redirect, and an answer for another
	// login (wrong state).
	cfg.OpenBrowser = browser(t, issuer, "", "", func(u *url.URL) {
		q := u.Query()
		q.Set("code", "forged-code")
		u.RawQuery = q.Encode()
	})
	_, err = f.auth.LoginOIDC(ctx, cfg, "")
	require.ErrorIs(t, err, ErrOIDC)
	assert.NotContains(t, err.Error(), "forged-code")
	cfg.OpenBrowser = browser(t, issuer, "", "", func(u *url.URL) {
		q := u.Query()
		q.Set("code", "x")
		q.Set("state", "another-login")
		u.RawQuery = q.Encode()
	})
	_, err = f.auth.LoginOIDC(ctx, cfg, "")
	require.ErrorIs(t, err, ErrOIDC)

	log, err := f.s.AuditLog(ctx, f.admin, 0, 1000)
	require.NoError(t, err)
	var oks, fails int
	for _, e := range log {
		if e.Action == "login.ok" && strings.Contains(e.Detail, "method=oidc") {
			oks++
		}
		if e.Action == "login.fail" {
			fails++
		}
	}
	assert.Equal(t, 1, oks)
	assert.GreaterOrEqual(t, fails, 3)
}

func TestClaimTextReadsHelseIDClaims(t *testing.T) {
	claims := map[string]any{HelseIDHPRClaim: "9144889", HelseIDLevelClaim: float64(4), "x": strings.Repeat("a", 100)}
	assert.Equal(t, "9144889", claimText(claims, "", HelseIDHPRClaim))
	assert.Equal(t, "4", claimText(claims, "", HelseIDLevelClaim))
	assert.Equal(t, "", claimText(claims, "x", HelseIDHPRClaim), "an absurdly long claim is not recorded")
}
