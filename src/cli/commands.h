// The subcommands of the gatehouse CLI. Each returns the process exit
// code: 0 success, 1 failure, 2 bad configuration or usage.
#ifndef GATEHOUSE_CLI_COMMANDS_H_
#define GATEHOUSE_CLI_COMMANDS_H_

#include <string>

#include "app/config.h"
#include "cli/version.h"

namespace gatehouse {

// What every subcommand shares: --dev and the per-setting flags.
struct CommandContext {
  const bool& dev;
  const RawSettings& flags;
};

struct UserAddOptions {
  std::string email;
  std::string name;
  std::string role = "user";
  bool password_from_stdin = false;
};

// Options of the operations subcommands.
struct OpsOptions {
  std::string user;     // a user id or email
  std::string session;  // a session id
  std::string role;
  std::string after;
  int64_t before = 0;
  int limit = 50;
};

int RunServe(const CommandContext& ctx);
int RunUserList(const CommandContext& ctx, const OpsOptions& options);
int RunUserSetRole(const CommandContext& ctx, const OpsOptions& options);
int RunUserDisable(const CommandContext& ctx, const OpsOptions& options,
                   bool disabled);
int RunSessionsList(const CommandContext& ctx, const OpsOptions& options);
int RunSessionsRevoke(const CommandContext& ctx, const OpsOptions& options);
int RunKeysList(const CommandContext& ctx);
int RunKeysRotate(const CommandContext& ctx);
int RunAudit(const CommandContext& ctx, const OpsOptions& options);
int RunMigrate(const CommandContext& ctx, const std::string& action);
int RunUserAdd(const CommandContext& ctx, const UserAddOptions& options);
int RunConfigPrint(const CommandContext& ctx);

}  // namespace gatehouse

#endif  // GATEHOUSE_CLI_COMMANDS_H_
