// RequestLoad: the same request over and over on N keep-alive connections,
// one thread each, until a duration or a request count is reached
// (whichever comes first). bench/profile_verify.sh uses it for a run
// bounded by count, which wrk cannot do.
#ifndef GATEHOUSE_BENCH_LOADER_REQUEST_LOAD_H_
#define GATEHOUSE_BENCH_LOADER_REQUEST_LOAD_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>

#include "bench/loader/http_client.h"

namespace gatehouse::bench {

struct RequestLoadOptions {
  Endpoint endpoint;
  HttpRequest request;
  int connections = 4;
  std::chrono::milliseconds duration{10000};
  int64_t max_requests = 20'000'000;
};

// The report (load_report.h, mode "request"); a 2xx answer is ok.
boost::json::object RunRequestLoad(const RequestLoadOptions& options);

}  // namespace gatehouse::bench

#endif  // GATEHOUSE_BENCH_LOADER_REQUEST_LOAD_H_
