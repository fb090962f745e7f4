// LoginRateLoad: sign-ins arriving at a fixed rate, whatever the server's
// speed (an open loop, unlike wrk's closed one), to flood the hashing pool
// at a chosen multiple of its capacity.
//
// Sign-in k is due at start + k / rate. A pool of worker threads, each on
// its own keep-alive connection, takes the next due sign-in; a latency is
// measured from when the sign-in was due, not from when a worker got to
// it, so a flood that outruns the workers shows up in the numbers instead
// of silently slowing the offered rate.
#ifndef GATEHOUSE_BENCH_LOADER_LOGIN_RATE_LOAD_H_
#define GATEHOUSE_BENCH_LOADER_LOGIN_RATE_LOAD_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "bench/loader/http_client.h"

namespace gatehouse::bench {

struct LoginRateOptions {
  Endpoint endpoint;
  std::string email;
  std::string password;
  double rate = 50;  // sign-ins per second offered
  std::chrono::milliseconds duration{10000};
  // More than gatehouse queues (GATEHOUSE_MAX_PENDING_LOGINS, 64 by
  // default), so the server's own limit is what answers the excess.
  int workers = 96;
};

// The report (load_report.h, mode "login_rate", plus "offered_per_s"); a
// 200 answer is ok, so 503s past the hashing queue count as errors.
boost::json::object RunLoginRateLoad(const LoginRateOptions& options);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_LOGIN_RATE_LOAD_H_
