#include "cli/doctor/live.h"

#include <boost/json.hpp>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "core/cookie_rules.h"
#include "core/routes.h"

namespace gatehouse {
namespace {

// `api_url` without query, fragment and trailing slash, then `path`:
// "https://example.com/auth/" + "/api/v1/auth/login".
std::string RouteUrl(std::string_view api_url, std::string_view path) {
  api_url = api_url.substr(0, api_url.find_first_of("?#"));
  while (api_url.ends_with("/")) api_url.remove_suffix(1);
  return std::string(api_url) + std::string(path);
}

// This run's own session cookies, name → value, as the server last set
// them. Deletions are ignored: a refresh that fails clears the cookies
// (F8), and the sign-out at the end still needs them to end the session.
class SessionCookies {
 public:
  void Absorb(const HttpResponse& response) {
    for (const std::string& line : response.Headers("Set-Cookie")) {
      auto cookie = ParseSetCookie(line);
      if (!cookie || cookie->value.empty()) continue;
      if (cookie->max_age_seconds && *cookie->max_age_seconds <= 0) continue;
      bool replaced = false;
      for (auto& [name, value] : cookies_) {
        if (name != cookie->name) continue;
        value = cookie->value;
        replaced = true;
      }
      if (!replaced) cookies_.emplace_back(cookie->name, cookie->value);
    }
  }
  bool empty() const { return cookies_.empty(); }
  std::string Header() const {
    std::string out;
    for (const auto& [name, value] : cookies_) {
      out += (out.empty() ? "" : "; ") + name + "=" + value;
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> cookies_;
};

LiveStep Take(std::string_view name, std::string_view api_url,
              std::string_view path, HttpHeaders headers, std::string_view body,
              LiveTransport& transport) {
  LiveStep step;
  step.name = std::string(name);
  step.path = std::string(path);
  step.url = RouteUrl(api_url, path);
  Result<HttpResponse> answer = transport.Post(step.url, headers, body);
  if (answer.ok()) {
    step.response = std::move(answer).value();
  } else {
    step.error = answer.error().message;
  }
  return step;
}

}  // namespace

std::string DoctorUserAgent() {
  return std::string("gatehouse-doctor/") + kGatehouseVersion;
}

void TakeLiveSteps(LiveRun& run, std::string_view api_url,
                   std::string_view password, LiveTransport& transport) {
  const HttpHeaders common = {{"Origin", run.origin},
                              {"Accept", "application/json"},
                              {"User-Agent", DoctorUserAgent()}};
  HttpHeaders login_headers = common;
  login_headers.emplace_back("Content-Type", "application/json");
  const std::string body = boost::json::serialize(boost::json::object{
      {"email", run.email}, {"password", std::string(password)}});
  run.steps.push_back(
      Take("login", api_url, kRouteLogin, login_headers, body, transport));
  if (!StepSucceeded(run.steps.back())) return;
  SessionCookies session;
  session.Absorb(run.steps.back().response);
  if (session.empty()) return;

  auto with_cookies = [&] {
    HttpHeaders headers = common;
    headers.emplace_back("Cookie", session.Header());
    return headers;
  };
  run.steps.push_back(
      Take("refresh", api_url, kRouteRefresh, with_cookies(), "", transport));
  if (run.steps.back().error.empty()) {
    session.Absorb(run.steps.back().response);
  }
  run.steps.push_back(
      Take("logout", api_url, kRouteLogout, with_cookies(), "", transport));
  // A server that does not trust the app's origin refuses its sign-out
  // too (live-csrf-rejected says so); the session doctor opened still
  // ends, from the API's own origin, which gatehouse always trusts.
  const LiveStep& logout = run.steps.back();
  if (logout.error.empty() && logout.response.status == 403 &&
      logout.response.body.find("CSRF_REJECTED") != std::string::npos &&
      run.origin != run.api.origin) {
    HttpHeaders headers = with_cookies();
    headers.front().second = run.api.origin;  // Origin comes first
    run.steps.push_back(
        Take(kLiveCleanupStep, api_url, kRouteLogout, headers, "", transport));
  }
}

}  // namespace gatehouse
