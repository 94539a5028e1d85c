# nnreport: `make report` builds the tool and writes Output/index.html;
# `make test` runs the test suite. Both install the Debian packages they need.

SWIFT      ?= swift
APT_PACKAGES := pkg-config libopenblas-dev libxgboost-dev liblinear-dev \
                libpng-dev libjpeg62-turbo-dev libxml2-dev
RELEASE    := .build/release/nnreport
# Tests build in release mode (numeric code is 10-50x slower in debug) with
# @testable imports enabled, in a folder of their own so the two configurations
# do not rebuild each other.
TEST_FLAGS := -c release -Xswiftc -enable-testing --scratch-path .build-test

.PHONY: all deps slurm-deps print-deps build report test test-tier test-slurm check-print fuzz bench bench-compare clean

all: report

# Installs the Debian packages of $(1) that are missing (with sudo when not root).
define install-missing
@missing=""; \
	for package in $(1); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install-missing,$(APT_PACKAGES))

# Slurm and munge, for `make test-slurm` (a single-node cluster the test starts itself).
SLURM_PACKAGES := slurmctld slurmd slurm-client munge
slurm-deps:
	$(call install-missing,$(SLURM_PACKAGES))

# Headless Chromium and poppler-utils, for `make check-print`.
PRINT_PACKAGES := chromium poppler-utils
print-deps:
	$(call install-missing,$(PRINT_PACKAGES))

build: deps
	$(SWIFT) build -c release --product nnreport

report: build
	$(RELEASE)

test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build

# One tier of the suite, by its tag (Tests/TestSupport/Tags.swift):
# make test-tier TIER=numerics (or golden, endToEnd, errors).
test-tier: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build --filter "$$(Tests/Scripts/tier-filter $(TIER))"

# The cluster path against a real single-node Slurm (started and stopped by the test).
test-slurm: build slurm-deps
	Tests/Slurm/test-slurm.sh

# The printed report (Letter and A4): fewer than 35 pages, nothing wider than the
# page. Checks the report in REPORT (default Output: run `make report` first).
REPORT ?= Output
check-print: print-deps
	Tests/Scripts/check-print $(REPORT)

# libFuzzer targets (Fuzz/): the CSV reader, the safetensors header parser, the whole
# weights loading (safetensors and PyTorch checkpoints), PNG/JPEG decoding through our
# wrappers, the template scanner and the whole template loading and rendering;
# FUZZ_SECONDS each (default 60); FUZZ_TARGETS="weights csv" picks some.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

bench: build
	$(RELEASE) bench mlp

# nnreport beside PyTorch (CPU) on the same work, alternating, three rounds, as one table
# (README, "Side by side with PyTorch"); not part of `make test`. Installs torch, torchvision
# and xgboost into .build/bench-venv when missing: torch from TORCH_WHEEL (default: a CPU
# wheel under /opt/wheels if there is one, else PyPI's torch). BENCH_COMPARE_ARGS passes
# options, e.g. --skip-224 or --rounds 5 (Benchmarks/bench-compare --help).
TORCH_WHEEL ?=
BENCH_COMPARE_ARGS ?=
bench-compare: build
	TORCH_WHEEL="$(TORCH_WHEEL)" Benchmarks/bench-compare $(BENCH_COMPARE_ARGS)

clean:
	rm -rf .build .build-test .build-fuzz Output/index.html Output/report-* Output/style.css Output/figures Output/tables Output/results.json
