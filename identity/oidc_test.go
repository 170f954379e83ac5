package identity

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/identity/oidctest"
	"github.com/legevakt/workstation/triage/store"
)

// attacker answers the loopback redirect of a login directly, with the
// login's state and what tamper puts in (a forged code, another state),
// where a user's browser would have gone through the provider
// (oidctest.Browser).
func attacker(tamper func(u *url.URL)) func(string) error {
	return func(authURL string) error {
		u, _ := url.Parse(authURL)
		cb, _ := url.Parse(u.Query().Get("redirect_uri"))
		q := cb.Query()
		q.Set("state", u.Query().Get("state"))
		cb.RawQuery = q.Encode()
		tamper(cb)
		go func() {
			if r, err := http.Get(cb.String()); err == nil {
				r.Body.Close()
			}
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
	issuer := oidctest.Provider(t)
	_, err := f.s.CreateUser(ctx, f.admin, store.NewUser{Username: "lege.oidc", DisplayName: "Test User", Roles: []store.Role{store.RolePhysician},
		OIDCIssuer: issuer, OIDCSubject: oidctest.Subject})
	require.NoError(t, err)
	cfg := OIDC{Issuer: issuer, ClientID: oidctest.ClientID, OpenBrowser: oidctest.Browser(t, issuer, oidctest.User(issuer), oidctest.Password)}

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
	cfg.OpenBrowser = oidctest.Browser(t, issuer, "test-user2", oidctest.Password)
	_, err = f.auth.LoginOIDC(ctx, cfg, "")
	require.ErrorIs(t, err, ErrLoginFailed)

	// A forged code at the loopback redirect, and an answer for another
	// login (wrong state).
	cfg.OpenBrowser = attacker(func(u *url.URL) {
		q := u.Query()
		q.Set("code", "forged-code")
		u.RawQuery = q.Encode()
	})
	_, err = f.auth.LoginOIDC(ctx, cfg, "")
	require.ErrorIs(t, err, ErrOIDC)
	assert.NotContains(t, err.Error(), "forged-code")
	cfg.OpenBrowser = attacker(func(u *url.URL) {
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
