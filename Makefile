# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here serves those two.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# `make fuzz`: seconds per target, and which targets (default: every
# tests/fuzz/<name>_fuzzer.cc), e.g. make fuzz FUZZ_TARGETS=jwt FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%_fuzzer.cc,%,$(wildcard tests/fuzz/*_fuzzer.cc))
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: run test deps build asan unit-asan fuzz fuzz-build format clean bench soak

run: deps build
	mkdir -p data
	./$(BUILD)/gatehouse serve --dev

# PostgreSQL and Caddy tests start private instances themselves; here
# they may not skip for want of them (scripts/install-deps.sh installs
# both).
test: export GATEHOUSE_REQUIRE_POSTGRES = 1
test: export GATEHOUSE_REQUIRE_CADDY = 1
test: deps build asan fuzz-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz

deps:
	./scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

# Every test again, the server included, under AddressSanitizer and
# UndefinedBehaviorSanitizer. Built with clang, whose -Wthread-safety
# checks every lock annotation (core/thread_annotations.h) in this same
# pass; the Release build above is GCC's.
asan:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_COMPILER=clang++ \
	  -DGATEHOUSE_SANITIZE=ON -DGATEHOUSE_UNIT_TESTS_ONLY=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The fuzz targets of tests/fuzz (clang, libFuzzer, ASan, UBSan), in a
# build of their own. `make test` runs each over its committed corpus.
fuzz-build:
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DGATEHOUSE_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Each target for FUZZ_SECONDS, one at a time, starting from its corpus in
# tests/fuzz/corpus/<name>. New inputs go to $(FUZZ_BUILD)/corpus/<name>
# (never the repository), a crashing input to $(FUZZ_BUILD)/<name>-crash-*,
# and the run's output to $(FUZZ_BUILD)/<name>.log.
fuzz: deps fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  dict=; if [ -f tests/fuzz/$$t.dict ]; then dict=-dict=tests/fuzz/$$t.dict; fi; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  if ! $(FUZZ_BUILD)/tests/fuzz/$${t}_fuzzer $$dict -max_total_time=$(FUZZ_SECONDS) \
	      -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$t- \
	      $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t > $(FUZZ_BUILD)/$$t.log 2>&1; then \
	    tail -n 60 $(FUZZ_BUILD)/$$t.log; exit 1; \
	  fi; \
	  grep '^Done' $(FUZZ_BUILD)/$$t.log; \
	done

# Benchmarks beside an nginx ceiling (not part of test); writes docs/benchmarks.md.
bench: deps
	./scripts/install-bench-deps.sh
	bench/run.sh

# The sanitizer build of the server under mixed load for SOAK_SECONDS
# (180), then SIGTERM: fails on a sanitizer report, a non-zero exit, an
# answer that is not a JSON envelope, or RSS growth (not part of test).
soak: deps asan
	bench/soak.sh $(ASAN_BUILD)/gatehouse

format:
	find src testing tests -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
