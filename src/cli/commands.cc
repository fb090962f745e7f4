#include "cli/commands.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "app/config_check.h"
#include "app/libpsl_public_suffix_list.h"
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

// Runs the checks `serve` runs at start (the API at GATEHOUSE_PUBLIC_URL,
// the apps at GATEHOUSE_TRUSTED_ORIGINS): prints each error with the
// setting it concerns, `verdict` first, and logs each warning. Notes are
// advice for `gatehouse doctor`. True if there is no error.
bool ReportProblems(const Config& config, const char* verdict) {
  const LibPslPublicSuffixList psl;
  bool ok = true;
  for (const Finding& f : CheckConfig(config, psl)) {
    const std::string& subject = f.setting.empty() ? f.id : f.setting;
    if (f.severity == Severity::kError) {
      ok = false;
      std::fprintf(stderr, "gatehouse: %s: %s: %s\n  fix: %s\n", verdict,
                   subject.c_str(), f.title.c_str(), f.fix.c_str());
    } else if (f.severity == Severity::kWarning) {
      spdlog::warn("{}: {} ({}; see gatehouse doctor)", subject, f.title, f.id);
    }
  }
  if (!ok) {
    std::fprintf(stderr,
                 "gatehouse: `gatehouse doctor` explains why each of these "
                 "breaks in a browser\n");
  }
  return ok;
}

}  // namespace

int RunServe(const CommandContext& ctx) {
  auto loaded = Load(ctx);
  if (!loaded) return 2;
  if (!ReportProblems(loaded->config, "refusing to start")) return 2;
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
  auto status = migrator.ListMigrations();
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
    password = NewOpaqueToken((*app)->random(), 12);
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
  return ReportProblems(loaded->config, "error") ? 0 : 1;
}

}  // namespace gatehouse

namespace gatehouse {
namespace {

// Opens the app for an operations command, or prints why not.
std::unique_ptr<App> OpenApp(const CommandContext& ctx) {
  auto loaded = Load(ctx);
  if (!loaded) return nullptr;
  auto app = App::Create(loaded->config);
  if (!app.ok()) {
    std::fprintf(stderr, "gatehouse: %s\n", app.error().message.c_str());
    return nullptr;
  }
  return std::move(app).value();
}

int Fail(const char* what, const Error& error) {
  std::fprintf(stderr, "gatehouse: %s: %s\n", what, error.message.c_str());
  return 1;
}

const ClientInfo kCliClient{"", "gatehouse-cli"};

}  // namespace

int RunUserList(const CommandContext& ctx, const OpsOptions& options) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto users =
      app->admin().ListUsers(Actor::Cli(), options.after, options.limit);
  if (!users.ok()) return Fail("user list", users.error());
  std::printf("%-36s  %-32s  %-10s  %-8s  %s\n", "ID", "EMAIL", "ROLE", "STATE",
              "CREATED");
  for (const User& u : *users) {
    std::printf("%-36s  %-32s  %-10s  %-8s  %s\n", u.id.c_str(),
                u.email.c_str(), u.role.c_str(),
                u.disabled ? "disabled" : "active",
                FormatIso8601(u.created_at).c_str());
  }
  return 0;
}

int RunUserSetRole(const CommandContext& ctx, const OpsOptions& options) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto user = app->admin().FindUser(Actor::Cli(), options.user);
  if (!user.ok()) return Fail("user set-role", user.error());
  auto updated = app->admin().UpdateUser(
      Actor::Cli(), user->id, {options.role, std::nullopt}, kCliClient);
  if (!updated.ok()) return Fail("user set-role", updated.error());
  std::printf("%s now has role %s\n", updated->email.c_str(),
              updated->role.c_str());
  return 0;
}

int RunUserDisable(const CommandContext& ctx, const OpsOptions& options,
                   bool disabled) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto user = app->admin().FindUser(Actor::Cli(), options.user);
  if (!user.ok()) return Fail("user disable", user.error());
  auto updated = app->admin().UpdateUser(Actor::Cli(), user->id,
                                         {std::nullopt, disabled}, kCliClient);
  if (!updated.ok()) return Fail("user disable", updated.error());
  std::printf("%s is %s%s\n", updated->email.c_str(),
              disabled ? "disabled" : "enabled",
              disabled ? "; every session was signed out" : "");
  return 0;
}

