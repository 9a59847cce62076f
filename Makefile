# qload — named targets. `make test` is the README's test command (and what .ci/run calls).
GO        ?= go
PKGS      := ./...
FUZZTIME  ?= 5m
# FUZZMINTIME: minimization per new input (go's default, 60s, stalls targets with large inputs)
FUZZMINTIME ?= 10s
BENCHTIME ?= 1s
BIN       := bin

RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
LAMBDA_ARCHS := amd64 arm64

.PHONY: all deps build test test-race vet fmt-check lint bench bench-edge bench-loadgen test-deploy fuzz rehearse lambda clean

all: build

## deps: Go modules, the official connector's npm package (pinned by the package-lock.json files of
## conformance/node and edge/node)
## and AWS's Lambda runtime interface emulator (for the Lambda binary's test)
deps:
	$(GO) mod download
	cd conformance/node && npm ci --no-audit --no-fund --loglevel=error
	cd edge/node && npm ci --no-audit --no-fund --loglevel=error
	@test -x $(BIN)/aws-lambda-rie || GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

## build: the qload CLI into bin/
build:
	$(GO) build -o $(BIN)/qload ./cmd/qload

## test: vet, formatting, and every test including the differential test against the official connector
test: deps vet fmt-check
	$(GO) test -count=1 $(PKGS)

## test-race: the tests under the race detector (allocation-count tests skip themselves)
test-race: deps
	$(GO) test -race -count=1 $(PKGS)

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

## bench-edge: the local edge's invocation round trip, the machine's floor and the edge's overhead
bench-edge: deps
	$(GO) test -run '^$$' -bench 'Invoke' ./edge/
	$(GO) test -run '^$$' -bench 'RoundTripFloor|EdgeOverhead' -benchtime 1x ./edge/

## bench-loadgen: qload run beside the vegeta CLI on a trivial loopback server (req/s, CPU per request)
bench-loadgen:
	scripts/bench-loadgen.sh

## test-deploy: the Kubernetes Job checked against the Kubernetes API types (its own module)
test-deploy:
	cd deploy/kubernetes && $(GO) test -count=1 ./...

## fuzz: every fuzz target for FUZZTIME each (default 5m)
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "== fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) $$pkg; \
	  done; \
	done

## rehearse: the main job on the embedded default profile
rehearse: build
	./$(BIN)/qload rehearse

## lambda: bootstrap zips of the connector's Lambda binary for provided.al2023, with their sizes
lambda:
	@set -e; mkdir -p dist; for arch in $(LAMBDA_ARCHS); do \
	  rm -rf dist/$$arch && mkdir -p dist/$$arch; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -tags lambda.norpc -trimpath -ldflags '-s -w' \
	    -o dist/$$arch/bootstrap ./cmd/connector-lambda; \
	  rm -f dist/connector-lambda-$$arch.zip; \
	  (cd dist/$$arch && python3 -m zipfile -c ../connector-lambda-$$arch.zip bootstrap); \
	  printf '%-32s bootstrap %9d bytes   zip %9d bytes\n' dist/connector-lambda-$$arch.zip \
	    $$(stat -c %s dist/$$arch/bootstrap) $$(stat -c %s dist/connector-lambda-$$arch.zip); \
	done

clean:
	rm -rf $(BIN) dist
