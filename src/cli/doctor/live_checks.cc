// The live judgement, and its first group: did each step get an answer,
// was it gatehouse's, and did gatehouse accept it.
#include "cli/doctor/live_checks.h"

#include <boost/json.hpp>

#include "cli/doctor/live_checks_internal.h"

namespace gatehouse {
namespace live {
namespace {

namespace json = boost::json;

// The JSON envelope every gatehouse answer has (SPEC §3).
struct Envelope {
  bool success = false;
  std::string code;
  std::string message;
};

std::optional<Envelope> EnvelopeOf(const HttpResponse& response) {
  boost::system::error_code ec;
  json::value doc = json::parse(response.body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::object& o = doc.as_object();
  const json::value* success = o.if_contains("success");
  if (success == nullptr || !success->is_bool()) return std::nullopt;
  Envelope e;
  e.success = success->as_bool();
  if (const json::value* code = o.if_contains("code");
      code && code->is_string()) {
    e.code = std::string(code->as_string());
  }
  if (const json::value* message = o.if_contains("message");
      message && message->is_string()) {
    e.message = std::string(message->as_string());
  }
  return e;
}

std::string Answer(const LiveStep& step, const Envelope& e) {
  std::string out = std::to_string(step.response.status);
  if (!e.code.empty()) out += " " + e.code;
  return out;
}

// "POST https://api.example.com/api/v1/auth/refresh"
std::string Request(const LiveStep& step) { return "POST " + step.url; }

void Unreachable(LiveCheckRun& run, const LiveStep& step) {
  run.findings.Add(
      Severity::kError, "live-api-unreachable", "",
      "gatehouse at " + run.run.api.origin + " cannot be reached",
      "The " + step.name + " request (" + Request(step) +
          ") got no answer: " + step.error + "." +
          (step.name == "login"
               ? " No live check could run; the static checks still hold."
               : " The steps after it were not judged."),
      "Check that gatehouse runs and that --api-url is the URL browsers "
      "use; to reach it at another address than DNS gives (a staging "
      "box, a load balancer's node), add --resolve HOST:PORT:ADDRESS. "
      "For a private CA or a test certificate, add --cacert FILE");
}

void NotGatehouse(LiveCheckRun& run, const LiveStep& step) {
  std::string type = step.response.Header("Content-Type");
  std::string location = step.response.Header("Location");
  // A redirect (http to https, a login wall) is followed by browsers, but
  // a credentialed POST must reach gatehouse itself.
  std::string redirect =
      step.response.status / 100 == 3 && !location.empty()
          ? " It redirects to " + location +
                ": give the URL gatehouse answers at as --api-url."
          : "";
  run.findings.Add(
      Severity::kError, "live-not-gatehouse", "",
      "The " + step.name +
          " request got an answer that is not "
          "gatehouse's (HTTP " +
          std::to_string(step.response.status) + ")",
      Request(step) + " answered " +
          (type.empty() ? "without a Content-Type"
                        : "with Content-Type " + type) +
          ", not the JSON envelope {\"success\": ...} every gatehouse "
          "answer has: --api-url may name the app instead of the API, a "
          "proxy may answer with its own page (a 502, a login wall, a "
          "bot challenge), or it may not forward " +
          step.path + " to gatehouse." + redirect,
      "Give --api-url as browsers reach gatehouse (GATEHOUSE_PUBLIC_URL), "
      "and let the proxy in front pass /api/v1/ to gatehouse unchanged");
}

void RateLimited(LiveCheckRun& run, const LiveStep& step) {
  std::string retry = step.response.Header("Retry-After");
  run.findings.Add(
      Severity::kError, "live-rate-limited", "",
      "The " + step.name + " request was rate limited (429 RATE_LIMITED)",
      "gatehouse limits failed sign-ins per account and per IP address "
      "(by default 10 and 50 in 15 minutes), and " +
          Request(step) + " hit a limit" +
          (retry.empty() ? "" : "; it may be retried in " + retry + " s") +
          ". Repeated runs with a wrong password trip it.",
      "Wait " + (retry.empty() ? std::string("a while") : retry + " s") +
          " and run again with the right password; in CI, give the test "
          "account a password that is not guessed at");
}

void CsrfRejected(LiveCheckRun& run, const LiveStep& step) {
  std::string list;
  for (const std::string& o : run.run.trusted_origins) {
    if (o != run.run.origin) list += o + ",";
  }
  std::string session;
  if (step.name == "logout") {
    session = run.Succeeded(kLiveCleanupStep)
                  ? " doctor then ended its session from the API's own "
                    "origin."
                  : " The session doctor opened stays active until it "
                    "expires: gatehouse sessions revoke --user " +
                        run.run.email + " ends it.";
  }
  run.findings.Add(
      Severity::kError, "live-csrf-rejected", kSettingTrustedOrigins,
      "The " + step.name + " request from " + run.run.origin +
          " was refused (403 CSRF_REJECTED)",
      "gatehouse accepts a cookie-authenticated write (refresh, logout, "
      "password change) only from its own origin or one in "
      "GATEHOUSE_TRUSTED_ORIGINS. doctor sent Origin: " +
          run.run.origin +
          ", as the app's browser does, and the server does not trust "
          "it: every refresh the app makes fails, and users are signed "
          "out when their access token expires." +
          session,
      "GATEHOUSE_TRUSTED_ORIGINS=" + list + run.run.origin +
          " in the server's config");
}

void LoginRejected(LiveCheckRun& run, const LiveStep& step, const Envelope& e) {
  const std::string& email = run.run.email;
  std::string title;
  std::string why;
  std::string fix;
  if (e.code == "INVALID_CREDENTIALS") {
    title = "Signing in as " + email + " failed: wrong email or password";
    why = Request(step) + " answered " + Answer(step, e) +
          ". gatehouse answers the same for an unknown email and a wrong "
          "password, so either may be the cause. The live checks need a "
          "working test account.";
    fix =
        "Check --email and the password (GATEHOUSE_DOCTOR_PASSWORD or "
        "--password), or create a test account: gatehouse user add "
        "--email " +
        email + " --password-stdin";
  } else if (e.code == "ACCOUNT_DISABLED") {
    title = "The test account " + email + " is disabled";
    why = Request(step) + " answered " + Answer(step, e) +
          ": the password is right, and the account may not sign in.";
    fix = "gatehouse user enable " + email + ", or use another test account";
  } else {
    title = "Signing in as " + email + " failed (" + Answer(step, e) + ")";
    why = Request(step) + " answered " + Answer(step, e) +
          (e.message.empty() ? "" : ": " + e.message) +
          ". Without a session no live cookie check can run.";
    fix = e.code == "UNAVAILABLE"
              ? "gatehouse cannot reach its database: check "
                "GATEHOUSE_DATABASE_URL and /readyz, then run again"
              : "Fix what the answer names, then run again";
  }
  run.findings.Add(Severity::kError, "live-login-rejected", "", title, why,
                   fix);
}

void RefreshRejected(LiveCheckRun& run, const LiveStep& step,
                     const Envelope& e) {
  std::string why = Request(step) + ", carrying the cookies login had just " +
                    "set, answered " + Answer(step, e) +
                    (e.message.empty() ? "" : ": " + e.message) + ".";
  std::string fix = "Fix what the answer names, then run again";
  if (e.code == "INVALID_REFRESH_TOKEN" || e.code == "REFRESH_TOKEN_REUSED") {
    why +=
        " The server did not accept the refresh token it issued a moment "
        "before: the answers may come from gatehouse instances that do not "
        "share one database, a proxy may drop or rewrite the Cookie header, "
        "or the server may read another cookie name. Browsers meet the same "
        "and sign users out at every refresh.";
    fix =
        "Run every gatehouse instance on one PostgreSQL database, let the "
        "proxy pass Cookie and Set-Cookie through unchanged, and give "
        "GATEHOUSE_REFRESH_COOKIE the name login sets";
  } else {
    why += " Browsers meet the same when the access token expires.";
  }
  run.findings.Add(
      Severity::kError, "live-refresh-rejected", "",
      "Refreshing the new session failed (" + Answer(step, e) + ")", why, fix);
}

void LogoutRejected(LiveCheckRun& run, const LiveStep& step,
                    const Envelope& e) {
  run.findings.Add(
      Severity::kError, "live-logout-rejected", "",
      "Signing out failed (" + Answer(step, e) + ")",
      Request(step) + " answered " + Answer(step, e) +
          (e.message.empty() ? "" : ": " + e.message) +
          ". Users who sign out stay signed in, and the session doctor "
          "opened stays active until it expires.",
      "Fix what the answer names; end doctor's session with: gatehouse "
      "sessions revoke --user " +
          run.run.email);
}

}  // namespace

LiveCheckRun::LiveCheckRun(const LiveRun& checked, const PublicSuffixList& list)
    : run(checked), psl(list) {
  if (!Succeeded("login")) return;
  std::vector<ParsedSetCookie> lines = SetCookiesOf(*Step("login"));
  for (const ParsedSetCookie& line : lines) {
    if (IsDeletion(line, run.now)) continue;
    bool seen = false;
    for (const ParsedSetCookie& kept : login_cookies_) {
      seen = seen || kept.name == line.name;
    }
    if (!seen) login_cookies_.push_back(line);
  }
  for (const ParsedSetCookie& c : login_cookies_) {
    if (c.name == run.access_name || c.name == run.refresh_name) {
      auth_cookies_.push_back(c);
    }
  }
  if (auth_cookies_.empty()) auth_cookies_ = login_cookies_;
}

const LiveStep* LiveCheckRun::Step(std::string_view name) const {
  for (const LiveStep& step : run.steps) {
    if (step.name == name) return &step;
  }
  return nullptr;
}

bool LiveCheckRun::Succeeded(std::string_view name) const {
  const LiveStep* step = Step(name);
  return step != nullptr && StepSucceeded(*step);
}

std::vector<ParsedSetCookie> SetCookiesOf(const LiveStep& step) {
  std::vector<ParsedSetCookie> out;
  if (!step.error.empty()) return out;
  for (const std::string& line : step.response.Headers("Set-Cookie")) {
    if (auto parsed = ParseSetCookie(line)) out.push_back(std::move(*parsed));
  }
  return out;
}

const ParsedSetCookie* SettingLine(const std::vector<ParsedSetCookie>& cookies,
                                   std::string_view name, Time now) {
  for (const ParsedSetCookie& c : cookies) {
    if (c.name == name && !IsDeletion(c, now)) return &c;
  }
  return nullptr;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string CookiesNamed(const std::vector<std::string>& names) {
  return "the " + JoinNames(names) +
         (names.size() == 1 ? " cookie" : " cookies");
}

std::string DomainSetting(const std::optional<std::string>& domain) {
  return domain ? "." + *domain : std::string(kHostOnly);
}

std::string Summary(const ParsedSetCookie& c) {
  std::string out = c.name + "=" + (c.value.empty() ? "" : "…");
  if (c.domain) out += "; Domain=" + *c.domain;
  if (c.path) out += "; Path=" + *c.path;
  if (c.max_age_seconds) {
    out += "; Max-Age=" + std::to_string(*c.max_age_seconds);
  }
  if (c.expires) out += "; Expires=" + FormatIso8601(*c.expires);
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  if (c.same_site)
    out += "; SameSite=" + std::string(SameSiteName(*c.same_site));
  return out;
}

void CheckSteps(LiveCheckRun& run) {
  for (const LiveStep& step : run.run.steps) {
    if (step.name == kLiveCleanupStep) continue;
    if (!step.error.empty()) {
      Unreachable(run, step);
      return;
    }
    std::optional<Envelope> envelope = EnvelopeOf(step.response);
    if (!envelope) {
      NotGatehouse(run, step);
      return;
    }
    if (StepSucceeded(step)) continue;
    if (envelope->code == "RATE_LIMITED") {
      RateLimited(run, step);
    } else if (envelope->code == "CSRF_REJECTED") {
      CsrfRejected(run, step);
    } else if (step.name == "login") {
      LoginRejected(run, step, *envelope);
    } else if (step.name == "refresh") {
      RefreshRejected(run, step, *envelope);
    } else {
      LogoutRejected(run, step, *envelope);
    }
  }
}

}  // namespace live

bool StepSucceeded(const LiveStep& step) {
  if (!step.error.empty() || step.response.status != 200) return false;
  auto envelope = live::EnvelopeOf(step.response);
  return envelope && envelope->success;
}

FindingList JudgeLiveRun(const LiveRun& run, const PublicSuffixList& psl) {
  live::LiveCheckRun checks(run, psl);
  live::CheckSteps(checks);
  live::CheckLoginCookies(checks);
  live::CheckRefreshCookies(checks);
  live::CheckLogoutCookies(checks);
  live::CheckDuplicateCookies(checks);
  return std::move(checks.findings);
}

}  // namespace gatehouse
