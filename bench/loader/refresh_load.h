// RefreshLoad: chained refresh rotations, as browsers do them.
//
// Signs in `sessions` sessions, then gives each its own connection and
// thread, which POSTs /api/v1/auth/refresh with the refresh cookie the
// previous answer set (so every request is a real rotation, never a grace
// replay) and a trusted Origin (the CSRF check), until the duration is up.
// wrk cannot do this: it sends the same cookie every time.
#ifndef GATEHOUSE_BENCH_LOADER_REFRESH_LOAD_H_
#define GATEHOUSE_BENCH_LOADER_REFRESH_LOAD_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bench/loader/http_client.h"

namespace gatehouse::bench {

struct RefreshLoadOptions {
  Endpoint endpoint;
  std::string email;
  std::string password;
  std::string origin;  // one of GATEHOUSE_TRUSTED_ORIGINS
  std::string refresh_cookie = "refresh_token";
  int sessions = 8;
  std::chrono::milliseconds duration{10000};
  // A bound on the count as well as the time: no run can grow without
  // limit, whatever the server's speed.
  int64_t max_requests = 20'000'000;
};

// The report (load_report.h, mode "refresh", plus "sessions" and
// "chains_broken": sessions whose chain ended in a 401), or nullopt after
// saying on stderr why the sessions could not be signed in.
std::optional<boost::json::object> RunRefreshLoad(
    const RefreshLoadOptions& options);

// POST /api/v1/auth/login; the refresh cookie it sets, or nullopt after
// saying why on stderr. Shared with the other modes that sign in.
std::optional<std::string> SignIn(HttpClient& client, const std::string& email,
                                  const std::string& password,
                                  const std::string& refresh_cookie);

// The JSON body of a sign-in request.
std::string LoginBody(const std::string& email, const std::string& password);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_REFRESH_LOAD_H_
