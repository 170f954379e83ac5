// Package oidctest runs a real OpenID provider for the tests of the
// front ends' login: zitadel/oidc's example provider in-process on
// loopback, with a native client (PKCE, loopback redirect), and a
// "system browser" that fills in its login form as a user would. It is
// for tests only.
package oidctest

import (
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

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// ClientID is the native client the provider knows.
const ClientID = "triage-workstation"

// The provider's example user: Subject is its "sub" claim.
const (
	Password = "verysecure"
	Subject  = "id1"
)

var register sync.Once

// Provider starts the provider for t and returns its issuer URL.
func Provider(t testing.TB) string {
	t.Helper()
	register.Do(func() { storage.RegisterClients(storage.NativeClient(ClientID)) })
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://" + ts.Listener.Addr().String()
	st := storage.NewStorage(storage.NewUserStore(issuer))
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	ts.Start()
	t.Cleanup(ts.Close)
	return issuer
}

// User is the login name of the example user at issuer.
func User(issuer string) string {
	return "test-user@" + strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
}

var idField = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Browser is an identity.OIDC.OpenBrowser that follows the provider's
// pages and submits its login form with user and password.
func Browser(t testing.TB, issuer, user, password string) func(string) error {
	return func(authURL string) error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
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
