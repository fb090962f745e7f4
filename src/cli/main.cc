// gatehouse: the command line. Every subcommand builds its config the same
// way (flags > environment > file > defaults) and goes through app/.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>

#include "app/config.h"
#include "cli/commands.h"
#include "cli/doctor/doctor.h"

namespace gatehouse {
namespace {

// Adds one --flag per setting to `cmd`, collected into `flags`.
void AddSettingFlags(CLI::App* cmd, RawSettings& flags) {
  for (const SettingInfo& s : AllSettings()) {
    cmd->add_option_function<std::string>(
        s.flag, [&flags, key = s.key](const std::string& v) { flags[key] = v; },
        s.help + " [" + s.env + "]");
  }
}

// The --live options of `gatehouse doctor`; each needs --live.
void AddDoctorLiveOptions(CLI::App* doctor, DoctorOptions& options) {
  CLI::Option* live = doctor->add_flag(
      "--live", options.live,
      "also sign in, refresh and sign out as a test account against the "
      "running server at the API URL, and judge its real Set-Cookie headers");
  const CLI::Validator resolve_rule(
      [](std::string& rule) { return DoctorResolveProblem(rule); },
      "HOST:PORT:ADDRESS");
  doctor->add_option("--email", options.email, "the test account's email")
      ->needs(live);
  doctor
      ->add_option("--password", options.password,
                   std::string("the test account's password; better in ") +
                       kDoctorPasswordEnv +
                       ", which keeps it out of shell history and ps")
      ->needs(live);
  doctor
      ->add_option("--resolve", options.resolve,
                   "connect to ADDRESS for HOST:PORT while the requests still "
                   "name HOST (Host, TLS name, certificate), as curl's "
                   "--resolve; repeat for several")
      ->check(resolve_rule)
      ->needs(live);
  doctor
      ->add_option("--cookie-header", options.cookie_header,
                   "\"a=b; c=d\": the Cookie header a real browser sent the "
                   "API (from devtools), to find duplicate cookies (F10). Its "
                   "cookies are taken as host-only on the API host with "
                   "Path=/; never sent, values never printed")
      ->needs(live);
  doctor
      ->add_option("--cacert", options.ca_file,
                   "a PEM file of CA certificates to trust besides the "
                   "system's, for an https:// API with a private CA")
      ->check(CLI::ExistingFile)
      ->needs(live);
}

}  // namespace
}  // namespace gatehouse

