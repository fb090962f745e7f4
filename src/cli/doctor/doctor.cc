#include "cli/doctor/doctor.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "app/config_check.h"
#include "app/libpsl_public_suffix_list.h"
#include "app/system_clock.h"
#include "cli/doctor/http_client.h"
#include "cli/doctor/live.h"
#include "cli/doctor/live_checks.h"
#include "cli/doctor/report.h"
#include "core/cookie_rules.h"
#include "core/url_redaction.h"
#include "core/web_url.h"

namespace gatehouse {
namespace {

// Colour and width for stdout: colour only on a terminal (never in a pipe
// or a file, and not when NO_COLOR is set); the terminal's width, kept
// between 60 and 100 columns so blocks stay readable.
TextStyle StyleForStdout() {
  TextStyle style;
  if (isatty(STDOUT_FILENO) == 0) return style;
  const char* no_color = std::getenv("NO_COLOR");
  style.color = no_color == nullptr || *no_color == '\0';
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    style.width = std::clamp(static_cast<int>(size.ws_col), 60, 100);
  }
  return style;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gatehouse doctor: %s\n", message.c_str());
  return 2;
}

// "login 200, refresh 200, logout 200 as a@example.com", for the header.
std::string LiveSummary(const LiveRun& run) {
  std::string out;
  for (const LiveStep& step : run.steps) {
    out += (out.empty() ? "" : ", ") + step.name + " " +
           (step.error.empty() ? std::to_string(step.response.status)
                               : std::string("(no answer)"));
  }
  return out + " as " + run.email;
}

// Stage 2, --live: what the running server's real answers show. Appends
// its findings to `report`; returns 0, or 2 on bad usage.
int AppendLiveStage(const Config& config, const DeploymentFacts& facts,
                    const DoctorOptions& options, const PublicSuffixList& psl,
                    DoctorReport& report) {
  std::optional<WebUrl> api = ParseWebUrl(facts.api_url);
  if (!api) {
    return UsageError(
        "--live needs the API's URL: --api-url or GATEHOUSE_PUBLIC_URL");
  }
  if (options.email.empty()) return UsageError("--live needs --email");
  std::string password = options.password;
  if (password.empty()) {
    const char* from_env = std::getenv(kDoctorPasswordEnv);
    password = from_env == nullptr ? "" : from_env;
  }
  if (password.empty()) {
    return UsageError(std::string("--live needs the test account's "
                                  "password: ") +
                      kDoctorPasswordEnv + " or --password");
  }
  HttpClientOptions client_options;
  client_options.ca_file = options.ca_file;
  for (const std::string& text : options.resolve) {
    Result<ResolveRule> rule = ParseResolveRule(text);
    if (!rule.ok()) return UsageError(rule.error().message);
    client_options.resolve.push_back(*rule);
  }

  LiveRun run;
  run.api = *api;
  for (const std::string& url : facts.app_urls) {
    if (auto app = ParseWebUrl(url)) run.apps.push_back(*app);
  }
  run.email = options.email;
  // The app's browser sends its own origin; with no app, the API's pages
  // (the account page) are where a browser signs in.
  run.origin = run.apps.empty() ? api->origin : run.apps.front().origin;
  run.access_name = config.cookie.access_name;
  run.refresh_name = config.cookie.refresh_name;
  run.old_domains = config.cookie.old_domains;
  run.trusted_origins = facts.trusted_origins;
  run.browser_cookies = ParseCookieHeader(options.cookie_header);

  const HttpClient client(std::move(client_options));
  HttpLiveTransport transport(client);
  TakeLiveSteps(run, facts.api_url, password, transport);
  run.now = SystemClock().Now();
  report.findings.Append(JudgeLiveRun(run, psl));
  report.live = LiveSummary(run);
  return 0;
}

}  // namespace

std::string DoctorResolveProblem(const std::string& rule) {
  Result<ResolveRule> parsed = ParseResolveRule(rule);
  return parsed.ok() ? "" : parsed.error().message;
}

std::string DoctorUrlProblem(const std::string& url) {
  if (ParseWebUrl(url)) return "";
  return "'" + RedactUrl(url) +
         "' is not an http(s) URL like https://app.example.com";
}

int RunDoctor(const CommandContext& ctx, const DoctorOptions& options) {
  auto loaded =
      LoadConfig(ctx.dev, ctx.flags, SettingsFromEnvironment(std::getenv));
  if (!loaded.ok()) {
    std::fprintf(stderr, "gatehouse doctor: %s\n",
                 loaded.error().message.c_str());
    return 2;
  }
  const Config& config = loaded->config;
  const DeploymentUrls urls{options.api_url, options.app_urls};
  const LibPslPublicSuffixList psl;

  DoctorReport report;
  report.dev = config.dev;
  DeploymentFacts facts = FactsFromConfig(config, urls);
  // As given, so possibly with a password: shown redacted.
  report.api_url = RedactUrl(facts.api_url);
  for (const std::string& url : facts.app_urls) {
    report.app_urls.push_back(RedactUrl(url));
  }
  // Stage 1, static: what the config and the URLs alone say.
  report.findings = CheckDeployment(facts, psl);
  if (options.live) {
    if (int usage = AppendLiveStage(config, facts, options, psl, report)) {
      return usage;
    }
    // Errors first, then warnings, then notes; each stage's own order kept.
    report.findings.SortBySeverity();
  }

  const std::string text =
      options.json ? RenderJson(report) : RenderText(report, StyleForStdout());
  std::fwrite(text.data(), 1, text.size(), stdout);
  return ExitCode(report);
}

}  // namespace gatehouse
