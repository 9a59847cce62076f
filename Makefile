# qload — named targets. `make test` is the README's test command (and what .ci/run calls).
GO        ?= go
PKGS      := ./...
FUZZTIME  ?= 5m
BENCHTIME ?= 1s
BIN       := bin

.PHONY: all deps build test vet fmt-check lint bench bench-connector fuzz rehearse lambda clean

all: build

## deps: Go modules and the official connector's npm package (pinned by conformance/node/package-lock.json)
deps:
	$(GO) mod download
	cd conformance/node && npm ci --no-audit --no-fund --loglevel=error

## build: the qload CLI into bin/
build:
	$(GO) build -o $(BIN)/qload ./cmd/qload

## test: vet, formatting, and every test including the differential test against the official connector
test: deps vet fmt-check
	$(GO) test -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi

## lint: go vet + gofmt
lint: vet fmt-check

## bench: microbenchmarks with allocation counts
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./connector/... ./bench/...

## fuzz: every fuzz target for FUZZTIME each (default 5m)
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "== fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

## rehearse: the main job on the embedded default profile
rehearse: build
	./$(BIN)/qload rehearse

clean:
	rm -rf $(BIN) dist
