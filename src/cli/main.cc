// gatehouse: the command line. Every subcommand builds its config the same
// way (flags > environment > file > defaults) and goes through app/.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/config.h"
#include "cli/commands.h"

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

  CLI::App* config = cli.add_subcommand("config", "inspect the configuration");
  config->require_subcommand(1);
  CLI::App* print = config->add_subcommand(
      "print", "show the effective config, secrets redacted");
  print->add_flag("--dev", dev, "as `serve --dev` would see it");
  AddSettingFlags(print, flags);
  print->callback([&] { std::exit(RunConfigPrint(ctx)); });

  CLI::App* version = cli.add_subcommand("version", "print the version");
  version->callback([] {
    std::printf("gatehouse %s\n", kGatehouseVersion);
    std::exit(0);
  });

  CLI11_PARSE(cli, argc, argv);
  return 0;
}
