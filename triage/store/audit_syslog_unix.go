//go:build !windows && !plan9

package store

import (
	"io"
	"log/syslog"
)

// openSyslog connects to the local syslog (journald listens there too on
// systemd hosts) for a second copy of every checkpoint; nil when there is
// none.
func openSyslog() io.WriteCloser {
	w, err := syslog.New(syslog.LOG_INFO|syslog.LOG_AUTH, "legevakt-triage")
	if err != nil {
		return nil
	}
	return w
}
