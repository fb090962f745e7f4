// Path normalisation (core/path_normalizer.h) on what browsers send and on
// what an attacker sends: the second kind takes every reading.
#include <benchmark/benchmark.h>

#include <string>

#include "core/path_normalizer.h"

namespace gatehouse {
namespace {

void NormalizeLoop(benchmark::State& state, const std::string& uri) {
  for (auto _ : state) {
    Result<NormalizedPath> path = NormalizePath(uri);
    benchmark::DoNotOptimize(path);
  }
}

BENCHMARK_CAPTURE(NormalizeLoop, browser_path,
                  std::string("/admin/users/42?tab=sessions"));
BENCHMARK_CAPTURE(NormalizeLoop, dot_segments_and_escapes,
                  std::string("/auth/../admin//%7Euser/./x;jsessionid=1"));
BENCHMARK_CAPTURE(NormalizeLoop, double_encoded,
                  std::string("/auth/%252e%252e/admin/%2541"));
// Near nginx's 8 KiB request-line limit, the longest path the guard reads.
BENCHMARK_CAPTURE(NormalizeLoop, long_path, [] {
  std::string path;
  while (path.size() < 8000) path += "/segment";
  return path;
}());

}  // namespace
}  // namespace gatehouse
