// Building and reading auth cookies (core/cookie_policy.h): every sign-in,
// rotation and sign-out builds them, every request reads them.
#include <benchmark/benchmark.h>

#include <string>

#include "core/cookie_policy.h"

namespace gatehouse {
namespace {

// Sizes of real tokens: an EdDSA access JWT with UUID ids is about 450
// characters, a refresh token 43.
const std::string kAccessToken(450, 'a');
const std::string kRefreshToken(43, 'r');

CookieSettings Production(int old_domains) {
  CookieSettings settings;
  settings.domain = ".example.com";
  for (int i = 0; i < old_domains; ++i) {
    settings.old_domains.push_back(
        i == 0 ? kHostOnly : "old" + std::to_string(i) + ".example.com");
  }
  return settings;
}

void BM_SetAuthCookies(benchmark::State& state) {
  const CookiePolicy policy(Production(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto cookies =
        policy.SetAuthCookies(kAccessToken, std::chrono::minutes(15),
                              kRefreshToken, std::chrono::hours(720));
    benchmark::DoNotOptimize(cookies);
  }
}
// 0: one Domain; 2: a deployment that moved twice (F10 clears both).
BENCHMARK(BM_SetAuthCookies)->ArgName("old_domains")->Arg(0)->Arg(2);

void BM_ClearAuthCookies(benchmark::State& state) {
  const CookiePolicy policy(Production(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto cookies = policy.ClearAuthCookies();
    benchmark::DoNotOptimize(cookies);
  }
}
BENCHMARK(BM_ClearAuthCookies)->ArgName("old_domains")->Arg(0)->Arg(2);

// A Cookie header as a browser sends it to an API that shares its domain
// with analytics and the app's own cookies.
void BM_CookieValues(benchmark::State& state) {
  const std::string header = "_ga=GA1.2.123456789.1700000000; theme=dark; " +
                             std::string("access_token=") + kAccessToken +
                             "; refresh_token=" + kRefreshToken +
                             "; _gid=GA1.2.987654321.1700000000; locale=en";
  for (auto _ : state) {
    auto values = CookieValues(header, "access_token");
    benchmark::DoNotOptimize(values);
  }
}
BENCHMARK(BM_CookieValues);

}  // namespace
}  // namespace gatehouse
