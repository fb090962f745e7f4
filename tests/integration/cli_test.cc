// Black-box tests of the CLI: version, help, migrate, config print.
#include <gtest/gtest.h>

#include "testing/server_process.h"

namespace gatehouse::testing {
namespace {

TEST(CliTest, VersionAndHelp) {
  CommandResult version = RunGatehouse({"version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find("gatehouse 0."), std::string::npos);
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"serve", "--help"},
                                        {"migrate", "--help"},
                                        {"user", "add", "--help"},
                                        {"config", "print", "--help"}}) {
    CommandResult help = RunGatehouse(args, {});
    EXPECT_EQ(help.exit_code, 0) << args[0];
    EXPECT_NE(help.output.find("Usage"), std::string::npos) << help.output;
  }
  CommandResult serve_help = RunGatehouse({"serve", "--help"}, {});
  EXPECT_NE(serve_help.output.find("--cookie-domain"), std::string::npos);
  EXPECT_NE(serve_help.output.find("GATEHOUSE_COOKIE_DOMAIN"),
            std::string::npos);
}

TEST(CliTest, MigrateUpStatusDown) {
  TempDir dir;
  std::map<std::string, std::string> env = {
      {"GATEHOUSE_DATABASE_URL", "sqlite://" + (dir.path() / "m.db").string()}};
  CommandResult pending = RunGatehouse({"migrate", "status"}, env);
  EXPECT_EQ(pending.exit_code, 0) << pending.output;
  EXPECT_NE(pending.output.find("pending"), std::string::npos)
      << pending.output;
  CommandResult up = RunGatehouse({"migrate", "up"}, env);
  EXPECT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("applied 0001"), std::string::npos) << up.output;
  CommandResult status = RunGatehouse({"migrate", "status"}, env);
  EXPECT_NE(status.output.find("applied"), std::string::npos);
  EXPECT_EQ(status.output.find("pending"), std::string::npos) << status.output;
  CommandResult again = RunGatehouse({"migrate", "up"}, env);
  EXPECT_NE(again.output.find("up to date"), std::string::npos) << again.output;
  CommandResult down = RunGatehouse({"migrate", "down"}, env);
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_NE(down.output.find("reverted 0001"), std::string::npos)
      << down.output;
}

TEST(CliTest, ConfigPrintShowsSourcesAndRedactsSecrets) {
  CommandResult r = RunGatehouse(
      {"config", "print", "--dev", "--cookie-domain", ".flag.example"},
      {{"GATEHOUSE_INTERNAL_SECRET", "a-secret-that-must-not-print-0123456789"},
       {"GATEHOUSE_ACCESS_TTL", "5m"}});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("a-secret-that-must-not-print"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(set, redacted)"), std::string::npos);
  EXPECT_NE(r.output.find(".flag.example"), std::string::npos);
  EXPECT_NE(r.output.find("5m"), std::string::npos);
}

TEST(CliTest, UserAddCreatesAUserThatCanBeListedByEmailUniqueness) {
  TempDir dir;
  std::map<std::string, std::string> env = {
      {"GATEHOUSE_DATABASE_URL", "sqlite://" + (dir.path() / "u.db").string()}};
  CommandResult add = RunGatehouse(
      {"user", "add", "--email", "ops@example.test", "--role", "admin"}, env);
  EXPECT_EQ(add.exit_code, 0) << add.output;
  EXPECT_NE(add.output.find("role admin"), std::string::npos);
  EXPECT_NE(add.output.find("password: "), std::string::npos)
      << "generated and shown once";
  CommandResult dup =
      RunGatehouse({"user", "add", "--email", "OPS@example.test"}, env);
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.output.find("exists"), std::string::npos) << dup.output;
}

}  // namespace
}  // namespace gatehouse::testing
