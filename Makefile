# Triage workstation: build, test, demo.
# `make test` and `make demo` work on a fresh Debian machine as root: they
# install what they need (Debian packages, a loopback PostgreSQL) themselves.

GO        ?= go
BIN       := bin
# Pure packages (no cgo, no UI): tested with the race detector.
PURE_PKGS := ./triage/... ./protocols/... ./devices/...
FUZZTIME  ?= 20s

.PHONY: all build deps pg fmt-check vet test test-pure test-rest demo fuzz bench clean loadtest

all: build

deps:
	@.ci/debian-deps
	@.ci/node-deps

pg: deps
	@.ci/pg-start >/dev/null

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./cmd/triagectl
	@if [ -d cmd/triage-tui ]; then CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./cmd/triage-tui; fi
	@if [ -d cmd/triage-desk ]; then $(GO) build -tags accessibility -o $(BIN)/ ./cmd/triage-desk; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

# Tests write audit checkpoints and keys (on by default for every store
# writer) under a throw-away XDG state/config home, not the user's.
test: deps fmt-check vet
	@DATABASE_URL=$${DATABASE_URL:-$$(.ci/pg-start)}; export DATABASE_URL; \
	RECORDS_NODE_MODULES=$${RECORDS_NODE_MODULES:-/opt/legevakt-node/node_modules}; export RECORDS_NODE_MODULES; \
	home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; \
	XDG_STATE_HOME=$$home/state XDG_CONFIG_HOME=$$home/config; export XDG_STATE_HOME XDG_CONFIG_HOME; \
	echo "== race: $(PURE_PKGS)"; \
	$(GO) test -race -count=1 $(PURE_PKGS) && \
	echo "== the rest" && \
	$(GO) test -count=1 $$($(GO) list ./... | grep -vE '/(triage|protocols|devices)(/|$$)')

demo:
	CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./cmd/triage-tui ./cmd/triagectl
	$(BIN)/triage-tui --demo

fuzz:
	@FUZZTIME=$(FUZZTIME) .ci/fuzz

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN)

# The shared-queue load test at 1, 20 and 100 workstations (docs/PERFORMANCE.md).
loadtest: pg
	@.ci/loadtest
