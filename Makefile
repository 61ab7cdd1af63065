# DB-Forge — everyday targets. `make help` lists them.
GO      ?= go
BIN     ?= dbforge
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/dbforge/dbforge/internal/cli.Version=$(VERSION)

.PHONY: help build run serve test bench bench-http bench-pg lint demo stress man release-check

# goreleaser v2.17 is the newest that builds with Go 1.26 (v2.18 needs 1.27).
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

build: ## static binary ./dbforge (no cgo)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

run: build ## open the TUI (embedded mode unless DBFORGE_URL is set)
	./$(BIN)

serve: build ## run the gateway on 127.0.0.1:8080
	./$(BIN) serve

test: ## the test suite (what CI runs)
	$(GO) test ./...

bench: ## benchmarks; figures go to docs/BENCHMARKS.md
	$(GO) test -run '^$$' -bench . -benchmem ./...

bench-http: build ## DB-Forge vs the bare handler over loopback sockets, load from wrk (Go load generator when wrk is missing), ~3 min
	CGO_ENABLED=0 $(GO) build -o bin/benchbare ./internal/benchbare/cmd/benchbare
	CGO_ENABLED=0 $(GO) build -o bin/benchhttp ./internal/benchbare/cmd/benchhttp
	./bin/benchhttp -dbforge ./$(BIN) -bare ./bin/benchbare

bench-pg: build ## PostgreSQL point query: DB-Forge (serve --postgres) vs a bare pgx handler, on a throwaway cluster, load from wrk, ~1 min
	CGO_ENABLED=0 $(GO) build -o bin/benchpg ./internal/benchbare/cmd/benchpg
	./bin/benchpg -dbforge ./$(BIN)

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l .)" || (gofmt -l .; echo 'gofmt: files above need formatting'; exit 1)
	CGO_ENABLED=0 $(GO) vet ./...

demo: build ## render demo.gif from demo.tape (needs vhs); the replay test checks the tape first
	$(GO) test -count=1 -run 'TestDemoTape' ./ui/e2e/
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  env -u DBFORGE_URL -u DBFORGE_API_KEY -u DBFORGE_CONFIG PATH="$(CURDIR):$$PATH" \
	  DBFORGE_DATA="$$tmp/data" XDG_CONFIG_HOME="$$tmp/config" vhs demo.tape

man: build ## man pages of every command into ./man (install: cp man/*.1 /usr/local/share/man/man1/)
	./$(BIN) man man

release-check: ## goreleaser check of .goreleaser.yaml (first run compiles goreleaser, ~10 min; then ~15 s)
	$(GORELEASER) check

stress: ## long replay (200k requests), crash (60 kill -9) and load (60 s) tests, then 1 min per fuzz target
	DBFORGE_STRESS=1 $(GO) test -count=1 -v -timeout 60m -run 'TestReplayBadRequests|TestCrashSafety|TestLoad' ./internal/e2e/
	$(GO) test -run '^$$' -fuzz '^FuzzQueryRequest$$' -fuzztime 60s ./internal/gateway/
	$(GO) test -run '^$$' -fuzz '^FuzzRequestLine$$' -fuzztime 60s ./internal/gateway/
	for f in FuzzValidName FuzzQuoteIdent FuzzImportCSV; do $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime 60s ./internal/engine/ || exit 1; done
	$(GO) test -run '^$$' -fuzz '^FuzzLine$$' -fuzztime 60s ./internal/sanitize/
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime 60s ./internal/sqltext/
