# aims: ISO/IEC 42001 AI management system as code.
GO ?= go

.PHONY: all build test vet fmt-check bench install docs update-golden fuzz vuln

all: build test

build:
	$(GO) build -o bin/aims ./cmd/aims

install:
	$(GO) install ./cmd/aims

# Every test: unit, golden files, CLI scripts. Offline. On the 2-core machine:
# 1 min 30 s from a clean clone with empty Go caches, 40-43 s warm (test
# cache off). With AIMS_TOOL_TESTS=1 (set by .ci/run after installing the tools)
# also the tests that drive pre-commit, Chromium with axe-core, ajv,
# markdownlint and yamllint: .ci/run 55 s with the tools installed.
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

# Run every fuzz target for FUZZTIME each (not part of `make test`, whose
# runs only replay the seeds and testdata/fuzz crashers). A crasher the
# fuzzer finds is written to the package's testdata/fuzz/<Target>/: keep it
# there as a seed once fixed.
FUZZTIME ?= 60s
FUZZ_TARGETS = FuzzLoad:./pkg/load FuzzFrontMatter:./pkg/load FuzzPositionsSection:./pkg/load FuzzValidate:./pkg/schema \
	FuzzPrintable:./pkg/diag FuzzMarkdownText:./pkg/report FuzzLinkHTML:./pkg/report FuzzEvidenceRows:./pkg/report \
	FuzzResolve:./pkg/vcs FuzzPipeline:./pkg/workspace FuzzParseDate:./pkg/gap
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; echo "$$name ($$pkg)"; \
		$(GO) test -run XXX -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# Known vulnerabilities in the dependencies and the standard library.
# govulncheck needs its database at vuln.go.dev: it fails offline, so it is
# not part of `make test`. Run it where the network allows (CI, a laptop).
vuln:
	$(GO) run golang.org/x/vuln/cmd/govulncheck@latest ./...

# Regenerate generated docs and golden files; review the diff like code.
docs:
	$(GO) run ./cmd/aims rules --format md > docs/rules.md

update-golden:
	$(GO) test ./pkg/... -update
	UPDATE_SCRIPTS=1 $(GO) test ./cmd/aims
