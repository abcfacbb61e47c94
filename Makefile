# aims: ISO/IEC 42001 AI management system as code.
GO ?= go

.PHONY: all build test vet fmt-check bench install docs update-golden

all: build test

build:
	$(GO) build -o bin/aims ./cmd/aims

install:
	$(GO) install ./cmd/aims

# Every test: unit, golden files, CLI scripts. Offline; about a minute on 2 cores.
test: fmt-check vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l cmd pkg schemas templates examples); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Benchmarks: every stage and `check` end to end at about 140, 1,000, 10,000
# and 50,000 generated documents beside a yaml.v3 parse floor; the binary as
# a process (CPU, peak memory); provenance beside `git log --name-only`.
# Needs about 2 GB of memory and 20 minutes on 2 cores; BENCH_FLAGS=-short
# keeps the small sizes. Compare runs with medians (-count), not one run.
BENCH_FLAGS ?=
bench:
	$(GO) test -run XXX -bench . -benchtime 3x -count 3 $(BENCH_FLAGS) ./pkg/workspace ./pkg/vcs ./cmd/aims

# Regenerate generated docs and golden files; review the diff like code.
docs:
	$(GO) run ./cmd/aims rules --format md > docs/rules.md

update-golden:
	$(GO) test ./pkg/... -update
	UPDATE_SCRIPTS=1 $(GO) test ./cmd/aims