int RunSessionsList(const CommandContext& ctx, const OpsOptions& options) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto user = app->admin().FindUser(Actor::Cli(), options.user);
  if (!user.ok()) return Fail("sessions list", user.error());
  auto sessions = app->admin().ListUserSessions(Actor::Cli(), user->id);
  if (!sessions.ok()) return Fail("sessions list", sessions.error());
  std::printf("%-36s  %-20s  %-20s  %-15s  %s\n", "SESSION", "CREATED",
              "LAST USED", "IP", "USER AGENT");
  for (const Session& s : *sessions) {
    std::printf("%-36s  %-20s  %-20s  %-15s  %s\n", s.id.c_str(),
                FormatIso8601(s.created_at).c_str(),
                FormatIso8601(s.last_used_at).c_str(), s.ip.c_str(),
                s.user_agent.substr(0, 60).c_str());
  }
  return 0;
}

int RunSessionsRevoke(const CommandContext& ctx, const OpsOptions& options) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  if (!options.session.empty()) {
    Status revoked =
        app->admin().RevokeSession(Actor::Cli(), options.session, kCliClient);
    if (!revoked.ok()) return Fail("sessions revoke", revoked.error());
    std::printf("session %s signed out\n", options.session.c_str());
    return 0;
  }
  auto user = app->admin().FindUser(Actor::Cli(), options.user);
  if (!user.ok()) return Fail("sessions revoke", user.error());
  auto count =
      app->admin().RevokeUserSessions(Actor::Cli(), user->id, kCliClient);
  if (!count.ok()) return Fail("sessions revoke", count.error());
  std::printf("%d session(s) of %s signed out\n", *count, user->email.c_str());
  return 0;
}

int RunKeysList(const CommandContext& ctx) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto keys = app->keys().ListKeys();
  if (!keys.ok()) return Fail("keys list", keys.error());
  std::printf("%-20s  %-6s  %-20s  %-20s  %s\n", "KID", "ALG", "CREATED",
              "RETIRED", "STATE");
  for (const SigningKey& k : *keys) {
    bool published = false;
    for (const auto& p : app->keys().published_keys())
      published |= p.kid == k.kid;
    const char* state = !k.retired_at ? "signing"
                        : published   ? "verifying"
                                      : "expired";
    std::printf("%-20s  %-6s  %-20s  %-20s  %s\n", k.kid.c_str(), k.alg.c_str(),
                FormatIso8601(k.created_at).c_str(),
                k.retired_at ? FormatIso8601(*k.retired_at).c_str() : "-",
                state);
  }
  return 0;
}

int RunKeysRotate(const CommandContext& ctx) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  auto kid = app->keys().Rotate();
  if (!kid.ok()) return Fail("keys rotate", kid.error());
  if (Status s = app->admin().RecordKeyRotation(Actor::Cli(), *kid, kCliClient);
      !s.ok()) {
    return Fail("keys rotate", s.error());
  }
  std::printf(
      "new signing key %s; older keys stay in the JWKS until their last token "
      "expires. Running servers pick it up at their next start.\n",
      kid->c_str());
  return 0;
}

int RunAudit(const CommandContext& ctx, const OpsOptions& options) {
  auto app = OpenApp(ctx);
  if (!app) return 2;
  std::string user_id;
  if (!options.user.empty()) {
    auto user = app->admin().FindUser(Actor::Cli(), options.user);
    if (!user.ok()) return Fail("audit", user.error());
    user_id = user->id;
  }
  auto events = app->admin().ListAudit(Actor::Cli(), user_id, options.before,
                                       options.limit);
  if (!events.ok()) return Fail("audit", events.error());
  for (const AuditEvent& e : *events) {
    std::printf("%-6lld %s  %-22s user=%s session=%s actor=%s ip=%s %s\n",
                static_cast<long long>(e.id), FormatIso8601(e.at).c_str(),
                e.type.c_str(), e.user_id.empty() ? "-" : e.user_id.c_str(),
                e.session_id.empty() ? "-" : e.session_id.c_str(),
                e.actor_id.empty() ? "-" : e.actor_id.c_str(),
                e.ip.empty() ? "-" : e.ip.c_str(), e.detail.c_str());
  }
  return 0;
}

}  // namespace gatehouse
