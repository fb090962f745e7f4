# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here serves those two.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: run test deps build asan unit-asan format clean bench

run: deps build
	mkdir -p data
	./$(BUILD)/gatehouse serve --dev

# PostgreSQL and Caddy tests start private instances themselves; here
# they may not skip for want of them (scripts/install-deps.sh installs
# both).
test: export GATEHOUSE_REQUIRE_POSTGRES = 1
test: export GATEHOUSE_REQUIRE_CADDY = 1
test: deps build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

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

# Benchmarks beside an nginx ceiling (not part of test); writes docs/benchmarks.md.
bench: deps
	./scripts/install-bench-deps.sh
	bench/run.sh

format:
	find src testing tests -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
