#include "bench/loader/refresh_load.h"

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <iostream>
#include <thread>
#include <vector>

#include "bench/loader/latency_stats.h"
#include "bench/loader/load_report.h"
#include "bench/loader/set_cookie.h"

namespace gatehouse::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kRefreshPath[] = "/api/v1/auth/refresh";

// After a transport error the same token is sent again: if the server did
// rotate, the old token is inside the grace window and still answers. The
// pause keeps a dead server from being hammered in a tight loop.
constexpr auto kPauseAfterTransportError = std::chrono::milliseconds(1);

struct ChainResult {
  LatencyStats stats;
  bool broken = false;
};

void RunChain(const RefreshLoadOptions& options, std::string token,
              SteadyClock::time_point start, SteadyClock::time_point deadline,
              std::atomic<int64_t>& budget, ChainResult& result) {
  HttpClient client(options.endpoint);
  HttpRequest request;
  request.method = "POST";
  request.target = kRefreshPath;
  request.headers = {{"Origin", options.origin}, {"Cookie", ""}};
  HttpResponse response;
  std::this_thread::sleep_until(start);
  while (SteadyClock::now() < deadline && budget.fetch_sub(1) > 0) {
    request.headers[1].second = options.refresh_cookie + "=" + token;
    const auto sent = SteadyClock::now();
    const auto error = client.Send(request, response);
    const auto answered = SteadyClock::now();
    if (error) {
      result.stats.RecordTransportError(*error);
      std::this_thread::sleep_for(kPauseAfterTransportError);
      continue;
    }
    auto next = InstalledCookie(response.set_cookies, options.refresh_cookie);
    result.stats.RecordResponse(answered - sent, response.status,
                                response.status == 200 && next.has_value());
    if (next) {
      token = std::move(*next);
    } else if (response.status == 401) {
      // The session is gone (reuse detected or revoked): nothing left to
      // rotate on this chain.
      result.broken = true;
      return;
    }
  }
}

}  // namespace

std::string LoginBody(const std::string& email, const std::string& password) {
  boost::json::object body;
  body["email"] = email;
  body["password"] = password;
  return boost::json::serialize(body);
}

std::optional<std::string> SignIn(HttpClient& client, const std::string& email,
                                  const std::string& password,
                                  const std::string& refresh_cookie) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/api/v1/auth/login";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = LoginBody(email, password);
  HttpResponse response;
  if (auto error = client.Send(request, response)) {
    std::cerr << "gatehouse_loader: sign-in failed: " << *error << "\n";
    return std::nullopt;
  }
  auto token = InstalledCookie(response.set_cookies, refresh_cookie);
  if (response.status != 200 || !token) {
    std::cerr << "gatehouse_loader: sign-in answered " << response.status
              << " without a " << refresh_cookie << " cookie: " << response.body
              << "\n";
    return std::nullopt;
  }
  return token;
}

std::optional<boost::json::object> RunRefreshLoad(
    const RefreshLoadOptions& options) {
  // Sign-ins first, one after the other: each costs an argon2id hash,
  // and none of them belongs in the measured span.
  std::vector<std::string> tokens;
  {
    HttpClient client(options.endpoint);
    for (int i = 0; i < options.sessions; ++i) {
      auto token = SignIn(client, options.email, options.password,
                          options.refresh_cookie);
      if (!token) return std::nullopt;
      tokens.push_back(std::move(*token));
    }
  }

  // Every thread starts at the same instant, once all exist.
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  const auto deadline = start + options.duration;
  std::atomic<int64_t> budget{options.max_requests};
  std::vector<ChainResult> results(tokens.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < tokens.size(); ++i) {
    threads.emplace_back(RunChain, std::cref(options), tokens[i], start,
                         deadline, std::ref(budget), std::ref(results[i]));
  }
  for (std::thread& t : threads) t.join();
  const auto elapsed = SteadyClock::now() - start;

  LatencyStats all;
  int broken = 0;
  for (const ChainResult& r : results) {
    all.Merge(r.stats);
    if (r.broken) ++broken;
  }
  boost::json::object report =
      RenderLoadReport("refresh", options.sessions, elapsed, all);
  report["sessions"] = options.sessions;
  report["chains_broken"] = broken;
  return report;
}

}  // namespace gatehouse::bench
