# senco: the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
DEMO_DIR ?= .build/demo
SENCO := .build/debug/senco

.PHONY: demo test build deps test-deps clean-demo bench bench-web fuzz

# libxml2's headers and pkg-config are the only system packages the build needs.
deps:
	@if ! pkg-config --exists libxml-2.0 2>/dev/null; then \
		echo "Installing libxml2-dev and pkg-config…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libxml2-dev pkg-config; \
	fi

# What the tests need besides: PostgreSQL's server programs (scripts/with-postgres starts a
# throwaway cluster from them) and unzip (every archive senco writes is checked with unzip -t).
test-deps:
	@if ! command -v unzip >/dev/null || { ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then \
		echo "Installing postgresql and unzip for the tests…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql unzip; \
	fi

build: deps
	$(SWIFT) build

# Copies the fictional sample cohort into a scratch store and runs the main jobs on it.
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@cp -R Portfolios/sample $(DEMO_DIR)/store
	@echo "== Frameworks"
	@$(SENCO) framework list
	@echo
	@echo "== Cohorts in the sample store ($(DEMO_DIR)/store)"
	@$(SENCO) cohort list --store $(DEMO_DIR)/store
	@echo
	@echo "== Participants"
	@$(SENCO) participant list --store $(DEMO_DIR)/store
	@echo
	@first=$$($(SENCO) participant list --store $(DEMO_DIR)/store --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); d=[p for p in d if p["state"]=="draft"] or d; print(d[0]["id"])'); \
	echo "== Coverage for $$first"; \
	$(SENCO) coverage $$first --store $(DEMO_DIR)/store | head -40; \
	$(SENCO) coverage $$first --store $(DEMO_DIR)/store --format html --output $(DEMO_DIR)/coverage-$$first.html; \
	echo; echo "Open $(DEMO_DIR)/coverage-$$first.html in a browser for the accessible HTML report."
	@echo
	@for cohort in $$($(SENCO) cohort list --store $(DEMO_DIR)/store --format json | python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin)))'); do \
		echo "== Completion report for $$cohort"; \
		$(SENCO) report completion --cohort $$cohort --store $(DEMO_DIR)/store; echo; \
	done
	@echo "The web application on the same sample data: .build/debug/senco serve --demo  (then open http://127.0.0.1:8080/)"

# Everything CI runs. Builds the executable first: the crash-safety test drives it as a process.
# The store contract tests run against PostgreSQL too: scripts/with-postgres starts a throwaway
# cluster on loopback for them (or uses $$SENCO_TEST_POSTGRES_URL if it is set).
test: deps test-deps
	$(SWIFT) build
	scripts/with-postgres $(SWIFT) test
	scripts/check-html
	bash .ci/web-tests

clean-demo:
	rm -rf $(DEMO_DIR)

# The benchmark: release build, every peer in one process taking turns, one table. Under 10 minutes.
bench: deps
	$(SWIFT) build -c release --product senco-bench
	.build/release/senco-bench $(BENCH_ARGS)

# The web budget: the coverage page of a 100-item portfolio under wrk on loopback, checked
# against scripts/bench-web.baseline (BENCH_WEB_RECORD=1 records a new baseline); then the
# provider's, tutor's and participant's pages at a provider's size on both stores, against issue
# 13's budget (scripts/bench-scale; BENCH_PARTICIPANTS="1000 5000" for both sizes). See BENCHMARKS.md.
bench-web: deps
	scripts/bench-web
	scripts/bench-scale

# The fuzzer (not part of `make test`): libFuzzer drives the XML reader and the portfolio and
# cohort decoders for FUZZ_SECONDS, starting from the seeds in Tests/Fuzz/corpus. It builds in
# .build-fuzz so the sanitizer flags never reach the ordinary build. New inputs it finds go to
# .build-fuzz/corpus, crashes and hangs to .build-fuzz/findings/ (keep them as seeds once fixed).
FUZZ_SECONDS ?= 300
FUZZ_ARGS ?=
FUZZ_BUILD := $(SWIFT) build -c release --scratch-path .build-fuzz --product senco-fuzz \
	-Xswiftc -sanitize=fuzzer,address -Xswiftc -DSENCO_FUZZ
fuzz: deps
	$(FUZZ_BUILD)
	@mkdir -p .build-fuzz/corpus .build-fuzz/findings
	$$($(FUZZ_BUILD) --show-bin-path)/senco-fuzz .build-fuzz/corpus Tests/Fuzz/corpus \
		-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
		-artifact_prefix=.build-fuzz/findings/ -print_final_stats=1 $(FUZZ_ARGS)
