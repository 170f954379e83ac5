package outbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/legevakt/workstation/capped"
)

// FHIR posts transaction Bundles to a FHIR server's base URL.
type FHIR struct {
	BaseURL string
	Client  *http.Client
	// Token is sent as "Authorization: Bearer …" when not empty.
	Token string
}

// maxResponse bounds what is read of a response: enough for an
// OperationOutcome; a receiver cannot make the sender allocate more.
const maxResponse = 1 << 20

// Deliver posts b and sorts the answer: 2xx delivered; 408, 429, 5xx, 401,
// 403 and network errors retried (Retry-After honoured; bad credentials
// are a configuration fault to fix, not a property of the message); any
// other 4xx refused with the OperationOutcome's text.
func (f *FHIR) Deliver(ctx context.Context, d Delivery) Result {
	b, err := d.Clinic.Bundle(d.Payload, d.Found)
	if err != nil {
		return Result{Outcome: Refused, Reason: err.Error()}
	}
	body, err := json.Marshal(b)
	if err != nil {
		return Result{Outcome: Refused, Reason: "encoding the Bundle: " + err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.BaseURL, bytes.NewReader(body))
	if err != nil {
		return Result{Outcome: Retry, Reason: err.Error()}
	}
	req.Header.Set("Content-Type", "application/fhir+json")
	req.Header.Set("Accept", "application/fhir+json")
	if f.Token != "" {
		req.Header.Set("Authorization", "Bearer "+f.Token)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return Result{Outcome: Retry, Reason: "receiver unreachable: " + redactURL(err)}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return Result{Outcome: Delivered}
	case code == 408 || code == 429 || code >= 500 || code == 401 || code == 403:
		return Result{Outcome: Retry, Reason: fmt.Sprintf("HTTP %d %s", code, outcomeText(data)),
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	return Result{Outcome: Refused, Reason: fmt.Sprintf("HTTP %d %s", code, outcomeText(data))}
}

// redactURL words a transport error without the URL (its query could
// carry something a log must not).
func redactURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}

// outcomeText is an OperationOutcome's issues in a line, or "" when the
// body is not one.
func outcomeText(b []byte) string {
	var oo struct {
		ResourceType string `json:"resourceType"`
		Issue        []struct {
			Severity    string `json:"severity"`
			Code        string `json:"code"`
			Diagnostics string `json:"diagnostics"`
			Details     struct {
				Text string `json:"text"`
			} `json:"details"`
			Expression []string `json:"expression"`
		} `json:"issue"`
	}
	if json.Unmarshal(b, &oo) != nil || oo.ResourceType != "OperationOutcome" {
		return ""
	}
	var parts []string
	for _, i := range oo.Issue {
		s := i.Code
		if i.Details.Text != "" {
			s += ": " + i.Details.Text
		}
		if i.Diagnostics != "" && i.Diagnostics != i.Details.Text {
			s += " (" + i.Diagnostics + ")"
		}
		if len(i.Expression) > 0 {
			s += " at " + strings.Join(i.Expression, ", ")
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, "; ")
	if len(out) > 400 {
		out = out[:400]
	}
	return out
}

// retryAfter reads Retry-After: seconds or an HTTP date; at most an hour.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), time.Hour)
}

// TLSFiles names the files of mutual TLS; all optional.
type TLSFiles struct {
	CA         string // PEM bundle of the receiver's CAs; default: the system's
	ClientCert string // PEM client certificate (mutual TLS)
	ClientKey  string // its PEM key (must be owner-only)
}

// NewClient makes the HTTP client for a destination.
func NewClient(files TLSFiles, timeout time.Duration) (*http.Client, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if files.CA != "" {
		pem, err := capped.ReadFile(files.CA, maxPEMBytes)
		if err != nil {
			return nil, fmt.Errorf("records: ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("records: ca_file %s: no PEM certificate in it", files.CA)
		}
		cfg.RootCAs = pool
	}
	if files.ClientCert != "" || files.ClientKey != "" {
		if files.ClientCert == "" || files.ClientKey == "" {
			return nil, fmt.Errorf("records: client_cert_file and client_key_file go together")
		}
		if err := ownerOnly(files.ClientKey); err != nil {
			return nil, err
		}
		certPEM, err := capped.ReadFile(files.ClientCert, maxPEMBytes)
		if err != nil {
			return nil, fmt.Errorf("records: client_cert_file: %w", err)
		}
		keyPEM, err := capped.ReadFile(files.ClientKey, maxPEMBytes)
		if err != nil {
			return nil, fmt.Errorf("records: client_key_file: %w", err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("records: client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

// ownerOnly refuses a secret file others can read.
func ownerOnly(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("records: %s is readable by others (mode %v); make it owner-only (chmod 600)", path, fi.Mode().Perm())
	}
	return nil
}

// maxPEMBytes bounds a CA bundle, client certificate or key file (the
// system's whole CA bundle is about 200 kB); maxSecretBytes a token file.
// Larger files, or pipes that never end, are refused before parsing.
const (
	maxPEMBytes    = 4 << 20
	maxSecretBytes = 64 << 10
)

// ReadSecret reads a token file (owner-only), trimmed.
func ReadSecret(path string) (string, error) {
	if err := ownerOnly(path); err != nil {
		return "", err
	}
	b, err := capped.ReadFile(path, maxSecretBytes)
	if err != nil {
		return "", fmt.Errorf("records: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("records: %s is empty", path)
	}
	return s, nil
}
