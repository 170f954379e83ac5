package outbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/legevakt/workstation/protocols/hl7"
	"github.com/legevakt/workstation/records/hl7v2"
)

// MLLP sends HL7 v2 ORU^R01 (IHE PCD-01) over MLLP (0B message 1C 0D) to
// a receiver and waits for its ACK: AA/CA delivered; AE/CE refused (an
// error in the message, parked with the receiver's text); AR/CR, no
// answer, a broken connection or an ACK for another message retried
// with the same control id.
type MLLP struct {
	Addr    string      // host:port
	TLS     *tls.Config // nil: plain TCP (a trusted network or a tunnel)
	Timeout time.Duration
	Now     func() time.Time
}

// Deliver builds the message and sends it on a fresh connection.
func (l *MLLP) Deliver(ctx context.Context, d Delivery) Result {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	m, err := hl7v2.ORU(d.Clinic, d.Payload, d.Found, now())
	if err != nil {
		return Result{Outcome: Refused, Reason: err.Error()}
	}
	want := hl7v2.ControlID(d.Clinic.Instance, d.Payload.Message.ID)
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", l.Addr)
	if err != nil {
		return Result{Outcome: Retry, Reason: "receiver unreachable: " + err.Error()}
	}
	defer conn.Close()
	if l.TLS != nil {
		cfg := l.TLS.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName, _, _ = net.SplitHostPort(l.Addr)
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return Result{Outcome: Retry, Reason: "TLS: " + err.Error()}
		}
		conn = tc
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(hl7.AppendFrame(nil, m)); err != nil {
		return Result{Outcome: Retry, Reason: "sending: " + err.Error()}
	}
	dec := hl7.NewDecoder()
	buf := make([]byte, 4096)
	var read int
	for {
		n, err := conn.Read(buf)
		dec.Feed(buf[:n])
		read += n
		for dec.Scan() {
			ack, perr := hl7v2.ParseAck(dec.Record())
			if perr != nil {
				return Result{Outcome: Retry, Reason: perr.Error()}
			}
			if ack.ControlID != want {
				return Result{Outcome: Retry, Reason: fmt.Sprintf("ACK for %q, sent %q", ack.ControlID, want)}
			}
			switch ack.Code {
			case "AA", "CA":
				return Result{Outcome: Delivered}
			case "AE", "CE":
				return Result{Outcome: Refused, Reason: fmt.Sprintf("NAK %s: %s", ack.Code, ack.Text)}
			}
			return Result{Outcome: Retry, Reason: fmt.Sprintf("NAK %s: %s", ack.Code, ack.Text)}
		}
		if err != nil {
			return Result{Outcome: Retry, Reason: "no ACK: " + err.Error()}
		}
		if read > maxAckBytes {
			return Result{Outcome: Retry, Reason: fmt.Sprintf("no ACK in the first %d bytes the receiver sent: not read further", maxAckBytes)}
		}
	}
}

// maxAckBytes bounds what Deliver reads while it waits for the ACK: an
// ACK is a few hundred bytes (MSH, MSA, perhaps ERR), and the HL7 decoder
// holds at most one message of up to 1 MiB; a receiver that sends more
// without a readable ACK is not waited for until the timeout.
const maxAckBytes = 2 << 20