int main(int argc, char** argv) {
  using namespace gatehouse;
  CLI::App cli{"gatehouse: httpOnly-cookie session auth for web apps"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string(kGatehouseVersion));

  bool dev = false;
  RawSettings flags;
  CommandContext ctx{dev, flags};

  CLI::App* serve = cli.add_subcommand("serve", "run the HTTP server");
  serve->add_flag(
      "--dev", dev,
      "development mode: host-only cookies, Secure off, signup open, a dev "
      "admin");
  AddSettingFlags(serve, flags);
  serve->callback([&] { std::exit(RunServe(ctx)); });

  CLI::App* migrate =
      cli.add_subcommand("migrate", "apply or revert schema migrations");
  migrate->require_subcommand(1);
  for (auto [name, help] :
       {std::pair{"up", "apply every pending migration"},
        std::pair{"down", "revert the newest applied migration"},
        std::pair{"status", "list migrations and whether applied"}}) {
    CLI::App* sub = migrate->add_subcommand(name, help);
    AddSettingFlags(sub, flags);
    sub->callback(
        [&ctx, name = std::string(name)] { std::exit(RunMigrate(ctx, name)); });
  }

  CLI::App* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "create a user");
  UserAddOptions add_options;
  user_add->add_option("--email", add_options.email, "email address")
      ->required();
  user_add->add_option("--name", add_options.name, "display name");
  user_add->add_option("--role", add_options.role, "role (default: user)");
  user_add->add_flag("--password-stdin", add_options.password_from_stdin,
                     "read the password from the first line of standard input "
                     "(default: generate one and print it once)");
  AddSettingFlags(user_add, flags);
  user_add->callback([&] { std::exit(RunUserAdd(ctx, add_options)); });

  OpsOptions ops;
  auto add_ops = [&](CLI::App* parent, const char* name, const char* help,
                     std::function<int()> run) {
    CLI::App* sub = parent->add_subcommand(name, help);
    AddSettingFlags(sub, flags);
    sub->callback([run] { std::exit(run()); });
    return sub;
  };
  CLI::App* user_list = add_ops(user, "list", "list users",
                                [&] { return RunUserList(ctx, ops); });
  user_list->add_option("--after", ops.after,
                        "list users created after this user id");
  user_list->add_option("--limit", ops.limit,
                        "at most this many (default 50, max 200)");
  CLI::App* set_role = add_ops(user, "set-role", "give a user a role",
                               [&] { return RunUserSetRole(ctx, ops); });
  set_role->add_option("user", ops.user, "user id or email")->required();
  set_role->add_option("role", ops.role, "the role, e.g. admin")->required();
  CLI::App* disable =
      add_ops(user, "disable", "disable a user and sign out all their sessions",
              [&] { return RunUserDisable(ctx, ops, true); });
  disable->add_option("user", ops.user, "user id or email")->required();
  CLI::App* enable = add_ops(user, "enable", "enable a disabled user",
                             [&] { return RunUserDisable(ctx, ops, false); });
  enable->add_option("user", ops.user, "user id or email")->required();

  CLI::App* sessions =
      cli.add_subcommand("sessions", "inspect and revoke sessions");
  sessions->require_subcommand(1);
  CLI::App* sessions_list = add_ops(sessions, "list", "live sessions of a user",
                                    [&] { return RunSessionsList(ctx, ops); });
  sessions_list->add_option("user", ops.user, "user id or email")->required();
  CLI::App* sessions_revoke = add_ops(
      sessions, "revoke", "sign out one session, or every session of a user",
      [&] { return RunSessionsRevoke(ctx, ops); });
  auto* by_session =
      sessions_revoke->add_option("--session", ops.session, "a session id");
  auto* by_user = sessions_revoke->add_option("--user", ops.user,
                                              "user id or email: all sessions");
  by_session->excludes(by_user);
  sessions_revoke->require_option(1);

  CLI::App* keys = cli.add_subcommand("keys", "JWT signing keys");
  keys->require_subcommand(1);
  add_ops(keys, "list", "signing keys and their state",
          [&] { return RunKeysList(ctx); });
  add_ops(keys, "rotate",
          "add a new signing key; old ones verify until their tokens expire",
          [&] { return RunKeysRotate(ctx); });

  CLI::App* audit = add_ops(&cli, "audit", "the audit log, newest first",
                            [&] { return RunAudit(ctx, ops); });
  audit->add_option("--user", ops.user,
                    "only events of this user (id or email)");
  audit->add_option("--before", ops.before,
                    "only events with a smaller id (paging)");
  audit->add_option("--limit", ops.limit,
                    "at most this many (default 50, max 200)");

  CLI::App* config = cli.add_subcommand("config", "inspect the configuration");
  config->require_subcommand(1);
  CLI::App* print = config->add_subcommand(
      "print", "show the effective config, secrets redacted");
  print->add_flag("--dev", dev, "as `serve --dev` would see it");
  AddSettingFlags(print, flags);
  print->callback([&] { std::exit(RunConfigPrint(ctx)); });

  CLI::App* doctor = cli.add_subcommand(
      "doctor",
      "find cookie, domain and origin mistakes before users do: why each "
      "breaks in a browser, and what to change");
  DoctorOptions doctor_options;
  const CLI::Validator http_url(
      [](std::string& url) { return DoctorUrlProblem(url); }, "URL");
  doctor
      ->add_option("--api-url", doctor_options.api_url,
                   "the API's external URL, as browsers reach it (default: "
                   "GATEHOUSE_PUBLIC_URL)")
      ->check(http_url);
  doctor
      ->add_option("--app-url", doctor_options.app_urls,
                   "a URL the app is loaded from; repeat for each app "
                   "(default: the origins in GATEHOUSE_TRUSTED_ORIGINS)")
      ->check(http_url);
  doctor->add_flag("--json", doctor_options.json,
                   "print a JSON document instead of text");
  doctor->add_flag("--dev", dev, "check the config as `serve --dev` sees it");
  AddDoctorLiveOptions(doctor, doctor_options);
  AddSettingFlags(doctor, flags);
  doctor->footer(
      "With --live, after the static checks doctor signs in as a test "
      "account at the API URL, refreshes and signs out, the way the first "
      "app URL's browser would (its Origin), and judges the real Set-Cookie "
      "headers as a browser at the API and at each app URL would. It never "
      "prints the password, a token or a cookie value.\n"
      "  gatehouse doctor --live --api-url https://api.example.com \\\n"
      "    --app-url https://app.example.com --email doctor@example.com\n"
      "  (password from GATEHOUSE_DOCTOR_PASSWORD)\n"
      "Exit status: 0 no errors, 1 errors found (also when the server cannot "
      "be reached or refuses the test account), 2 bad usage or config.\n"
      "Every check: docs/doctor.md\n");
  doctor->callback([&] { std::exit(RunDoctor(ctx, doctor_options)); });

  CLI::App* version = cli.add_subcommand("version", "print the version");
  version->callback([] {
    std::printf("gatehouse %s\n", kGatehouseVersion);
    std::exit(0);
  });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every usage error exits 2
    // (commands.h), not CLI11's own codes.
    return cli.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}
