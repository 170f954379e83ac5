package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"time"

	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/legevakt/workstation/triage/store"
)

// OIDC is a clinic's OpenID Connect identity provider for native login
// (HelseID works this way: authorization code with PKCE through the
// system browser and a loopback redirect, RFC 8252).
type OIDC struct {
	Issuer   string   // e.g. https://helseid-sts.nhn.no
	ClientID string   // this program's client id at the provider
	Scopes   []string // default: openid profile, plus the HelseID scopes a clinic adds
	// HPRClaim and LevelClaim name the claims recorded with the user:
	// HelseID's health-personnel number and security level by default.
	HPRClaim, LevelClaim string
	// OpenBrowser opens the system browser at the provider's login page
	// (the UIs pass one that runs xdg-open, open or rundll32; tests drive
	// the page with an HTTP client).
	OpenBrowser func(url string) error
	// HTTPClient talks to the provider (default http.DefaultClient).
	HTTPClient *http.Client
	// Timeout bounds the whole login (default 5 minutes).
	Timeout time.Duration
}

// HelseID's claim names.
const (
	HelseIDHPRClaim   = "helseid://claims/hpr/hpr_number"
	HelseIDLevelClaim = "helseid://claims/identity/security_level"
)

// ErrOIDC: the provider's answer was refused (an expired or forged token,
// a state that does not match, an error from the provider). The message
// never holds a token.
var ErrOIDC = errors.New("the identity provider's login was not accepted")

// LoginOIDC logs a user in through the identity provider: it listens on a
// loopback port, opens the browser at the provider with a PKCE
// challenge, takes the code at the redirect, exchanges it with the
// verifier, and checks the ID token (signature, issuer, audience,
// expiry, nonce). The identity (issuer, subject) must belong to an
// account an administrator made; its HPR number and security level are
// recorded with the login.
func (a *Authenticator) LoginOIDC(ctx context.Context, cfg OIDC, role store.Role) (*Session, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("oidc login: loopback listener: %w", err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/auth/callback", ln.Addr().(*net.TCPAddr).Port)
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile}
	}
	opts := []rp.Option{}
	if cfg.HTTPClient != nil {
		opts = append(opts, rp.WithHTTPClient(cfg.HTTPClient))
	}
	party, err := rp.NewRelyingPartyOIDC(ctx, cfg.Issuer, cfg.ClientID, "", redirect, scopes, opts...)
	if err != nil {
		return nil, fmt.Errorf("oidc login: provider %s: %w", cfg.Issuer, err)
	}
	verifier, state := randomToken(), randomToken()
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	type result struct {
		code string
		err  error
	}
	got := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/auth/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			res.err = fmt.Errorf("the answer's state does not match this login: %w", ErrOIDC)
		case q.Get("error") != "":
			res.err = fmt.Errorf("the provider answered %q: %w", q.Get("error"), ErrOIDC)
		case q.Get("code") == "":
			res.err = fmt.Errorf("no code in the answer: %w", ErrOIDC)
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		msg := "Innlogget. Du kan lukke dette vinduet. / Logged in. You may close this window."
		if res.err != nil {
			msg = "Innloggingen ble avvist. / The login was refused: " + html.EscapeString(res.err.Error())
		}
		fmt.Fprintf(w, "<!DOCTYPE html><html><body><p>%s</p></body></html>", msg)
		select {
		case got <- res:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	authURL := rp.AuthURL(state, party, rp.WithCodeChallenge(challenge))
	if cfg.OpenBrowser == nil {
		return nil, errors.New("oidc login: no browser to open")
	}
	if err := cfg.OpenBrowser(authURL); err != nil {
		return nil, fmt.Errorf("oidc login: opening the browser: %w", err)
	}
	var res result
	select {
	case res = <-got:
	case <-ctx.Done():
		return nil, fmt.Errorf("oidc login: no answer from the browser: %w", ctx.Err())
	}
	if res.err != nil {
		_, _ = a.Accounts.RecordLogin(ctx, store.LoginOutcome{Username: "", Workstation: a.Workstation, Reason: "token"})
		return nil, res.err
	}
	tokens, err := rp.CodeExchange[*oidc.IDTokenClaims](ctx, res.code, party, rp.WithCodeVerifier(verifier))
	if err != nil {
		_, _ = a.Accounts.RecordLogin(ctx, store.LoginOutcome{Workstation: a.Workstation, Reason: "token"})
		// The library's error may quote the token: say only what failed.
		return nil, fmt.Errorf("the ID token did not verify (expired, forged or for another client): %w", ErrOIDC)
	}
	claims := tokens.IDTokenClaims
	u, err := a.Accounts.UserByOIDC(ctx, claims.Issuer, claims.Subject)
	if err != nil {
		_, _ = a.Accounts.RecordLogin(ctx, store.LoginOutcome{Workstation: a.Workstation, Reason: "no-account"})
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("no account for this identity: ask an administrator to add you: %w", ErrLoginFailed)
		}
		return nil, fmt.Errorf("oidc login: %w", err)
	}
	if u.Disabled {
		_, _ = a.record(ctx, u.Username, false, "disabled", time.Time{})
		return nil, ErrLoginFailed
	}
	chosen, err := chooseRole(u, role)
	if err != nil {
		_, _ = a.record(ctx, u.Username, false, "no-role", time.Time{})
		return nil, err
	}
	hpr, level := claimText(claims.Claims, cfg.HPRClaim, HelseIDHPRClaim), claimText(claims.Claims, cfg.LevelClaim, HelseIDLevelClaim)
	if _, err := a.Accounts.RecordLogin(ctx, store.LoginOutcome{Username: u.Username, Workstation: a.Workstation, OK: true, Method: "oidc", HPR: hpr, Level: level}); err != nil {
		return nil, fmt.Errorf("oidc login: %w", err)
	}
	u.HPR, u.SecurityLevel = firstOf(hpr, u.HPR), firstOf(level, u.SecurityLevel)
	return a.open(u, chosen, "oidc"), nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// claimText reads a string or number claim by name (name, else def).
func claimText(claims map[string]any, name, def string) string {
	if name == "" {
		name = def
	}
	switch v := claims[name].(type) {
	case string:
		if len(v) <= 64 {
			return v
		}
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return ""
}

// randomToken is 32 random bytes, base64url: a PKCE verifier or a state.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
