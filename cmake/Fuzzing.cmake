# GATEHOUSE_FUZZ=ON: the libFuzzer targets of tests/fuzz and only the
# libraries they call, in a build directory of their own (`make fuzz`
# uses build-fuzz). libFuzzer ships with clang; GCC has no equivalent, so
# any other compiler stops the configuration here rather than at link time.
#
# Every gatehouse object gets coverage instrumentation for the fuzzer
# (fuzzer-no-link) plus ASan and UBSan; the fuzz targets themselves link
# with -fsanitize=fuzzer, which brings libFuzzer's main(). Any sanitizer
# report aborts the input that caused it, and libFuzzer saves that input.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "GATEHOUSE_FUZZ needs clang (libFuzzer is part of clang), not "
    "${CMAKE_CXX_COMPILER_ID}: configure a separate build directory with "
    "-DCMAKE_CXX_COMPILER=clang++ (or run `make fuzz`).")
endif()
if(GATEHOUSE_SANITIZE)
  message(FATAL_ERROR
    "GATEHOUSE_FUZZ already builds with ASan and UBSan; leave "
    "GATEHOUSE_SANITIZE off in the fuzz build.")
endif()

set(GATEHOUSE_FUZZ_SANITIZERS address,undefined)

# Clang without its runtime libraries (Debian: libclang-rt-14-dev) compiles
# the objects and then fails on the first link; say so up front.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,${GATEHOUSE_FUZZ_SANITIZERS}")
check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
]] GATEHOUSE_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
if(NOT GATEHOUSE_HAVE_LIBFUZZER)
  message(FATAL_ERROR
    "clang cannot link a libFuzzer target: the fuzzer and sanitizer "
    "runtimes are missing (Debian: apt-get install libclang-rt-14-dev, "
    "which scripts/install-deps.sh installs).")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,${GATEHOUSE_FUZZ_SANITIZERS}
                    -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
add_link_options(-fsanitize=${GATEHOUSE_FUZZ_SANITIZERS})
