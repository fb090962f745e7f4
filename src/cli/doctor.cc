#include "cli/doctor.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "app/config_check.h"
#include "app/libpsl_public_suffix_list.h"
#include "cli/doctor_report.h"
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

}  // namespace

std::string DoctorUrlProblem(const std::string& url) {
  if (ParseWebUrl(url)) return "";
  return "'" + url + "' is not an http(s) URL like https://app.example.com";
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
  report.api_url = facts.api_url;
  report.app_urls = facts.app_urls;
  // Stage 1, static: what the config and the URLs alone say.
  report.findings = CheckDeployment(facts, psl);
  // Stage 2 (--live) belongs here: append what a running server's real
  // responses show, then keep errors first:
  //   std::stable_sort(findings, by severity).

  const std::string text =
      options.json ? RenderJson(report) : RenderText(report, StyleForStdout());
  std::fwrite(text.data(), 1, text.size(), stdout);
  return ExitCode(report);
}

}  // namespace gatehouse
