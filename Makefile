# qload — named targets. `make test` is the README's test command (and what .ci/run calls).
GO        ?= go
PKGS      := ./...
FUZZTIME  ?= 5m
# FUZZMINTIME: minimization per new input (go's default, 60s, stalls targets with large inputs)
FUZZMINTIME ?= 10s
BENCHTIME ?= 1s
BIN       := bin
# PGO_PROFILE: the connector's profile-guided optimization profile. `go build` applies it to the
# Lambda binary and (through the link cmd/qload/default.pgo) to qload; `make bench` and
# `make bench-compare` pass it to go test, so the benchmarks time the code as it ships.
# `make pgo` regenerates it.
PGO_PROFILE := cmd/connector-lambda/default.pgo

RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
LAMBDA_ARCHS := amd64 arm64

.PHONY: all deps deps-debian build test test-race vet fmt-check lint bench bench-compare bench-edge bench-loadgen test-deploy fuzz rehearse lambda pgo clean

all: build

## deps: Go modules, the official connector's npm package (pinned by the package-lock.json files of
## conformance/node and edge/node)
## and AWS's Lambda runtime interface emulator (for the Lambda binary's test)
deps:
	$(GO) mod download
	cd conformance/node && npm ci --no-audit --no-fund --loglevel=error
	cd edge/node && npm ci --no-audit --no-fund --loglevel=error
	@test -x $(BIN)/aws-lambda-rie || GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

## deps-debian: the Debian packages of the reports' compatibility and browser tests: HdrHistogram's
## Java HistogramLogProcessor (libhdrhistogram-java, and a JRE when there is no java) and headless
## Chromium. Installs only what is missing, and only as root with apt-get; else it says what to
## install (those tests skip, except under CI where they fail)
DEBIAN_PKGS := libhdrhistogram-java chromium
deps-debian:
	@missing=$$(for p in $(DEBIAN_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
	  command -v java >/dev/null || echo default-jre-headless); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ]; then \
	  echo "deps-debian: not root with apt-get; install $$(echo $$missing) for the reports' browser and compatibility tests"; exit 0; fi; \
	echo "deps-debian: apt-get install $$(echo $$missing)"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

## build: the qload CLI into bin/
build:
	$(GO) build -o $(BIN)/qload ./cmd/qload

## test: vet, formatting, and every test including the differential test against the official
## connector and the Kubernetes Job's check (its own module); then the connector's tests and the
## differential test again, built with the PGO profile as the Lambda binary and qload are
test: deps deps-debian vet fmt-check
	$(GO) test -count=1 $(PKGS)
	$(GO) test -count=1 -pgo=$(CURDIR)/$(PGO_PROFILE) ./connector/... ./conformance/
	$(MAKE) --no-print-directory test-deploy

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

## bench: the benchmark suite (./bench/: qload's connector beside the official one, and the
## pieces of the hot path) and the connector's own benchmarks, with allocation counts; writes the
## combined report OUT (default bench/report.md) and the raw go test output beside it (.txt).
## BENCH (regexp, default .) and BENCHTIME (default 1s) are go test's; COUNT (default 1) runs
## the whole suite that often, one run after the other, and the report shows medians.
BENCH     ?= .
THRESHOLD ?= 10%
BENCH_OUT  = $(or $(OUT),bench/report.md)
bench: deps
	@mkdir -p $(dir $(BENCH_OUT)); raw=$(basename $(BENCH_OUT)).txt; : > $$raw; \
	for i in $$(seq $(or $(COUNT),1)); do \
	  { $(GO) test -pgo=$(CURDIR)/$(PGO_PROFILE) -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count 1 \
	      ./bench/ ./connector/... ; echo $$? > $$raw.rc; } | tee -a $$raw; \
	  rc=$$(cat $$raw.rc); rm -f $$raw.rc; test $$rc -eq 0 || exit $$rc; \
	done
	$(GO) run ./bench/cmd/benchreport -command "make bench BENCH='$(BENCH)' BENCHTIME=$(BENCHTIME) COUNT=$(or $(COUNT),1)" -pgo $(PGO_PROFILE) -o $(BENCH_OUT) $(basename $(BENCH_OUT)).txt
	@echo "report: $(BENCH_OUT)"

## bench-compare: BASE=<git ref> (in a temporary worktree) against the working tree, COUNT
## interleaved rounds (default 6) of ./bench/ at BENCHTIME (default 50ms here), benchstat's
## significance test; writes the pull-request report OUT (default bench-report.md) and fails
## on a significant regression worse than THRESHOLD (default 10%). SKIP (go test -skip; default
## ^BenchmarkInTurns$, which times qload's side as BenchmarkVisitor does) leaves benchmarks out.
bench-compare: deps
	@test -n "$(BASE)" || { echo "usage: make bench-compare BASE=<git ref> [OUT=bench-report.md] [COUNT=6] [BENCHTIME=50ms] [BENCH=.] [SKIP=^BenchmarkInTurns$$] [THRESHOLD=10%]"; exit 2; }
	$(GO) run ./bench/cmd/benchcompare -base '$(BASE)' -o '$(or $(OUT),bench-report.md)' -rounds $(or $(COUNT),6) \
	  -benchtime $(if $(filter command line environment,$(origin BENCHTIME)),$(BENCHTIME),50ms) \
	  -bench '$(BENCH)' $(if $(filter command line environment,$(origin SKIP)),-skip '$(SKIP)') -threshold '$(THRESHOLD)' \
	  -pgo $(PGO_PROFILE)

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

## pgo: regenerate PGO_PROFILE from CPU profiles of the code the connector runs per request: every
## visitor path through the glue on 1, 10 and 100 integrations (BenchmarkVisitor) and the Lambda
## handler's JSON path (BenchmarkHandleEventJSON), then, with a smaller share, every validator,
## operator and kind of text a trigger can compare (BenchmarkTrigger: the non-ASCII ignore-case
## forms too), built without PGO so that the profile depends on the source alone; merged with
## go tool pprof. Run it after changing the hot path, and commit the result.
pgo:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	$(GO) test -pgo=off -run '^$$' -bench '^Benchmark(Visitor|HandleEventJSON)$$' -benchtime 500ms \
	  -o $$tmp/cloudfront.test -cpuprofile $$tmp/visitor.pprof ./connector/cloudfront/ >$$tmp/out.txt || { cat $$tmp/out.txt; exit 1; }; \
	$(GO) test -pgo=off -run '^$$' -bench '^BenchmarkTrigger$$' -benchtime 40ms \
	  -o $$tmp/bench.test -cpuprofile $$tmp/trigger.pprof ./bench/ >$$tmp/out.txt || { cat $$tmp/out.txt; exit 1; }; \
	$(GO) tool pprof -proto $$tmp/visitor.pprof $$tmp/trigger.pprof > $$tmp/default.pgo; \
	mv $$tmp/default.pgo $(PGO_PROFILE); \
	echo "pgo: $(PGO_PROFILE) ($$(stat -c %s $(PGO_PROFILE)) bytes)"

clean:
	rm -rf $(BIN) dist
