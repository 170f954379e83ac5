package outbox_test

import (
	"testing"

	"github.com/legevakt/workstation/triage/store/storetest"
)

// pgSchema gives a DSN of a fresh schema of its own, dropped afterwards.
func pgSchema(t *testing.T, url string) string { return storetest.Schema(t, url) }
