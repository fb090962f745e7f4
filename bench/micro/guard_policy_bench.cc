// The edge guard's verdict (core/guard_policy.h), which every
// /auth/check request asks for after normalising the path.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "core/guard_policy.h"
#include "core/path_normalizer.h"

namespace gatehouse {
namespace {

// The rules of SPEC §7, plus `extra` rules of other sections, to see how
// the verdict grows with the table.
GuardPolicy Policy(int extra) {
  GuardRules rules;
  rules.login_path = "/auth";
  rules.landing_path = "/admin";
  rules.public_prefixes = {"/auth", "/_next", "/favicon.ico"};
  rules.rules.push_back({"/admin", {"admin"}});
  rules.rules.push_back({"/teacher", {"admin", "teacher"}});
  for (int i = 0; i < extra; ++i) {
    rules.rules.push_back({"/section" + std::to_string(i), {"staff"}});
  }
  Result<GuardPolicy> policy = GuardPolicy::Create(std::move(rules));
  if (!policy.ok()) std::abort();
  return std::move(*policy);
}

void BM_GuardDecide(benchmark::State& state) {
  const GuardPolicy policy = Policy(static_cast<int>(state.range(0)));
  const NormalizedPath path = *NormalizePath("/admin/users/42");
  for (auto _ : state) {
    GuardDecision decision = policy.Decide(path, std::string_view("admin"));
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_GuardDecide)->ArgName("extra_rules")->Arg(0)->Arg(100);

// What /auth/check does with the forwarded URI: normalise, then decide.
void BM_GuardCheckUri(benchmark::State& state) {
  const GuardPolicy policy = Policy(0);
  const std::string uri = "/admin/users/42?tab=sessions";
  for (auto _ : state) {
    Result<NormalizedPath> path = NormalizePath(uri);
    GuardDecision decision = policy.Decide(*path, std::string_view("admin"));
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_GuardCheckUri);

}  // namespace
}  // namespace gatehouse
