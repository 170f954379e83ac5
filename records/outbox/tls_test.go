package outbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/records/fhir"
	"github.com/legevakt/workstation/triage/store"
)

// pki makes a CA and a certificate it signed, written as PEM files.
type pki struct {
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caFile string
}

func newPKI(t *testing.T, dir string) *pki {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	p := &pki{ca: ca, caKey: key, caFile: filepath.Join(dir, "ca.pem")}
	require.NoError(t, os.WriteFile(p.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	return p
}

func (p *pki) issue(t *testing.T, dir, name string, server bool) (certFile, keyFile string, pair tls.Certificate) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o644))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	pair, err = tls.X509KeyPair(certPEM, keyPEM)
	require.NoError(t, err)
	return certFile, keyFile, pair
}

// The FHIR transport over HTTPS with mutual TLS and a bearer token read
// from an owner-only file: the receiver sees the client certificate and
// the token; without the client certificate the handshake fails and the
// message waits (retry), never parked.
func TestFHIROverMutualTLSWithBearerToken(t *testing.T) {
	dir := t.TempDir()
	p := newPKI(t, dir)
	_, _, serverPair := p.issue(t, dir, "server", true)
	clientCert, clientKey, _ := p.issue(t, dir, "workstation", false)
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	var gotAuth, gotCN string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		gotCN = r.TLS.PeerCertificates[0].Subject.CommonName
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write([]byte(`{"resourceType":"Bundle","type":"transaction-response"}`))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverPair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()
	token := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(token, []byte("s3cret-token\n"), 0o600))

	d := DestConfig{Name: "dips.fhir", Type: "fhir", URL: srv.URL, Kinds: []string{"patient"}, TokenFile: token,
		CAFile: p.caFile, ClientCertFile: clientCert, ClientKeyFile: clientKey}
	tr, err := d.Transport()
	require.NoError(t, err)
	c := fhir.Clinic{System: "https://legevakt.example.kommune.no/fhir", OrgNumber: "974567890", Instance: "0123456789abcdef"}
	del := Delivery{Clinic: c, Payload: store.OutboxPayload{Message: store.OutboxMessage{ID: 1, Kind: store.OutboxPatient}, Patient: store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"}}}
	res := tr.Deliver(context.Background(), del)
	require.Equal(t, Delivered, res.Outcome, res.Reason)
	require.Equal(t, "Bearer s3cret-token", gotAuth)
	require.Equal(t, "workstation", gotCN)

	d.ClientCertFile, d.ClientKeyFile = "", ""
	tr, err = d.Transport()
	require.NoError(t, err)
	res = tr.Deliver(context.Background(), del)
	require.Equal(t, Retry, res.Outcome, "no client certificate: the connection fails, the message waits")

	require.NoError(t, os.Chmod(clientKey, 0o640))
	d.ClientCertFile, d.ClientKeyFile = clientCert, clientKey
	_, err = d.Transport()
	require.ErrorContains(t, err, "readable by others")
}

// MLLP inside TLS: the ORU goes through, the receiver's AA comes back.
func TestMLLPOverTLS(t *testing.T) {
	dir := t.TempDir()
	p := newPKI(t, dir)
	_, _, serverPair := p.issue(t, dir, "gateway", true)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{serverPair}})
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		dec := hl7.NewDecoder()
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			dec.Feed(buf[:n])
			if dec.Scan() {
				_, _ = conn.Write(hl7.AppendACK(nil, dec.Record(), "ACK1", time.Now()))
				return
			}
			if err != nil {
				return
			}
		}
	}()
	d := DestConfig{Name: "gw.v2", Type: "hl7v2", Address: ln.Addr().String(), TLS: true, CAFile: p.caFile, Kinds: []string{"observations"}}
	require.NoError(t, Config{Destinations: []DestConfig{d}}.Check())
	tr, err := d.Transport()
	require.NoError(t, err)
	c := fhir.Clinic{System: "https://legevakt.example.kommune.no/fhir", OrgNumber: "974567890", Instance: "0123456789abcdef"}
	res := tr.Deliver(context.Background(), Delivery{Clinic: c, Payload: store.OutboxPayload{
		Message: store.OutboxMessage{ID: 5, Kind: store.OutboxObservations}, Patient: store.Patient{ID: 1, TempID: "UKJENT-7K3M9Q"},
		Encounter: &store.Encounter{ID: 7, PatientID: 1}}})
	require.Equal(t, Delivered, res.Outcome, res.Reason)
}
