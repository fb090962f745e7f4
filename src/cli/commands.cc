#include "cli/commands.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "app/config_check.h"
#include "core/ids.h"

namespace gatehouse {
namespace {

void SetUpLogging(const std::string& level) {
  // Logs go to stderr so stdout stays for command output.
  auto logger = spdlog::stderr_color_mt("gatehouse");
  spdlog::set_default_logger(logger);
  auto parsed = spdlog::level::from_str(level);
  spdlog::set_level(parsed == spdlog::level::off && level != "off"
                        ? spdlog::level::info
                        : parsed);
}

// The effective config, or nullopt after printing why not.
std::optional<LoadedConfig> Load(const CommandContext& ctx) {
  auto loaded =
      LoadConfig(ctx.dev, ctx.flags, SettingsFromEnvironment(std::getenv));
  if (!loaded.ok()) {
    std::fprintf(stderr, "gatehouse: %s\n", loaded.error().message.c_str());
    return std::nullopt;
  }
  SetUpLogging(loaded->config.log_level);
  return std::move(loaded).value();
}

// Prints every problem; true if none is an error.
bool ReportProblems(const Config& config) {
  bool ok = true;
  for (const ConfigProblem& p : CheckConfig(config)) {
    if (p.severity == ConfigProblem::Severity::kError) {
      ok = false;
      std::fprintf(stderr, "gatehouse: refusing to start: %s: %s\n",
                   p.setting.c_str(), p.message.c_str());
    } else {
      spdlog::warn("{}: {}", p.setting, p.message);
    }
  }
  return ok;
}

}  // namespace

int RunServe(const CommandContext& ctx) {
  auto loaded = Load(ctx);
  if (!loaded) return 2;
  if (!ReportProblems(loaded->config)) return 2;
  if (loaded->config.dev) {
    spdlog::warn(
        "--dev: cookies without Secure, signup open; never use in production");
  }
  auto app = App::Create(loaded->config);
  if (!app.ok()) {
    std::fprintf(stderr, "gatehouse: %s\n", app.error().message.c_str());
    return app.error().code == ErrorCode::kValidationFailed ? 2 : 1;
  }
  return (*app)->Serve();
}

int RunMigrate(const CommandContext& ctx, const std::string& action) {
  auto loaded = Load(ctx);
  if (!loaded) return 2;
  auto backend = OpenBackend(loaded->config.database_url);
  if (!backend.ok()) {
    std::fprintf(stderr, "gatehouse: %s\n", backend.error().message.c_str());
    return 1;
  }
  Migrator& migrator = *backend->migrator;
  if (action == "up") {
    auto applied = migrator.Up();
    if (!applied.ok()) {
      std::fprintf(stderr, "gatehouse: migrate up: %s\n",
                   applied.error().message.c_str());
      return 1;
    }
    if (applied->empty()) std::printf("schema is up to date\n");
    for (int v : *applied) std::printf("applied %04d\n", v);
    return 0;
  }
  if (action == "down") {
    auto reverted = migrator.Down();
    if (!reverted.ok()) {
      std::fprintf(stderr, "gatehouse: migrate down: %s\n",
                   reverted.error().message.c_str());
      return 1;
    }
    std::printf("reverted %04d\n", *reverted);
    return 0;
  }
  auto status = migrator.Status();
  if (!status.ok()) {
    std::fprintf(stderr, "gatehouse: migrate status: %s\n",
                 status.error().message.c_str());
    return 1;
  }
  for (const MigrationStatus& m : *status) {
    std::printf("%04d %-24s %s\n", m.version, m.name.c_str(),
                m.applied ? "applied" : "pending");
  }
  return 0;
}

int RunUserAdd(const CommandContext& ctx, const UserAddOptions& options) {
  auto loaded = Load(ctx);
  if (!loaded) return 2;
  auto app = App::Create(loaded->config);
  if (!app.ok()) {
    std::fprintf(stderr, "gatehouse: %s\n", app.error().message.c_str());
    return 1;
  }
  std::string password;
  bool generated = !options.password_from_stdin;
  if (options.password_from_stdin) {
    std::getline(std::cin, password);
  } else {
    SodiumRandom random;
    password = NewOpaqueToken(random, 12);
  }
  auto user = (*app)->auth().Register(options.email, password, options.name,
                                      options.role,
                                      /*bypass_signup_policy=*/true);
  if (!user.ok()) {
    std::fprintf(stderr, "gatehouse: user add: %s\n",
                 user.error().message.c_str());
    return 1;
  }
  std::printf("created user %s (%s, role %s)\n", user->id.c_str(),
              user->email.c_str(), user->role.c_str());
  if (generated) std::printf("password: %s (shown once)\n", password.c_str());
  return 0;
}

int RunConfigPrint(const CommandContext& ctx) {
  auto loaded = Load(ctx);
  if (!loaded) return 2;
  static constexpr const char* kSourceNames[] = {"default", "file",
                                                 "environment", "flag"};
  std::printf("# effective configuration (%s)\n",
              ctx.dev ? "--dev" : "production");
  for (const SettingInfo& s : AllSettings()) {
    std::string value = SettingValue(loaded->config, s.key, /*redact=*/true);
    std::printf("%-32s = %-40s # %s\n", s.env.c_str(),
                value.empty() ? "\"\"" : value.c_str(),
                kSourceNames[static_cast<int>(loaded->sources[s.key])]);
  }
  return ReportProblems(loaded->config) ? 0 : 1;
}

}  // namespace gatehouse
